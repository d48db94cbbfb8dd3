// The signed-in user for every component; pages that need a login show the login prompt instead.
import { createContext, useContext, type ReactNode } from 'react';
import { login, type Me, type Role } from './api/session.ts';
import { t } from './i18n/index.ts';

export const SessionContext = createContext<Me>({ authenticated: false, channels: [] });
export const useMe = () => useContext(SessionContext);

export function hasRole(me: Me, role: Role): boolean {
  return me.authenticated && me.roles.includes(role);
}

export function RequireLogin({ children }: { children: ReactNode }) {
  const me = useMe();
  if (me.authenticated) return <>{children}</>;
  return (
    <section className="card login-prompt" aria-labelledby="login-title">
      <h1 id="login-title">{t.auth.loginTitle}</h1>
      <p>{t.auth.loginHint}</p>
      <button type="button" onClick={() => login()}>
        {t.auth.loginButton}
      </button>
    </section>
  );
}
