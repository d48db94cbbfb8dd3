// Last line of defence: a rendering error shows a message with a reload button, never a blank page.
import { Component, type ReactNode } from 'react';
import { t } from '../i18n/index.ts';

export class ErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="notice notice-error" role="alert">
        <p>{t.app.crashed}</p>
        <button type="button" onClick={() => window.location.reload()}>
          {t.app.reload}
        </button>
      </div>
    );
  }
}
