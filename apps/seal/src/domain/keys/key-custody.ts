// Seals new private keys under the KEK and turns stored ones back into Signers. Development keys
// (sealed under a generated KEK) are refused when the service runs in production.
import type { KeyObject } from 'node:crypto';
import { sealPrivateKey, unsealPrivateKey, type KeyEncryptionKey } from './key-encryption.ts';
import { LocalSigner, type Signer } from './signer.ts';

export class KeyRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyRefusedError';
  }
}

export interface SealedKey {
  sealedKey: Buffer;
  kekId: string;
  developmentKey: boolean;
}

export class KeyCustody {
  private readonly signers = new Map<string, Signer>();

  constructor(
    private readonly kek: KeyEncryptionKey,
    private readonly production: boolean,
  ) {
    if (production && kek.development)
      throw new KeyRefusedError('a development key-encryption key is refused in production');
  }

  seal(privateKey: KeyObject): SealedKey {
    return {
      sealedKey: sealPrivateKey(privateKey, this.kek),
      kekId: this.kek.id,
      developmentKey: this.kek.development,
    };
  }

  /** The signer of a stored key, cached per key id (keys never change once sealed). */
  signer(key: { id: string } & SealedKey): Signer {
    const cached = this.signers.get(key.id);
    if (cached) return cached;
    const signer = new LocalSigner(this.privateKey(key));
    this.signers.set(key.id, signer);
    return signer;
  }

  /**
   * A stored private key, unsealed, for signers `node:crypto` cannot drive itself (SM2 with SM3,
   * see domain/sm2). Same production rule as `signer`.
   */
  privateKey(key: SealedKey): KeyObject {
    if (this.production && key.developmentKey) {
      throw new KeyRefusedError('a key made with a development key-encryption key is refused in production');
    }
    return unsealPrivateKey(key.sealedKey, this.kek);
  }
}
