import { z } from 'zod';

// The only module that reads process.env: everything else receives validated values from here.

const optionalUrl = (name: string) =>
  z
    .string()
    .trim()
    .transform((value) => (value === '' ? undefined : value))
    .pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, `${name} must be a postgres:// or postgresql:// URL`)
        .optional(),
    )
    .optional();

const EnvSchema = z.object({
  /** The database the CLI migrates (`platform-db migrate`), or hosts shadow databases for the others. */
  DATABASE_URL: optionalUrl('DATABASE_URL'),
  /** An existing server for integration tests; wins over containers and embedded PostgreSQL. */
  TEST_DATABASE_URL: optionalUrl('TEST_DATABASE_URL'),
  /** Image for the testcontainers PostgreSQL; CI points it at a locally built image. */
  POSTGRES_IMAGE: z.string().trim().min(1).default('postgres:17'),
  /** Where testcontainers (and our quick ping) find the container engine. */
  DOCKER_HOST: z.string().trim().optional(),
  /** Lets a user point `prisma generate` at their own engine file instead of our placeholder. */
  PRISMA_SCHEMA_ENGINE_BINARY: z.string().trim().min(1).optional(),
  /** Set to 1/true to skip the container engine and go straight to embedded PostgreSQL. */
  PLATFORM_DB_NO_CONTAINERS: z
    .string()
    .optional()
    .transform((value) => value === '1' || value?.toLowerCase() === 'true'),
});

export type DbEnv = z.infer<typeof EnvSchema>;

/** Reads and validates the variables this package uses; throws one line naming the bad variable. */
export function readEnv(): DbEnv {
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = issue?.path.join('.') ?? 'environment';
    throw new Error(`Invalid environment variable ${variable}: ${issue?.message ?? 'invalid value'}`);
  }
  return parsed.data;
}

/** The environment for a child process: the parent's plus overrides (undefined removes one). */
export function childProcessEnv(overrides: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}
