// The pages a citizen sees during authorization: login (password, SMS, TOTP), consent and step-up.
// Every form post carries a CSRF token bound to the browser; interactions are bound to it too.
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { LoginOutcome } from '../domain/accounts/authentication.ts';
import type { Account } from '../repositories/accounts.ts';
import { consentPage } from '../pages/consent-page.ts';
import { STYLESHEET } from '../pages/layout.ts';
import { loginPage, totpPage, type LoginPageModel } from '../pages/login-page.ts';
import { stepUpPage } from '../pages/step-up-page.ts';
import { STRINGS } from '../pages/strings.ts';
import { AppError } from '@platform/contracts';
import type { OidcContext } from './context.ts';
import { formOf, pageHandler } from './forms.ts';
import { clientIp } from './http.ts';
import { completeLogin as finishLogin } from './login-completion.ts';
import { respondWithStep, sendPage } from './steps.ts';

const PendingLogin = z.object({
  accountId: z.string(),
  amr: z.array(z.string()),
  loginName: z.string(),
  exp: z.number(),
});
const TOTP_STEP_SECONDS = 300;

export function interactionRoutes(context: OidcContext): express.Router {
  const router = express.Router();
  const { browser, flow, sessions } = context;

  router.get('/assets/identity.css', (_req, res) => {
    res.type('text/css').set('cache-control', 'public, max-age=3600').send(STYLESHEET);
  });

  /**
   * The interaction of this request, or undefined for a login started directly at /login. Loaded
   * once per request: checking it, building the page and its form targets all ask for it.
   */
  const loadedPerRequest = new WeakMap<Request, Map<string, ReturnType<typeof flow.load>>>();
  const interactionOf = async (req: Request, id: string | undefined) => {
    if (!id) return undefined;
    let loaded = loadedPerRequest.get(req);
    if (!loaded) loadedPerRequest.set(req, (loaded = new Map()));
    let interaction = loaded.get(id);
    if (!interaction) loaded.set(id, (interaction = flow.load(id, browser.browserId(req))));
    return interaction;
  };

  const loginModel = async (
    req: Request,
    res: Response,
    interactionId: string | undefined,
    extra: Partial<LoginPageModel> = {},
  ): Promise<LoginPageModel> => {
    const browserId = browser.ensureBrowserId(req, res);
    const loaded = await interactionOf(req, interactionId);
    const client = loaded ? await context.clients.find(loaded.request.clientId) : null;
    return {
      interactionId,
      csrf: browser.csrfToken(browserId),
      clientName: client?.name,
      loginName: loaded?.request.loginHint,
      federation:
        context.federation && interactionId
          ? {
              name: context.federation.name,
              href: `/federation/start?interaction=${encodeURIComponent(interactionId)}`,
            }
          : undefined,
      ...extra,
    };
  };

  const formTargets = async (req: Request, interactionId: string | undefined): Promise<string[]> => {
    const loaded = await interactionOf(req, interactionId).catch(() => undefined);
    return loaded ? [loaded.request.redirectUri] : [];
  };

  const renderLogin = async (
    req: Request,
    res: Response,
    status: number,
    interactionId: string | undefined,
    extra: Partial<LoginPageModel> = {},
  ) =>
    sendPage(
      res,
      status,
      loginPage(await loginModel(req, res, interactionId, extra)),
      await formTargets(req, interactionId),
    );

  const page = pageHandler(browser);

  const completeLogin = (
    req: Request,
    res: Response,
    account: Account,
    amr: string[],
    interactionId: string | undefined,
  ) => finishLogin(context, req, res, { account, amr, interactionId });

  const failureMessage = (outcome: Exclude<LoginOutcome, { ok: true }>): { status: number; message: string } => {
    switch (outcome.failure) {
      case 'locked':
        return { status: 429, message: STRINGS.locked(Math.ceil((outcome.retryAfterSeconds ?? 60) / 60)) };
      case 'rate_limited':
        return { status: 429, message: STRINGS.rateLimited };
      case 'not_active':
        return { status: 403, message: STRINGS.notActive };
      default:
        return { status: 401, message: STRINGS.invalidCredentials };
    }
  };

  const afterFirstFactor = async (
    req: Request,
    res: Response,
    outcome: LoginOutcome,
    loginName: string,
    interactionId: string | undefined,
  ) => {
    if (!outcome.ok) {
      const { status, message } = failureMessage(outcome);
      return renderLogin(req, res, status, interactionId, { error: message, loginName: loginName.slice(0, 64) });
    }
    if (!outcome.needsTotp) return completeLogin(req, res, outcome.account, outcome.amr, interactionId);
    const browserId = browser.browserId(req) ?? '';
    const pending = context.box.seal(
      JSON.stringify({
        accountId: outcome.account.id,
        amr: outcome.amr,
        loginName,
        exp: context.clock.now().getTime() + TOTP_STEP_SECONDS * 1000,
      }),
      `totp-pending:${interactionId ?? ''}:${browserId}`,
    );
    sendPage(res, 200, totpPage({ interactionId, csrf: browser.csrfToken(browserId), pending }));
  };

  router.get(
    '/login',
    page(
      async (req, res) => {
        const interactionId = typeof req.query.interaction === 'string' ? req.query.interaction : undefined;
        await interactionOf(req, interactionId);
        await renderLogin(req, res, 200, interactionId);
      },
      { csrf: false },
    ),
  );

  router.post(
    '/login/password',
    page(
      async (req, res) => {
        const form = formOf(req);
        await interactionOf(req, form.interaction);
        const outcome = await context.authenticator.withPassword(
          form.login_name ?? '',
          form.password ?? '',
          clientIp(req),
        );
        await afterFirstFactor(req, res, outcome, form.login_name ?? '', form.interaction);
      },
      { csrf: true },
    ),
  );

  router.post(
    '/login/sms',
    page(
      async (req, res) => {
        const form = formOf(req);
        await interactionOf(req, form.interaction);
        const phone = (form.phone ?? '').trim();
        if (form.action === 'send') {
          if (!/^1[3-9]\d{9}$/.test(phone))
            return renderLogin(req, res, 400, form.interaction, { error: STRINGS.invalidCredentials, phone });
          try {
            await context.accountService.requestSmsCode(phone, 'login', clientIp(req));
            return renderLogin(req, res, 200, form.interaction, { notice: STRINGS.codeSent, phone });
          } catch (error) {
            if (error instanceof AppError && error.code === 'RATE_LIMITED')
              return renderLogin(req, res, 429, form.interaction, { error: STRINGS.rateLimited, phone });
            throw error;
          }
        }
        const outcome = await context.authenticator.withSmsCode(phone, form.code ?? '', clientIp(req));
        await afterFirstFactor(req, res, outcome, phone, form.interaction);
      },
      { csrf: true },
    ),
  );

  router.post(
    '/login/totp',
    page(
      async (req, res) => {
        const form = formOf(req);
        await interactionOf(req, form.interaction);
        const browserId = browser.browserId(req) ?? '';
        let pending: z.infer<typeof PendingLogin>;
        try {
          pending = PendingLogin.parse(
            JSON.parse(
              context.box.open(form.pending ?? '', `totp-pending:${form.interaction ?? ''}:${browserId}`).toString(),
            ),
          );
        } catch {
          return renderLogin(req, res, 400, form.interaction, { error: STRINGS.formExpired });
        }
        if (pending.exp < context.clock.now().getTime())
          return renderLogin(req, res, 400, form.interaction, { error: STRINGS.formExpired });
        const account = await context.accounts.findById(pending.accountId);
        if (!account) return renderLogin(req, res, 401, form.interaction, { error: STRINGS.invalidCredentials });
        const outcome = await context.authenticator.withTotp(
          account,
          pending.loginName,
          form.code ?? '',
          pending.amr,
          clientIp(req),
        );
        if (!outcome.ok) {
          const { status, message } = failureMessage(outcome);
          if (outcome.failure !== 'invalid') return renderLogin(req, res, status, form.interaction, { error: message });
          return sendPage(
            res,
            status,
            totpPage({
              interactionId: form.interaction,
              csrf: browser.csrfToken(browserId),
              pending: form.pending ?? '',
              error: message,
            }),
          );
        }
        await completeLogin(req, res, outcome.account, outcome.amr, form.interaction);
      },
      { csrf: true },
    ),
  );

  router.get(
    '/consent',
    page(
      async (req, res) => {
        const interactionId = String(req.query.interaction ?? '');
        const session = await sessions.resolve(browser.sessionValue(req));
        const step = await flow.resume(interactionId, browser.browserId(req), session);
        if (step.kind !== 'consent') return respondWithStep(res, step);
        const browserId = browser.ensureBrowserId(req, res);
        sendPage(
          res,
          200,
          consentPage({
            interactionId,
            csrf: browser.csrfToken(browserId),
            clientName: step.client.name,
            scopes: step.scopes,
          }),
          await formTargets(req, interactionId),
        );
      },
      { csrf: false },
    ),
  );

  router.post(
    '/consent',
    page(
      async (req, res) => {
        const form = formOf(req);
        const session = await sessions.resolve(browser.sessionValue(req));
        respondWithStep(
          res,
          await flow.consent(form.interaction ?? '', browser.browserId(req), session, form.decision === 'approve'),
        );
      },
      { csrf: true },
    ),
  );

  const renderStepUp = async (req: Request, res: Response, interactionId: string, status: number, error?: string) => {
    const session = await sessions.resolve(browser.sessionValue(req));
    const step = await flow.resume(interactionId, browser.browserId(req), session);
    if (step.kind !== 'step_up') return respondWithStep(res, step);
    const browserId = browser.ensureBrowserId(req, res);
    sendPage(
      res,
      status,
      stepUpPage({
        interactionId,
        csrf: browser.csrfToken(browserId),
        required: step.required,
        current: step.current,
        error,
      }),
      await formTargets(req, interactionId),
    );
  };

  router.get(
    '/step-up',
    page((req, res) => renderStepUp(req, res, String(req.query.interaction ?? ''), 200), { csrf: false }),
  );

  const verification = (run: (accountId: string, value: string) => Promise<number>, field: string, amr: string) =>
    page(
      async (req, res) => {
        const form = formOf(req);
        const interactionId = form.interaction ?? '';
        await interactionOf(req, interactionId);
        const session = await sessions.resolve(browser.sessionValue(req));
        if (!session) return respondWithStep(res, await flow.resume(interactionId, browser.browserId(req), session));
        try {
          const level = await run(session.accountId, form[field] ?? '');
          await sessions.raise(session.id, level, [...new Set([...session.amr, amr])]);
        } catch (error) {
          if (
            error instanceof AppError &&
            (error.code === 'VERIFICATION_FAILED' || error.code === 'TRUST_LEVEL_TOO_LOW')
          )
            return renderStepUp(req, res, interactionId, 422, STRINGS.verificationFailed);
          throw error;
        }
        const raised = await sessions.resolve(browser.sessionValue(req));
        respondWithStep(res, await flow.resume(interactionId, browser.browserId(req), raised));
      },
      { csrf: true },
    );

  router.post(
    '/step-up/registry',
    verification((id, name) => context.accountService.verifyWithRegistry(id, name), 'name', 'kba'),
  );
  router.post(
    '/step-up/face',
    verification((id, sample) => context.accountService.verifyFace(id, sample), 'sample', 'face'),
  );

  router.post(
    '/step-up/cancel',
    page(
      async (req, res) => {
        const form = formOf(req);
        respondWithStep(
          res,
          await flow.abandon(
            form.interaction ?? '',
            browser.browserId(req),
            'unmet_authentication_requirements',
            'the required trust level was not reached',
          ),
        );
      },
      { csrf: true },
    ),
  );

  return router;
}
