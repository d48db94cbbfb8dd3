// Writes the platform error for plain HTTP routes (REST, 404s, body-parser failures) and logs
// internal ones with their stack, keyed by request id; the caller only gets the reference.
import type { Response } from 'express';
import type { Logger } from './logger.ts';
import { isInternal, toErrorBody } from './errors.ts';
import { sendJson } from './json-response.ts';

export function sendError(res: Response, error: unknown, ctx: { requestId: string; log: Logger }): void {
  const body = toErrorBody(error, ctx.requestId);
  if (isInternal(body)) ctx.log.error({ err: error }, 'internal error');
  if (!res.headersSent) sendJson(res, body.httpStatus, { error: body });
}
