// The login page: password or SMS code, optionally the upstream (national) provider; and the
// second step for accounts with an authenticator app.
import { STRINGS } from './strings.ts';
import { field, hidden, html, oneTimeCodeField, phoneField } from './html.ts';
import { alert, layout } from './layout.ts';

export interface LoginPageModel {
  interactionId: string | undefined;
  csrf: string;
  clientName: string | undefined;
  error?: string | undefined;
  notice?: string | undefined;
  loginName?: string | undefined;
  phone?: string | undefined;
  federation?: { name: string; href: string } | undefined;
}

const withInteraction = (path: string, interactionId: string | undefined) =>
  interactionId ? `${path}?interaction=${encodeURIComponent(interactionId)}` : path;

export function loginPage(model: LoginPageModel): string {
  const common = html`${hidden('csrf', model.csrf)}${hidden('interaction', model.interactionId)}`;
  return layout(
    STRINGS.loginTitle,
    html`<p>${model.clientName ? STRINGS.loginIntro(model.clientName) : STRINGS.loginIntroNoClient}</p>
      ${alert(model.error)} ${model.notice ? html`<p class="notice" role="status">${model.notice}</p>` : html``}
      <form method="post" action="/login/password">
        <fieldset>
          <legend>${STRINGS.passwordTab}</legend>
          ${common}
          ${field({
            id: 'login_name',
            label: STRINGS.loginName,
            autocomplete: 'username',
            maxlength: 64,
            value: model.loginName,
          })}
          ${field({
            id: 'password',
            label: STRINGS.password,
            type: 'password',
            autocomplete: 'current-password',
            maxlength: 256,
          })}
          <button type="submit">${STRINGS.submitLogin}</button>
        </fieldset>
      </form>
      <form method="post" action="/login/sms">
        <fieldset>
          <legend>${STRINGS.smsTab}</legend>
          ${common} ${phoneField(model.phone)}
          <button type="submit" class="secondary" name="action" value="send">${STRINGS.sendCode}</button>
          ${oneTimeCodeField(STRINGS.smsCode, { required: false })}
          <button type="submit" name="action" value="login">${STRINGS.submitLogin}</button>
        </fieldset>
      </form>
      ${model.federation ? html`<p><a href="${model.federation.href}">${STRINGS.federatedLogin(model.federation.name)}</a></p>` : html``}
      <p class="links">
        <a href="${withInteraction('/register', model.interactionId)}">${STRINGS.registerLink}</a>
        <a href="${withInteraction('/password-reset', model.interactionId)}">${STRINGS.forgotPasswordLink}</a>
      </p>`,
  );
}

export function totpPage(model: {
  interactionId: string | undefined;
  csrf: string;
  pending: string;
  error?: string | undefined;
}): string {
  return layout(
    STRINGS.totpTitle,
    html`<p>${STRINGS.totpIntro}</p>
      ${alert(model.error)}
      <form method="post" action="/login/totp">
        ${hidden('csrf', model.csrf)}${hidden('interaction', model.interactionId)}${hidden('pending', model.pending)}
        ${oneTimeCodeField(STRINGS.totpCode)}
        <button type="submit">${STRINGS.verify}</button>
      </form>`,
  );
}
