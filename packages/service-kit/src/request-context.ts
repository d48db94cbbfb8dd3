// Request ids and access logs. A caller's x-request-id is kept (when well-formed) so one id follows
// a request across services; otherwise a new one is made.
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from './logger.ts';
import type { ServiceMetrics } from './metrics.ts';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

declare module 'express-serve-static-core' {
  interface Request {
    requestId: string;
    log: Logger;
  }
}

/** Metrics label for a URL: the first segment only, so labels stay bounded. */
function routeGroup(path: string): string {
  const first = path.split('/')[1] ?? '';
  return ['trpc', 'api', 'healthz', 'readyz', 'metrics', 'openapi.json', 'docs'].includes(first)
    ? `/${first}`
    : 'other';
}

export function requestContext(log: Logger, metrics: ServiceMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const incoming = req.get('x-request-id');
    req.requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.log = log.child({ requestId: req.requestId });
    res.setHeader('x-request-id', req.requestId);
    const began = process.hrtime.bigint();
    // Read now: routers mounted below rewrite req.path before the response finishes.
    const path = req.path;
    const route = routeGroup(path);
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - began) / 1e9;
      metrics.observeHttp(route, req.method, res.statusCode, seconds);
      // Probes hit these every few seconds; keep them out of the info log.
      const level = route === '/healthz' || route === '/readyz' || route === '/metrics' ? 'debug' : 'info';
      // Only the path is logged: query strings can carry codes or tokens.
      req.log[level](
        { method: req.method, path, status: res.statusCode, ms: Math.round(seconds * 1e4) / 10 },
        'request',
      );
    });
    next();
  };
}
