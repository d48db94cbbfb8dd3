// Single tRPC calls (what the platform's clients send: httpLink, one procedure per request) are
// answered here by calling the procedure directly. tRPC's own Express adapter converts every
// request to a Web Request and back, which measured ~400 µs per call on Node 20 — more than the
// rest of the kit together. Batches, subscriptions, other content types and unknown paths fall
// through to the official adapter, which remains the reference implementation of the protocol.
import type { NextFunction, Request, Response } from 'express';
import type { JsonBodyParsers } from './body-limits.ts';
import { AppError, flattenContract, type ContractRecord } from '@platform/contracts';
import { jsonRpcCode } from './json-rpc.ts';
import { sendJson } from './json-response.ts';
import { isInternal, toErrorBody } from './errors.ts';
import type { ProcedureInvoker } from './procedure-call.ts';
import type { ServiceContext } from './trpc.ts';

export function trpcDirectCalls(options: {
  contract: ContractRecord;
  invoke: ProcedureInvoker;
  /** Built with strict: false, because a mutation's input may be any JSON value, not only an object. */
  bodyParsers: JsonBodyParsers;
  createContext: (req: Request) => Promise<ServiceContext>;
}) {
  const kinds = new Map(flattenContract(options.contract).map(({ path, procedure }) => [path, procedure.kind]));

  const answer = async (req: Request, res: Response, path: string, input: () => unknown) => {
    let ctx: ServiceContext | undefined;
    try {
      ctx = await options.createContext(req);
      const data = await options.invoke(ctx, path, input());
      sendJson(res, 200, { result: { data } });
    } catch (error) {
      const body = toErrorBody(error, req.requestId);
      if (isInternal(body)) (ctx?.log ?? req.log).error({ err: error }, 'internal error');
      // Same key order as tRPC's own error envelope, so both paths produce identical bytes.
      sendJson(res, body.httpStatus, { error: { code: jsonRpcCode(body), message: body.message, data: body } });
    }
  };

  return (req: Request, res: Response, next: NextFunction): void => {
    const path = req.path.slice(1);
    const kind = kinds.get(path);
    if (!kind || req.query.batch !== undefined) return next();
    if (kind === 'query' && req.method === 'GET') {
      const raw = req.query.input;
      if (raw !== undefined && typeof raw !== 'string') return next();
      void answer(req, res, path, () => (raw === undefined ? undefined : parseInput(raw)));
      return;
    }
    if (
      kind === 'mutation' &&
      req.method === 'POST' &&
      (req.headers['content-length'] === '0' || req.is('application/json'))
    ) {
      options.bodyParsers.forProcedure(path)(req, res, (error?: unknown) => {
        if (error) return next(error);
        void answer(req, res, path, () => req.body);
      });
      return;
    }
    next();
  };
}

function parseInput(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new AppError('MALFORMED_REQUEST', 'The tRPC input is not valid JSON');
  }
}
