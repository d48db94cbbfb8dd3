import { AppError, createIdentityClient, errorBodyOf, mutation, query } from '@platform/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import helmet from 'helmet';
import { z } from 'zod';
import {
  ConfigError,
  baseEnvSchema,
  contractMismatches,
  createLogger,
  createRouter,
  createService,
  implement,
  parseEnv,
} from '../src/index.ts';
import { listenForTest, type RunningService } from '../src/testing.ts';

// A small contract exercising every transport feature of the kit.
const echoContract = {
  echo: {
    shout: query({
      input: z.object({ text: z.string().min(1), times: z.number().int().min(1).max(3).default(1) }),
      output: z.object({ text: z.string() }),
      access: 'public',
      rest: { method: 'GET', path: '/echo/shout', summary: 'Upper-cases text' },
    }),
    store: mutation({
      input: z.object({ id: z.string(), note: z.string().max(10) }),
      output: z.object({ id: z.string(), note: z.string() }),
      access: 'public',
      rest: { method: 'POST', path: '/echo/{id}', summary: 'Echoes a note' },
    }),
    fail: mutation({
      input: z.object({ kind: z.enum(['app', 'crash']) }),
      output: z.object({}),
      access: 'public',
      rest: { method: 'POST', path: '/echo/fail', summary: 'Fails on purpose' },
    }),
    secret: query({
      input: z.void(),
      output: z.object({ ok: z.boolean() }),
      rest: { method: 'GET', path: '/echo/secret', summary: 'Needs a principal' },
    }),
  },
};

const echoRouter = createRouter({
  echo: createRouter({
    shout: implement(echoContract.echo.shout).query(({ input }) => ({
      text: input.text.toUpperCase().repeat(input.times),
    })),
    store: implement(echoContract.echo.store).mutation(({ input }) => input),
    fail: implement(echoContract.echo.fail).mutation(({ input }) => {
      if (input.kind === 'app') throw new AppError('CONFLICT', 'Already stored');
      throw new Error('SELECT secret FROM keys -- internal detail');
    }),
    secret: implement(echoContract.echo.secret).query(() => ({ ok: true })),
  }),
});

const logLines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    logLines.push(String(chunk));
    done();
  },
});

let running: RunningService;
let databaseUp = true;

beforeAll(async () => {
  const service = createService({
    name: 'echo',
    version: '1.0.0',
    env: { LOG_LEVEL: 'info', BODY_LIMIT_BYTES: 1024, SHUTDOWN_TIMEOUT_MS: 1000 },
    contract: echoContract,
    router: echoRouter,
    checkDatabase: async () => {
      if (!databaseUp) throw new Error('connection refused');
    },
    logger: createLogger({ service: 'echo', level: 'info', destination: sink }),
  });
  running = await listenForTest(service);
});
afterAll(() => running.close());

