// The peers: bare Express 5 doing the same work as the kit variants and nothing else (no helmet,
// no request ids, no logs, no metrics, no validation).
//   db      — GET /system/info: the same Prisma `SELECT 1` probe on the same database, timed the
//             same way, answering the same JSON fields as the identity service's system.info
//   trivial — GET /bench/ping: the same document as the kit's trivial procedure
import type { Server } from 'node:http';
import express from 'express';
import { createDatabase } from '@platform/identity/src/db.ts';
import { SERVICE_NAME, SERVICE_VERSION } from '@platform/identity/src/meta.ts';
import { serveForBench } from './child.ts';
import { environmentOf, pingOf } from './trivial.ts';

const kind = process.argv[2];
const environment = environmentOf(process.env.NODE_ENV);
const startedAt = new Date().toISOString();

await serveForBench(async () => {
  const app = express();
  let release: () => Promise<unknown> = async () => undefined;

  if (kind === 'db') {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is required');
    const db = createDatabase(url);
    release = () => db.$disconnect();
    app.get('/system/info', async (_req, res) => {
      const began = performance.now();
      let database: { status: 'up' | 'down'; latencyMs: number | null };
      try {
        await db.$queryRaw`SELECT 1`;
        database = { status: 'up', latencyMs: Math.round((performance.now() - began) * 100) / 100 };
      } catch {
        database = { status: 'down', latencyMs: null };
      }
      res.json({ service: SERVICE_NAME, version: SERVICE_VERSION, environment, startedAt, database });
    });
  } else if (kind === 'trivial') {
    app.get('/bench/ping', (_req, res) => {
      res.json(pingOf(environment, startedAt));
    });
  } else {
    throw new Error(`usage: bare-server.ts db|trivial (got ${kind ?? 'nothing'})`);
  }

  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(0, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await release();
    },
  };
});
