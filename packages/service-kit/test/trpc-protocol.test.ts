// The kit answers single tRPC calls directly and leaves batches to tRPC's adapter: the official
// client must not be able to tell the difference, for results and for errors.
import { createTRPCClient, httpBatchLink, httpLink, TRPCClientError } from '@trpc/client';
import { AppError, mutation, query, type ContractRouter } from '@platform/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger, createRouter, createService, implement } from '../src/index.ts';
import { listenForTest, type RunningService } from '../src/testing.ts';

const contract = {
  math: {
    double: query({
      input: z.object({ n: z.number().int() }),
      output: z.object({ n: z.number() }),
      access: 'public',
      rest: { method: 'GET', path: '/math/double', summary: 'Doubles' },
    }),
    now: query({
      input: z.void(),
      output: z.object({ ok: z.literal(true) }),
      access: 'public',
      rest: { method: 'GET', path: '/math/now', summary: 'Void input' },
    }),
    store: mutation({
      input: z.string().min(2),
      output: z.object({ stored: z.string() }),
      access: 'public',
      rest: { method: 'POST', path: '/math/store', summary: 'Primitive input' },
    }),
    refuse: mutation({
      input: z.object({}),
      output: z.object({}),
      access: 'public',
      rest: { method: 'POST', path: '/math/refuse', summary: 'Always 409' },
    }),
  },
};

const router = createRouter({
  math: createRouter({
    double: implement(contract.math.double).query(({ input }) => ({ n: input.n * 2 })),
    now: implement(contract.math.now).query(() => ({ ok: true as const })),
    store: implement(contract.math.store).mutation(({ input }) => ({ stored: input })),
    refuse: implement(contract.math.refuse).mutation(() => {
      throw new AppError('CONFLICT', 'Refused on purpose');
    }),
  }),
});

type Router = ContractRouter<typeof contract>;
let running: RunningService;

beforeAll(async () => {
  running = await listenForTest(
    createService({
      name: 'protocol',
      version: '1',
      env: { LOG_LEVEL: 'silent', BODY_LIMIT_BYTES: 10_000, SHUTDOWN_TIMEOUT_MS: 1_000 },
      contract,
      router,
      checkDatabase: async () => undefined,
      logger: createLogger({ service: 'protocol', level: 'silent' }),
    }),
  );
});
afterAll(() => running.close());

const clients = () => ({
  single: createTRPCClient<Router>({ links: [httpLink({ url: `${running.url}/trpc` })] }),
  batched: createTRPCClient<Router>({ links: [httpBatchLink({ url: `${running.url}/trpc` })] }),
});

async function failure(promise: Promise<unknown>): Promise<TRPCClientError<Router>> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TRPCClientError);
  return error as TRPCClientError<Router>;
}

describe('tRPC protocol through the official client', () => {
  it('returns the same results for single and batched calls', async () => {
    for (const client of Object.values(clients())) {
      expect(await client.math.double.query({ n: 21 })).toEqual({ n: 42 });
      expect(await client.math.now.query()).toEqual({ ok: true });
      expect(await client.math.store.mutate('hello')).toEqual({ stored: 'hello' });
    }
  });

  it('returns the same errors for single and batched calls', async () => {
    const shapes = [];
    for (const client of Object.values(clients())) {
      const conflict = await failure(client.math.refuse.mutate({}));
      const invalid = await failure(client.math.store.mutate('x'));
      // Request ids are per call; everything else must match.
      const { requestId: _requestId, ...conflictData } = conflict.data ?? {};
      shapes.push({
        conflict: [conflict.message, conflict.shape?.code, conflictData],
        invalid: [invalid.shape?.code, invalid.data?.code, invalid.data?.issues],
      });
    }
    expect(shapes[0]).toEqual(shapes[1]);
    expect(shapes[0]?.conflict).toEqual([
      'Refused on purpose',
      -32009,
      { code: 'CONFLICT', message: 'Refused on purpose', httpStatus: 409 },
    ]);
    expect(shapes[0]?.invalid).toEqual([
      -32600,
      'VALIDATION_FAILED',
      [{ path: '', message: expect.stringContaining('>=2') }],
    ]);
  });

  it('answers a direct call and the adapter with byte-identical bodies (apart from the request id)', async () => {
    const direct = await fetch(`${running.url}/trpc/math.double?input=${encodeURIComponent('{"n":2}')}`, {
      headers: { 'x-request-id': 'same' },
    });
    const viaAdapter = await fetch(
      `${running.url}/trpc/math.double?batch=1&input=${encodeURIComponent('{"0":{"n":2}}')}`,
      { headers: { 'x-request-id': 'same' } },
    );
    expect(direct.status).toBe(200);
    expect(JSON.stringify([await direct.json()])).toBe(JSON.stringify(await viaAdapter.json()));

    const directError = await fetch(`${running.url}/trpc/math.refuse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'same' },
      body: '{}',
    });
    const adapterError = await fetch(`${running.url}/trpc/math.refuse?batch=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'same' },
      body: '{"0":{}}',
    });
    expect(directError.status).toBe(409);
    expect(adapterError.status).toBe(409);
    expect(JSON.stringify([await directError.json()])).toBe(JSON.stringify(await adapterError.json()));
  });

  it('refuses input that is not JSON with 400 MALFORMED_REQUEST', async () => {
    const res = await fetch(`${running.url}/trpc/math.double?input=%7Bnope`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { data: { code: string } } }).error.data.code).toBe('MALFORMED_REQUEST');
  });

  it('leaves a query sent as POST, or a mutation sent as GET, to the adapter, which refuses it', async () => {
    const asGet = await fetch(`${running.url}/trpc/math.store?input=%22ab%22`);
    const asPost = await fetch(`${running.url}/trpc/math.double`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"n":1}',
    });
    for (const res of [asGet, asPost]) {
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { data: { code: string } } }).error.data.code).toBe('MALFORMED_REQUEST');
    }
  });
});
