/**
 * Who is calling a service, as established from identity's access token (packages/auth). Shared
 * here because every service and the kit speak of the same caller.
 */
export interface Principal {
  /** The account (or, for client_credentials, the client) the token is about. */
  subject: string;
  clientId?: string;
  scopes: string[];
  /** Trust level of the session, "1" (registered) … "4" (certificate/counter). */
  acr?: string;
  /** The agent acting for `subject` (RFC 8693 `act.sub`), when an agent token. */
  actor?: string;
  /** Citizen ID number or unified social credit code of `subject` (claim `subject_code`). */
  subjectCode?: string;
  sessionId?: string;
  tokenId?: string;
  expiresAt?: number;
}
