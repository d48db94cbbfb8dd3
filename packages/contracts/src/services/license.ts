// The e-license service: license types, issuing, verifying, wallets, use grants.
import { systemContract } from '../system.ts';
import type { ContractRouter } from '../procedure.ts';

export const licenseContract = {
  system: systemContract,
};

export type LicenseRouter = ContractRouter<typeof licenseContract>;
