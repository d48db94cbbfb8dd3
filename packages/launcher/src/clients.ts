// The OIDC clients the platform's own apps use, declared to identity through BOOTSTRAP_CLIENTS:
// the console (authorization code + PKCE, back-channel logout) and the services that call other
// services with client_credentials (license and payment seal their documents at the seal service),
// and the sandbox bank's operator (banksim's failure switches).
// Secrets are generated once into the git-ignored data folder, never committed, and handed to
// identity (to check) and to each client (to present) through the environment.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type ClientSecrets = Record<'console' | 'license' | 'payment' | 'sandboxOperator', string>;

const SEAL_RESOURCE = 'urn:platform:seal';

/** Reads the secrets kept in `<dataDir>/clients.json`, creating any that are missing. */
export function loadClientSecrets(dataDir: string): ClientSecrets {
  const file = path.join(dataDir, 'clients.json');
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<ClientSecrets>) : {};
  const fresh = () => randomBytes(32).toString('base64url');
  const secrets: ClientSecrets = {
    console: stored.console ?? fresh(),
    license: stored.license ?? fresh(),
    payment: stored.payment ?? fresh(),
    sandboxOperator: stored.sandboxOperator ?? fresh(),
  };
  if (JSON.stringify(stored) !== JSON.stringify(secrets)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  }
  return secrets;
}

/** What identity is told to register, given where the console is served. */
export function declaredClients(secrets: ClientSecrets, consoleUrl: string): unknown[] {
  const serviceClient = (id: string, secret: string) => ({
    id,
    name: `${id} (service)`,
    secret,
    grantTypes: ['client_credentials'],
    scopes: ['seal:sign'],
    resources: [SEAL_RESOURCE],
    defaultResource: SEAL_RESOURCE,
  });
  return [
    {
      id: 'console',
      name: '政务服务控制台',
      secret: secrets.console,
      // Token exchange: an agent's console session gets tokens acting for the firm it represents.
      grantTypes: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:token-exchange'],
      scopes: [
        'openid',
        'profile',
        'phone',
        'email',
        'offline_access',
        'license:holder',
        'license:read',
        'license:issue',
        'license:manage',
        'license:verify',
        'license:admin',
        'seal:admin',
        'seal:sign',
        'seal:approve',
        'payment:finance',
        'payment:admin',
      ],
      redirectUris: [`${consoleUrl}/auth/callback`],
      postLogoutRedirectUris: [`${consoleUrl}/`],
      backchannelLogoutUri: `${consoleUrl}/auth/backchannel-logout`,
      resources: [
        'urn:platform:identity',
        'urn:platform:license',
        SEAL_RESOURCE,
        'urn:platform:payment',
        'urn:platform:console',
      ],
      defaultResource: 'urn:platform:license',
      firstParty: true,
    },
    serviceClient('license-service', secrets.license),
    serviceClient('payment-service', secrets.payment),
    // Whoever runs the sandbox turns banksim's failure switches with this client's tokens.
    {
      id: 'sandbox-operator',
      name: 'sandbox bank operator',
      secret: secrets.sandboxOperator,
      grantTypes: ['client_credentials'],
      scopes: ['banksim:operate'],
      resources: ['urn:platform:banksim'],
      defaultResource: 'urn:platform:banksim',
    },
  ];
}

/** Per-service environment: identity gets the declarations, each client its own credentials. */
export function clientSettings(secrets: ClientSecrets, consoleUrl: string): Record<string, Record<string, string>> {
  return {
    identity: { BOOTSTRAP_CLIENTS: JSON.stringify(declaredClients(secrets, consoleUrl)) },
    license: { SERVICE_CLIENT_ID: 'license-service', SERVICE_CLIENT_SECRET: secrets.license },
    payment: { SERVICE_CLIENT_ID: 'payment-service', SERVICE_CLIENT_SECRET: secrets.payment },
    console: { OIDC_CLIENT_ID: 'console', OIDC_CLIENT_SECRET: secrets.console },
  };
}
