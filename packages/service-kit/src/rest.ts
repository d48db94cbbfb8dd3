// REST routes under /api, one per contract procedure, served by calling the same tRPC procedure
// (so validation, access checks, metrics and errors are identical on both transports).
import { parseBody, type JsonBodyParsers } from './body-limits.ts';
import express, { type Request, type Response } from 'express';
import { AppError, flattenContract, type ContractRecord } from '@platform/contracts';
import { isVoidSchema, jsonSchemaOf } from './openapi.ts';
import type { ServiceContext } from './trpc.ts';
import type { ProcedureInvoker } from './procedure-call.ts';
import { sendError } from './http-errors.ts';
import { sendJson } from './json-response.ts';

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

type RestHandler = (req: Request, res: Response, params: Record<string, string>) => Promise<void>;

interface ParamRoute {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: RestHandler;
}

/** `/notices/{code}` → a case-insensitive pattern with one capture per parameter (as Express routes match). */
function routePattern(path: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(param[1] ?? '');
      return '([^/]+)';
    })
    .join('/');
  return { pattern: new RegExp(`^${source}/?$`, 'i'), names };
}

/** Lower case, without a trailing slash: the key of a static route. */
const staticKey = (method: string, path: string) =>
  `${method} ${path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path}`.toLowerCase();

/**
 * One router for all of a contract's REST procedures. Paths without parameters are found in a map
 * and the few with parameters by their patterns, instead of Express trying a route per procedure
 * in turn (a hundred router steps for a procedure near the end of a large contract).
 */
export function createRestRouter(options: {
  invoke: ProcedureInvoker;
  contract: ContractRecord;
  bodyParsers: JsonBodyParsers;
  createContext: (req: Request, res: Response) => Promise<ServiceContext>;
}): express.Router {
  const rest = express.Router();

  const staticRoutes = new Map<string, RestHandler>();
  const paramRoutes: ParamRoute[] = [];
  for (const { path, procedure } of flattenContract(options.contract)) {
    const takesInput = !isVoidSchema(procedure.input);
    const properties = takesInput
      ? ((jsonSchemaOf(procedure.input, 'input').properties ?? {}) as Record<string, { type?: unknown }>)
      : {};
    const coerce = coercer(properties);
    const readsQuery = procedure.rest.method === 'GET' || procedure.rest.method === 'DELETE';
    const parser = options.bodyParsers.forProcedure(path);

    const handler: RestHandler = async (req, res, rawParams) => {
      if (!readsQuery) await parseBody(parser, req, res);
      const ctx = await options.createContext(req, res);
      try {
        let input: unknown;
        if (takesInput) {
          const fromBody: unknown = readsQuery ? coerce(req.query as Record<string, unknown>) : req.body;
          const params = coerce(rawParams);
          input =
            typeof fromBody === 'object' && fromBody !== null && !Array.isArray(fromBody)
              ? { ...fromBody, ...params }
              : Object.keys(params).length
                ? params
                : fromBody;
        }
        const output = await options.invoke(ctx, path, input);
        sendJson(res, 200, output ?? null);
      } catch (error) {
        sendError(res, error, ctx);
      }
    };
    if (procedure.rest.path.includes('{'))
      paramRoutes.push({ method: procedure.rest.method, ...routePattern(procedure.rest.path), handler });
    else staticRoutes.set(staticKey(procedure.rest.method, procedure.rest.path), handler);
  }

  rest.use((req, res, next) => {
    // HEAD is answered like GET, as Express routes do.
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    // Static paths first, so `/notices/search` is not taken for `/notices/{id}`.
    const found = staticRoutes.get(staticKey(method, req.path));
    // A rejection (e.g. a refused token while building the context) goes to the error handler.
    if (found) return void found(req, res, {}).catch(next);
    for (const route of paramRoutes) {
      if (route.method !== method) continue;
      const match = route.pattern.exec(req.path);
      if (!match) continue;
      const params: Record<string, string> = {};
      try {
        route.names.forEach((name, index) => (params[name] = decodeURIComponent(match[index + 1] ?? '')));
      } catch {
        return sendError(res, new AppError('MALFORMED_REQUEST', 'A path parameter is not valid URL encoding'), req);
      }
      return void route.handler(req, res, params).catch(next);
    }
    next();
  });
  return rest;
}
