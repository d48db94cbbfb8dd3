// The signed-in user as the console server reports it (/auth/me), and the login/logout actions.
import { APP_HEADER } from './clients.ts';

export type Role = 'citizen' | 'clerk' | 'licenseAdmin' | 'finance' | 'sealOfficer';

export type Me =
  | { authenticated: false; channels: string[] }
  | {
      authenticated: true;
      channels: string[];
      subject: string;
      name: string | null;
      subjectType: string | null;
      subjectCode: string | null;
      acr: string | null;
      scopes: string[];
      roles: Role[];
    };

export async function fetchMe(): Promise<Me> {
  const response = await fetch('/auth/me', { headers: APP_HEADER });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return (await response.json()) as Me;
}

/** Full-page navigation to identity (login, or step-up when `acr` is given). */
export function login(returnTo = window.location.pathname + window.location.search, acr?: string): void {
  const params = new URLSearchParams({ returnTo });
  if (acr) params.set('acr', acr);
  window.location.assign(`/auth/login?${params.toString()}`);
}

export async function logout(): Promise<void> {
  const response = await fetch('/auth/logout', { method: 'POST', headers: APP_HEADER });
  const body = (await response.json().catch(() => ({}))) as { redirect?: string };
  window.location.assign(body.redirect ?? '/');
}
