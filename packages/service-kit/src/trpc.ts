// The tRPC instance every service builds its router with, and `implement`, which turns a contract
// into a procedure so that a router can only ever offer what its contract says.
import { initTRPC } from '@trpc/server';
import {
  AppError,
  type PlatformErrorShape,
  type Principal,
  type ProcedureContract,
  type ProcedureMeta,
} from '@platform/contracts';
import type { IncomingHttpHeaders } from 'node:http';
import type { z } from 'zod';
import type { Logger } from './logger.ts';
import { toErrorBody } from './errors.ts';
import { jsonRpcCode } from './json-rpc.ts';
import type { ProcedureMetrics } from './metrics.ts';

export type { Principal };

export interface ServiceContext {
  requestId: string;
  log: Logger;
  transport: 'trpc' | 'rest';
  headers: IncomingHttpHeaders;
  principal: Principal | undefined;
  metrics: ProcedureMetrics;
}

const t = initTRPC
  .context<ServiceContext>()
  .meta<ProcedureMeta>()
  .create({
    errorFormatter({ error, ctx }): PlatformErrorShape {
      const data = toErrorBody(error, ctx?.requestId);
      return { code: jsonRpcCode(data), message: data.message, data };
    },
  });

export const createRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

// One middleware for every procedure (each tRPC middleware layer costs allocations per call):
// it times the call for /metrics and enforces the access the contract declares, so a procedure
// cannot forget it.
const guarded = t.procedure.use(async ({ ctx, meta, path, next }) => {
  const stop = ctx.metrics.start(path, ctx.transport);
  if (meta?.access !== 'public' && !ctx.principal) {
    stop('UNAUTHENTICATED');
    throw new AppError('UNAUTHENTICATED', 'A valid access token is required');
  }
  const result = await next();
  stop(result.ok ? 'ok' : toErrorBody(result.error).code);
  return result;
});

/**
 * The procedure builder for a contract: its meta, input and output schemas are the contract's, so
 * the service only writes the resolver (`implement(c).query(...)` or `.mutation(...)`). The kind is
 * checked by the router-contract tests in each service.
 */
export function implement<I extends z.ZodType, O extends z.ZodType>(
  contract: ProcedureContract<'query' | 'mutation', I, O>,
) {
  return guarded.meta({ rest: contract.rest, access: contract.access }).input(contract.input).output(contract.output);
}
