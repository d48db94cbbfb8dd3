// Login through an upstream OpenID provider (the national platform), as its OIDC client: code +
// PKCE (S256), state and nonce kept in an encrypted, browser-bound `state` value (no server-side
// table, any replica can finish the login), `iss` checked in the response (RFC 9207, mix-up
// defence), the ID token verified against the upstream JWKS. Upstream subjects are linked to local
// accounts: by an existing link, else by the citizen ID number the upstream vouches for, else a
// new account.
import { createHash } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { isCitizenIdNumber } from '@platform/identifiers';
import type { Clock } from '../../clock.ts';
import type { AccountRepository } from '../../repositories/accounts.ts';
import type { FederatedIdentityRepository } from '../../repositories/federated-identities.ts';
import { randomToken } from '../crypto/random.ts';
import type { SecretBox } from '@platform/key-custody';
import type { AuditLog } from '../security/audit-log.ts';
import type { Federation } from './federation.ts';

export class FederationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FederationError';
  }
}

const Metadata = z.object({
  issuer: z.string(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
  userinfo_endpoint: z.url().optional(),
});
const State = z.object({ interactionId: z.string(), nonce: z.string(), verifier: z.string(), exp: z.number() });
const STATE_TTL_MS = 10 * 60 * 1000;

export interface UpstreamConfig {
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Our callback, registered at the upstream. */
  redirectUri: string;
}

export class UpstreamLogin implements Federation {
  readonly name: string;
  private metadata: Promise<z.infer<typeof Metadata>> | undefined;
  private jwks: JWTVerifyGetKey | undefined;

  constructor(
    private readonly config: UpstreamConfig,
    private readonly deps: {
      box: SecretBox;
      accounts: AccountRepository;
      links: FederatedIdentityRepository;
      audit: AuditLog;
      clock: Clock;
      fetch?: typeof fetch;
    },
  ) {
    this.name = config.name;
  }

  private discover(): Promise<z.infer<typeof Metadata>> {
    this.metadata ??= (async () => {
      const response = await (this.deps.fetch ?? fetch)(`${this.config.issuer}/.well-known/openid-configuration`, {
        signal: AbortSignal.timeout(5000),
      });
      if (!response.ok) throw new FederationError(`upstream discovery failed: HTTP ${response.status}`);
      const metadata = Metadata.parse(await response.json());
      if (metadata.issuer !== this.config.issuer) throw new FederationError('upstream discovery names another issuer');
      return metadata;
    })().catch((error: unknown) => {
      this.metadata = undefined;
      throw error;
    });
    return this.metadata;
  }

  async start(interactionId: string, browserId: string): Promise<string> {
    const metadata = await this.discover();
    const nonce = randomToken(16);
    const verifier = randomToken(32);
    const state = this.deps.box.seal(
      JSON.stringify({ interactionId, nonce, verifier, exp: this.deps.clock.now().getTime() + STATE_TTL_MS }),
      `federation:${browserId}`,
    );
    const url = new URL(metadata.authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.config.clientId,
      redirect_uri: this.config.redirectUri,
      scope: 'openid profile',
      state,
      nonce,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    return url.toString();
  }

  async complete(
    params: Record<string, string>,
    browserId: string,
  ): Promise<{ accountId: string; interactionId: string; acr: number }> {
    let state: z.infer<typeof State>;
    try {
      state = State.parse(JSON.parse(this.deps.box.open(params.state ?? '', `federation:${browserId}`).toString()));
    } catch {
      throw new FederationError('the upstream login state is invalid or from another browser');
    }
    if (state.exp < this.deps.clock.now().getTime()) throw new FederationError('the upstream login took too long');
    const metadata = await this.discover();
    if (params.iss !== undefined && params.iss !== metadata.issuer)
      throw new FederationError('the response comes from another issuer');
    if (params.error) throw new FederationError(`the upstream refused: ${params.error.slice(0, 100)}`);
    if (!params.code) throw new FederationError('the upstream sent no code');

    const response = await (this.deps.fetch ?? fetch)(metadata.token_endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(this.config.clientId)}:${encodeURIComponent(this.config.clientSecret)}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: params.code,
        redirect_uri: this.config.redirectUri,
        code_verifier: state.verifier,
      }).toString(),
      signal: AbortSignal.timeout(5000),
    });
    const tokens = (await response.json().catch(() => ({}))) as { id_token?: unknown; access_token?: unknown };
    if (!response.ok || typeof tokens.id_token !== 'string')
      throw new FederationError('the upstream token request failed');
    this.jwks ??= createRemoteJWKSet(new URL(metadata.jwks_uri));
    let claims;
    try {
      ({ payload: claims } = await jwtVerify(tokens.id_token, this.jwks, {
        issuer: metadata.issuer,
        audience: this.config.clientId,
        algorithms: ['ES256', 'RS256', 'PS256'],
        currentDate: this.deps.clock.now(),
        clockTolerance: 30,
      }));
    } catch {
      throw new FederationError('the upstream ID token is invalid');
    }
    const subject = claims.sub;
    if (claims.nonce !== state.nonce || typeof subject !== 'string')
      throw new FederationError('the upstream ID token does not belong to this login');
    // Profile claims (the ID number) usually come from userinfo, for the same subject only.
    let profile: Record<string, unknown> = claims;
    if (claims.id_number === undefined && metadata.userinfo_endpoint && typeof tokens.access_token === 'string') {
      const userinfo = await this.userinfo(metadata.userinfo_endpoint, tokens.access_token);
      if (userinfo.sub === subject) profile = { ...userinfo, ...claims };
    }
    const upstreamAcr = Number(claims.acr);
    const acr = Number.isInteger(upstreamAcr) && upstreamAcr >= 1 && upstreamAcr <= 4 ? upstreamAcr : 1;
    const accountId = await this.linkedAccount(subject, profile, acr);
    await this.deps.audit.record({ type: 'login.federated', accountId, detail: { provider: metadata.issuer, acr } });
    return { accountId, interactionId: state.interactionId, acr };
  }

  private async userinfo(endpoint: string, accessToken: string): Promise<Record<string, unknown>> {
    const response = await (this.deps.fetch ?? fetch)(endpoint, {
      headers: { authorization: `Bearer ${accessToken}` },
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) throw new FederationError('the upstream userinfo request failed');
    const body: unknown = await response.json();
    return body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  }

  private async linkedAccount(upstreamSubject: string, claims: Record<string, unknown>, acr: number): Promise<string> {
    const provider = this.config.issuer;
    const now = this.deps.clock.now();
    const link = await this.deps.links.find(provider, upstreamSubject);
    let account = link ? await this.deps.accounts.findById(link.accountId) : null;
    const idNumber = typeof claims.id_number === 'string' ? claims.id_number.toUpperCase() : undefined;
    if (!account) {
      if (!idNumber || !isCitizenIdNumber(idNumber))
        throw new FederationError('the upstream did not vouch for a citizen ID number');
      account =
        (await this.deps.accounts.findBySubjectId(idNumber)) ??
        (await this.deps.accounts.create({
          kind: 'natural_person',
          subjectId: idNumber,
          name: typeof claims.name === 'string' ? claims.name.slice(0, 200) : idNumber,
          phone: null,
          passwordHash: null,
          passwordChangedAt: null,
          trustLevel: acr,
          createdAt: now,
        }));
      await this.deps.links.link(provider, upstreamSubject, account.id, now);
      await this.deps.audit.record({ type: 'federation.linked', accountId: account.id, detail: { provider } });
    }
    // The national platform is authoritative for real-name levels: never lower, raise when it says so.
    if (acr > account.trustLevel) await this.deps.accounts.raiseTrustLevel(account.id, acr);
    return account.id;
  }
}
