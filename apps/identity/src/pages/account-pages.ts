// "My account" pages for the holder of an SSO session: overview, sessions (end one), the
// authenticator app (enrol with a QR code, disable) and the third-party apps consented to (revoke).
import { STRINGS } from './strings.ts';
import { field, hidden, html, oneTimeCodeField, type Html } from './html.ts';
import { layout, notice, problemAlert, type PageProblem } from './layout.ts';
import { qrCodeSvg } from './qr-code.ts';

type Section = 'overview' | 'sessions' | 'totp' | 'apps';

interface Feedback {
  notice?: string | undefined;
  problem?: PageProblem | undefined;
}

const SECTIONS: Array<[Section, string, string]> = [
  ['overview', '/account', STRINGS.navOverview],
  ['sessions', '/account/sessions', STRINGS.navSessions],
  ['totp', '/account/totp', STRINGS.navTotp],
  ['apps', '/account/apps', STRINGS.navApps],
];

function accountLayout(title: string, section: Section, feedback: Feedback, body: Html): string {
  const links = SECTIONS.map(([key, href, label]) =>
    key === section
      ? html`<li><a href="${href}" aria-current="page">${label}</a></li>`
      : html`<li><a href="${href}">${label}</a></li>`,
  );
  return layout(
    title,
    html`<nav aria-label="${STRINGS.accountNav}">
        <ul>
          ${links}
          <li><a href="/oidc/logout">${STRINGS.navLogout}</a></li>
        </ul>
      </nav>
      ${problemAlert(feedback.problem)} ${notice(feedback.notice)} ${body}`,
  );
}

const TIME_FORMAT = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});
export const formatTime = (at: Date): string => TIME_FORMAT.format(at);

const mask = (value: string | null, keepStart: number, keepEnd: number): string =>
  value && value.length > keepStart + keepEnd
    ? `${value.slice(0, keepStart)}${'*'.repeat(value.length - keepStart - keepEnd)}${value.slice(-keepEnd)}`
    : (value ?? STRINGS.none);

export interface AccountSummary {
  name: string;
  subjectId: string;
  phone: string | null;
  trustLevel: number;
  totpEnabled: boolean;
}

export function accountOverviewPage(model: { account: AccountSummary } & Feedback): string {
  const { account } = model;
  return accountLayout(
    STRINGS.accountTitle,
    'overview',
    model,
    html`<dl>
      <dt>${STRINGS.personName}</dt>
      <dd>${account.name}</dd>
      <dt>${STRINGS.idNumber}</dt>
      <dd>${mask(account.subjectId, 3, 4)}</dd>
      <dt>${STRINGS.phone}</dt>
      <dd>${mask(account.phone, 3, 4)}</dd>
      <dt>${STRINGS.trustLevel}</dt>
      <dd>${STRINGS.levels[account.trustLevel] ?? String(account.trustLevel)}</dd>
      <dt>${STRINGS.totpStatus}</dt>
      <dd>${account.totpEnabled ? STRINGS.enabled : STRINGS.notEnabled}</dd>
    </dl>`,
  );
}

export interface SessionSummary {
  sid: string;
  current: boolean;
  authTime: Date;
  lastSeenAt: Date;
  amr: string[];
  ip: string | null;
  userAgent: string | null;
  apps: string[];
}

export function sessionsPage(model: { csrf: string; sessions: SessionSummary[] } & Feedback): string {
  const cards = model.sessions.map(
    (session) =>
      html`<section class="card" aria-labelledby="session-${session.sid}">
        <h2 id="session-${session.sid}">
          ${STRINGS.sessionHeading(formatTime(session.authTime))}
          ${session.current ? html`<span class="badge">${STRINGS.thisBrowser}</span>` : html``}
        </h2>
        <dl>
          <dt>${STRINGS.sessionLastSeen}</dt>
          <dd>${formatTime(session.lastSeenAt)}</dd>
          <dt>${STRINGS.sessionMeans}</dt>
          <dd>${session.amr.map((amr) => STRINGS.amrLabels[amr] ?? amr).join('、')}</dd>
          <dt>${STRINGS.sessionIp}</dt>
          <dd>${session.ip ?? STRINGS.unknown}</dd>
          <dt>${STRINGS.sessionDevice}</dt>
          <dd>${session.userAgent ?? STRINGS.unknown}</dd>
          <dt>${STRINGS.sessionApps}</dt>
          <dd>${session.apps.length ? session.apps.join('、') : STRINGS.none}</dd>
        </dl>
        <form method="post" action="/account/sessions/end">
          ${hidden('csrf', model.csrf)}${hidden('sid', session.sid)}
          <button type="submit" class="secondary">
            ${session.current ? STRINGS.endThisSession : STRINGS.endSession}
          </button>
        </form>
      </section>`,
  );
  return accountLayout(
    STRINGS.sessionsTitle,
    'sessions',
    model,
    html`<p>${STRINGS.sessionsIntro}</p>
      ${cards}`,
  );
}

