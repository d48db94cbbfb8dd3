// packages/auth plugged into the service kit, over real HTTP: the `authenticate` hook decides who
// calls, and token problems come back as 401s with the platform error model, never 500s.
import { query } from '@platform/contracts';
import { createLogger, createRouter, createService, implement } from '@platform/service-kit';
import { listenForTest, type RunningService } from '@platform/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bearerAuthenticator, createTokenVerifier, requireScope } from '../src/index.ts';
import { startTestIssuer, type TestIssuer } from '../src/testing.ts';

const AUDIENCE = 'urn:platform:license';
const contract = {
  me: query({
    input: z.void(),
    output: z.object({ subject: z.string(), actor: z.string().nullable() }),
    rest: { method: 'GET', path: '/me', summary: 'Who am I' },
  }),
  admin: query({
    input: z.void(),
    output: z.object({ ok: z.boolean() }),
    rest: { method: 'GET', path: '/admin', summary: 'Needs a scope' },
  }),
};

let issuer: TestIssuer;
let running: RunningService;

beforeAll(async () => {
  issuer = await startTestIssuer();
  const router = createRouter({
    me: implement(contract.me).query(({ ctx }) => ({
      subject: ctx.principal?.subject ?? '',
      actor: ctx.principal?.actor ?? null,
    })),
    admin: implement(contract.admin).query(({ ctx }) => {
      requireScope(ctx.principal, 'license:admin');
      return { ok: true };
    }),
  });
  running = await listenForTest(
    createService({
      name: 'auth-test',
      version: '1',
      env: { LOG_LEVEL: 'silent', BODY_LIMIT_BYTES: 10_000, SHUTDOWN_TIMEOUT_MS: 1_000 },
      contract,
      router,
      checkDatabase: async () => undefined,
      authenticate: bearerAuthenticator(createTokenVerifier({ issuer: issuer.issuer, audience: AUDIENCE })),
      logger: createLogger({ service: 'auth-test', level: 'silent' }),
    }),
  );
});
afterAll(async () => {
  await running.close();
  await issuer.close();
});

const call = (path: string, token?: string) =>
  fetch(`${running.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('a service protected by packages/auth', () => {
  it('serves a caller with a valid token, over REST and tRPC, with agent information', async () => {
    const token = await issuer.mint({ sub: 'firm-1', aud: AUDIENCE, act: { sub: 'agent-9' } });
    expect(await (await call('/api/me', token)).json()).toEqual({ subject: 'firm-1', actor: 'agent-9' });
    expect(await (await call('/trpc/me', token)).json()).toEqual({
      result: { data: { subject: 'firm-1', actor: 'agent-9' } },
    });
  });

  it('answers 401 UNAUTHENTICATED without a token, with a bad token, and with a token for another service', async () => {
    const other = await issuer.mint({ sub: 'x', aud: 'urn:platform:payment' });
    for (const token of [undefined, 'a.b.c', other]) {
      for (const path of ['/api/me', '/trpc/me']) {
        const res = await call(path, token);
        expect(res.status).toBe(401);
        const body = (await res.json()) as { error: { code?: string; data?: { code: string } } };
        expect(body.error.code === 'UNAUTHENTICATED' || body.error.data?.code === 'UNAUTHENTICATED').toBe(true);
      }
    }
  });

  it('answers 403 INSUFFICIENT_SCOPE when the token lacks the scope', async () => {
    const res = await call('/api/admin', await issuer.mint({ sub: 'u', aud: AUDIENCE, scope: 'license:read' }));
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INSUFFICIENT_SCOPE');
    const ok = await call(
      '/api/admin',
      await issuer.mint({ sub: 'u', aud: AUDIENCE, scope: 'license:read license:admin' }),
    );
    expect(await ok.json()).toEqual({ ok: true });
  });
});
