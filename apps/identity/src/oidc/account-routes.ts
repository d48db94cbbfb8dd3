// /account/*: "my account" for the holder of the SSO session cookie — overview, sessions (end
// one), authenticator app (enrol with a QR code, disable), consented apps (revoke). Without a session the browser goes to
// the login page, which comes back here. Every form is CSRF-protected; sensitive changes ask for
// the current password again (the account service enforces it and limits the guesses).
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { Account } from '../repositories/accounts.ts';
import type { Session } from '../domain/sessions/sessions.ts';
import {
  accountOverviewPage,
  appsPage,
  sessionsPage,
  totpSettingsPage,
  type TotpState,
} from '../pages/account-pages.ts';
import type { PageProblem } from '../pages/layout.ts';
import { loggedOutPage } from '../pages/message-pages.ts';
import { STRINGS } from '../pages/strings.ts';
import type { OidcContext } from './context.ts';
import { formOf, pageHandler, problemOf } from './forms.ts';
import { clientIp } from './http.ts';
import { sendPage } from './steps.ts';

export interface SignedIn {
  session: Session;
  account: Account;
  browserId: string;
  csrf: string;
}

const TOTP_ERRORS = new Set([
  'INVALID_CREDENTIALS',
  'RATE_LIMITED',
  'TOTP_INVALID_CODE',
  'TOTP_ALREADY_ENABLED',
  'TOTP_NOT_ENROLLED',
]);

// The QR code is shown again after a mistyped code from a sealed copy bound to the account and
// browser, never read back from the database: whoever holds only the session cookie cannot see it.
const Enrolment = z.object({ secret: z.string(), otpauthUri: z.string() });

export function accountSession(context: OidcContext) {
  const { browser, sessions } = context;
  /** The signed-in account, or undefined after redirecting the browser to the login page. */
  return async (req: Request, res: Response): Promise<SignedIn | undefined> => {
    const session = await sessions.resolve(browser.sessionValue(req));
    const account = session ? await context.accounts.findById(session.accountId) : null;
    if (!session || !account || account.status !== 'active') {
      if (session) await sessions.end(session.id, 'account_disabled');
      res.set('cache-control', 'no-store').redirect(303, '/login');
      return undefined;
    }
    const browserId = browser.ensureBrowserId(req, res);
    return { session, account, browserId, csrf: browser.csrfToken(browserId) };
  };
}

