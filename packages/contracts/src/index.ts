export * from './errors/index.ts';
export * from './procedure.ts';
export * from './system.ts';
export * from './clients.ts';
export { identityContract, type IdentityRouter } from './services/identity.ts';
export { licenseContract, type LicenseRouter } from './services/license.ts';
export { sealContract, type SealRouter } from './services/seal.ts';
export { paymentContract, type PaymentRouter } from './services/payment.ts';
export type { Principal } from './principal.ts';
