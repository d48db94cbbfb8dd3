// The sandbox channel's configuration: the only place it reads process.env.
import { authEnvSchema } from '@platform/auth';
import { baseEnvSchema, parseEnv } from '@platform/service-kit';
import { z } from 'zod';

export const envSchema = baseEnvSchema.extend(authEnvSchema.shape).extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(4005),
  PAYMENT_URL: z.url().default('http://localhost:4004').describe('Base URL of the payment service'),
  CALLBACK_URL: z
    .url()
    .optional()
    .describe('Where confirmations are POSTed; default PAYMENT_URL + /channels/banksim/callback'),
  DATA_DIR: z
    .string()
    .min(1)
    .default('.data/banksim')
    .describe('Holds the callback signing key (created on first start)'),
  CALLBACK_POLL_MS: z.coerce.number().int().positive().default(200),
  CALLBACK_DISPATCH: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .default(true)
    .describe('Send callbacks from this process (false: only when runOnce is called, for tests)'),
  CALLBACK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  CALLBACK_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  MERCHANT_PUBLIC_KEY: z
    .string()
    .optional()
    .describe('PEM that verifies refund instructions; fetched from PAYMENT_URL when unset (sandbox only)'),
  MERCHANT_TOLERANCE_SECONDS: z.coerce.number().int().positive().max(3600).default(300),
  OUTLET: z.string().min(1).max(100).default('Sandbox Bank, Jinan Branch 001'),
});
export type Env = z.infer<typeof envSchema>;

export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  return parseEnv(envSchema, source);
}

export const callbackUrl = (env: Env): string =>
  env.CALLBACK_URL ?? `${env.PAYMENT_URL.replace(/\/+$/, '')}/channels/banksim/callback`;
