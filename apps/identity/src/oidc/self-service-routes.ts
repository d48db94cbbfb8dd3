// /register and /password-reset: the citizen's own registration and password reset by SMS code.
// Both answer the same whether or not the phone has an account (the SMS says which, only to the
// phone's owner), count every post against a per-IP budget like login, and are CSRF-protected.
import { isCitizenIdNumber } from '@platform/identifiers';
import express, { type Request, type Response } from 'express';
import { passwordViolations } from '../domain/accounts/password-policy.ts';
import type { OtpPurpose } from '../domain/otp/one-time-codes.ts';
import type { PageProblem } from '../pages/layout.ts';
import { registerPage, resetPasswordPage, selfServiceDonePage } from '../pages/self-service-pages.ts';
import { STRINGS } from '../pages/strings.ts';
import type { OidcContext } from './context.ts';
import { formOf, pageHandler, passwordProblems, problemOf, type Form } from './forms.ts';
import { clientIp } from './http.ts';
import { sendPage } from './steps.ts';

// The contract's phone rule: an 11-digit mainland mobile number.
const PHONE = /^1[3-9]\d{9}$/;

/** Errors of the account service these pages explain; anything else is a fault (500 page). */
const EXPLAINED = new Set(['INVALID_SMS_CODE', 'WEAK_PASSWORD', 'ACCOUNT_ALREADY_REGISTERED', 'RATE_LIMITED']);

/** An interaction id only travels along (for the way back to the login); it is checked there. */
const interactionParam = (value: unknown): string | undefined =>
  typeof value === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(value) ? value : undefined;

interface Credentials {
  phone: string;
  code: string;
  password: string;
}

/** Field checks shared by both forms; the service checks again (and the SMS code) after these. */
function credentialProblems(form: Form, credentials: Credentials): string[] {
  const problems: string[] = [];
  if (!PHONE.test(credentials.phone)) problems.push(STRINGS.fieldProblems.phone);
  if (!/^\d{6}$/.test(credentials.code)) problems.push(STRINGS.fieldProblems.code);
  if (credentials.password !== (form.password_confirm ?? '')) problems.push(STRINGS.fieldProblems.passwordConfirm);
  return problems;
}

const credentialsOf = (form: Form): Credentials => ({
  phone: (form.phone ?? '').trim().slice(0, 11),
  code: (form.code ?? '').trim(),
  password: (form.password ?? '').slice(0, 256),
});

