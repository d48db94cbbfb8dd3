// Configuration of the image's one-shot migration command: the only place it reads process.env.
import { z } from 'zod';

const schema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'a postgresql:// connection URL'),
  MIGRATIONS_DIR: z.string().min(1).default('prisma/migrations'),
});

export function loadMigrateEnv(): z.infer<typeof schema> {
  const parsed = schema.safeParse(process.env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} must be ${issue.message}`);
  throw new Error(`invalid configuration: ${problems.join('; ')}`);
}
