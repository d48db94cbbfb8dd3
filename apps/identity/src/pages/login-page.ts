// The login page: password or SMS code, optionally the upstream (national) provider; and the
// second step for accounts with an authenticator app.
import { STRINGS } from './strings.ts';
import { hidden, html } from './html.ts';
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
          <label for="login_name">${STRINGS.loginName}</label>
          <input
            type="text"
            id="login_name"
            name="login_name"
            autocomplete="username"
            required
            maxlength="64"
            value="${model.loginName ?? ''}"
          />
          <label for="password">${STRINGS.password}</label>
          <input
            type="password"
            id="password"
            name="password"
            autocomplete="current-password"
            required
            maxlength="256"
          />
          <button type="submit">${STRINGS.submitLogin}</button>
        </fieldset>
      </form>
      <form method="post" action="/login/sms">
        <fieldset>
          <legend>${STRINGS.smsTab}</legend>
          ${common}
          <label for="phone">${STRINGS.phone}</label>
          <input
            type="tel"
            id="phone"
            name="phone"
            autocomplete="tel"
            inputmode="numeric"
            maxlength="11"
            value="${model.phone ?? ''}"
            required
          />
          <button type="submit" class="secondary" name="action" value="send">${STRINGS.sendCode}</button>
          <label for="code">${STRINGS.smsCode}</label>
          <input type="text" id="code" name="code" autocomplete="one-time-code" inputmode="numeric" maxlength="6" />
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
        <label for="code">${STRINGS.totpCode}</label>
        <input
          type="text"
          id="code"
          name="code"
          autocomplete="one-time-code"
          inputmode="numeric"
          maxlength="6"
          required
        />
        <button type="submit">${STRINGS.verify}</button>
      </form>`,
  );
}
