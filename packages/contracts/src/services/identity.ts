// The identity service: accounts, trust levels and the OpenID Connect provider.
import { systemContract } from '../system.ts';
import type { ContractRouter } from '../procedure.ts';

export const identityContract = {
  system: systemContract,
};

export type IdentityRouter = ContractRouter<typeof identityContract>;
