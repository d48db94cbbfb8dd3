// Verification of RSA-SHA256 signed confirmations: signature over `${timestamp}.${body}` (so the
// timestamp cannot be swapped) and a timestamp window against replays of old messages.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { AppError, BankConfirmation, type SignedConfirmation } from '@platform/contracts';
import type { Clock } from '../../clock.ts';

export function verifyRsaConfirmation(
  message: SignedConfirmation,
  publicKey: KeyObject,
  clock: Clock,
  toleranceSeconds: number,
): BankConfirmation {
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
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.body);
  } catch {
    throw new AppError('MALFORMED_REQUEST', 'The signed body is not JSON');
  }
  const result = BankConfirmation.safeParse(parsed);
  if (!result.success)
    throw new AppError('VALIDATION_FAILED', 'The signed body is not a bank confirmation', {
      issues: result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  return result.data;
}

export const publicKeyFromPem = (pem: string): KeyObject => createPublicKey(pem);
