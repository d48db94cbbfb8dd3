// Step-up: the client needs a higher trust level than the session has. Levels 2 and 3 can be
// reached here (registry check, face check); level 4 needs a certificate or a counter visit.
import { STRINGS } from './strings.ts';
import { field, hidden, html } from './html.ts';
import { alert, layout } from './layout.ts';

export function stepUpPage(model: {
  interactionId: string;
  csrf: string;
  required: number;
  current: number;
  error?: string | undefined;
}): string {
  const common = html`${hidden('csrf', model.csrf)}${hidden('interaction', model.interactionId)}`;
  const next = model.current + 1;
  const form =
    next === 2
      ? html`<form method="post" action="/step-up/registry">
          ${common} ${field({ id: 'name', label: STRINGS.registryName, autocomplete: 'name', maxlength: 200 })}
          <button type="submit">${STRINGS.registryCheck}</button>
        </form>`
      : next === 3
        ? html`<form method="post" action="/step-up/face">
            ${common} ${field({ id: 'sample', label: STRINGS.faceSample, autocomplete: 'off', maxlength: 200000 })}
            <button type="submit">${STRINGS.faceCheck}</button>
          </form>`
        : html`<p class="notice">${STRINGS.counterOnly}</p>`;
  return layout(
    STRINGS.stepUpTitle,
    html`<p>${STRINGS.stepUpIntro(STRINGS.levels[model.required] ?? '', STRINGS.levels[model.current] ?? '')}</p>
      ${alert(model.error)} ${form}
      <form method="post" action="/step-up/cancel">
        ${common}<button type="submit" class="secondary">${STRINGS.cancel}</button>
      </form>`,
  );
}
