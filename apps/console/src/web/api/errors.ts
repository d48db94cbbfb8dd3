// A failed call, said in the user's language: the stable error code mapped to a message, field
// issues kept for forms, a generic message by HTTP status when the code is new to the console.
import { errorBodyOf, type ErrorBody, type ErrorIssue } from '@platform/contracts';
import { t } from '../i18n/index.ts';

export interface ShownError {
  message: string;
  code: string | undefined;
  issues: ErrorIssue[];
  requestId: string | undefined;
  /** The user must log in (again) or step up before retrying. */
  needsLogin: boolean;
  needsStepUp: boolean;
}

export function describeError(error: unknown): ShownError {
  const body: ErrorBody | undefined = errorBodyOf(error);
  if (!body) {
    // A client error without a platform body: the console server or the network did not answer.
    const offline = error instanceof Error && error.name === 'TRPCClientError';
    return {
      message: offline ? t.errors.network : t.errors.generic,
      code: undefined,
      issues: [],
      requestId: undefined,
      needsLogin: false,
      needsStepUp: false,
    };
  }
  const message = t.errors.codes[body.code] ?? t.errors.byStatus[body.httpStatus] ?? t.errors.generic;
  return {
    message,
    code: body.code,
    issues: body.issues ?? [],
    requestId: body.requestId,
    needsLogin: body.code === 'UNAUTHENTICATED',
    needsStepUp: body.code === 'INSUFFICIENT_TRUST_LEVEL' || body.code === 'TRUST_LEVEL_TOO_LOW',
  };
}
