// Registration (phone + SMS code + password, with the citizen's name and ID number the account is
// keyed by) and password reset by SMS code. Each is one form with two submit buttons: "send the
// code" (which skips the browser's required-field checks) and the final action.
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../domain/accounts/password-policy.ts';
import { STRINGS } from './strings.ts';
import { field, hidden, html, oneTimeCodeField, phoneField, type Html } from './html.ts';
import { layout, notice, problemAlert, type PageProblem } from './layout.ts';

interface SelfServiceModel {
  interactionId: string | undefined;
  csrf: string;
  phone?: string | undefined;
  notice?: string | undefined;
  problem?: PageProblem | undefined;
}

export interface RegisterPageModel extends SelfServiceModel {
  name?: string | undefined;
  subjectId?: string | undefined;
}

const passwordRules = (): Html =>
  html`<div class="hint" id="password_rules">
    ${STRINGS.passwordRulesTitle}
    <ul>
      ${STRINGS.passwordRules.map((rule) => html`<li>${rule}</li>`)}
    </ul>
  </div>`;

/** Phone, send-code button and code field: the part both forms share. */
function phoneAndCode(model: SelfServiceModel): Html {
  return html`${phoneField(model.phone)}
    <button type="submit" class="secondary" name="action" value="send" formnovalidate>${STRINGS.sendCode}</button>
    ${oneTimeCodeField(STRINGS.smsCode)}`;
}

function newPasswordFields(): Html {
  return html`${field({
    id: 'password',
    label: STRINGS.newPassword,
    type: 'password',
    autocomplete: 'new-password',
    minlength: PASSWORD_MIN_LENGTH,
    maxlength: PASSWORD_MAX_LENGTH,
    describedBy: 'password_rules',
  })}
  ${passwordRules()}
  ${field({
    id: 'password_confirm',
    label: STRINGS.confirmPassword,
    type: 'password',
    autocomplete: 'new-password',
    maxlength: PASSWORD_MAX_LENGTH,
  })}`;
}

const loginHref = (interactionId: string | undefined) =>
  interactionId ? `/login?interaction=${encodeURIComponent(interactionId)}` : '/login';

export function registerPage(model: RegisterPageModel): string {
  return layout(
    STRINGS.registerTitle,
    html`<p>${STRINGS.registerIntro}</p>
      ${problemAlert(model.problem)} ${notice(model.notice)}
      <form method="post" action="/register">
        ${hidden('csrf', model.csrf)}${hidden('interaction', model.interactionId)}
        ${field({ id: 'name', label: STRINGS.personName, autocomplete: 'name', maxlength: 200, value: model.name })}
        ${field({
          id: 'subject_id',
          label: STRINGS.citizenId,
          autocomplete: 'off',
          maxlength: 18,
          value: model.subjectId,
        })}
        ${phoneAndCode(model)} ${newPasswordFields()}
        <button type="submit" name="action" value="register">${STRINGS.submitRegister}</button>
      </form>
      <p class="links"><a href="${loginHref(model.interactionId)}">${STRINGS.goToLogin}</a></p>`,
  );
}

export function resetPasswordPage(model: SelfServiceModel): string {
  return layout(
    STRINGS.resetTitle,
    html`<p>${STRINGS.resetIntro}</p>
      ${problemAlert(model.problem)} ${notice(model.notice)}
      <form method="post" action="/password-reset">
        ${hidden('csrf', model.csrf)}${hidden('interaction', model.interactionId)} ${phoneAndCode(model)}
        ${newPasswordFields()}
        <button type="submit" name="action" value="reset">${STRINGS.submitReset}</button>
      </form>
      <p class="links"><a href="${loginHref(model.interactionId)}">${STRINGS.goToLogin}</a></p>`,
  );
}

/** After registration or reset: what happened and the way back to the login. */
export function selfServiceDonePage(title: string, message: string, interactionId: string | undefined): string {
  return layout(
    title,
    html`<p class="notice" role="status">${message}</p>
      <p class="links"><a href="${loginHref(interactionId)}">${STRINGS.goToLogin}</a></p>`,
  );
}
