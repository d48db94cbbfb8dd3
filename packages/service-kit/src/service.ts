// createService: the one way to make a platform service. It wires Express 5, tRPC, REST + OpenAPI,
// health, metrics, request ids, logs, security headers and body limits around a service's router.
import type { Server } from 'node:http';
import express, { type Express, type Request, type Response } from 'express';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import type { AnyTRPCRouter } from '@trpc/server';
import { AppError, type ContractRecord } from '@platform/contracts';
import { probeDatabase, watchDatabase, type DatabaseCheck } from './database-health.ts';
import { jsonBodyParsers, type BodyLimits } from './body-limits.ts';
import { docsRouter } from './docs.ts';
import { isInternal, toErrorBody } from './errors.ts';
import { sendError } from './http-errors.ts';
import { createLogger, type Logger } from './logger.ts';
import { createMetrics, type ServiceMetrics } from './metrics.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { installRequestContext } from './request-context.ts';
import { precomputedSecurityHeaders } from './security-headers.ts';
import { procedureInvoker } from './procedure-call.ts';
import { createRestRouter } from './rest.ts';
import { trpcDirectCalls } from './trpc-direct.ts';
import type { Principal, ServiceContext } from './trpc.ts';

export interface ServiceOptions {
  name: string;
  version: string;
  router: AnyTRPCRouter;
  contract: ContractRecord;
  env: { LOG_LEVEL: string; BODY_LIMIT_BYTES: number; SHUTDOWN_TIMEOUT_MS: number };
  /**
   * Larger JSON body limits for named procedures (e.g. `{ 'batch.issue': 32 MiB }`), over /trpc single
   * calls and /api; every other procedure keeps BODY_LIMIT_BYTES (and so do tRPC batches).
   */
  bodyLimits?: BodyLimits;
  checkDatabase: DatabaseCheck;
  /** Establishes the caller from the request (bearer token); undefined means anonymous. */
  authenticate?: (req: Request) => Promise<Principal | undefined>;
  /** Mount service-specific HTTP routes (e.g. OIDC endpoints) before the 404 handler. */
  routes?: (app: Express, kit: { log: Logger }) => void;
  /** Release resources (database pool, timers) after the server stopped taking requests. */
  onClose?: () => Promise<void>;
  logger?: Logger;
}

export interface Service {
  app: Express;
  log: Logger;
  metrics: ServiceMetrics;
  /** Starts listening; resolves with the bound port. */
  listen(port: number, host?: string): Promise<number>;
  /** Stops taking requests, waits for in-flight ones (bounded), then releases resources. */
  close(): Promise<void>;
}

export function createService(options: ServiceOptions): Service {
  const log = options.logger ?? createLogger({ service: options.name, level: options.env.LOG_LEVEL });
  const metrics = createMetrics(options.name);
  const openApi = buildOpenApiDocument({ service: options.name, version: options.version, contract: options.contract });

  const createContext = async (req: Request, transport: ServiceContext['transport']): Promise<ServiceContext> => ({
    requestId: req.requestId,
    log: req.log,
    transport,
    headers: req.headers,
    principal: options.authenticate ? await options.authenticate(req) : undefined,
    metrics,
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  installRequestContext(app, log, metrics, precomputedSecurityHeaders());

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: options.name });
  });
  app.get('/readyz', async (_req, res) => {
    const database = await probeDatabase(options.checkDatabase);
    res.status(database.status === 'up' ? 200 : 503).json({ ready: database.status === 'up', database });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  app.use('/docs', docsRouter(options.name));

  const invoke = procedureInvoker(options.router);
  const bodyParsers = (strict: boolean) =>
    jsonBodyParsers({
      contract: options.contract,
      defaultLimitBytes: options.env.BODY_LIMIT_BYTES,
      limits: options.bodyLimits,
      strict,
    });
  app.use(
    '/trpc',
    trpcDirectCalls({
      contract: options.contract,
      invoke,
      bodyParsers: bodyParsers(false),
      createContext: (req) => createContext(req, 'trpc'),
    }),
  );
  app.use(
    '/trpc',
    createExpressMiddleware({
      router: options.router,
      maxBodySize: options.env.BODY_LIMIT_BYTES,
      createContext: ({ req }) => createContext(req, 'trpc'),
      onError: ({ error, ctx }) => {
        if (isInternal(toErrorBody(error))) (ctx?.log ?? log).error({ err: error.cause ?? error }, 'internal error');
      },
    }),
  );
  app.use(
    '/api',
    createRestRouter({
      invoke,
      contract: options.contract,
      bodyParsers: bodyParsers(true),
      createContext: (req) => createContext(req, 'rest'),
    }),
  );
  options.routes?.(app, { log });

  app.use((req: Request, res: Response) => {
    sendError(res, new AppError('ROUTE_NOT_FOUND', `No route ${req.method} ${req.path}`), req);
  });
  // Express recognises error handlers by their four parameters.
  app.use((error: unknown, req: Request, res: Response, _next: express.NextFunction) => {
    sendError(res, error, req);
  });

  let server: Server | undefined;
  let stopWatching: (() => void) | undefined;

  return {
    app,
    log,
    metrics,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        const listening = app.listen(port, host ?? '0.0.0.0', (error?: Error) => {
          if (error) return reject(error);
          server = listening;
          stopWatching = watchDatabase(options.checkDatabase, log);
          const address = listening.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
        // Slow or idle clients must not hold a replica's shutdown hostage.
        listening.keepAliveTimeout = 5_000;
        listening.headersTimeout = 10_000;
      });
    },
    async close() {
      stopWatching?.();
      if (server) {
        const closing = new Promise<void>((resolve) => server?.close(() => resolve()));
        server.closeIdleConnections();
        const deadline = setTimeout(() => server?.closeAllConnections(), options.env.SHUTDOWN_TIMEOUT_MS);
        await closing;
        clearTimeout(deadline);
      }
      await options.onClose?.();
      log.flush();
    },
  };
}
