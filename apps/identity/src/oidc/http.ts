// HTTP plumbing shared by the OIDC endpoints and pages: parameters (query or form, no duplicates),
// cookies, OAuth error responses and the client address.
import type { Request, Response } from 'express';
import { OAuthError } from '../domain/oauth/oauth-error.ts';

/** Merges query and form parameters; a repeated or non-string parameter is an invalid request. */
export function oauthParams(req: Request, source: 'query' | 'body' | 'both' = 'both'): Record<string, string> {
  const params: Record<string, string> = {};
  const sources: unknown[] = [];
  if (source !== 'body') sources.push(req.query);
  if (source !== 'query') sources.push(req.body);
  for (const input of sources) {
    if (!input || typeof input !== 'object') continue;
    for (const [key, value] of Object.entries(input)) {
      if (typeof value !== 'string')
        throw new OAuthError('invalid_request', `parameter ${key.slice(0, 40)} must appear once`);
      if (key in params && params[key] !== value)
        throw new OAuthError('invalid_request', `parameter ${key.slice(0, 40)} must appear once`);
      // Empty values count as absent (RFC 6749 §3.1).
      if (value !== '') params[key] = value;
    }
  }
  return params;
}

export function sendOAuthError(res: Response, error: OAuthError, extraHeaders: Record<string, string> = {}): void {
  res
    .status(error.status)
    .set({ 'cache-control': 'no-store', ...extraHeaders })
    .json(error.toJSON());
}

export function noStore(res: Response): Response {
  return res.set({ 'cache-control': 'no-store', pragma: 'no-cache' });
}

export function clientIp(req: Request): string | undefined {
  return req.ip?.slice(0, 64);
}

export function readCookie(req: Pick<Request, 'headers'>, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) {
      try {
        return decodeURIComponent(part.slice(index + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Anything that can add a response header (an Express response, or a test double). */
export interface HeaderAppender {
  append(name: string, value: string): unknown;
}

export interface CookieOptions {
  secure: boolean;
  maxAgeSeconds?: number;
}

export function setCookie(res: HeaderAppender, name: string, value: string, options: CookieOptions): void {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (options.secure) parts.push('Secure');
  if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${options.maxAgeSeconds}`);
  res.append('Set-Cookie', parts.join('; '));
}

export function clearCookie(res: HeaderAppender, name: string, options: CookieOptions): void {
  setCookie(res, name, '', { ...options, maxAgeSeconds: 0 });
}