export function selfServiceRoutes(context: OidcContext): express.Router {
  const router = express.Router();
  const { browser } = context;
  const page = pageHandler(browser);

  /** Counts the post against the IP's budget; false when the budget is spent. */
  const admitted = async (req: Request): Promise<boolean> =>
    (await context.limiter.consume(context.selfServiceRule, clientIp(req) ?? 'unknown')).allowed;

  type Render = (status: number, extra?: { notice?: string; problem?: PageProblem }) => void;

  /** "Send the code": the same page whatever the phone, unless the phone number is malformed. */
  const sendCode = async (req: Request, phone: string, purpose: OtpPurpose, render: Render) => {
    if (!PHONE.test(phone))
      return render(400, { problem: { code: 'VALIDATION_FAILED', details: [STRINGS.fieldProblems.phone] } });
    try {
      await context.accountService.requestSmsCode(phone, purpose, clientIp(req));
    } catch (error) {
      const known = problemOf(error, EXPLAINED);
      if (known) return render(known.status, { problem: known.problem });
      throw error;
    }
    render(200, { notice: STRINGS.codeSent });
  };

  const registerRenderer = (req: Request, res: Response, form: Form): Render => {
    const csrf = browser.csrfToken(browser.ensureBrowserId(req, res));
    return (status, extra = {}) =>
      sendPage(
        res,
        status,
        registerPage({
          interactionId: interactionParam(form.interaction),
          csrf,
          name: (form.name ?? '').trim().slice(0, 200),
          subjectId: (form.subject_id ?? '').trim().toUpperCase().slice(0, 18),
          phone: (form.phone ?? '').trim().slice(0, 11),
          ...extra,
        }),
      );
  };

  router.get(
    '/register',
    page(
      async (req, res) => registerRenderer(req, res, { interaction: interactionParam(req.query.interaction) })(200),
      {
        csrf: false,
      },
    ),
  );

  router.post(
    '/register',
    page(
      async (req, res) => {
        const form = formOf(req);
        const render = registerRenderer(req, res, form);
        if (!(await admitted(req))) return render(429, { problem: { code: 'RATE_LIMITED' } });
        const credentials = credentialsOf(form);
        if (form.action === 'send') return sendCode(req, credentials.phone, 'register', render);
        const name = (form.name ?? '').trim();
        const subjectId = (form.subject_id ?? '').trim().toUpperCase();
        const problems = [
          ...(name && name.length <= 200 ? [] : [STRINGS.fieldProblems.name]),
          ...(isCitizenIdNumber(subjectId) ? [] : [STRINGS.fieldProblems.subjectId]),
          ...credentialProblems(form, credentials),
        ];
        if (problems.length) return render(400, { problem: { code: 'VALIDATION_FAILED', details: problems } });
        const violations = passwordViolations(credentials.password, [credentials.phone, subjectId]);
        if (violations.length)
          return render(400, { problem: { code: 'WEAK_PASSWORD', details: passwordProblems(violations) } });
        try {
          const account = await context.accountService.register(
            {
              kind: 'natural_person',
              subjectId,
              name,
              phone: credentials.phone,
              smsCode: credentials.code,
              password: credentials.password,
            },
            clientIp(req),
          );
          sendPage(
            res,
            200,
            selfServiceDonePage(
              STRINGS.registeredTitle,
              STRINGS.registered(account.name),
              interactionParam(form.interaction),
            ),
          );
        } catch (error) {
          const known = problemOf(error, EXPLAINED);
          if (known) return render(known.status, { problem: known.problem });
          throw error;
        }
      },
      { csrf: true },
    ),
  );

  const resetRenderer = (req: Request, res: Response, form: Form): Render => {
    const csrf = browser.csrfToken(browser.ensureBrowserId(req, res));
    return (status, extra = {}) =>
      sendPage(
        res,
        status,
        resetPasswordPage({
          interactionId: interactionParam(form.interaction),
          csrf,
          phone: (form.phone ?? '').trim().slice(0, 11),
          ...extra,
        }),
      );
  };

  router.get(
    '/password-reset',
    page(async (req, res) => resetRenderer(req, res, { interaction: interactionParam(req.query.interaction) })(200), {
      csrf: false,
    }),
  );

  router.post(
    '/password-reset',
    page(
      async (req, res) => {
        const form = formOf(req);
        const render = resetRenderer(req, res, form);
        if (!(await admitted(req))) return render(429, { problem: { code: 'RATE_LIMITED' } });
        const credentials = credentialsOf(form);
        if (form.action === 'send') return sendCode(req, credentials.phone, 'reset_password', render);
        const problems = credentialProblems(form, credentials);
        if (problems.length) return render(400, { problem: { code: 'VALIDATION_FAILED', details: problems } });
        const violations = passwordViolations(credentials.password, [credentials.phone]);
        if (violations.length)
          return render(400, { problem: { code: 'WEAK_PASSWORD', details: passwordProblems(violations) } });
        try {
          await context.accountService.resetPassword(
            credentials.phone,
            credentials.code,
            credentials.password,
            clientIp(req),
          );
        } catch (error) {
          const known = problemOf(error, EXPLAINED);
          if (known) return render(known.status, { problem: known.problem });
          throw error;
        }
        sendPage(
          res,
          200,
          selfServiceDonePage(STRINGS.resetDoneTitle, STRINGS.resetDone, interactionParam(form.interaction)),
        );
      },
      { csrf: true },
    ),
  );

  return router;
}
