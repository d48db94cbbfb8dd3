// The license service's configuration: the only place it reads process.env.
import { authEnvSchema } from '@platform/auth';
import { baseEnvSchema, parseEnv } from '@platform/service-kit';
import { z } from 'zod';

export const envSchema = baseEnvSchema.extend(authEnvSchema.shape).extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(4002),
});
export type Env = z.infer<typeof envSchema>;

export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  return parseEnv(envSchema, source);
}
