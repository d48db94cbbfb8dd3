// Small pages: logout confirmation, logged out, and errors shown to the user.
import { STRINGS } from './strings.ts';
import { hidden, html } from './html.ts';
import { layout } from './layout.ts';

export function logoutConfirmPage(model: {
  csrf: string;
  postLogoutRedirectUri?: string | undefined;
  state?: string | undefined;
  clientId?: string | undefined;
}): string {
  return layout(
    STRINGS.logoutTitle,
    html`<p>${STRINGS.logoutQuestion}</p>
      <form method="post" action="/oidc/logout/confirm">
        ${hidden('csrf', model.csrf)}${hidden('post_logout_redirect_uri', model.postLogoutRedirectUri)}${hidden('state', model.state)}${hidden('client_id', model.clientId)}
        <button type="submit">${STRINGS.logoutConfirm}</button>
      </form>`,
  );
}

export const loggedOutPage = (): string => layout(STRINGS.logoutTitle, html`<p role="status">${STRINGS.loggedOut}</p>`);

export const errorPage = (message: string): string =>
  layout(STRINGS.errorTitle, html`<p class="alert" role="alert">${message}</p>`);
