// My account: who I am and my trust level, my SSO sessions (end one: every app logs out), the
// registry check (trust level 2) and the authenticator app (TOTP) enrolment.
import { useState } from 'react';
import { identity } from '../api/clients.ts';
import { login } from '../api/session.ts';
import { DataView, ErrorNotice, Success } from '../components/feedback.tsx';
import { QrCode } from '../components/qr-code.tsx';
import { TextField } from '../components/form.tsx';
import { t } from '../i18n/index.ts';
import { useMe } from '../session-context.tsx';
import { useAction, useLoad } from '../use-load.ts';

export function AccountPage() {
  const me = useMe();
  const account = useLoad(() => identity.account.me.query(), []);
  const sessions = useLoad(() => identity.session.listMine.query(), []);
  return (
    <section>
      <h1>{t.account.title}</h1>
      <section className="card" aria-labelledby="profile-title">
        <h2 id="profile-title">{t.account.profile}</h2>
        <DataView loaded={account}>
          {(a) => (
            <>
              <dl className="facts">
                <dt>{t.account.name}</dt>
                <dd>{a.name}</dd>
                <dt>{t.account.subjectType}</dt>
                <dd>{t.account[a.kind]}</dd>
                <dt>{t.account.subjectId}</dt>
                <dd className="mono">{a.subjectId}</dd>
                <dt>{t.account.phone}</dt>
                <dd>{a.phone ?? '—'}</dd>
                <dt>{t.account.trustLevel}</dt>
                <dd data-testid="trust-level">{t.account.trustLevels[a.trustLevel]}</dd>
                {me.authenticated && me.acr && (
                  <>
                    <dt>{t.account.sessionTrust}</dt>
                    <dd>{t.account.trustLevels[Number(me.acr)]}</dd>
                  </>
                )}
              </dl>
              {a.trustLevel < 2 && <RegistryCheck name={a.name} onDone={account.reload} />}
              <Totp enabled={a.totpEnabled} onChange={account.reload} />
            </>
          )}
        </DataView>
      </section>
      <section className="card" aria-labelledby="sessions-title">
        <h2 id="sessions-title">{t.account.sessions}</h2>
        <DataView loaded={sessions}>
          {(list) => (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t.account.sessionStarted}</th>
                    <th scope="col">{t.account.sessionLastSeen}</th>
                    <th scope="col">{t.account.sessionApps}</th>
                    <th scope="col">{t.app.actions}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((session) => (
                    <tr key={session.id}>
                      <td>
                        {t.dateTime(session.authTime)}
                        {session.current && <span className="badge">{t.account.sessionCurrent}</span>}
                      </td>
                      <td>{t.dateTime(session.lastSeenAt)}</td>
                      <td>{session.clients.join('、')}</td>
                      <td>
                        <EndSession id={session.id} current={session.current} onDone={sessions.reload} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </DataView>
      </section>
    </section>
  );
}

function EndSession({ id, current, onDone }: { id: string; current: boolean; onDone: () => void }) {
  const end = useAction(() => identity.session.endMine.mutate({ sessionId: id }));
  return (
    <>
      <button
        type="button"
        className="secondary"
        disabled={end.state.status === 'busy'}
        onClick={async () => {
          if (await end.execute()) {
            if (current) window.location.assign('/');
            else onDone();
          }
        }}
      >
        {t.account.sessionEnd}
      </button>
      {end.state.status === 'error' && <ErrorNotice error={end.state.error} />}
    </>
  );
}

function RegistryCheck({ name, onDone }: { name: string; onDone: () => void }) {
  const [value, setValue] = useState(name);
  const check = useAction(() => identity.account.verifyWithRegistry.mutate({ name: value }));
  return (
    <form
      className="subform"
      onSubmit={async (event) => {
        event.preventDefault();
        if (await check.execute()) onDone();
      }}
    >
      <h3>{t.account.verifyRegistry}</h3>
      <TextField label={t.account.name} value={value} required onChange={(e) => setValue(e.target.value)} />
      <button type="submit" disabled={check.state.status === 'busy'}>
        {t.account.verifyRegistryButton}
      </button>
      {check.state.status === 'error' && <ErrorNotice error={check.state.error} />}
      {check.state.status === 'done' && (
        <Success>
          {t.account.verifiedTo(check.state.data.trustLevel)}{' '}
          <button
            type="button"
            className="link"
            onClick={() => login('/account', String(check.state.status === 'done' ? check.state.data.trustLevel : 2))}
          >
            {t.auth.stepUpButton}
          </button>
        </Success>
      )}
    </form>
  );
}

function Totp({ enabled, onChange }: { enabled: boolean; onChange: () => void }) {
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const enroll = useAction(() => identity.account.totp.enroll.mutate({ currentPassword: password }));
  const confirm = useAction(() => identity.account.totp.confirm.mutate({ code }));
  const disable = useAction(() => identity.account.totp.disable.mutate({ currentPassword: password, code }));
  return (
    <div className="subform">
      <h3>
        {t.account.totp}：<span>{enabled ? t.account.totpOn : t.account.totpOff}</span>
      </h3>
      {confirm.state.status === 'done' && <Success>{t.account.totpEnabled}</Success>}
      {disable.state.status === 'done' && <Success>{t.account.totpDisabled}</Success>}
      {!enabled && enroll.state.status !== 'done' && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void enroll.execute();
          }}
        >
          <TextField
            label={t.account.totpPassword}
            type="password"
            autoComplete="current-password"
            value={password}
            required
            onChange={(e) => setPassword(e.target.value)}
          />
          <button type="submit">{t.account.totpEnroll}</button>
          {enroll.state.status === 'error' && <ErrorNotice error={enroll.state.error} />}
        </form>
      )}
      {!enabled && enroll.state.status === 'done' && confirm.state.status !== 'done' && (
        <form
          onSubmit={async (event) => {
            event.preventDefault();
            if (await confirm.execute()) onChange();
          }}
        >
          <p>{t.account.totpSecret}</p>
          <QrCode value={enroll.state.data.otpauthUri} label={t.account.totp} size={200} />
          <p className="mono" data-testid="totp-secret">
            {enroll.state.data.secret}
          </p>
          <TextField
            label={t.account.totpCode}
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="\d{6}"
            value={code}
            required
            onChange={(e) => setCode(e.target.value)}
          />
          <button type="submit">{t.account.totpConfirm}</button>
          {confirm.state.status === 'error' && <ErrorNotice error={confirm.state.error} />}
        </form>
      )}
      {enabled && disable.state.status !== 'done' && (
        <form
          onSubmit={async (event) => {
            event.preventDefault();
            if (await disable.execute()) onChange();
          }}
        >
          <TextField
            label={t.account.totpPassword}
            type="password"
            autoComplete="current-password"
            value={password}
            required
            onChange={(e) => setPassword(e.target.value)}
          />
          <TextField
            label={t.account.totpCode}
            inputMode="numeric"
            pattern="\d{6}"
            value={code}
            required
            onChange={(e) => setCode(e.target.value)}
          />
          <button type="submit" className="secondary">
            {t.account.totpDisable}
          </button>
          {disable.state.status === 'error' && <ErrorNotice error={disable.state.error} />}
        </form>
      )}
    </div>
  );
}
