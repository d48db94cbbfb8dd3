// Loading, error and empty states, used by every data view so none is left blank or silent.
import type { ReactNode } from 'react';
import type { ShownError } from '../api/errors.ts';
import { login } from '../api/session.ts';
import { t } from '../i18n/index.ts';
import type { Loaded } from '../use-load.ts';

export function Loading({ label = t.app.loading }: { label?: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

export function ErrorNotice({ error, onRetry }: { error: ShownError; onRetry?: () => void }) {
  return (
    <div className="notice notice-error" role="alert">
      <p>{error.requestId ? t.errors.withRequestId(error.message, error.requestId) : error.message}</p>
      {error.issues.length > 0 && (
        <ul>
          {error.issues.map((issue) => (
            <li key={issue.path + issue.message}>
              <code>{issue.path}</code> {issue.message}
            </li>
          ))}
        </ul>
      )}
      <div className="button-row">
        {error.needsLogin && (
          <button type="button" onClick={() => login()}>
            {t.nav.login}
          </button>
        )}
        {error.needsStepUp && (
          <button type="button" onClick={() => login(undefined, '2')}>
            {t.auth.stepUpButton}
          </button>
        )}
        {onRetry && (
          <button type="button" className="secondary" onClick={onRetry}>
            {t.app.retry}
          </button>
        )}
      </div>
    </div>
  );
}

export function Success({ children }: { children: ReactNode }) {
  return (
    <div className="notice notice-success" role="status">
      {children}
    </div>
  );
}

/** Renders a loaded value, or its loading / error state. */
export function DataView<T>({ loaded, children }: { loaded: Loaded<T>; children: (data: T) => ReactNode }) {
  if (loaded.state === 'loading') return <Loading />;
  if (loaded.state === 'error') return <ErrorNotice error={loaded.error} onRetry={loaded.reload} />;
  return <>{children(loaded.data)}</>;
}

export function Empty({ children = t.app.empty }: { children?: ReactNode }) {
  return <p className="empty">{children}</p>;
}
