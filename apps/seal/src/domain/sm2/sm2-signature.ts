// SM2 digital signatures (GB/T 32918.2) with SM3 and the signer's distinguishing identifier.
//
// node:crypto signs with an SM2 key but hashes without the Z value of the default identifier, so
// its signatures verify neither with OpenSSL's `distid:1234567812345678` nor with other SM2
// implementations. Here the standard is followed step by step: e = SM3(Z ‖ M), then r and s from
// an ephemeral key pair. The ephemeral scalar k comes from OpenSSL's generator through
// createECDH (which also gives kG natively); sm-crypto's own RC4-based generator is never used
// for secrets. Verification uses sm-crypto's curve arithmetic on the same e.
import { createECDH } from 'node:crypto';
import { createRequire } from 'node:module';
import { Asn1ShapeError, children, parseDer, primitiveBytes, seq, toDer, unsignedInt } from '../asn1/der.ts';
import { OPENSSL_CURVE_NAME, SM2_CURVE, invertModPrime, mod, toBigInt, toFixedBytes } from './sm2-curve.ts';
import { assertSm2PublicKey, type Sm2KeyPair } from './sm2-key.ts';
import { sm3 } from './sm3.ts';

/** GB/T 35276 default distinguishing identifier, used when the parties agreed on none. */
export const SM2_DEFAULT_USER_ID = '1234567812345678';

interface SmCryptoSm2 {
  doVerifySignature(
    message: number[],
    signatureHex: string,
    publicKeyHex: string,
    options: { der: boolean; hash: boolean },
  ): boolean;
}
const smCrypto = createRequire(import.meta.url)('sm-crypto') as { sm2: SmCryptoSm2 };

/** Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA), binding the signer's identity and key. */
export function sm2Z(publicKey: Uint8Array, userId: string = SM2_DEFAULT_USER_ID): Buffer {
  const id = Buffer.from(userId, 'utf8');
  if (id.length * 8 > 0xffff) throw new Error('SM2 user id too long');
  const entl = Buffer.from([(id.length * 8) >> 8, (id.length * 8) & 0xff]);
  const { a, b, gx, gy } = SM2_CURVE;
  const point = assertSm2PublicKey(publicKey);
  return sm3(
    entl,
    id,
    toFixedBytes(a),
    toFixedBytes(b),
    toFixedBytes(gx),
    toFixedBytes(gy),
    point.subarray(1, 33),
    point.subarray(33),
  );
}

/** The message representative e = SM3(Z ‖ M). */
export function sm2Digest(publicKey: Uint8Array, message: Uint8Array, userId?: string): Buffer {
  return sm3(sm2Z(publicKey, userId), message);
}

/** r and s as the DER SEQUENCE { INTEGER r, INTEGER s } (GB/T 35276 SM2Signature). */
export function encodeSm2Signature(r: bigint, s: bigint): Buffer {
  return toDer(seq([unsignedInt(toFixedBytes(r)), unsignedInt(toFixedBytes(s))]));
}

export function decodeSm2Signature(der: Uint8Array): { r: bigint; s: bigint } | undefined {
  try {
    const parts = children(parseDer(der), 'SM2Signature');
    if (parts.length !== 2) return undefined;
    const [r, s] = parts.map((part) => primitiveBytes(part, 'INTEGER'));
    // Negative integers are not signatures.
    if (!r?.length || !s?.length || r[0]! & 0x80 || s[0]! & 0x80) return undefined;
    return { r: toBigInt(r), s: toBigInt(s) };
  } catch (error) {
    if (error instanceof Asn1ShapeError || error instanceof Error) return undefined;
    throw error;
  }
}

/**
 * Signs with a private scalar whose (1 + d)⁻¹ mod n is precomputed (it depends only on the key).
 * Returns the DER signature.
 */
export function sm2SignDigest(e: Uint8Array, privateKey: Uint8Array, inverseOnePlusD?: bigint): Buffer {
  const { n } = SM2_CURVE;
  const d = toBigInt(privateKey);
  const inverse = inverseOnePlusD ?? invertModPrime(1n + d, n);
  const eValue = toBigInt(e);
  const ecdh = createECDH(OPENSSL_CURVE_NAME);
  for (;;) {
    ecdh.generateKeys();
    const k = toBigInt(ecdh.getPrivateKey());
    const x1 = toBigInt(ecdh.getPublicKey().subarray(1, 33));
    const r = mod(eValue + x1, n);
    if (r === 0n || r + k === n) continue;
    const s = mod(inverse * (k - r * d), n);
    if (s === 0n) continue;
    return encodeSm2Signature(r, s);
  }
}

export function sm2Sign(key: Sm2KeyPair, message: Uint8Array, userId?: string): Buffer {
  return sm2SignDigest(sm2Digest(key.publicKey, message, userId), key.privateKey);
}

export function sm2Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array, userId?: string): boolean {
  let point: Buffer;
  try {
    point = assertSm2PublicKey(publicKey);
  } catch {
    return false;
  }
  // Canonical DER only: a re-encoded (r, s) must reproduce the bytes exactly.
  const decoded = decodeSm2Signature(signature);
  if (!decoded || !encodeSm2Signature(decoded.r, decoded.s).equals(Buffer.from(signature))) return false;
  const e = sm2Digest(point, message, userId);
  return smCrypto.sm2.doVerifySignature([...e], Buffer.from(signature).toString('hex'), point.toString('hex'), {
    der: true,
    hash: false,
  });
}
