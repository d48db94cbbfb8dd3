// The SM2 recommended curve (GB/T 32918.5) and the modular arithmetic signatures need.
export const SM2_CURVE = {
  p: 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn,
  a: 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn,
  b: 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n,
  n: 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n,
  gx: 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
  gy: 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
} as const;

/** The curve's name in OpenSSL (node:crypto's createECDH and generateKeyPairSync). */
export const OPENSSL_CURVE_NAME = 'SM2';

export const toBigInt = (bytes: Uint8Array): bigint =>
  bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);

/** Big-endian, left-padded to `length` bytes. */
export function toFixedBytes(value: bigint, length = 32): Buffer {
  const hex = value.toString(16).padStart(length * 2, '0');
  if (hex.length > length * 2) throw new Error('value does not fit');
  return Buffer.from(hex, 'hex');
}

export function mod(value: bigint, modulus: bigint): bigint {
  const r = value % modulus;
  return r < 0n ? r + modulus : r;
}

/** Inverse modulo a prime by Fermat's little theorem. */
export function invertModPrime(value: bigint, prime: bigint): bigint {
  let result = 1n;
  let base = mod(value, prime);
  let exponent = prime - 2n;
  while (exponent > 0n) {
    if (exponent & 1n) result = (result * base) % prime;
    base = (base * base) % prime;
    exponent >>= 1n;
  }
  return result;
}

/** True when (x, y) satisfies y² = x³ + ax + b over the field and lies in range. */
export function isOnCurve(x: bigint, y: bigint): boolean {
  const { p, a, b } = SM2_CURVE;
  if (x < 0n || x >= p || y < 0n || y >= p) return false;
  return mod(y * y - (x * x * x + a * x + b), p) === 0n;
}