// Responses are asserted field by field, so their JSON is left untyped here.
type TestResponse = Omit<Response, 'json'> & { json(): Promise<any> };
const get = (path: string, init?: RequestInit): Promise<TestResponse> => fetch(running.url + path, init);
const post = (
  path: string,
  body: string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<TestResponse> => fetch(running.url + path, { method: 'POST', body, headers });

/** The security headers of a response (those helmet would set), by lower-case name. */
async function headersOf(url: string): Promise<Record<string, string>> {
  const response = await fetch(url);
  await response.arrayBuffer();
  const generic = new Set([
    'content-type',
    'content-length',
    'etag',
    'date',
    'connection',
    'keep-alive',
    'x-request-id',
  ]);
  return Object.fromEntries([...response.headers].filter(([name]) => !generic.has(name)));
}

describe('service kit over HTTP', () => {
  it('answers health and readiness, and readiness follows the database', async () => {
    expect(await (await get('/healthz')).json()).toEqual({ status: 'ok', service: 'echo' });
    expect((await get('/readyz')).status).toBe(200);
    databaseUp = false;
    const down = await get('/readyz');
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ ready: false, database: { status: 'down', latencyMs: null } });
    databaseUp = true;
    expect((await get('/readyz')).status).toBe(200);
  });

  it('serves a procedure over tRPC and REST with the same result', async () => {
    const trpc = await get(`/trpc/echo.shout?input=${encodeURIComponent(JSON.stringify({ text: 'hi', times: 2 }))}`);
    expect(await trpc.json()).toEqual({ result: { data: { text: 'HIHI' } } });
    const rest = await get('/api/echo/shout?text=hi&times=2');
    expect(rest.status).toBe(200);
    expect(await rest.json()).toEqual({ text: 'HIHI' });
  });

  it('merges REST path parameters into the input', async () => {
    const res = await post('/api/echo/a1', JSON.stringify({ note: 'n' }));
    expect(await res.json()).toEqual({ id: 'a1', note: 'n' });
  });

  it('rejects invalid input with 400 VALIDATION_FAILED and field paths on both transports', async () => {
    const rest = await post('/api/echo/a1', JSON.stringify({ note: 'far too long a note' }));
    expect(rest.status).toBe(400);
    const { error } = await rest.json();
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.issues).toEqual([{ path: 'note', message: expect.stringContaining('10') }]);

    const trpc = await post('/trpc/echo.store', JSON.stringify({ id: 'x', note: 42 }));
    expect(trpc.status).toBe(400);
    const json = await trpc.json();
    expect(json.error.data).toMatchObject({ code: 'VALIDATION_FAILED', httpStatus: 400, issues: [{ path: 'note' }] });
    expect(JSON.stringify(json)).not.toContain('stack');
  });

  it('routes REST paths as Express would: static before parameters, any case, trailing slash', async () => {
    expect(await (await post('/api/echo/fail', JSON.stringify({ kind: 'app' }))).json()).toMatchObject({
      error: { code: 'CONFLICT' },
    });
    expect(await (await post('/api/ECHO/a%2Fb/', JSON.stringify({ note: 'hi' }))).json()).toEqual({
      id: 'a/b',
      note: 'hi',
    });
    expect(await (await get('/api/echo/shout/?text=x')).json()).toEqual({ text: 'X' });
    const badEncoding = await post('/api/echo/%E0%A4%A', JSON.stringify({ note: 'hi' }));
    expect(badEncoding.status).toBe(400);
    expect((await badEncoding.json()).error.code).toBe('MALFORMED_REQUEST');
    const wrongMethod = await get('/api/echo/a1');
    expect(wrongMethod.status).toBe(404);
    expect((await wrongMethod.json()).error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('maps malformed JSON, oversized bodies and unknown routes to stable codes', async () => {
    const malformed = await post('/api/echo/a1', '{"note": ');
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.code).toBe('MALFORMED_REQUEST');

    const huge = await post('/api/echo/a1', JSON.stringify({ note: 'x'.repeat(5000) }));
    expect(huge.status).toBe(413);
    expect((await huge.json()).error.code).toBe('PAYLOAD_TOO_LARGE');

    const hugeTrpc = await post('/trpc/echo.store', JSON.stringify({ id: 'x', note: 'x'.repeat(5000) }));
    expect(hugeTrpc.status).toBe(413);

    const missing = await get('/api/nothing');
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('ROUTE_NOT_FOUND');
    expect((await get('/trpc/echo.nothing')).status).toBe(404);
  });

  it('raises the body limit only for the procedures a service names, on both transports', async () => {
    const options = {
      name: 'uploads',
      version: '1.0.0',
      env: { LOG_LEVEL: 'silent', BODY_LIMIT_BYTES: 1024, SHUTDOWN_TIMEOUT_MS: 1000 },
      contract: echoContract,
      router: echoRouter,
      checkDatabase: async () => undefined,
    };
    const uploads = await listenForTest(createService({ ...options, bodyLimits: { 'echo.fail': 16 * 1024 } }));
    try {
      // 5 KB of valid JSON (trailing whitespace): over the default, under the raised limit.
      const big = JSON.stringify({ kind: 'app' }) + ' '.repeat(5000);
      const send = (path: string) =>
        fetch(uploads.url + path, { method: 'POST', body: big, headers: { 'content-type': 'application/json' } });
      for (const path of ['/api/echo/fail', '/trpc/echo.fail']) {
        const res = await send(path);
        expect([path, res.status]).toEqual([path, 409]);
      }
      for (const path of ['/api/echo/a1', '/trpc/echo.store']) {
        const res = await send(path);
        expect([path, res.status]).toEqual([path, 413]);
        expect(JSON.stringify(await res.json())).toContain('PAYLOAD_TOO_LARGE');
      }
    } finally {
      await uploads.close();
    }
    expect(() => createService({ ...options, bodyLimits: { 'echo.flail': 4096 } })).toThrow(
      'body limit for unknown procedure "echo.flail"',
    );
  });

  it('writes one access line per request, with its id and the path but never the query string', async () => {
    const res = await get('/api/echo/shout?text=access-line-probe', { headers: { 'x-request-id': 'probe-42' } });
    expect(res.headers.get('x-request-id')).toBe('probe-42');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const lines = logLines.map((line) => JSON.parse(line)).filter((line) => line.requestId === 'probe-42');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        service: 'echo',
        msg: 'request',
        method: 'GET',
        path: '/api/echo/shout',
        status: 200,
        ms: expect.any(Number),
      }),
    ]);
    expect(logLines.join('')).not.toContain('access-line-probe');
  });

  it('answers a refused caller (authenticate throws) on both transports with its error, not silence', async () => {
    const guarded = await listenForTest(
      createService({
        name: 'guarded',
        version: '1.0.0',
        env: { LOG_LEVEL: 'silent', BODY_LIMIT_BYTES: 1024, SHUTDOWN_TIMEOUT_MS: 1000 },
        contract: echoContract,
        router: echoRouter,
        checkDatabase: async () => undefined,
        authenticate: async () => {
          throw new AppError('UNAUTHENTICATED', 'The access token is invalid');
        },
      }),
    );
    try {
      for (const path of ['/api/echo/shout?text=a', '/trpc/echo.shout?input=%7B%22text%22%3A%22a%22%7D']) {
        const res = await fetch(guarded.url + path, { signal: AbortSignal.timeout(3_000) });
        expect([path, res.status]).toEqual([path, 401]);
        expect(JSON.stringify(await res.json())).toContain('UNAUTHENTICATED');
      }
    } finally {
      await guarded.close();
    }
  });

  it('returns AppErrors with their code and status', async () => {
    const res = await post('/api/echo/fail', JSON.stringify({ kind: 'app' }));
    expect(res.status).toBe(409);
    expect((await res.json()).error).toMatchObject({ code: 'CONFLICT', message: 'Already stored' });
  });

  it('hides unknown errors behind a generic 500 with a request id, and logs the detail', async () => {
    const res = await post('/api/echo/fail', JSON.stringify({ kind: 'crash' }), {
      'content-type': 'application/json',
      'x-request-id': 'req-crash-1',
    });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('SELECT');
    expect(JSON.parse(text).error).toEqual({
      code: 'INTERNAL',
      message: 'Internal error (reference req-crash-1)',
      httpStatus: 500,
      requestId: 'req-crash-1',
    });
    expect(res.headers.get('x-request-id')).toBe('req-crash-1');
    const logged = logLines.find((line) => line.includes('req-crash-1') && line.includes('internal error'));
    expect(logged).toContain('SELECT secret FROM keys');
  });

  it('refuses procedures that need a principal when there is none', async () => {
    const res = await get('/api/echo/secret');
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('UNAUTHENTICATED');
  });

  it('counts procedure calls by procedure and outcome in /metrics', async () => {
    await get('/api/echo/shout?text=a');
    const metrics = await (await get('/metrics')).text();
    expect(metrics).toMatch(
      /procedure_duration_seconds_count\{service="echo",procedure="echo.shout",transport="rest",outcome="ok"\} [1-9]/,
    );
    expect(metrics).toMatch(
      /procedure_duration_seconds_count\{service="echo",procedure="echo.fail",transport="rest",outcome="CONFLICT"\} [1-9]/,
    );
    expect(metrics).toMatch(/http_requests_total\{[^}]*route="\/api",method="GET",status="200"[^}]*\} [1-9]/);
  });

  it('publishes an OpenAPI document and a docs page built from the contract', async () => {
    const doc = await (await get('/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/echo/{id}'].post.operationId).toBe('echo.store');
    expect(doc.paths['/echo/{id}'].post.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
    ]);
    expect(doc.paths['/echo/shout'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['text', 'times']);
    expect(doc.paths['/echo/secret'].get.security).toEqual([{ bearer: [] }]);
    const docs = await get('/docs/');
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger-ui-bundle.js');
    expect((await get('/docs/assets/swagger-ui-bundle.js')).status).toBe(200);
  });

  it('sets security headers', async () => {
    const res = await get('/healthz');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('sets exactly the headers helmet sets, on every kind of response', async () => {
    // The reference: helmet itself on a bare Express app, request by request.
    const reference = express();
    reference.use(helmet());
    reference.get('/', (_req, res) => void res.send('ok'));
    const peer = await new Promise<Server>((resolve) => {
      const listening = reference.listen(0, '127.0.0.1', () => resolve(listening));
    });
    try {
      const helmetHeaders = await headersOf(`http://127.0.0.1:${(peer.address() as AddressInfo).port}/`);
      expect(Object.keys(helmetHeaders).length).toBeGreaterThan(10);
      for (const path of ['/healthz', '/api/echo/shout?text=a', '/trpc/echo.secret', '/nowhere']) {
        const ours = await headersOf(running.url + path);
        for (const [name, value] of Object.entries(helmetHeaders))
          expect([path, name, ours[name]]).toEqual([path, name, value]);
        expect(ours['x-powered-by']).toBeUndefined();
      }
    } finally {
      await new Promise((resolve) => peer.close(resolve));
    }
  });

  it('gives typed clients the platform error body', async () => {
    // The echo router is not identity's, but the client only needs the transport to exercise errors.
    const client = createIdentityClient({ url: running.url });
    const error = await client.system.info.query().catch((e: unknown) => e);
    expect(errorBodyOf(error)).toMatchObject({ code: 'ROUTE_NOT_FOUND', httpStatus: 404 });
  });
});

