// session.*: my SSO sessions.
import { identityContract } from '@platform/contracts';
import { createRouter, implement } from '@platform/service-kit';
import { decodeJwt } from 'jose';
import type { IdentityCore } from '../../composition.ts';
import { userOf } from '../guards.ts';

/** The `sid` of the calling token (already verified by authenticate(); decoding is enough). */
function callerSid(authorization: string | undefined): string | undefined {
  const token = authorization?.replace(/^Bearer\s+/i, '');
  try {
    const sid = token ? decodeJwt(token).sid : undefined;
    return typeof sid === 'string' ? sid : undefined;
  } catch {
    return undefined;
  }
}

const contract = identityContract.session;

export function sessionRouter(core: IdentityCore) {
  return createRouter({
    listMine: implement(contract.listMine).query(async ({ ctx }) => {
      const accountId = userOf(ctx);
      const sessions = await core.sessions.listOpen(accountId);
      const current = callerSid(ctx.headers.authorization);
      return sessions.map((session) => ({
        id: session.sid,
        current: current === session.sid,
        authTime: session.authTime.toISOString(),
        lastSeenAt: session.lastSeenAt.toISOString(),
        expiresAt: session.expiresAt.toISOString(),
        acr: String(session.acr),
        amr: session.amr,
        ip: session.ip,
        userAgent: session.userAgent,
        clients: session.clients.map((client) => client.clientId),
      }));
    }),
    endMine: implement(contract.endMine).mutation(async ({ ctx, input }) => {
      const accountId = userOf(ctx);
      const session = await core.sessions.findBySid(input.sessionId);
      // Someone else's session looks exactly like a missing one.
      if (!session || session.accountId !== accountId) return { ended: false };
      return { ended: await core.sessions.end(session.id, 'user') };
    }),
  });
}
