// Config validation shared by every service's own `env.ts` (the only files that read process.env).
import { z } from 'zod';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Variables every service understands. Services extend this object with their own. */
export const baseEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgresql:// connection URL')
    .describe('PostgreSQL connection URL of this service’s own database'),
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(1_048_576),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
});
export type BaseEnv = z.infer<typeof baseEnvSchema>;

/**
 * Parse `source` (process.env) against `schema`; a bad config lists every offending variable with
 * what was expected. Values are never echoed, because they may be secrets.
 */
export function parseEnv<T extends z.ZodType>(schema: T, source: Record<string, string | undefined>): z.output<T> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const expected = issue.code === 'invalid_type' && source[name] === undefined ? 'is required' : issue.message;
    return `${name} ${expected.startsWith('is ') ? expected : `must be ${expected}`}`;
  });
  throw new ConfigError(problems);
}
