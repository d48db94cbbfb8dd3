export { citizenIdCheckChar, citizenIdProblem, isCitizenIdNumber, type CitizenIdProblem } from './citizen-id.ts';
export {
  CREDIT_CODE_ALPHABET,
  creditCodeCheckChar,
  creditCodeProblem,
  isUnifiedSocialCreditCode,
  type CreditCodeProblem,
} from './credit-code.ts';
export { CitizenIdNumber, UnifiedSocialCreditCode } from './schemas.ts';
export {
  LICENSE_CHECK_ALPHABET,
  LICENSE_IDENTIFIER_PREFIX,
  LicenseIdentifier,
  formatLicenseIdentifier,
  isLicenseIdentifier,
  licenseIdentifierProblem,
  mod3736CheckChar,
  parseLicenseIdentifier,
  type LicenseIdentifierParts,
  type LicenseIdentifierProblem,
} from './license-identifier.ts';
export {
  PaymentCode,
  dammCheckDigit,
  formatPaymentCode,
  isPaymentCode,
  parsePaymentCode,
  paymentCodeProblem,
  type PaymentCodeParts,
  type PaymentCodeProblem,
} from './payment-code.ts';
