import type { PaymentCore } from '../composition.ts';
import type { Database } from '../db.ts';
import type { Env } from '../env.ts';

export interface RouterDeps {
  env: Env;
  core: PaymentCore;
  db: Database;
}

/** Scopes of the payment API (requested by clients from identity for audience urn:platform:payment). */
export const SCOPES = {
  admin: 'payment:admin',
  createNotice: 'payment:notice:create',
  readNotice: 'payment:notice:read',
  webhooks: 'payment:webhooks',
  requestRefund: 'payment:refund:request',
  reviewRefund: 'payment:refund:review',
  finance: 'payment:finance',
} as const;
