// Turns anything thrown inside a service into the platform's ErrorBody. The single place where
// internals are stripped: only AppError messages and validation issues reach a caller.
import { TRPCError } from '@trpc/server';
import { AppError, httpStatusOf, type ErrorBody, type ErrorCode, type ErrorIssue } from '@platform/contracts';

const GENERIC_MESSAGES: Partial<Record<ErrorCode, string>> = {
  VALIDATION_FAILED: 'The request is invalid',
  MALFORMED_REQUEST: 'The request body could not be read',
  ROUTE_NOT_FOUND: 'No such procedure or route',
  PAYLOAD_TOO_LARGE: 'The request body is too large',
  UNAUTHENTICATED: 'Authentication is required',
  FORBIDDEN: 'Not allowed',
  CONFLICT: 'The request conflicts with the current state',
  RATE_LIMITED: 'Too many requests; try again later',
  DATABASE_UNAVAILABLE: 'The service’s database is unavailable; try again later',
  INTERNAL: 'Internal error',
};

// Connection-level failures of PostgreSQL or the pg driver: the caller should retry, not give up.
const DATABASE_DOWN_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  '57P01',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
  'P1001',
  'P1002',
  'P1017',
]);

interface IssueLike {
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
  message: string;
}

function issuesOf(error: unknown): ErrorIssue[] | undefined {
  if (typeof error !== 'object' || error === null || !('issues' in error) || !Array.isArray(error.issues))
    return undefined;
  return (error.issues as IssueLike[]).map((issue) => ({
    path: (issue.path ?? []).map((part) => String(typeof part === 'object' ? part.key : part)).join('.'),
    message: issue.message,
  }));
}

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < 10) {
    chain.push(current);
    current = typeof current === 'object' && 'cause' in current ? current.cause : undefined;
  }
  return chain;
}

function isDatabaseDown(error: unknown): boolean {
  return causeChain(error).some((link) => {
    if (typeof link !== 'object' || link === null) return false;
    const code = 'code' in link ? link.code : undefined;
    const name = 'name' in link ? link.name : undefined;
    return (typeof code === 'string' && DATABASE_DOWN_CODES.has(code)) || name === 'PrismaClientInitializationError';
  });
}

function body(code: ErrorCode, requestId: string | undefined, message?: string, issues?: ErrorIssue[]): ErrorBody {
  return {
    code,
    message: message ?? GENERIC_MESSAGES[code] ?? code,
    httpStatus: httpStatusOf(code),
    ...(requestId ? { requestId } : {}),
    ...(issues?.length ? { issues } : {}),
  };
}

function describeIssues(issues: ErrorIssue[]): string {
  return `Invalid input: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`;
}

/** Body-parser (express.json) errors carry a `type`; map the ones a client can cause. */
function bodyParserError(error: unknown): ErrorCode | undefined {
  if (typeof error !== 'object' || error === null || !('type' in error)) return undefined;
  if (error.type === 'entity.too.large') return 'PAYLOAD_TOO_LARGE';
  if (
    error.type === 'entity.parse.failed' ||
    error.type === 'encoding.unsupported' ||
    error.type === 'charset.unsupported'
  )
    return 'MALFORMED_REQUEST';
  return undefined;
}

export function toErrorBody(error: unknown, requestId?: string): ErrorBody {
  const appError = causeChain(error).find((link): link is AppError => link instanceof AppError);
  if (appError) return body(appError.code, requestId, appError.message, appError.issues);

  const parserCode = bodyParserError(error);
  if (parserCode) return body(parserCode, requestId);

  if (error instanceof TRPCError) {
    const issues = issuesOf(error.cause);
    switch (error.code) {
      case 'BAD_REQUEST':
        return issues
          ? body('VALIDATION_FAILED', requestId, describeIssues(issues), issues)
          : body('MALFORMED_REQUEST', requestId);
      case 'PARSE_ERROR':
      case 'METHOD_NOT_SUPPORTED':
      case 'UNSUPPORTED_MEDIA_TYPE':
        return body('MALFORMED_REQUEST', requestId);
      case 'NOT_FOUND':
        return body('ROUTE_NOT_FOUND', requestId);
      case 'PAYLOAD_TOO_LARGE':
        return body('PAYLOAD_TOO_LARGE', requestId);
      case 'UNAUTHORIZED':
        return body('UNAUTHENTICATED', requestId);
      case 'FORBIDDEN':
        return body('FORBIDDEN', requestId);
      case 'TOO_MANY_REQUESTS':
        return body('RATE_LIMITED', requestId);
      default:
        break;
    }
  }
  if (isDatabaseDown(error)) return body('DATABASE_UNAVAILABLE', requestId);
  const issues = issuesOf(error);
  if (issues && error instanceof Error && error.name === 'ZodError')
    return body('VALIDATION_FAILED', requestId, describeIssues(issues), issues);
  return body('INTERNAL', requestId, requestId ? `Internal error (reference ${requestId})` : undefined);
}

/** True when the error is the service's fault and must be logged with its stack. */
export function isInternal(bodyOrCode: ErrorBody): boolean {
  return bodyOrCode.code === 'INTERNAL';
}
