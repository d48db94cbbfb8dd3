// The console server's own procedures (the contract in @platform/contracts): who is signed in. The
// principal comes from the session's access token for the console, verified by packages/auth (see
// sessions/session-principal.ts); the profile fields come from the session (userinfo at login).
import { consoleContract } from '@platform/contracts';
import { createRouter, implement, systemRouter } from '@platform/service-kit';
import { rolesOf } from './roles.ts';
import { readCookie, type CookieNames } from './sessions/cookies.ts';
import type { Env } from '../env.ts';
import type { SessionStore } from './sessions/session-store.ts';
import { SERVICE_NAME, SERVICE_VERSION } from '../meta.ts';

export interface ConsoleRouterDeps {
  environment: Env['NODE_ENV'];
  sessions: SessionStore;
  cookies: CookieNames;
  /** Sandbox payment channels the app may offer a payer. */
  channels: string[];
}

export function createConsoleRouter(deps: ConsoleRouterDeps) {
  // The console has no database; it is ready as soon as it serves (identity is checked per login).
  const checkDatabase = async () => undefined;
  return createRouter({
    system: systemRouter({
      service: SERVICE_NAME,
      version: SERVICE_VERSION,
      environment: deps.environment,
      checkDatabase,
    }),
    session: createRouter({
      me: implement(consoleContract.session.me).query(({ ctx }) => {
        const { principal } = ctx;
        const session = principal && deps.sessions.find(readCookie(ctx, deps.cookies.session));
        if (!principal || !session) return { authenticated: false as const, channels: deps.channels };
        return {
          authenticated: true as const,
          channels: deps.channels,
          subject: principal.subject,
          name: session.name ?? null,
          subjectType: session.subjectType ?? null,
          subjectCode: principal.subjectCode ?? session.subjectCode ?? null,
          acr: principal.acr ?? null,
          scopes: principal.scopes,
          roles: rolesOf(principal.scopes),
        };
      }),
    }),
  });
}
