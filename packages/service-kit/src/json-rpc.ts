// The JSON-RPC error number tRPC clients expect in `error.code`, derived from the platform code's
// category so that both tRPC paths (direct and adapter) answer identically.
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { categoryOf, type ErrorBody } from '@platform/contracts';

const CODES: Record<string, number> = TRPC_ERROR_CODES_BY_KEY;

export function jsonRpcCode(body: ErrorBody): number {
  return (
    CODES[categoryOf(body.code)] ?? (body.httpStatus < 500 ? CODES.BAD_REQUEST : CODES.INTERNAL_SERVER_ERROR) ?? -32603
  );
}
