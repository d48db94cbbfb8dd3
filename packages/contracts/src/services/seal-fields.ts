// Fields every signing procedure of the seal contract shares (PAdES, CMS, GB/T 38540).
import { z } from 'zod';

export const IdempotencyKey = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
  .describe('Client-chosen key: the same key with the same request returns the same result');

export const Base64 = z.string().min(1).describe('Base64 (standard alphabet, padding optional)');
