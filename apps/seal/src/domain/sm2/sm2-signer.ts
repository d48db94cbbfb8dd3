// The private-key operation for SM2, kept behind an interface like keys/signer.ts so that an
// HSM (SKF/PKCS#11 with SM2) can replace the local implementation.
import type { KeyObject } from 'node:crypto';
import { SM2_CURVE, invertModPrime, toBigInt } from './sm2-curve.ts';
import { sm2KeyPairFrom, type Sm2KeyPair } from './sm2-key.ts';
import { sm2Digest, sm2SignDigest } from './sm2-signature.ts';

export interface Sm2Signer {
  /** The public point, 04 ‖ x ‖ y. */
  readonly publicKey: Buffer;
  /** SM3withSM2 signature of `data` under the default user id, DER-encoded. */
  sign(data: Uint8Array): Promise<Buffer>;
}

export class LocalSm2Signer implements Sm2Signer {
  readonly publicKey: Buffer;
  private readonly privateKey: Buffer;
  private readonly inverseOnePlusD: bigint;

  constructor(key: Sm2KeyPair | KeyObject) {
    const pair = 'privateKey' in key ? key : sm2KeyPairFrom(key);
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
    this.inverseOnePlusD = invertModPrime(1n + toBigInt(pair.privateKey), SM2_CURVE.n);
  }

  async sign(data: Uint8Array): Promise<Buffer> {
    return sm2SignDigest(sm2Digest(this.publicKey, data), this.privateKey, this.inverseOnePlusD);
  }
}
