// Who the caller is as a license holder: the citizen ID number or credit code identity puts into the
// access token as claim `subject_code` (for an agent token, the firm's credit code: the agent acts
// for the firm, so the firm's licenses are the ones in reach).
import { AppError, type Principal } from '@platform/contracts';
import { isCitizenIdNumber, isUnifiedSocialCreditCode } from '@platform/identifiers';

/**
 * The service item a legal person delegates for its licenses (agent authorisations name it): an
 * agent's token without it reaches none of the firm's licenses, whatever else the firm delegated.
 */
export const AGENT_HOLDER_SCOPE = 'license:holder';

export function holderCodeOf(principal: Principal | undefined): string {
  if (!principal) throw new AppError('UNAUTHENTICATED', 'A valid access token is required');
  if (principal.actor && !principal.scopes.includes(AGENT_HOLDER_SCOPE))
    throw new AppError('INSUFFICIENT_SCOPE', `An agent needs the authorisation item ${AGENT_HOLDER_SCOPE} for this`);
  const code = principal.subjectCode;
  if (!code || !(isCitizenIdNumber(code) || isUnifiedSocialCreditCode(code)))
    throw new AppError('HOLDER_CODE_MISSING', 'The access token does not carry the holder’s ID number or credit code');
  return code;
}

/** Who did something, for audit rows: the agent and the party it acts for when both exist. */
export function actorOf(principal: Principal | undefined): string {
  if (!principal) return 'anonymous';
  return principal.actor ? `${principal.actor} for ${principal.subject}` : principal.subject;
}
