// What every successful login does, whatever the means (password, SMS, TOTP, federation): a new
// session (never the old id), the cookie, then the next step of the authorization request (or,
// for a login started at /login itself, the user's account pages).
import type { Request, Response } from 'express';
import type { Account } from '../repositories/accounts.ts';
import type { OidcContext } from './context.ts';
import { clientIp } from './http.ts';
import { respondWithStep } from './steps.ts';

export async function completeLogin(
  context: OidcContext,
  req: Request,
  res: Response,
  login: { account: Account; amr: string[]; acr?: number; interactionId: string | undefined },
): Promise<void> {
  const { browser, sessions, flow } = context;
  const previous = await sessions.resolve(browser.sessionValue(req));
  const { session, cookieValue } = await sessions.start({
    accountId: login.account.id,
    acr: Math.min(login.acr ?? login.account.trustLevel, login.account.trustLevel),
    amr: login.amr,
    ip: clientIp(req),
    userAgent: req.get('user-agent'),
  });
  if (previous) await sessions.replace(previous, session);
  browser.setSession(res, cookieValue);
  if (!login.interactionId) return void res.set('cache-control', 'no-store').redirect(303, '/account');
  await flow.markLoggedIn(login.interactionId, session.id);
  respondWithStep(res, await flow.resume(login.interactionId, browser.browserId(req), session));
}
