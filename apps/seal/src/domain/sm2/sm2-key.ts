// SM2 key pairs and their standard encodings: PKCS#8 (what OpenSSL writes for
// `genpkey -algorithm SM2` and what key custody seals), SubjectPublicKeyInfo (certificates).
// Both name the key id-ecPublicKey on the curve 1.2.156.10197.1.301, as GB/T 33560 and OpenSSL do.
import { createECDH, createPrivateKey, type KeyObject } from 'node:crypto';
import type forge from 'node-forge';
import {
  bitString,
  child,
  children,
  explicit,
  int,
  isContext,
  octets,
  oid,
  parseDer,
  primitiveBytes,
  readOid,
  seq,
  toDer,
} from '../asn1/der.ts';
import { OID } from '../asn1/oids.ts';
import { OPENSSL_CURVE_NAME, SM2_CURVE, isOnCurve, toBigInt } from './sm2-curve.ts';

export const SM2_OID = {
  curve: '1.2.156.10197.1.301',
  sm3WithSm2: '1.2.156.10197.1.501',
  sm3: '1.2.156.10197.1.401',
} as const;

export interface Sm2KeyPair {
  /** The private scalar d, 32 bytes big-endian. */
  privateKey: Buffer;
  /** The public point, uncompressed: 04 ‖ x ‖ y (65 bytes). */
  publicKey: Buffer;
}

export class Sm2KeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Sm2KeyError';
  }
}

/** A new key pair from OpenSSL's generator (node:crypto), not from a JavaScript PRNG. */
export function generateSm2KeyPair(): Sm2KeyPair {
  const ecdh = createECDH(OPENSSL_CURVE_NAME);
  ecdh.generateKeys();
  return { privateKey: leftPad(ecdh.getPrivateKey()), publicKey: ecdh.getPublicKey() };
}

/** The public point of a private scalar (checks the scalar is in [1, n-1]). */
export function sm2PublicKeyOf(privateKey: Uint8Array): Buffer {
  const d = toBigInt(privateKey);
  if (d < 1n || d >= SM2_CURVE.n) throw new Sm2KeyError('SM2 private key out of range');
  const ecdh = createECDH(OPENSSL_CURVE_NAME);
  ecdh.setPrivateKey(leftPad(Buffer.from(privateKey)));
  return ecdh.getPublicKey();
}

/** Checks an uncompressed point is on the curve; throws otherwise. */
export function assertSm2PublicKey(point: Uint8Array): Buffer {
  const buf = Buffer.from(point);
  if (buf.length !== 65 || buf[0] !== 0x04) throw new Sm2KeyError('SM2 public key must be an uncompressed point');
  if (!isOnCurve(toBigInt(buf.subarray(1, 33)), toBigInt(buf.subarray(33)))) {
    throw new Sm2KeyError('SM2 public key is not a point of the curve');
  }
  return buf;
}

const sm2AlgorithmIdentifier = () => seq([oid(OID.ecPublicKey), oid(SM2_OID.curve)]);

export function sm2SpkiDer(publicKey: Uint8Array): Buffer {
  return toDer(seq([sm2AlgorithmIdentifier(), bitString(assertSm2PublicKey(publicKey))]));
}

function assertSm2Algorithm(algorithm: forge.asn1.Asn1, what: string): void {
  const keyType = readOid(child(algorithm, 0, `${what} algorithm`), `${what} algorithm`);
  const curve = readOid(child(algorithm, 1, `${what} curve`), `${what} curve`);
  if (keyType !== OID.ecPublicKey || curve !== SM2_OID.curve) {
    throw new Sm2KeyError(`${what} is not an SM2 key (${keyType} ${curve})`);
  }
}

/** The public point of an SM2 SubjectPublicKeyInfo (from a certificate). */
export function sm2PublicKeyFromSpki(spkiDer: Uint8Array): Buffer {
  const spki = parseDer(spkiDer);
  assertSm2Algorithm(child(spki, 0, 'SubjectPublicKeyInfo'), 'subject public key');
  const bits = primitiveBytes(child(spki, 1, 'subjectPublicKey'), 'subjectPublicKey');
  if (bits[0] !== 0) throw new Sm2KeyError('subjectPublicKey has unused bits');
  return assertSm2PublicKey(bits.subarray(1));
}

/** PKCS#8 PrivateKeyInfo with an RFC 5915 ECPrivateKey inside, the layout OpenSSL writes. */
export function sm2Pkcs8Der(key: Sm2KeyPair): Buffer {
  const ecPrivateKey = seq([int(1), octets(leftPad(key.privateKey)), explicit(1, bitString(key.publicKey))]);
  return toDer(seq([int(0), sm2AlgorithmIdentifier(), octets(toDer(ecPrivateKey))]));
}

export function sm2KeyPairFromPkcs8(der: Uint8Array): Sm2KeyPair {
  let info: forge.asn1.Asn1;
  try {
    info = parseDer(der);
  } catch {
    throw new Sm2KeyError('not a DER-encoded PKCS#8 private key');
  }
  try {
    assertSm2Algorithm(child(info, 1, 'PrivateKeyInfo'), 'private key');
    const ecPrivateKey = parseDer(primitiveBytes(child(info, 2, 'privateKey'), 'privateKey'));
    const privateKey = leftPad(primitiveBytes(child(ecPrivateKey, 1, 'ECPrivateKey'), 'privateKey'));
    const publicKey = sm2PublicKeyOf(privateKey);
    const stated = children(ecPrivateKey, 'ECPrivateKey').find((node) => isContext(node, 1));
    if (stated) {
      const bits = primitiveBytes(child(stated, 0, 'publicKey'), 'publicKey');
      if (!bits.subarray(1).equals(publicKey))
        throw new Sm2KeyError('the PKCS#8 public key does not match its private key');
    }
    return { privateKey, publicKey };
  } catch (error) {
    if (error instanceof Sm2KeyError) throw error;
    throw new Sm2KeyError(`not an SM2 PKCS#8 key: ${(error as Error).message}`);
  }
}

/** A PEM "PRIVATE KEY" (e.g. from `openssl genpkey -algorithm SM2`), a PKCS#8 DER or a KeyObject. */
export function sm2KeyPairFrom(key: string | Uint8Array | KeyObject): Sm2KeyPair {
  if (typeof key === 'string') {
    const object = createPrivateKey({ key, format: 'pem' });
    return sm2KeyPairFromPkcs8(object.export({ type: 'pkcs8', format: 'der' }));
  }
  if (key instanceof Uint8Array) return sm2KeyPairFromPkcs8(key);
  if (key.type !== 'private') throw new Sm2KeyError('an SM2 private key is needed');
  return sm2KeyPairFromPkcs8(key.export({ type: 'pkcs8', format: 'der' }));
}

/** The key as a node:crypto KeyObject, the form key custody seals at rest. */
export function sm2KeyObject(key: Sm2KeyPair): KeyObject {
  return createPrivateKey({ key: sm2Pkcs8Der(key), format: 'der', type: 'pkcs8' });
}

function leftPad(bytes: Buffer): Buffer {
  if (bytes.length > 32) throw new Sm2KeyError('SM2 private key longer than 32 bytes');
  return bytes.length === 32 ? bytes : Buffer.concat([Buffer.alloc(32 - bytes.length), bytes]);
}
