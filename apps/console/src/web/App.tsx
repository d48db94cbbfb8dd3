// The shell: header, navigation by role, the page for the current route, and the footer.
import { useEffect, useState } from 'react';
import { fetchMe, login, logout, type Me } from './api/session.ts';
import { ErrorBoundary } from './components/error-boundary.tsx';
import { ErrorNotice, Loading } from './components/feedback.tsx';
import { t } from './i18n/index.ts';
import { Link, useRouter } from './router.tsx';
import { findRoute, navigationFor } from './routes.tsx';
import { SessionContext } from './session-context.tsx';

export function App() {
  const [me, setMe] = useState<Me | undefined>();
  const [failed, setFailed] = useState(false);
  const { location } = useRouter();
  const [menuOpen, setMenuOpen] = useState(false);

  useEffect(() => {
    fetchMe().then(setMe, () => setFailed(true));
  }, []);
  useEffect(() => setMenuOpen(false), [location.path]);

  const route = findRoute(location.path);
  useEffect(() => {
    document.title = route ? `${route.title} - ${t.app.title}` : t.app.title;
  }, [route]);

  if (failed)
    return (
      <main className="content">
        <ErrorNotice
          error={{
            message: t.errors.network,
            code: undefined,
            issues: [],
            requestId: undefined,
            needsLogin: false,
            needsStepUp: false,
          }}
          onRetry={() => window.location.reload()}
        />
      </main>
    );
  if (!me) return <Loading />;

  const loginError = location.search.get('loginError');
  const sections = navigationFor(me);
  return (
    <SessionContext.Provider value={me}>
      <a className="skip-link" href="#main">
        {t.app.skipToContent}
      </a>
      <header className="site-header">
        <div className="brand">
          <Link to="/" className="brand-link">
            {t.app.title}
          </Link>
          <span className="brand-sub">{t.app.subtitle}</span>
        </div>
        <div className="user-box">
          {me.authenticated ? (
            <>
              <span className="user-name">{t.auth.signedInAs(me.name ?? me.subjectCode ?? '')}</span>
              <button type="button" className="secondary" onClick={() => void logout()}>
                {t.nav.logout}
              </button>
            </>
          ) : (
            <button type="button" onClick={() => login()}>
              {t.nav.login}
            </button>
          )}
        </div>
        <button
          type="button"
          className="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="site-nav"
          onClick={() => setMenuOpen((open) => !open)}
        >
          {t.app.menu}
        </button>
      </header>
      <div className="layout">
        <nav id="site-nav" className={`site-nav${menuOpen ? ' open' : ''}`} aria-label={t.app.menu}>
          {sections.map((section) => (
            <div key={section.title} className="nav-section">
              <h2 className="nav-title">{section.title}</h2>
              <ul>
                {section.links.map((link) => (
                  <li key={link.to}>
                    <Link to={link.to}>{link.label}</Link>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </nav>
        <main id="main" className="content" tabIndex={-1}>
          {loginError && (
            <div className="notice notice-error" role="alert">
              {t.auth.loginFailed}
            </div>
          )}
          {route ? (
            <ErrorBoundary key={location.path}>{route.render(route.params)}</ErrorBoundary>
          ) : (
            <section>
              <h1>{t.app.notFound}</h1>
              <p>{t.app.notFoundHint}</p>
              <Link to="/">{t.app.backHome}</Link>
            </section>
          )}
        </main>
      </div>
    </SessionContext.Provider>
  );
}
