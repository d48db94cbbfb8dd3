// `npm run client:create -w @platform/identity -- --id console --grant authorization_code ...`:
// registers a client directly in the database — how the first administrator client is made
// (afterwards clients are administered through admin.client.*). Prints the secret once.
import { parseArgs } from 'node:util';
import { createLogger } from '@platform/service-kit';
import { createIdentityCore } from '../composition.ts';
import { GRANT_TYPES, type GrantType } from '../domain/clients/client-registry.ts';
import { createDatabase } from '../db.ts';
import { loadEnv } from '../env.ts';

const { values } = parseArgs({
  options: {
    id: { type: 'string' },
    name: { type: 'string' },
    public: { type: 'boolean', default: false },
    grant: { type: 'string', multiple: true, default: [] },
    scope: { type: 'string', multiple: true, default: [] },
    'redirect-uri': { type: 'string', multiple: true, default: [] },
    'post-logout-redirect-uri': { type: 'string', multiple: true, default: [] },
    resource: { type: 'string', multiple: true, default: [] },
    'default-resource': { type: 'string' },
    'backchannel-logout-uri': { type: 'string' },
    'first-party': { type: 'boolean', default: false },
  },
});

if (!values.id || values.grant.length === 0) {
  process.stderr.write(
    'usage: client:create --id ID --grant GRANT [--grant ...] [--scope S ...] [--redirect-uri URI ...] [--public] [--first-party]\n',
  );
  process.exit(2);
}
const grants = values.grant.filter((grant): grant is GrantType => (GRANT_TYPES as readonly string[]).includes(grant));
if (grants.length !== values.grant.length) {
  process.stderr.write(`grants must be among: ${GRANT_TYPES.join(', ')}\n`);
  process.exit(2);
}

const env = loadEnv();
const db = createDatabase(env.DATABASE_URL);
try {
  const core = createIdentityCore(env, db, createLogger({ service: 'identity', level: 'warn' }));
  const { client, secret } = await core.clients.create({
    id: values.id,
    name: values.name ?? values.id,
    type: values.public ? 'public' : 'confidential',
    grantTypes: grants,
    scopes: values.scope,
    redirectUris: values['redirect-uri'],
    postLogoutRedirectUris: values['post-logout-redirect-uri'],
    resources: values.resource,
    defaultResource: values['default-resource'] ?? null,
    backchannelLogoutUri: values['backchannel-logout-uri'] ?? null,
    firstParty: values['first-party'],
  });
  await core.audit.record({ type: 'admin.client_created', clientId: client.id, detail: { by: 'cli' } });
  process.stdout.write(`${JSON.stringify({ clientId: client.id, clientSecret: secret })}\n`);
} finally {
  await db.$disconnect();
}