export type TotpState =
  { kind: 'enabled' } | { kind: 'off' } | { kind: 'enrolling'; secret: string; otpauthUri: string };

const passwordField = () =>
  field({
    id: 'current_password',
    label: STRINGS.currentPassword,
    type: 'password',
    autocomplete: 'current-password',
    maxlength: 256,
  });

export function totpSettingsPage(
  model: { csrf: string; state: TotpState; enrolment?: string | undefined } & Feedback,
): string {
  const csrf = hidden('csrf', model.csrf);
  const { state } = model;
  const body =
    state.kind === 'enabled'
      ? html`<p>${STRINGS.totpOnIntro}</p>
          <form method="post" action="/account/totp/disable">
            <fieldset>
              <legend>${STRINGS.totpDisable}</legend>
              ${csrf} ${passwordField()} ${oneTimeCodeField(STRINGS.totpCode)}
              <button type="submit" class="secondary">${STRINGS.totpDisable}</button>
            </fieldset>
          </form>`
      : state.kind === 'off'
        ? html`<p>${STRINGS.totpOffIntro}</p>
            <form method="post" action="/account/totp/enroll">
              <p>${STRINGS.reauthIntro}</p>
              ${csrf} ${passwordField()}
              <button type="submit">${STRINGS.totpStart}</button>
            </form>`
        : html`<p>${STRINGS.totpScan}</p>
            ${qrCodeSvg(state.otpauthUri, STRINGS.totpQrLabel)}
            <dl>
              <dt>${STRINGS.totpSecret}</dt>
              <dd><code id="totp_secret">${state.secret}</code></dd>
            </dl>
            <form method="post" action="/account/totp/confirm">
              ${csrf}${hidden('enrolment', model.enrolment)} ${oneTimeCodeField(STRINGS.totpConfirmCode)}
              <button type="submit">${STRINGS.totpConfirm}</button>
            </form>`;
  return accountLayout(STRINGS.totpSetupTitle, 'totp', model, body);
}

export interface ConsentSummary {
  clientId: string;
  clientName: string;
  scopes: string[];
  grantedAt: Date;
}

export function appsPage(model: { csrf: string; consents: ConsentSummary[] } & Feedback): string {
  const cards = model.consents.map(
    (consent, index) =>
      html`<section class="card" aria-labelledby="app-${index}">
        <h2 id="app-${index}">${consent.clientName}</h2>
        <dl>
          <dt>${STRINGS.consentedAt}</dt>
          <dd>${formatTime(consent.grantedAt)}</dd>
          <dt>${STRINGS.consentScopes}</dt>
          <dd>${consent.scopes.map((scope) => STRINGS.scopeLabels[scope] ?? STRINGS.otherScope(scope)).join('；')}</dd>
        </dl>
        <form method="post" action="/account/apps/revoke">
          ${hidden('csrf', model.csrf)}${hidden('client_id', consent.clientId)}
          <button type="submit" class="secondary">${STRINGS.revokeConsent(consent.clientName)}</button>
        </form>
      </section>`,
  );
  return accountLayout(
    STRINGS.appsTitle,
    'apps',
    model,
    html`<p>${STRINGS.appsIntro}</p>
      ${model.consents.length ? cards : html`<p>${STRINGS.noConsents}</p>`}`,
  );
}
