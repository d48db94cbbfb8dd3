// Launcher configuration: the only place npm start / npm test read process.env.
import { z } from 'zod';

const url = z
  .string()
  .regex(/^postgres(ql)?:\/\//, 'a postgresql:// connection URL')
  .optional();
const port = z.coerce.number().int().min(1).max(65535);

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.string().default('info'),
  NO_COLOR: z.string().optional(),
  PLATFORM_DATA_DIR: z.string().default('.data'),
  PLATFORM_PG_PORT: port.default(54329),
  IDENTITY_DATABASE_URL: url,
  LICENSE_DATABASE_URL: url,
  SEAL_DATABASE_URL: url,
  PAYMENT_DATABASE_URL: url,
  BANKSIM_DATABASE_URL: url,
  IDENTITY_PORT: port.default(4001),
  LICENSE_PORT: port.default(4002),
  SEAL_PORT: port.default(4003),
  PAYMENT_PORT: port.default(4004),
  BANKSIM_PORT: port.default(4005),
  CONSOLE_PORT: port.default(4000),
  TEST_DATABASE_URL: url,
});
export type LauncherEnv = z.infer<typeof schema>;

export function loadLauncherEnv(): LauncherEnv {
  const result = schema.safeParse(process.env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.')} must be ${i.message}`);
  throw new Error(`invalid configuration: ${problems.join('; ')}`);
}

/** The environment a child process inherits, plus overrides. */
export function childEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}

/** Colour only on a terminal, and never when NO_COLOR is set (no-color.org). */
export function colourWanted(): boolean {
  return Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
}
