// The console server's own procedures (besides forwarding the app's calls to the services): who is
// signed in. The caller is the browser session, turned by the console into a verified principal.
import { z } from 'zod';
import { query } from '../procedure.ts';
import type { ContractRouter } from '../procedure.ts';
import { systemContract } from '../system.ts';

const tags = ['console'];

/** The screens a user sees; derived from the scopes identity granted (each service still checks them). */
export const ConsoleRole = z.enum(['citizen', 'clerk', 'licenseAdmin', 'finance', 'sealOfficer']);

export const ConsoleSessionView = z.discriminatedUnion('authenticated', [
  z.object({
    authenticated: z.literal(false),
    channels: z.array(z.string()).describe('Sandbox payment channels the app may offer'),
  }),
  z.object({
    authenticated: z.literal(true),
    channels: z.array(z.string()),
    subject: z.string(),
    name: z.string().nullable(),
    subjectType: z.string().nullable(),
    subjectCode: z.string().nullable(),
    acr: z.string().nullable().describe('Trust level of the login (1–4)'),
    scopes: z.array(z.string()).describe('As signed in the session’s access token for the console'),
    roles: z.array(ConsoleRole),
  }),
]);

export const consoleContract = {
  system: systemContract,
  session: {
    me: query({
      input: z.void(),
      output: ConsoleSessionView,
      access: 'public',
      rest: { method: 'GET', path: '/session', summary: 'The signed-in user, or anonymous', tags },
    }),
  },
};

export type ConsoleRouter = ContractRouter<typeof consoleContract>;
export type ConsoleSessionView = z.infer<typeof ConsoleSessionView>;
export type ConsoleRole = z.infer<typeof ConsoleRole>;
