// Clients declared by configuration (env BOOTSTRAP_CLIENTS): the platform's own apps — the
// console, and services that call each other with client_credentials — exist from the first
// start without anyone running a CLI, the way an operator's secret store provides them in
// production. Declared clients are upserted on every start, so the configuration stays the
// truth: a changed redirect URI or a rotated secret takes effect on the next start.
import { z } from 'zod';
import { GRANT_TYPES, type ClientRegistry } from './client-registry.ts';

const DeclaredClient = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,62}$/, 'lowercase letters, digits, dot, dash, underscore'),
    name: z.string().min(1).optional(),
    /** Omitted for a public client; at least 32 characters (generated, never chosen by a person). */
    secret: z.string().min(32).optional(),
    grantTypes: z.array(z.enum(GRANT_TYPES)).min(1),
    scopes: z.array(z.string().min(1)).default([]),
    redirectUris: z.array(z.url()).default([]),
    postLogoutRedirectUris: z.array(z.url()).default([]),
    resources: z.array(z.string().min(1)).default([]),
    defaultResource: z.string().min(1).nullable().default(null),
    backchannelLogoutUri: z.url().nullable().default(null),
    firstParty: z.boolean().default(false),
  })
  .strict();
export type DeclaredClient = z.infer<typeof DeclaredClient>;

/** Parses the env value: a JSON array of clients; empty or unset means none. */
export const DeclaredClients = z
  .string()
  .optional()
  .transform((text, ctx): DeclaredClient[] => {
    if (!text?.trim()) return [];
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array of clients' });
      return z.NEVER;
    }
    const parsed = z.array(DeclaredClient).safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      ctx.addIssue({ code: 'custom', message: `[${first?.path.join('.')}] ${first?.message}` });
      return z.NEVER;
    }
    return parsed.data;
  });

export async function declareClients(registry: ClientRegistry, clients: DeclaredClient[]): Promise<void> {
  for (const client of clients) {
    const { secret, ...settings } = client;
    await registry.declare(
      { ...settings, name: client.name ?? client.id, type: secret ? 'confidential' : 'public' },
      secret ?? null,
    );
  }
}
