// The console's cookies: the session id and the pending-login id. HttpOnly (no script reads them),
// SameSite=Lax (sent on the top-level redirect back from identity, not on cross-site POSTs), Secure
// and __Host- prefixed when the console is served over https.
import type { Response } from 'express';

export interface CookieNames {
  session: string;
  login: string;
  secure: boolean;
}

export function cookieNames(publicUrl: string): CookieNames {
  const secure = publicUrl.startsWith('https://');
  // __Host- pins a cookie to this exact host, path / and https (no Domain attribute allowed).
  const prefix = secure ? '__Host-' : '';
  return { session: `${prefix}console_session`, login: `${prefix}console_login`, secure };
}

/** A request, or a procedure's context: anything with the request headers. */
export interface CookieCarrier {
  headers: { cookie?: string | undefined };
}

export function readCookie(req: CookieCarrier, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) return decodeURIComponent(part.slice(index + 1).trim());
  }
  return undefined;
}

export function setCookie(res: Response, names: CookieNames, name: string, value: string, maxAgeSeconds: number): void {
  res.cookie(name, value, {
    httpOnly: true,
    sameSite: 'lax',
    secure: names.secure,
    path: '/',
    maxAge: maxAgeSeconds * 1000,
  });
}

export function clearCookie(res: Response, names: CookieNames, name: string): void {
  res.clearCookie(name, { httpOnly: true, sameSite: 'lax', secure: names.secure, path: '/' });
}
