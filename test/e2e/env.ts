// The end-to-end suite's configuration: the only place it reads process.env.
import { z } from 'zod';

const flag = z
  .string()
  .optional()
  .transform((value) => value === '1' || value?.toLowerCase() === 'true');

const schema = z.object({
  /** Fail (instead of skipping) when no container engine answers: CI sets it. */
  E2E_REQUIRE_CONTAINERS: flag,
  /** Keep the containers after the run, for looking around (docker ps). */
  E2E_KEEP_CONTAINERS: flag,
  PLATFORM_IMAGE_PREFIX: z.string().min(1).default('gov-platform'),
  PLATFORM_IMAGE_TAG: z.string().min(1).default('latest'),
  POSTGRES_IMAGE: z.string().min(1).default('postgres:17'),
  DOCKER_HOST: z.string().optional(),
});
export type E2eEnv = z.infer<typeof schema>;

export function loadE2eEnv(source: Record<string, string | undefined> = process.env): E2eEnv {
  const parsed = schema.safeParse(source);
  if (parsed.success) return parsed.data;
  throw new Error(
    `invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
  );
}

/** The environment of a child process: ours plus overrides. */
export function childEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}
