// The browser side of the SSO: the session cookie, a browser-binding cookie, and CSRF tokens
// derived from it (HMAC with a key derived from the KEK, so every replica checks them alike).
import { createHmac } from 'node:crypto';
import type { Request } from 'express';

/** The parts of a request the cookie and CSRF checks read. */
export type CookieRequest = Pick<Request, 'headers' | 'body' | 'get'>;
type CookieResponse = HeaderAppender;
import { constantTimeEqual, randomToken } from '../domain/crypto/random.ts';
import { readCookie, setCookie, clearCookie, type HeaderAppender } from './http.ts';

export class BrowserCookies {
  readonly sessionCookie: string;
  readonly browserCookie: string;

  constructor(
    private readonly options: { secure: boolean; csrfKey: Buffer; issuerOrigin: string; sessionMaxAgeSeconds: number },
  ) {
    // __Host- cookies are pinned to our host and path and must be Secure: only when we are on https.
    const prefix = options.secure ? '__Host-' : '';
    this.sessionCookie = `${prefix}idp_session`;
    this.browserCookie = `${prefix}idp_browser`;
  }

  sessionValue(req: CookieRequest): string | undefined {
    return readCookie(req, this.sessionCookie);
  }

  setSession(res: CookieResponse, value: string): void {
    setCookie(res, this.sessionCookie, value, {
      secure: this.options.secure,
      maxAgeSeconds: this.options.sessionMaxAgeSeconds,
    });
  }

  clearSession(res: CookieResponse): void {
    clearCookie(res, this.sessionCookie, { secure: this.options.secure });
  }

  /** The browser id, created (and set) on first sight. */
  ensureBrowserId(req: CookieRequest, res: CookieResponse): string {
    const existing = readCookie(req, this.browserCookie);
    if (existing && /^[A-Za-z0-9_-]{20,100}$/.test(existing)) return existing;
    const created = randomToken(24);
    // A long-lived, random, meaningless value: it only binds forms and interactions to this browser.
    setCookie(res, this.browserCookie, created, { secure: this.options.secure, maxAgeSeconds: 400 * 24 * 3600 });
    return created;
  }

  browserId(req: CookieRequest): string | undefined {
    const value = readCookie(req, this.browserCookie);
    return value && /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : undefined;
  }

  csrfToken(browserId: string): string {
    return createHmac('sha256', this.options.csrfKey).update(browserId).digest('base64url');
  }

  /** A form post is ours if it carries the token for this browser and (when sent) our Origin. */
  checkCsrf(req: CookieRequest): boolean {
    const origin = req.get('origin');
    if (origin && origin !== this.options.issuerOrigin) return false;
    const browserId = this.browserId(req);
    const token = (req.body as Record<string, unknown> | undefined)?.csrf;
    return Boolean(browserId && typeof token === 'string' && constantTimeEqual(token, this.csrfToken(browserId)));
  }
}
