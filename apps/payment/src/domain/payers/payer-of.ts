// Who the caller is as a payer: identity puts the person's citizen ID number or the firm's credit code
// into user access tokens as claim `subject_code` (an agent token carries the firm's). Notices name
// their payer the same way, so this is the only key a payer's own data is found by — never an input.
import { AppError, type Principal } from '@platform/contracts';
import { isCitizenIdNumber, isUnifiedSocialCreditCode } from '@platform/identifiers';
import type { PayerKind } from '../../generated/prisma/client.ts';

export interface PayerIdentity {
  kind: PayerKind;
  id: string;
}

/**
 * The service item a legal person delegates for its payments (agent authorisations name it): an
 * agent's token without it reaches none of the firm's notices' receipts, whatever else was delegated.
 */
export const AGENT_PAYER_SCOPE = 'payment:payer';

export function payerOf(principal: Principal | undefined): PayerIdentity {
  if (!principal) throw new AppError('UNAUTHENTICATED', 'A valid access token is required');
  if (principal.actor && !principal.scopes.includes(AGENT_PAYER_SCOPE))
    throw new AppError('INSUFFICIENT_SCOPE', `An agent needs the authorisation item ${AGENT_PAYER_SCOPE} for this`);
  const code = principal.subjectCode;
  if (code && isCitizenIdNumber(code)) return { kind: 'natural_person', id: code };
  if (code && isUnifiedSocialCreditCode(code)) return { kind: 'legal_person', id: code };
  throw new AppError('PAYER_CODE_MISSING', 'The access token does not carry the payer’s ID number or credit code');
}
