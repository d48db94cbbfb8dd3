import { describe, expect, it } from 'vitest';
import { BrowserCookies, type CookieRequest } from './browser.ts';

function recorder() {
  const headers: string[] = [];
  const res = {
    append(_name: string, value: string) {
      headers.push(value);
    },
  };
  return { res, headers };
}

describe('SSO cookies', () => {
  const options = {
    csrfKey: Buffer.alloc(32, 1),
    issuerOrigin: 'https://id.example.gov.cn',
    sessionMaxAgeSeconds: 43200,
  };

  it('are HttpOnly, SameSite=Lax, and Secure with the __Host- prefix in production', () => {
    const { res, headers } = recorder();
    new BrowserCookies({ ...options, secure: true }).setSession(res, 'secret-value');
    expect(headers).toEqual(['__Host-idp_session=secret-value; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=43200']);
  });

  it('drop Secure only for plain-http development', () => {
    const { res, headers } = recorder();
    new BrowserCookies({ ...options, secure: false }).setSession(res, 'v');
    expect(headers[0]).toBe('idp_session=v; Path=/; HttpOnly; SameSite=Lax; Max-Age=43200');
  });

  it('accept a form only with the CSRF token of this browser and no foreign Origin', () => {
    const cookies = new BrowserCookies({ ...options, secure: true });
    const browserId = 'b'.repeat(32);
    const request = (csrf: string, origin?: string): CookieRequest => ({
      headers: { cookie: `__Host-idp_browser=${browserId}` },
      body: { csrf },
      get: ((name: string) => (name === 'origin' ? origin : undefined)) as CookieRequest['get'],
    });
    expect(cookies.checkCsrf(request(cookies.csrfToken(browserId)))).toBe(true);
    expect(cookies.checkCsrf(request(cookies.csrfToken(browserId), 'https://id.example.gov.cn'))).toBe(true);
    expect(cookies.checkCsrf(request(cookies.csrfToken(browserId), 'https://evil.example'))).toBe(false);
    expect(cookies.checkCsrf(request(cookies.csrfToken('c'.repeat(32))))).toBe(false);
  });
});
