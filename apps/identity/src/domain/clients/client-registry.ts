// The client registry: what administrators register, and client authentication at the token,
// introspection and revocation endpoints. Client secrets are 256-bit random values generated here,
// so a SHA-256 of them is a safe verifier (a slow password hash would only slow every token call).
import { AppError } from '@platform/contracts';
import type { Clock } from '../../clock.ts';
import type { Client, ClientRepository } from '../../repositories/clients.ts';
import { constantTimeEqual, randomToken, sha256Hex } from '../crypto/random.ts';

export type { Client };

export const GRANT_TYPES = [
  'authorization_code',
  'refresh_token',
  'client_credentials',
  'urn:ietf:params:oauth:grant-type:token-exchange',
] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

export interface ClientSettings {
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  grantTypes: GrantType[];
  scopes: string[];
  resources: string[];
  defaultResource: string | null;
  backchannelLogoutUri: string | null;
  firstParty: boolean;
}

export interface NewClient extends ClientSettings {
  id: string;
  type: 'confidential' | 'public';
}

export const clientType = (client: Client): 'confidential' | 'public' =>
  client.type === 'public' ? 'public' : 'confidential';

export function settingsOf(client: Client): ClientSettings {
  return {
    name: client.name,
    redirectUris: client.redirectUris,
    postLogoutRedirectUris: client.postLogoutRedirectUris,
    grantTypes: client.grantTypes.filter((grant): grant is GrantType =>
      (GRANT_TYPES as readonly string[]).includes(grant),
    ),
    scopes: client.scopes,
    resources: client.resources,
    defaultResource: client.defaultResource,
    backchannelLogoutUri: client.backchannelLogoutUri,
    firstParty: client.firstParty,
  };
}

const isLoopback = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

// Clients are read on every token request; a short cache keeps that off the database. A change
// made on this replica applies at once, one made on another replica within this many ms.
const CACHE_MS = 5_000;

export class ClientRegistry {
  private readonly cache = new Map<string, { at: number; client: Client | null }>();

  constructor(
    private readonly repository: ClientRepository,
    private readonly clock: Clock,
    private readonly production: boolean,
  ) {}

  async find(id: string): Promise<Client | null> {
    const now = Date.now();
    const cached = this.cache.get(id);
    if (cached && now - cached.at < CACHE_MS) return cached.client;
    const client = await this.repository.find(id);
    // Bounded: unknown ids from the outside must not grow the cache without limit.
    if (this.cache.size > 1000) this.cache.clear();
    this.cache.set(id, { at: now, client });
    return client;
  }

  list(): Promise<Client[]> {
    return this.repository.list();
  }

  /** Rules that keep a registration safe; violations are the administrator's input errors. */
  private check(type: 'confidential' | 'public', settings: ClientSettings): void {
    const issues: Array<{ path: string; message: string }> = [];
    if (type === 'public')
      for (const grant of settings.grantTypes)
        if (grant === 'client_credentials' || grant.startsWith('urn:'))
          issues.push({ path: 'grantTypes', message: `${grant} needs a confidential client` });
    if (settings.grantTypes.includes('authorization_code') && settings.redirectUris.length === 0)
      issues.push({ path: 'redirectUris', message: 'authorization_code needs at least one redirect URI' });
    const uris = [
      ...settings.redirectUris.map((uri) => ['redirectUris', uri] as const),
      ...settings.postLogoutRedirectUris.map((uri) => ['postLogoutRedirectUris', uri] as const),
      ...(settings.backchannelLogoutUri ? [['backchannelLogoutUri', settings.backchannelLogoutUri] as const] : []),
    ];
    for (const [path, uri] of uris) {
      const url = new URL(uri);
      if (url.hash) issues.push({ path, message: 'must not contain a fragment' });
      if (this.production && url.protocol !== 'https:' && !isLoopback(url))
        issues.push({ path, message: 'must use https (except loopback addresses)' });
    }
    if (settings.defaultResource && !settings.resources.includes(settings.defaultResource))
      issues.push({ path: 'defaultResource', message: 'must be one of resources' });
    if (issues.length) throw new AppError('VALIDATION_FAILED', 'The client settings are invalid', { issues });
  }

  async create(client: NewClient): Promise<{ client: Client; secret: string | null }> {
    this.check(client.type, client);
    if (await this.repository.find(client.id))
      throw new AppError('CLIENT_ALREADY_EXISTS', 'A client with this id exists');
    const secret = client.type === 'confidential' ? randomToken(32) : null;
    const now = this.clock.now();
    this.cache.delete(client.id);
    const created = await this.repository.create({
      ...client,
      secretHash: secret ? sha256Hex(secret) : null,
      createdAt: now,
      updatedAt: now,
    });
    return { client: created, secret };
  }

  /**
   * Creates or brings up to date a client whose settings and secret come from configuration
   * (see bootstrap-clients.ts); the same rules apply as to clients registered by administrators.
   */
  async declare(client: NewClient, secret: string | null): Promise<Client> {
    this.check(client.type, client);
    const now = this.clock.now();
    const secretHash = secret ? sha256Hex(secret) : null;
    this.cache.delete(client.id);
    const { id, type, ...settings } = client;
    if (await this.repository.find(id))
      return this.repository.update(id, { ...settings, type, secretHash, enabled: true, updatedAt: now });
    return this.repository.create({ ...client, secretHash, createdAt: now, updatedAt: now });
  }

  async update(id: string, changes: Partial<ClientSettings> & { enabled?: boolean | undefined }): Promise<Client> {
    const existing = await this.repository.find(id);
    if (!existing) throw new AppError('NOT_FOUND', 'No such client');
    const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
    this.check(clientType(existing), { ...settingsOf(existing), ...defined });
    this.cache.delete(id);
    return this.repository.update(id, { ...defined, updatedAt: this.clock.now() });
  }

  async rotateSecret(id: string): Promise<string> {
    const existing = await this.repository.find(id);
    if (!existing) throw new AppError('NOT_FOUND', 'No such client');
    if (existing.type !== 'confidential') throw new AppError('CONFLICT', 'Public clients have no secret');
    const secret = randomToken(32);
    await this.repository.update(id, { secretHash: sha256Hex(secret), updatedAt: this.clock.now() });
    this.cache.delete(id);
    return secret;
  }

  /** The client if the credentials are right; confidential clients must present their secret. */
  async authenticate(id: string, secret: string | undefined): Promise<Client | undefined> {
    const client = await this.find(id);
    if (!client || !client.enabled) return undefined;
    if (clientType(client) === 'public') return secret === undefined ? client : undefined;
    if (secret === undefined || !client.secretHash) return undefined;
    return constantTimeEqual(sha256Hex(secret), client.secretHash) ? client : undefined;
  }
}
