// The signed-in user as the console server reports it (session.me), and the login/logout actions.
import type { ConsoleRole, ConsoleSessionView } from '@platform/contracts';
import { APP_HEADER } from './clients.ts';

export type Role = ConsoleRole;
export type Me = ConsoleSessionView;

export async function fetchMe(retried = false): Promise<Me> {
  const response = await fetch('/api/session', { headers: APP_HEADER });
  // 401: the session's token did not verify and the server ended the session; ask once more as anonymous.
  if (response.status === 401 && !retried) return fetchMe(true);
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
