// Ledger accounts. Money flows payers → channel clearing → treasury / fiscal special account;
// money nobody can attribute goes to suspense. The platform records these flows, it never holds
// the funds (the accounts mirror the agent bank's and the treasury's books).
import type { Destination } from '../../generated/prisma/client.ts';

export const ACCOUNTS = {
  /** Outside the platform: the payers' money before it reaches a channel. */
  payers: 'payers',
  treasury: 'treasury',
  fiscalSpecialAccount: 'fiscal_special_account',
  suspense: 'suspense',
} as const;

export const clearingAccount = (channel: string): string => `clearing:${channel}`;

export const destinationAccount = (destination: Destination): string =>
  destination === 'treasury' ? ACCOUNTS.treasury : ACCOUNTS.fiscalSpecialAccount;

export interface Posting {
  account: string;
  debitFen: number;
  creditFen: number;
}

/** A movement of `amountFen` from one account to another: credit the source, debit the target. */
export const move = (from: string, to: string, amountFen: number): Posting[] => [
  { account: from, debitFen: 0, creditFen: amountFen },
  { account: to, debitFen: amountFen, creditFen: 0 },
];
