// Test helpers: run a service on a free port over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from './service.ts';

export interface RunningService {
  url: string;
  close(): Promise<void>;
}

export async function listenForTest(service: Service): Promise<RunningService> {
  const port = await service.listen(0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}`, close: () => service.close() };
}

/**
 * The checks every service must pass, shared so that each service runs the same suite: it boots
 * on a real database, answers health, readiness, metrics, OpenAPI and docs, `system.info` over
 * tRPC and REST, and malformed input gets a 400.
 */
export interface ServiceBasicsOptions {
  name: string;
  /** Creates the service on the given database URL. */
  create: (databaseUrl: string) => Service;
  /** Gives each suite its own database (e.g. @platform/db/testing createTestDatabase). */
  database: () => Promise<{ url: string; drop(): Promise<void> }>;
}

export function defineServiceBasicsSuite(options: ServiceBasicsOptions): void {
  describe(`${options.name} service basics`, () => {
    let running: RunningService;
    let database: { url: string; drop(): Promise<void> };

    beforeAll(async () => {
      database = await options.database();
      running = await listenForTest(options.create(database.url));
    });
    afterAll(async () => {
      await running?.close();
      await database?.drop();
    });

    it('is alive and ready on a real database', async () => {
      expect(await (await fetch(`${running.url}/healthz`)).json()).toEqual({ status: 'ok', service: options.name });
      const ready = await fetch(`${running.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ ready: true, database: { status: 'up' } });
    });

    it('answers system.info over tRPC and REST with the same facts', async () => {
      const trpc = (await (await fetch(`${running.url}/trpc/system.info`)).json()) as { result: { data: unknown } };
      const rest = (await (await fetch(`${running.url}/api/system/info`)).json()) as Record<string, unknown>;
      // The same facts; the database round trip is measured per call, so only its type must agree.
      const latency = { database: { status: 'up', latencyMs: expect.any(Number) } };
      expect(trpc.result.data).toEqual({ ...rest, ...latency });
      expect(rest).toMatchObject({ service: options.name, environment: 'test', database: { status: 'up' } });
      expect(typeof rest.version).toBe('string');
    });

    it('publishes metrics, an OpenAPI document and docs', async () => {
      expect(await (await fetch(`${running.url}/metrics`)).text()).toContain('procedure_duration_seconds');
      const doc = (await (await fetch(`${running.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
      expect(Object.keys(doc.paths)).toContain('/system/info');
      expect((await fetch(`${running.url}/docs/`)).status).toBe(200);
    });

    it('answers malformed input with 400 and the error model, never 500', async () => {
      const res = await fetch(`${running.url}/trpc/system.info?input=%7Bnot-json`);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { data: { code: string } } };
      expect(body.error.data.code).toBe('MALFORMED_REQUEST');
    });
  });
}
