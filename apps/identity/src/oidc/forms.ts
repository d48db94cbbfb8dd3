// What every server-rendered page handler shares: reading a form as strings, and a wrapper that
// refuses forged posts (CSRF) and turns an expired or foreign login request into a clear page.
import { AppError } from '@platform/contracts';
import type { Request, Response } from 'express';
import { rulesOfIssues, type PasswordRule } from '../domain/accounts/password-policy.ts';
import { InteractionNotFoundError } from '../domain/oauth/authorization-flow.ts';
import type { PageProblem } from '../pages/layout.ts';
import { errorPage } from '../pages/message-pages.ts';
import { STRINGS } from '../pages/strings.ts';
import type { BrowserCookies } from './browser.ts';
import { sendPage } from './steps.ts';

export type Form = Record<string, string | undefined>;

/** The posted fields; anything but a single string (arrays, objects) counts as absent. */
export function formOf(req: Request): Form {
  const body: unknown = req.body;
  if (!body || typeof body !== 'object') return {};
  return Object.fromEntries(
    Object.entries(body).map(([key, value]) => [key, typeof value === 'string' ? value : undefined]),
  );
}

export type PageHandler = (req: Request, res: Response) => Promise<void>;

/** Wraps a page handler: forged posts and expired/foreign interactions get a clear page, not a 500. */
export const pageHandler =
  (browser: BrowserCookies) =>
  (handler: PageHandler, options: { csrf: boolean }) =>
  async (req: Request, res: Response): Promise<void> => {
    if (options.csrf && !browser.checkCsrf(req)) return sendPage(res, 403, errorPage(STRINGS.formExpired));
    try {
      await handler(req, res);
    } catch (error) {
      if (error instanceof InteractionNotFoundError) return sendPage(res, 400, errorPage(STRINGS.requestExpired));
      throw error;
    }
  };

export const passwordProblems = (rules: PasswordRule[]): string[] =>
  rules.map((rule) => STRINGS.passwordProblems[rule]);

/** What an AppError means on a page, or undefined when it is not one `explained` here (a fault). */
export function problemOf(
  error: unknown,
  explained: Set<string>,
): { status: number; code: string; problem: PageProblem } | undefined {
  if (!(error instanceof AppError) || !explained.has(error.code)) return undefined;
  const details = error.code === 'WEAK_PASSWORD' ? passwordProblems(rulesOfIssues(error.issues)) : undefined;
  return { status: error.httpStatus, code: error.code, problem: { code: error.code, details } };
}
