// Verification of RSA-SHA256 signed confirmations: signature over `${timestamp}.${body}` (so the
// timestamp cannot be swapped) and a timestamp window against replays of old messages.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { AppError, BankConfirmation, type SignedConfirmation } from '@platform/contracts';
import type { z } from 'zod';
import type { Clock } from '../../clock.ts';

export function verifyRsaConfirmation(
  message: SignedConfirmation,
  publicKey: KeyObject,
  clock: Clock,
  toleranceSeconds: number,
): BankConfirmation {
  return parseSigned(
    BankConfirmation,
    verifyRsaMessage(message, publicKey, clock, toleranceSeconds),
    'a bank confirmation',
  );
}

/** Parses a verified body with the channel's schema; a signed body of the wrong shape is refused. */
export function parseSigned<T>(schema: z.ZodType<T>, parsed: unknown, what: string): T {
  const result = schema.safeParse(parsed);
  if (!result.success)
    throw new AppError('VALIDATION_FAILED', `The signed body is not ${what}`, {
      issues: result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  return result.data;
}

/** Checks timestamp window and signature; returns the body's JSON value. */
export function verifyRsaMessage(
  message: SignedConfirmation,
  publicKey: KeyObject,
  clock: Clock,
  toleranceSeconds: number,
): unknown {
  const now = Math.floor(clock.now().getTime() / 1000);
  if (!Number.isSafeInteger(message.timestamp) || Math.abs(now - message.timestamp) > toleranceSeconds)
    throw new AppError(
      'CALLBACK_TIMESTAMP_OUT_OF_WINDOW',
      `The timestamp is outside the ±${toleranceSeconds} s window`,
    );
  let valid = false;
  try {
    valid = verify(
      'sha256',
      Buffer.from(`${message.timestamp}.${message.body}`, 'utf8'),
      publicKey,
      Buffer.from(message.signature, 'base64'),
    );
  } catch {
    valid = false;
  }
  if (!valid) throw new AppError('CALLBACK_SIGNATURE_INVALID', 'The signature does not verify');
  try {
    return JSON.parse(message.body) as unknown;
  } catch {
    throw new AppError('MALFORMED_REQUEST', 'The signed body is not JSON');
  }
}

export const publicKeyFromPem = (pem: string): KeyObject => createPublicKey(pem);
