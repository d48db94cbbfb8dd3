// The private-key operation behind every signature the service makes. Keys never leave a Signer:
// the local one holds a node:crypto KeyObject; an HSM (PKCS#11) one would hold a handle instead.
import { sign as cryptoSign, type KeyObject } from 'node:crypto';
import { algorithmOfKey, type KeyAlgorithm } from './key-algorithm.ts';

export interface Signer {
  readonly algorithm: KeyAlgorithm;
  /** SHA-256 signature of `data`: RSA PKCS#1 v1.5, or ECDSA as a DER Ecdsa-Sig-Value. */
  sign(data: Uint8Array): Promise<Buffer>;
}

export class LocalSigner implements Signer {
  readonly algorithm: KeyAlgorithm;

  constructor(private readonly privateKey: KeyObject) {
    const algorithm = algorithmOfKey(privateKey);
    if (!algorithm || privateKey.type !== 'private')
      throw new Error('LocalSigner needs an RSA-2048 or P-256 private key');
    this.algorithm = algorithm;
  }

  async sign(data: Uint8Array): Promise<Buffer> {
    return cryptoSign('sha256', data, this.privateKey);
  }
}
