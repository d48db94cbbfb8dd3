// REST routes under /api, one per contract procedure, served by calling the same tRPC procedure
// (so validation, access checks, metrics and errors are identical on both transports).
import express, { type Request, type Response } from 'express';
import { flattenContract, type ContractRecord } from '@platform/contracts';
import { expressPath, isVoidSchema, jsonSchemaOf } from './openapi.ts';
import type { ServiceContext } from './trpc.ts';
import type { ProcedureInvoker } from './procedure-call.ts';
import { sendError } from './http-errors.ts';

/** Query strings are text; turn values into the JSON types the input schema declares. */
function coercer(
  properties: Record<string, { type?: unknown }>,
): (query: Record<string, unknown>) => Record<string, unknown> {
  return (query) => {
    const out: Record<string, unknown> = {};
    for (const [key, raw] of Object.entries(query)) {
      const type = properties[key]?.type;
      if (typeof raw !== 'string') out[key] = raw;
      else if ((type === 'integer' || type === 'number') && raw.trim() !== '' && Number.isFinite(Number(raw)))
        out[key] = Number(raw);
      else if (type === 'boolean' && (raw === 'true' || raw === 'false')) out[key] = raw === 'true';
      else if (type === 'array') out[key] = [raw];
      else out[key] = raw;
    }
    return out;
  };
}

export function createRestRouter(options: {
  invoke: ProcedureInvoker;
  contract: ContractRecord;
  bodyLimitBytes: number;
  createContext: (req: Request, res: Response) => Promise<ServiceContext>;
}): express.Router {
  const rest = express.Router();
  rest.use(express.json({ limit: options.bodyLimitBytes }));

  // Static paths first, so `/notices/search` is not swallowed by `/notices/{id}`.
  const procedures = flattenContract(options.contract).sort(
    (a, b) => Number(a.procedure.rest.path.includes('{')) - Number(b.procedure.rest.path.includes('{')),
  );
  for (const { path, procedure } of procedures) {
    const takesInput = !isVoidSchema(procedure.input);
    const properties = takesInput
      ? ((jsonSchemaOf(procedure.input, 'input').properties ?? {}) as Record<string, { type?: unknown }>)
      : {};
    const coerce = coercer(properties);
    const readsQuery = procedure.rest.method === 'GET' || procedure.rest.method === 'DELETE';
    const method = procedure.rest.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';

    rest[method](expressPath(procedure.rest.path), async (req, res) => {
      const ctx = await options.createContext(req, res);
      try {
        let input: unknown;
        if (takesInput) {
          const fromBody: unknown = readsQuery ? coerce(req.query as Record<string, unknown>) : req.body;
          const params = coerce(req.params);
          input =
            typeof fromBody === 'object' && fromBody !== null && !Array.isArray(fromBody)
              ? { ...fromBody, ...params }
              : Object.keys(params).length
                ? params
                : fromBody;
        }
        const output = await options.invoke(ctx, path, input);
        res.status(200).json(output ?? null);
      } catch (error) {
        sendError(res, error, ctx);
      }
    });
  }
  return rest;
}
