// Checks a procedure makes on its caller beyond "has a valid token".
import { AppError } from '@platform/contracts';

interface Caller {
  scopes: string[];
  acr?: string;
}

export function requireScope(principal: Caller | undefined, scope: string): void {
  if (!principal) throw new AppError('UNAUTHENTICATED', 'A valid access token is required');
  if (!principal.scopes.includes(scope))
    throw new AppError('INSUFFICIENT_SCOPE', `The access token lacks the "${scope}" scope`);
}

/** Trust levels: 1 registered, 2 registry-checked, 3 real person (face), 4 certificate or counter. */
export function requireTrustLevel(principal: Caller | undefined, minimum: 1 | 2 | 3 | 4): void {
  if (!principal) throw new AppError('UNAUTHENTICATED', 'A valid access token is required');
  const level = Number(principal.acr ?? '0');
  if (!(level >= minimum)) {
    throw new AppError(
      'INSUFFICIENT_TRUST_LEVEL',
      `Trust level ${minimum} is required; log in again with acr_values=${minimum}`,
    );
  }
}
