export { citizenIdCheckChar, citizenIdProblem, isCitizenIdNumber, type CitizenIdProblem } from './citizen-id.ts';
export {
  CREDIT_CODE_ALPHABET,
  creditCodeCheckChar,
  creditCodeProblem,
  isUnifiedSocialCreditCode,
  type CreditCodeProblem,
} from './credit-code.ts';
export { CitizenIdNumber, UnifiedSocialCreditCode } from './schemas.ts';
