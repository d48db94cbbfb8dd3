// Request ids, security headers and access logs. A caller's x-request-id is kept (when well-formed) so one id follows
// a request across services; otherwise a new one is made.
import { randomUUID } from 'node:crypto';
import type { Express, NextFunction, Request, Response } from 'express';
import { accessLogger, type Logger } from './logger.ts';
import type { ServiceMetrics } from './metrics.ts';
import type { ApplySecurityHeaders } from './security-headers.ts';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

declare module 'express-serve-static-core' {
  interface Request {
    requestId: string;
    /** A logger carrying this request's id, made on first use (most requests never log). */
    readonly log: Logger;
  }
}

const ROUTE_GROUPS = new Set(['trpc', 'api', 'healthz', 'readyz', 'metrics', 'openapi.json', 'docs']);
const QUIET_GROUPS = new Set(['/healthz', '/readyz', '/metrics']);

/** Metrics label for a URL: the first segment only, so labels stay bounded. */
function routeGroup(path: string): string {
  const first = path.split('/', 2)[1] ?? '';
  return ROUTE_GROUPS.has(first) ? `/${first}` : 'other';
}

/**
 * The one middleware every request passes first: its id, the security headers, and the access log
 * and metrics when it finishes (one layer instead of three: each layer costs a router step).
 */
export function installRequestContext(
  app: Express,
  log: Logger,
  metrics: ServiceMetrics,
  applySecurityHeaders: ApplySecurityHeaders,
): void {
  const loggers = new WeakMap<Request, Logger>();
  Object.defineProperty(app.request, 'log', {
    get(this: Request): Logger {
      let child = loggers.get(this);
      if (!child) loggers.set(this, (child = log.child({ requestId: this.requestId })));
      return child;
    },
  });

  const access = accessLogger(log);
  app.use((req: Request, res: Response, next: NextFunction): void => {
    const incoming = req.headers['x-request-id'];
    req.requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    applySecurityHeaders(res);
    res.setHeader('x-request-id', req.requestId);
    const began = process.hrtime.bigint();
    // Read now: routers mounted below rewrite req.path before the response finishes.
    const path = req.path;
    const route = routeGroup(path);
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - began) / 1e9;
      metrics.observeHttp(route, req.method, res.statusCode, seconds);
      // Probes hit these every few seconds; keep them out of the info log. Only the path is
      // logged: query strings can carry codes or tokens.
      const entry = {
        requestId: req.requestId,
        method: req.method,
        path,
        status: res.statusCode,
        ms: Math.round(seconds * 1e4) / 10,
      };
      if (QUIET_GROUPS.has(route)) access.debug(entry, 'request');
      else access.info(entry, 'request');
    });
    next();
  });
}
