// JSON body parsing with a size limit per procedure: BODY_LIMIT_BYTES for all, unless the service
// raises it for a named procedure (a batch upload). One parser per distinct limit, checked against
// the contract at start so that a misspelt procedure fails loudly instead of keeping the default.
import express, { type Request, type RequestHandler, type Response } from 'express';
import { flattenContract, type ContractRecord } from '@platform/contracts';

export type BodyLimits = Readonly<Record<string, number>>;

export interface JsonBodyParsers {
  /** The parser for a procedure path (e.g. `batch.issue`). */
  forProcedure(path: string): RequestHandler;
}

export function jsonBodyParsers(options: {
  contract: ContractRecord;
  defaultLimitBytes: number;
  limits?: BodyLimits | undefined;
  /** Passed to body-parser: false lets a body be any JSON value (tRPC inputs), true only objects and arrays. */
  strict: boolean;
}): JsonBodyParsers {
  const known = new Set(flattenContract(options.contract).map(({ path }) => path));
  const byLimit = new Map<number, RequestHandler>();
  const parserFor = (limit: number) => {
    let parser = byLimit.get(limit);
    if (!parser) byLimit.set(limit, (parser = express.json({ limit, strict: options.strict })));
    return parser;
  };
  const perProcedure = new Map<string, RequestHandler>();
  for (const [path, limit] of Object.entries(options.limits ?? {})) {
    if (!known.has(path)) throw new Error(`body limit for unknown procedure "${path}"`);
    if (!Number.isInteger(limit) || limit <= 0) throw new Error(`body limit for "${path}" must be a positive integer`);
    perProcedure.set(path, parserFor(limit));
  }
  const fallback = parserFor(options.defaultLimitBytes);
  return { forProcedure: (path) => perProcedure.get(path) ?? fallback };
}

/** Runs a body parser as a promise: rejects with its error (413, unreadable JSON) for the error handler. */
export function parseBody(parser: RequestHandler, req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    void parser(req, res, (error?: unknown) => (error ? reject(error) : resolve()));
  });
}
