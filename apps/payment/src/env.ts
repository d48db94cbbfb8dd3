// The payment service's configuration: the only place it reads process.env.
import { authEnvSchema } from '@platform/auth';
import { baseEnvSchema, parseEnv } from '@platform/service-kit';
import { z } from 'zod';

const flag = z.enum(['true', 'false']).transform((value) => value === 'true');

export const envSchema = baseEnvSchema.extend(authEnvSchema.shape).extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(4004),
  PAYMENT_PAGE_BASE_URL: z
    .url()
    .default('http://localhost:4000/pay')
    .describe('Where payers open a notice; the payment code is appended as a path segment'),
  BANKSIM_URL: z.url().default('http://localhost:4005').describe('Base URL of the sandbox channel'),
  BANKSIM_CALLBACK_PUBLIC_KEY: z
    .string()
    .optional()
    .describe('PEM public key that verifies banksim callbacks; fetched from BANKSIM_URL when unset'),
  CALLBACK_TOLERANCE_SECONDS: z.coerce.number().int().positive().max(3600).default(300),
  RECOVERY_AFTER_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(600)
    .describe('A notice unpaid this long is queried at the channel (lost callbacks)'),
  EXPIRY_GRACE_DAYS: z.coerce.number().int().min(0).max(30).default(1),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(20),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  BACKGROUND_JOBS: flag.default(true).describe('Run webhook delivery, recovery and expiry loops in this process'),
  JOB_INTERVAL_MS: z.coerce.number().int().positive().default(1_000),
  DATA_DIR: z
    .string()
    .min(1)
    .default('.data/payment')
    .describe('Holds the merchant key that signs refund instructions (created on first start)'),
  REFUND_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(10_000)
    .describe('Per refund instruction; unanswered ones are retried with the same idempotency key'),
  SEAL_URL: z
    .url()
    .optional()
    .describe(
      'Base URL of the seal service that seals receipts; required in production (unset: receipts stay unsealed)',
    ),
  SEAL_RESOURCE: z.string().min(1).default('urn:platform:seal').describe('Resource (audience) of seal-service tokens'),
  SERVICE_CLIENT_ID: z.string().min(1).optional().describe('This service’s client at identity (client_credentials)'),
  SERVICE_CLIENT_SECRET: z.string().min(1).optional(),
  RECEIPT_SUPERVISOR_CODE: z
    .string()
    .regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, 'a unified social credit code')
    .optional()
    .describe('Credit code of the finance bureau whose supervision seal covers every sealed receipt'),
});
export type Env = z.infer<typeof envSchema>;

/** Rules across variables, checked at boot. */
const checkedEnvSchema = envSchema.superRefine((env, ctx) => {
  if (env.SEAL_URL && !(env.SERVICE_CLIENT_ID && env.SERVICE_CLIENT_SECRET))
    ctx.addIssue({
      code: 'custom',
      path: ['SERVICE_CLIENT_ID'],
      message: 'SERVICE_CLIENT_ID and SERVICE_CLIENT_SECRET are needed to call the seal service',
    });
  // Receipts are legal documents: production never falls back to the unsealed development sealer.
  if (env.NODE_ENV === 'production' && !env.SEAL_URL)
    ctx.addIssue({
      code: 'custom',
      path: ['SEAL_URL'],
      message: 'is required in production (receipts must be sealed)',
    });
});

export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  return parseEnv(checkedEnvSchema, source);
}