export function accountRoutes(context: OidcContext): express.Router {
  const router = express.Router();
  const { browser, sessions } = context;
  const page = pageHandler(browser);
  const signedIn = accountSession(context);

  router.get(
    '/account',
    page(
      async (req, res) => {
        const user = await signedIn(req, res);
        if (!user) return;
        const { account } = user;
        sendPage(
          res,
          200,
          accountOverviewPage({
            account: {
              name: account.name,
              subjectId: account.subjectId,
              phone: account.phone,
              trustLevel: account.trustLevel,
              totpEnabled: account.totpConfirmedAt !== null,
            },
          }),
        );
      },
      { csrf: false },
    ),
  );

  // Sessions ------------------------------------------------------------------------------------

  const renderSessions = async (
    res: Response,
    user: SignedIn,
    status: number,
    feedback: { notice?: string; problem?: PageProblem } = {},
  ) => {
    const open = await sessions.listOpen(user.account.id);
    const clientIds = [...new Set(open.flatMap((session) => session.clients.map((client) => client.clientId)))];
    const names = new Map<string, string>();
    for (const id of clientIds) names.set(id, (await context.clients.find(id))?.name ?? id);
    sendPage(
      res,
      status,
      sessionsPage({
        csrf: user.csrf,
        sessions: open.map((session) => ({
          sid: session.sid,
          current: session.id === user.session.id,
          authTime: session.authTime,
          lastSeenAt: session.lastSeenAt,
          amr: session.amr,
          ip: session.ip,
          userAgent: session.userAgent,
          apps: session.clients.map((client) => names.get(client.clientId) ?? client.clientId),
        })),
        ...feedback,
      }),
    );
  };

  router.get(
    '/account/sessions',
    page(
      async (req, res) => {
        const user = await signedIn(req, res);
        if (user) await renderSessions(res, user, 200);
      },
      { csrf: false },
    ),
  );

  router.post(
    '/account/sessions/end',
    page(
      async (req, res) => {
        const user = await signedIn(req, res);
        if (!user) return;
        const sid = formOf(req).sid ?? '';
        const target = sid.length <= 64 ? await sessions.findBySid(sid) : null;
        // Someone else's session looks exactly like a missing one.
        if (!target || target.accountId !== user.account.id || target.endedAt)
          return renderSessions(res, user, 404, { problem: { code: 'NOT_FOUND' } });
        if (target.id === user.session.id) {
          await sessions.end(target.id, 'logout');
          await context.audit.record({
            type: 'logout',
            accountId: user.account.id,
            ip: clientIp(req),
            detail: { sid: target.sid },
          });
          browser.clearSession(res);
          return sendPage(res, 200, loggedOutPage());
        }
        await sessions.end(target.id, 'user');
        await renderSessions(res, user, 200, { notice: STRINGS.sessionEnded });
      },
      { csrf: true },
    ),
  );

  // Authenticator app (TOTP) ----------------------------------------------------------------------

  const enrolmentContext = (user: SignedIn) => `totp-enrolment:${user.account.id}:${user.browserId}`;

  const renderTotp = (
    res: Response,
    user: SignedIn,
    status: number,
    state: TotpState,
    feedback: { notice?: string; problem?: PageProblem } = {},
  ) => {
    const sealed =
      state.kind === 'enrolling'
        ? context.box.seal(
            JSON.stringify({ secret: state.secret, otpauthUri: state.otpauthUri }),
            enrolmentContext(user),
          )
        : undefined;
    sendPage(res, status, totpSettingsPage({ csrf: user.csrf, state, enrolment: sealed, ...feedback }));
  };

  const stateOf = (account: Account): TotpState => (account.totpConfirmedAt ? { kind: 'enabled' } : { kind: 'off' });

  /** Runs a TOTP change; a known failure re-renders the page (`onFailure`'s state, else the account's). */
  const totpAction = (
    run: (req: Request, res: Response, user: SignedIn) => Promise<void>,
    onFailure?: (req: Request, user: SignedIn, code: string) => TotpState | undefined,
  ) =>
    page(
      async (req, res) => {
        const user = await signedIn(req, res);
        if (!user) return;
        try {
          await run(req, res, user);
        } catch (error) {
          const known = problemOf(error, TOTP_ERRORS);
          if (!known) throw error;
          const fresh = (await context.accounts.findById(user.account.id)) ?? user.account;
          renderTotp(res, user, known.status, onFailure?.(req, user, known.code) ?? stateOf(fresh), {
            problem: known.problem,
          });
        }
      },
      { csrf: true },
    );

  router.get(
    '/account/totp',
    page(
      async (req, res) => {
        const user = await signedIn(req, res);
        if (user) renderTotp(res, user, 200, stateOf(user.account));
      },
      { csrf: false },
    ),
  );

  router.post(
    '/account/totp/enroll',
    totpAction(async (req, res, user) => {
      const enrolment = await context.accountService.enrollTotp(user.account.id, formOf(req).current_password ?? '');
      renderTotp(res, user, 200, { kind: 'enrolling', ...enrolment });
    }),
  );

  const sealedEnrolment = (req: Request, user: SignedIn): TotpState | undefined => {
    try {
      const opened = Enrolment.parse(
        JSON.parse(context.box.open(formOf(req).enrolment ?? '', enrolmentContext(user)).toString()),
      );
      return { kind: 'enrolling', ...opened };
    } catch {
      return undefined;
    }
  };

  router.post(
    '/account/totp/confirm',
    totpAction(
      async (req, res, user) => {
        await context.accountService.confirmTotp(user.account.id, (formOf(req).code ?? '').trim());
        renderTotp(res, user, 200, { kind: 'enabled' }, { notice: STRINGS.totpEnabledNotice });
      },
      // A mistyped code keeps the QR code on screen; other failures show the account's state.
      (req, user, code) => (code === 'TOTP_INVALID_CODE' ? sealedEnrolment(req, user) : undefined),
    ),
  );

  router.post(
    '/account/totp/disable',
    totpAction(async (req, res, user) => {
      const form = formOf(req);
      await context.accountService.disableTotp(user.account.id, form.current_password ?? '', (form.code ?? '').trim());
      renderTotp(res, user, 200, { kind: 'off' }, { notice: STRINGS.totpDisabledNotice });
    }),
  );

  // Consented apps --------------------------------------------------------------------------------

  const renderApps = async (
    res: Response,
    user: SignedIn,
    status: number,
    feedback: { notice?: string; problem?: PageProblem } = {},
  ) =>
    sendPage(
      res,
      status,
      appsPage({ csrf: user.csrf, consents: await context.consents.listFor(user.account.id), ...feedback }),
    );

  router.get(
    '/account/apps',
    page(
      async (req, res) => {
        const user = await signedIn(req, res);
        if (user) await renderApps(res, user, 200);
      },
      { csrf: false },
    ),
  );

  router.post(
    '/account/apps/revoke',
    page(
      async (req, res) => {
        const user = await signedIn(req, res);
        if (!user) return;
        const clientId = (formOf(req).client_id ?? '').slice(0, 100);
        const name = (await context.clients.find(clientId))?.name ?? clientId;
        try {
          await context.consents.revoke(user.account.id, clientId, clientIp(req));
        } catch (error) {
          const known = problemOf(error, new Set(['NOT_FOUND']));
          if (!known) throw error;
          return renderApps(res, user, known.status, { problem: known.problem });
        }
        await renderApps(res, user, 200, { notice: STRINGS.consentRevoked(name) });
      },
      { csrf: true },
    ),
  );

  return router;
}
