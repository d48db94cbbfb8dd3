import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientCredentialsTokenSource } from '../src/index.ts';

// A token endpoint speaking RFC 6749 §4.4 over real HTTP, counting what it is asked.
let server: Server;
let tokenUrl: string;
let requests: Array<{ authorization: string | undefined; body: string }> = [];
let issued = 0;
let refuse = false;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      requests.push({ authorization: req.headers.authorization, body });
      setTimeout(() => {
        if (refuse)
          return res
            .writeHead(401, { 'content-type': 'application/json' })
            .end(JSON.stringify({ error: 'invalid_client', error_description: 'bad secret' }));
        issued++;
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ access_token: `token-${issued}`, token_type: 'Bearer', expires_in: 300 }));
      }, 20);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  tokenUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/oidc/token`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('client credentials token source', () => {
  it('authenticates with client_secret_basic and asks for the resource and scope', async () => {
    requests = [];
    const source = clientCredentialsTokenSource({
      tokenUrl,
      clientId: 'license',
      clientSecret: 's3cret',
      resource: 'urn:platform:seal',
      scope: 'seal:sign',
    });
    expect(await source.getToken()).toMatch(/^token-\d+$/);
    expect(requests[0]?.authorization).toBe(`Basic ${Buffer.from('license:s3cret').toString('base64')}`);
    expect(Object.fromEntries(new URLSearchParams(requests[0]?.body))).toEqual({
      grant_type: 'client_credentials',
      resource: 'urn:platform:seal',
      scope: 'seal:sign',
    });
  });

  it('shares one request among concurrent callers and caches until shortly before expiry', async () => {
    requests = [];
    let now = 1_000_000;
    const source = clientCredentialsTokenSource({
      tokenUrl,
      clientId: 'c',
      clientSecret: 's',
      resource: 'r',
      now: () => now,
    });
    const tokens = await Promise.all(Array.from({ length: 10 }, () => source.getToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(requests).toHaveLength(1);
    now += 239_000; // 300 s lifetime, renewed 60 s early
    expect(await source.getToken()).toBe(tokens[0]);
    expect(requests).toHaveLength(1);
    now += 2_000;
    expect(await source.getToken()).not.toBe(tokens[0]);
    expect(requests).toHaveLength(2);
  });

  it('reports a refusal with the OAuth error and recovers on the next call', async () => {
    refuse = true;
    const source = clientCredentialsTokenSource({ tokenUrl, clientId: 'c', clientSecret: 'wrong', resource: 'r' });
    await expect(source.getToken()).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'The identity service refused a client_credentials token (invalid_client: bad secret)',
    });
    refuse = false;
    expect(await source.getToken()).toMatch(/^token-/);
  });

  it('reports an unreachable identity service as unavailable', async () => {
    const source = clientCredentialsTokenSource({
      tokenUrl: 'http://127.0.0.1:9/oidc/token',
      clientId: 'c',
      clientSecret: 's',
      resource: 'r',
    });
    await expect(source.getToken()).rejects.toMatchObject({ code: 'AUTH_UNAVAILABLE' });
  });
});
