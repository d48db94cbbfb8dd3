// Consent for third-party clients: what the app asks for, in plain words.
import { STRINGS } from './strings.ts';
import { hidden, html } from './html.ts';
import { layout } from './layout.ts';

export function consentPage(model: {
  interactionId: string;
  csrf: string;
  clientName: string;
  scopes: string[];
}): string {
  const items = model.scopes.map((scope) => html`<li>${STRINGS.scopeLabels[scope] ?? STRINGS.otherScope(scope)}</li>`);
  return layout(
    STRINGS.consentTitle,
    html`<p>${STRINGS.consentIntro(model.clientName)}</p>
      <ul>
        ${items}
      </ul>
      <form method="post" action="/consent">
        ${hidden('csrf', model.csrf)}${hidden('interaction', model.interactionId)}
        <button type="submit" name="decision" value="approve">${STRINGS.approve}</button>
        <button type="submit" name="decision" value="deny" class="secondary">${STRINGS.deny}</button>
      </form>`,
  );
}
