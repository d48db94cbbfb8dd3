// What the HTTP layer of the OIDC provider needs from the composition root.
import type { Logger } from '@platform/service-kit';
import type { Clock } from '../clock.ts';
import type { AccountService } from '../domain/accounts/accounts.ts';
import type { Authenticator } from '../domain/accounts/authentication.ts';
import type { ClientRegistry } from '../domain/clients/client-registry.ts';
import type { Consents } from '../domain/consents/consents.ts';
import type { SecretBox } from '@platform/key-custody';
import type { SigningKeys } from '../domain/keys/signing-keys.ts';
import type { AuthorizationFlow } from '../domain/oauth/authorization-flow.ts';
import type { TokenGrants } from '../domain/oauth/token-grants.ts';
import type { TokenState } from '../domain/oauth/token-state.ts';
import type { UserClaims } from '../domain/oauth/user-claims.ts';
import type { AuditLog } from '../domain/security/audit-log.ts';
import type { RateLimiter, RateRule } from '../domain/security/rate-limiter.ts';
import type { Sessions } from '../domain/sessions/sessions.ts';
import type { JwtService } from '../domain/tokens/jwt.ts';
import type { AccountRepository } from '../repositories/accounts.ts';
import type { Federation } from '../domain/federation/federation.ts';
import type { BrowserCookies } from './browser.ts';

export interface OidcContext {
  issuer: string;
  clock: Clock;
  log: Logger;
  keys: SigningKeys;
  jwt: JwtService;
  box: SecretBox;
  clients: ClientRegistry;
  accounts: AccountRepository;
  accountService: AccountService;
  authenticator: Authenticator;
  sessions: Sessions;
  flow: AuthorizationFlow;
  consents: Consents;
  grants: TokenGrants;
  tokenState: TokenState;
  claims: UserClaims;
  audit: AuditLog;
  limiter: RateLimiter;
  /** Per-IP budget of the registration and password-reset forms. */
  selfServiceRule: RateRule;
  browser: BrowserCookies;
  federation: Federation | undefined;
  bodyLimitBytes: number;
}
