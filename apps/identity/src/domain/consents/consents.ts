// The third-party apps a user consented to, and withdrawing a consent: the app's tokens for the user
// end (refresh tokens included, offline ones too), every session it took part in tells it through
// back-channel logout, and its next authorization request asks for consent again.
import { AppError } from '@platform/contracts';
import type { Clock } from '../../clock.ts';
import type { GrantRepository } from '../../repositories/grants.ts';
import type { ClientRegistry } from '../clients/client-registry.ts';
import type { BackchannelLogout } from '../logout/backchannel-logout.ts';
import type { AuditLog } from '../security/audit-log.ts';
import type { Sessions } from '../sessions/sessions.ts';

export interface ConsentSummary {
  clientId: string;
  clientName: string;
  scopes: string[];
  grantedAt: Date;
}

export interface ConsentRevocation {
  revokedGrants: number;
  loggedOutSessions: number;
}

export class Consents {
  constructor(
    private readonly deps: {
      grants: GrantRepository;
      clients: ClientRegistry;
      sessions: Sessions;
      backchannel: BackchannelLogout;
      audit: AuditLog;
      clock: Clock;
    },
  ) {}

  async listFor(accountId: string): Promise<ConsentSummary[]> {
    const consents = await this.deps.grants.listConsents(accountId);
    return Promise.all(
      consents.map(async (consent) => ({
        clientId: consent.clientId,
        clientName: (await this.deps.clients.find(consent.clientId))?.name ?? consent.clientId,
        scopes: consent.scopes,
        grantedAt: consent.grantedAt,
      })),
    );
  }

  async revoke(accountId: string, clientId: string, ip: string | undefined): Promise<ConsentRevocation> {
    // Deleted first: from here on, an authorization request for this app asks again.
    if (!(await this.deps.grants.deleteConsent(accountId, clientId)))
      throw new AppError('NOT_FOUND', 'You have not consented to this app');
    const revokedGrants = await this.deps.grants.revokeForClient(
      accountId,
      clientId,
      this.deps.clock.now(),
      'consent_revoked',
    );
    let loggedOutSessions = 0;
    for (const session of await this.deps.sessions.listOpen(accountId)) {
      if (!session.clients.some((client) => client.clientId === clientId)) continue;
      await this.deps.sessions.removeClient(session.id, clientId);
      await this.deps.backchannel.clientRemoved(session, clientId);
      loggedOutSessions += 1;
    }
    await this.deps.audit.record({
      type: 'consent.revoked',
      accountId,
      clientId,
      ip,
      detail: { grants: revokedGrants, sessions: loggedOutSessions },
    });
    return { revokedGrants, loggedOutSessions };
  }
}
