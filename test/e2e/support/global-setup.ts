// Once per run: PostgreSQL and every service as containers on one network, configured from
// docker-compose.yml, each started when what it depends on is ready (/readyz), plus a small
// webhook receiver standing in for a collecting unit's system. Logs go to test-output/e2e-logs.
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GenericContainer, Network, Wait, type StartedNetwork, type StartedTestContainer } from 'testcontainers';
import type { TestProject } from 'vitest/node';
import { loadE2eEnv } from '../env.ts';
import { readCompose, startOrder, type ComposeService } from './compose.ts';
import type { E2eClient, E2ePlatformInfo } from './context.ts';
import './context.ts';
import { imageExists, OPTIONAL_SERVICES, type ServiceName } from './images.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const logDir = join(repoRoot, 'test', 'e2e', 'test-output', 'e2e-logs');

export const SERVICE_PORTS: Record<string, number> = {
  postgres: 5432,
  console: 4000,
  identity: 4001,
  license: 4002,
  seal: 4003,
  payment: 4004,
  banksim: 4005,
  receiver: 8080,
};

const secret = () => randomBytes(32).toString('base64url');

/**
 * Records every POST it receives and lists them at GET /: a collecting unit's webhook endpoint, and
 * the back-channel logout endpoints of the citizen-facing apps.
 */
const RECEIVER_SCRIPT = `
const http = require('node:http');
const received = [];
http.createServer((req, res) => {
  if (req.method === 'GET') { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify(received)); return; }
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    received.push({ path: req.url, signature: req.headers['platform-signature'] || null, body, at: Date.now() });
    res.statusCode = 204;
    res.end();
  });
}).listen(8080);`;

function e2eClients(): E2ePlatformInfo['clients'] {
  return {
    operator: { id: 'e2e-operator', secret: secret() },
    unit: { id: 'e2e-unit-system', secret: secret() },
    caseSystem: { id: 'e2e-case-system', secret: secret() },
  };
}

function e2eApps(): E2ePlatformInfo['apps'] {
  const app = (name: string) => ({
    id: `e2e-app-${name}`,
    secret: secret(),
    redirectUri: `https://app-${name}.e2e.example/cb`,
    postLogoutRedirectUri: `https://app-${name}.e2e.example/bye`,
    backchannelPath: `/backchannel-logout/app-${name}`,
  });
  return { a: app('a'), b: app('b') };
}