describe('contract check', () => {
  it('finds nothing wrong with a router built from its contract', () => {
    expect(contractMismatches(echoRouter, echoContract)).toEqual([]);
  });

  it('reports missing, extra and wrongly-kinded procedures', () => {
    const wrong = createRouter({
      echo: createRouter({
        shout: implement(echoContract.echo.shout).mutation(() => ({ text: '' })),
        extra: implement(echoContract.echo.secret).query(() => ({ ok: true })),
      }),
    });
    expect(contractMismatches(wrong, echoContract).sort()).toEqual([
      'echo.extra: implemented but not in the contract',
      'echo.fail: in the contract but not implemented',
      'echo.secret: in the contract but not implemented',
      'echo.shout: is a mutation, the contract says query',
      'echo.store: in the contract but not implemented',
    ]);
  });
});

describe('env', () => {
  it('names each bad variable and what was expected, without echoing values', () => {
    const attempt = () => parseEnv(baseEnvSchema, { PORT: 'eighty', DATABASE_URL: 'mysql://secret-pass@x' });
    expect(attempt).toThrow(ConfigError);
    const message = (() => {
      try {
        attempt();
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toContain('PORT must be');
    expect(message).toContain('DATABASE_URL must be a postgresql:// connection URL');
    expect(message).not.toContain('secret-pass');
  });

  it('reports a missing required variable as required', () => {
    expect(() => parseEnv(baseEnvSchema, { PORT: '1' })).toThrow('DATABASE_URL is required');
  });
});

describe('logger', () => {
  it('redacts secrets wherever they appear', () => {
    const lines: string[] = [];
    const out = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger({ service: 't', level: 'info', destination: out });
    log.info(
      {
        password: 'p@ss',
        body: { client_secret: 'cs', refresh_token: 'rt' },
        headers: { authorization: 'Bearer abc' },
      },
      'x',
    );
    const line = lines.join('');
    for (const secret of ['p@ss', '"cs"', '"rt"', 'Bearer abc']) expect(line).not.toContain(secret);
    expect(line).toContain('[redacted]');
  });
});
