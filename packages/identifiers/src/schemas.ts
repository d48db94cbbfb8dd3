// zod schemas for the edges (contracts): identifiers are validated before anything else sees them.
import { z } from 'zod';
import { citizenIdProblem } from './citizen-id.ts';
import { creditCodeProblem } from './credit-code.ts';

const MESSAGES = {
  format: 'has the wrong format',
  birth_date: 'contains an impossible birth date',
  check_character: 'has a wrong check character',
} as const;

export const CitizenIdNumber = z
  .string()
  .superRefine((value, ctx) => {
    const problem = citizenIdProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: `citizen ID number ${MESSAGES[problem]}` });
  })
  .describe('18-character citizen ID number (GB 11643) with its MOD 11-2 check character');

export const UnifiedSocialCreditCode = z
  .string()
  .superRefine((value, ctx) => {
    const problem = creditCodeProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: `unified social credit code ${MESSAGES[problem]}` });
  })
  .describe('18-character unified social credit code (GB 32100) with its MOD 31 check character');
