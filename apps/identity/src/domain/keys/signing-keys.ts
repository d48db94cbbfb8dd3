// ES256 signing keys: generated here, private halves encrypted with the KEK and stored in the
// database (replicas share them), rotated on a schedule. Rotation is purely time-driven:
//   - a new key is published `overlap` before it starts signing (verifiers' JWKS caches catch up);
//   - the old key stays published `overlap` after it stopped signing (its tokens still verify);
//   - afterwards it leaves the JWKS and is deleted.
import { generateKeyPairSync, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { Clock } from '../../clock.ts';
import type { SigningKey, SigningKeyRepository, SigningKeyTransaction } from '../../repositories/signing-keys.ts';
import type { SecretBox } from '@platform/key-custody';

export const SIGNING_ALG = 'ES256';
const CACHE_MS = 30_000;

export interface KeySchedule {
  rotationSeconds: number;
  overlapSeconds: number;
}

interface LoadedKey {
  row: SigningKey;
  publicKey: KeyObject;
  publicJwk: JWK;
}

export class SigningKeys {
  private cache: { at: number; keys: LoadedKey[] } | undefined;
  private readonly privateKeys = new Map<string, KeyObject>();

  constructor(
    private readonly repository: SigningKeyRepository,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly schedule: KeySchedule,
  ) {}

  /** Creates the first key, pre-publishes the next and retires old ones as the schedule says. */
  async rotateIfDue(): Promise<void> {
    const now = this.clock.now();
    await this.repository.underLock(async (tx) => {
      const keys = await tx.all();
      const latest = keys.at(-1);
      if (!latest) {
        await this.createKey(tx, now, now);
      } else if (
        latest.activatesAt.getTime() + (this.schedule.rotationSeconds - this.schedule.overlapSeconds) * 1000 <=
        now.getTime()
      ) {
        const activatesAt = new Date(
          Math.max(latest.activatesAt.getTime() + this.schedule.rotationSeconds * 1000, now.getTime()),
        );
        await this.createKey(tx, now, activatesAt);
      }
      // Every key whose successor is (or will be) active gets its end of publication.
      const sorted = await tx.all();
      for (let i = 0; i < sorted.length - 1; i += 1) {
        const key = sorted[i];
        const successor = sorted[i + 1];
        if (key && successor && !key.removeAt)
          await tx.setRemoveAt(
            key.kid,
            new Date(successor.activatesAt.getTime() + this.schedule.overlapSeconds * 1000),
          );
      }
      await tx.deleteRemovedBefore(now);
    });
    this.cache = undefined;
  }

  private async createKey(tx: SigningKeyTransaction, now: Date, activatesAt: Date): Promise<void> {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const publicJwk = publicKey.export({ format: 'jwk' }) as JWK;
    const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
    const der = privateKey.export({ format: 'der', type: 'pkcs8' });
    await tx.create({
      kid,
      alg: SIGNING_ALG,
      publicJwk: { kty: publicJwk.kty, crv: publicJwk.crv, x: publicJwk.x, y: publicJwk.y },
      privateKeyEnc: this.box.seal(der, `signing-key:${kid}`),
      kekId: this.box.kekId,
      createdAt: now,
      activatesAt,
    });
  }

  private async loaded(): Promise<LoadedKey[]> {
    const nowMs = this.clock.now().getTime();
    if (this.cache && nowMs - this.cache.at < CACHE_MS && nowMs >= this.cache.at) return this.cache.keys;
    const rows = await this.repository.all();
    const keys = rows.map((row) => {
      const publicJwk = row.publicJwk as JWK;
      return { row, publicJwk, publicKey: createPublicKey({ key: publicJwk, format: 'jwk' }) };
    });
    this.cache = { at: nowMs, keys };
    return keys;
  }

  private published(keys: LoadedKey[]): LoadedKey[] {
    const now = this.clock.now().getTime();
    return keys.filter((key) => !key.row.removeAt || key.row.removeAt.getTime() > now);
  }

  /** The key that signs now: the published key activated most recently. */
  async current(): Promise<{ kid: string; privateKey: KeyObject }> {
    const now = this.clock.now().getTime();
    const active = this.published(await this.loaded())
      .filter((key) => key.row.activatesAt.getTime() <= now)
      .at(-1);
    if (!active) throw new Error('no active signing key: rotateIfDue() has not run');
    const kid = active.row.kid;
    let privateKey = this.privateKeys.get(kid);
    if (!privateKey) {
      if (active.row.kekId !== this.box.kekId)
        throw new Error(`signing key ${kid} was encrypted with another KEY_ENCRYPTION_KEY (${active.row.kekId})`);
      const der = this.box.open(active.row.privateKeyEnc, `signing-key:${kid}`);
      privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
      this.privateKeys.set(kid, privateKey);
    }
    return { kid, privateKey };
  }

  /** The JWKS: every published key, including the pre-published next one. */
  async jwks(): Promise<{ keys: JWK[] }> {
    return {
      keys: this.published(await this.loaded()).map((key) => ({
        ...key.publicJwk,
        kid: key.row.kid,
        alg: key.row.alg,
        use: 'sig',
      })),
    };
  }

  /** Public key for a `kid`, resolved only among our own published keys. */
  async publicKey(kid: string): Promise<KeyObject | undefined> {
    let key = this.published(await this.loaded()).find((candidate) => candidate.row.kid === kid);
    if (!key && this.cache && this.clock.now().getTime() - this.cache.at > 1000) {
      // Another replica may have rotated since we cached: look once more, uncached (at most once a
      // second, so tokens with made-up kids cannot turn into a query each).
      this.cache = undefined;
      key = this.published(await this.loaded()).find((candidate) => candidate.row.kid === kid);
    }
    return key?.publicKey;
  }
}
