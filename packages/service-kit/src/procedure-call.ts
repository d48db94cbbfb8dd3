// Calls a procedure of a router by its dotted path with a given context. It goes through tRPC's
// own procedure call, so input/output validation, access checks and metrics run exactly as for any
// other call, without building a caller proxy per request.
import { callTRPCProcedure, type AnyTRPCRouter } from '@trpc/server';
import type { ServiceContext } from './trpc.ts';

export type ProcedureInvoker = (ctx: ServiceContext, path: string, input: unknown) => Promise<unknown>;

type ProcedureType = 'query' | 'mutation' | 'subscription';

export function procedureInvoker(router: AnyTRPCRouter): ProcedureInvoker {
  const procedures = router._def.procedures as Record<string, { _def: { type: ProcedureType } }>;
  return (ctx, path, input) => {
    const type = procedures[path]?._def.type ?? 'query';
    return callTRPCProcedure({
      router,
      path,
      ctx,
      type,
      getRawInput: async () => input,
      signal: undefined,
      batchIndex: 0,
    });
  };
}
