// Calls a procedure of a router by its dotted path with a given context, through tRPC's caller so
// that input/output validation, access checks and metrics run exactly as for any other call.
import type { AnyTRPCRouter } from '@trpc/server';
import { createCallerFactory, type ServiceContext } from './trpc.ts';

export type ProcedureInvoker = (ctx: ServiceContext, path: string, input: unknown) => Promise<unknown>;

export function procedureInvoker(router: AnyTRPCRouter): ProcedureInvoker {
  const createCaller = createCallerFactory(router);
  return (ctx, path, input) => {
    // tRPC callers are recursive proxies: walking the dotted path yields the procedure function.
    let node: unknown = createCaller(ctx);
    for (const key of path.split('.')) node = (node as Record<string, unknown>)[key];
    return (node as (input: unknown) => Promise<unknown>)(input);
  };
}
