export * from './errors/index.ts';
export * from './procedure.ts';
export * from './system.ts';
export * from './clients.ts';
export { ACCOUNT_ROLES, AccountRole, identityContract, type IdentityRouter } from './services/identity.ts';
export {
  licenseContract,
  type AnnotatedCopy,
  type FieldDefinition,
  type FieldSchema,
  type FieldValue,
  type FileVerificationResult,
  type Holder,
  type IssueRequest,
  type Layout,
  type LicenseFileView,
  type LicenseStatus,
  type LicenseTypeDefinition,
  type LicenseTypeView,
  type LicenseView,
  type LicenseRouter,
  type ValidityRules,
  type VerificationResult,
} from './services/license.ts';
export { type Gbt38540SignRequest, type Gbt38540SignResult } from './services/seal-gbt38540.ts';
export {
  sealContract,
  SealApplication,
  SealKind,
  type AuthorizationGrant,
  type AuthorizationView,
  type PdfSignatureFacts,
  type SealEventView,
  type SealRouter,
  type SealStatus,
  type SealView,
  type SignBatchResult,
  type SignCmsRequest,
  type SignCmsResult,
  type SignPdfRequest,
  type SignPdfResult,
  type UsageRequestView,
} from './services/seal.ts';
export type {
  CmsVerificationReport,
  PdfSignatureReport,
  PdfVerificationReport,
  SignatureCheck,
} from './services/seal.ts';
export { paymentContract, type PaymentRouter } from './services/payment.ts';
export {
  banksimContract,
  BankConfirmation,
  RefundConfirmation,
  RefundInstruction,
  SignedConfirmation,
  type BanksimRouter,
  type BanksimSwitches,
} from './services/banksim.ts';
export { consoleContract, ConsoleRole, ConsoleSessionView, type ConsoleRouter } from './services/console.ts';
export type { Principal } from './principal.ts';
