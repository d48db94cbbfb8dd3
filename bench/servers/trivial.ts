// The no-database pair: one constant-shaped document, served by the kit (as a contract procedure)
// and by bare Express, so that the difference between them is the kit's per-request overhead alone.
import { query } from '@platform/contracts';
import { z } from 'zod';

export const Ping = z.object({
  service: z.string(),
  version: z.string(),
  environment: z.enum(['development', 'test', 'production']),
  startedAt: z.iso.datetime(),
});
export type Ping = z.infer<typeof Ping>;

export const trivialContract = {
  bench: {
    ping: query({
      input: z.void(),
      output: Ping,
      access: 'public',
      rest: {
        method: 'GET',
        path: '/bench/ping',
        summary: 'A constant document (kit overhead benchmark)',
        tags: ['bench'],
      },
    }),
  },
};

export function pingOf(environment: Ping['environment'], startedAt: string): Ping {
  return { service: 'bench', version: '0.0.0', environment, startedAt };
}

export function environmentOf(value: string | undefined): Ping['environment'] {
  return value === 'production' || value === 'test' ? value : 'development';
}
