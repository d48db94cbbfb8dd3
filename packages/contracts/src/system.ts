// `system.*`: the procedures every service offers, whatever its domain.
import { z } from 'zod';
import { query } from './procedure.ts';

export const SystemInfo = z.object({
  service: z.string().describe('Service name, e.g. "identity"'),
  version: z.string(),
  environment: z.enum(['development', 'test', 'production']),
  startedAt: z.iso.datetime().describe('UTC instant the process started'),
  database: z.object({
    status: z.enum(['up', 'down']),
    latencyMs: z.number().nonnegative().nullable().describe('Round trip of `SELECT 1`, null when down'),
  }),
});
export type SystemInfo = z.infer<typeof SystemInfo>;

export const systemContract = {
  info: query({
    input: z.void(),
    output: SystemInfo,
    access: 'public',
    rest: {
      method: 'GET',
      path: '/system/info',
      summary: 'Service name, version and database status',
      tags: ['system'],
    },
  }),
};
