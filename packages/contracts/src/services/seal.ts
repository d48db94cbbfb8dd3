// The e-seal service: certificate authority, seals, signing and verification.
import { systemContract } from '../system.ts';
import type { ContractRouter } from '../procedure.ts';

export const sealContract = {
  system: systemContract,
};

export type SealRouter = ContractRouter<typeof sealContract>;
