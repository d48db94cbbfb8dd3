// One ES256 signing key per issuing authority, created on first use, stored sealed with the KEK,
// published as JWKS. The kid is the key's RFC 7638 thumbprint, so it is unique across authorities
// and across regions' nodes (a trust list can hold many issuers without kid clashes).
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { PublicJwk } from '@platform/license-verifier';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { IssuerKeyRepository, IssuerKeyRow } from '../../repositories/issuer-keys.ts';
import type { SecretBox } from '@platform/key-custody';

export interface SigningKey {
  kid: string;
  issuerCode: string;
  privateKey: KeyObject;
}

export type { PublicJwk };

const context = (kid: string) => `license-issuer-key:${kid}`;

export class IssuerKeys {
  // Private keys never change once written, so every replica may cache them.
  private readonly signing = new Map<string, Promise<SigningKey>>();

  constructor(
    private readonly repository: IssuerKeyRepository,
    private readonly box: SecretBox,
    private readonly publicUrl: string,
  ) {}

  /** The issuer id in credentials: a URL of this node, under which its JWKS is published. */
  issuerId(issuerCode: string): string {
    return `${this.publicUrl}/issuers/${issuerCode}`;
  }

  jwksUrl(issuerCode: string): string {
    return `${this.issuerId(issuerCode)}/jwks.json`;
  }

  signingKey(issuerCode: string): Promise<SigningKey> {
    let key = this.signing.get(issuerCode);
    if (!key) {
      key = this.loadOrCreate(issuerCode);
      key.catch(() => this.signing.delete(issuerCode));
      this.signing.set(issuerCode, key);
    }
    return key;
  }

  async jwks(issuerCode: string): Promise<{ keys: PublicJwk[] }> {
    const rows = await this.repository.all(issuerCode);
    return { keys: rows.map((row) => row.publicJwk as unknown as PublicJwk) };
  }

  /** The issuer publishing `kid`, with that key only, or undefined when no issuer of this node has it. */
  async publishedKey(kid: string): Promise<{ id: string; jwks: { keys: PublicJwk[] } } | undefined> {
    const row = await this.repository.byKid(kid);
    return row
      ? { id: this.issuerId(row.issuerCode), jwks: { keys: [row.publicJwk as unknown as PublicJwk] } }
      : undefined;
  }

  private async loadOrCreate(issuerCode: string): Promise<SigningKey> {
    let row = await this.repository.newest(issuerCode);
    if (!row) {
      await this.repository.createIfAbsent(await this.generate(issuerCode, 1));
      row = await this.repository.newest(issuerCode);
    }
    if (!row) throw new Error(`no signing key for issuer ${issuerCode}`);
    return this.open(row);
  }

  private open(row: IssuerKeyRow): SigningKey {
    const der = this.box.open(row.privateKeySealed, context(row.kid));
    return {
      kid: row.kid,
      issuerCode: row.issuerCode,
      privateKey: createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }),
    };
  }

  private async generate(issuerCode: string, generation: number) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' }) as JWK;
    const kid = await calculateJwkThumbprint({ kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y } as JWK);
    const publicJwk: PublicJwk = { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, kid, alg: 'ES256', use: 'sig' };
    const der = privateKey.export({ format: 'der', type: 'pkcs8' });
    return {
      kid,
      issuerCode,
      generation,
      publicJwk: publicJwk as object,
      privateKeySealed: this.box.seal(der, context(kid)),
      kekId: this.box.kekId,
    };
  }
}