/** Integrator clients added to what compose declares (the console and the service clients). */
function declaredE2eClients(clients: E2ePlatformInfo['clients'], apps: E2ePlatformInfo['apps']): unknown[] {
  const cc = (client: E2eClient, scopes: string[], resources: string[]) => ({
    id: client.id,
    secret: client.secret,
    grantTypes: ['client_credentials'],
    scopes,
    resources,
    defaultResource: resources[0],
  });
  return [
    cc(
      clients.operator,
      [
        'payment:admin',
        'payment:finance',
        'license:admin',
        'license:issue',
        'license:manage',
        'license:verify',
        'banksim:operate',
      ],
      ['urn:platform:payment', 'urn:platform:license', 'urn:platform:banksim'],
    ),
    cc(clients.unit, ['payment:notice:create', 'payment:notice:read', 'payment:webhooks'], ['urn:platform:payment']),
    cc(
      clients.caseSystem,
      ['license:issue', 'license:manage', 'license:read', 'license:verify'],
      ['urn:platform:license'],
    ),
    // Citizen-facing apps: first party (no consent page), no offline_access, so their refresh
    // tokens live only as long as identity's SSO session; back-channel logout to the receiver.
    ...Object.values(apps).map((app) => ({
      id: app.id,
      secret: app.secret,
      grantTypes: ['authorization_code', 'refresh_token'],
      scopes: ['openid', 'profile', 'phone'],
      redirectUris: [app.redirectUri],
      postLogoutRedirectUris: [app.postLogoutRedirectUri],
      backchannelLogoutUri: `http://receiver:8080${app.backchannelPath}`,
      resources: ['urn:platform:license', 'urn:platform:payment', 'urn:platform:identity'],
      defaultResource: 'urn:platform:license',
      firstParty: true,
    })),
  ];
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const env = loadE2eEnv();
  mkdirSync(logDir, { recursive: true });
  const clients = e2eClients();
  const apps = e2eApps();
  // Everyone (services and this test process, which plays the browser) uses the in-network URLs;
  // support/http.ts maps them to the containers' published ports.
  const variables: Record<string, string> = {
    POSTGRES_IMAGE: env.POSTGRES_IMAGE,
    PLATFORM_IMAGE_PREFIX: env.PLATFORM_IMAGE_PREFIX,
    PLATFORM_IMAGE_TAG: env.PLATFORM_IMAGE_TAG,
    POSTGRES_PASSWORD: secret(),
    IDENTITY_KEY_ENCRYPTION_KEY: secret(),
    LICENSE_KEY_ENCRYPTION_KEY: secret(),
    SEAL_KEY_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    CONSOLE_CLIENT_SECRET: secret(),
    LICENSE_SERVICE_CLIENT_SECRET: secret(),
    PAYMENT_SERVICE_CLIENT_SECRET: secret(),
    IDENTITY_PUBLIC_URL: 'http://identity:4001',
    CONSOLE_PUBLIC_URL: 'http://console:4000',
    SEAL_PUBLIC_URL: 'http://seal:4003',
    LICENSE_PUBLIC_URL: 'http://license:4002',
    LOG_LEVEL: 'warn',
    // As infra/dev-secrets.sh puts them into .env for compose.
    BOOTSTRAP_SEALS: JSON.stringify(JSON.parse(readFileSync(join(repoRoot, 'infra', 'dev', 'seals.json'), 'utf8'))),
  };
  const services = readCompose(join(repoRoot, 'docker-compose.yml'), variables);
  // Lost callbacks are looked up at the channel after RECOVERY_AFTER_SECONDS (10 minutes in
  // compose): flow 4 watches that recovery, so here it starts after 5 s.
  const payment = services.find((s) => s.name === 'payment');
  if (payment) payment.environment.RECOVERY_AFTER_SECONDS = '5';
  const identity = services.find((s) => s.name === 'identity');
  if (identity) {
    const declared = JSON.parse(identity.environment.BOOTSTRAP_CLIENTS ?? '[]') as unknown[];
    identity.environment.BOOTSTRAP_CLIENTS = JSON.stringify([...declared, ...declaredE2eClients(clients, apps)]);
  }

  const network = await new Network().start();
  const started: StartedTestContainer[] = [];
  const info: E2ePlatformInfo = { containers: {}, clients, apps, absent: [] };
  const teardown = async () => {
    if (env.E2E_KEEP_CONTAINERS) return;
    for (const container of started.reverse()) await container.stop({ timeout: 5_000 }).catch(() => undefined);
    await network.stop().catch(() => undefined);
  };

  try {
    for (const level of startOrder(services)) {
      const present: ComposeService[] = [];
      for (const service of level) {
        if (OPTIONAL_SERVICES.has(service.name as ServiceName) && !(await imageExists(service.image))) {
          info.absent.push(service.name);
          console.warn(`e2e: ${service.name} not started: image ${service.image} does not exist`);
        } else present.push(service);
      }
      const containers = await Promise.all(present.map((service) => startService(service, network)));
      started.push(...containers);
      present.forEach((service, i) => {
        info.containers[service.name] = { id: containers[i]?.getId() ?? '', port: SERVICE_PORTS[service.name] ?? 0 };
      });
    }
    const receiver = await new GenericContainer(services.find((s) => s.name === 'banksim')?.image ?? '')
      .withNetwork(network)
      .withNetworkAliases('receiver')
      .withEntrypoint(['node', '-e', RECEIVER_SCRIPT])
      .withCommand([])
      .withExposedPorts(8080)
      .withWaitStrategy(Wait.forHttp('/', 8080))
      .start();
    started.push(receiver);
    info.containers.receiver = { id: receiver.getId(), port: 8080 };
  } catch (error) {
    await teardown();
    throw error;
  }
  project.provide('e2ePlatform', info);
  return teardown;
}

/** GenericContainer with compose's restart policy, which testcontainers has no setter for. */
class ComposeContainer extends GenericContainer {
  withRestartPolicy(name: string): this {
    this.hostConfig.RestartPolicy = { Name: name === 'no' ? '' : name };
    return this;
  }
}

async function startService(service: ComposeService, network: StartedNetwork): Promise<StartedTestContainer> {
  const port = SERVICE_PORTS[service.name];
  if (!port) throw new Error(`no port known for compose service ${service.name}`);
  const log = createWriteStream(join(logDir, `${service.name}.log`), { flags: 'a' });
  // As in compose, a service that exits (e.g. its database not ready yet) is started again.
  let container = new ComposeContainer(service.image)
    .withRestartPolicy(service.restart)
    .withNetwork(network)
    .withNetworkAliases(service.name)
    .withEnvironment(service.environment)
    .withExposedPorts(port)
    .withStartupTimeout(180_000)
    .withLogConsumer((stream) => stream.pipe(log));
  if (service.name === 'postgres') {
    container = container
      .withCopyFilesToContainer([
        {
          source: join(repoRoot, 'infra', 'postgres', 'create-databases.sql'),
          target: '/docker-entrypoint-initdb.d/create-databases.sql',
        },
      ])
      .withHealthCheck({
        test: ['CMD-SHELL', 'pg_isready -U platform -h localhost'],
        interval: 1_000,
        timeout: 3_000,
        retries: 120,
        startPeriod: 1_000,
      })
      .withWaitStrategy(Wait.forHealthCheck());
  } else {
    container = container.withWaitStrategy(Wait.forHttp('/readyz', port).forStatusCode(200));
  }
  try {
    return await container.start();
  } catch (error) {
    throw new Error(
      `${service.name} (${service.image}) did not become ready: ${error instanceof Error ? error.message : String(error)}; see test/e2e/test-output/e2e-logs/${service.name}.log`,
    );
  }
}
