// Holders: my licenses (wallet), a license's detail, showing it by QR (亮证), use grants (用证授权)
// and the usage log (用证记录).
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { FieldSchema, LicenseView } from '@platform/contracts';
import { identity, license, licenseActingFor } from '../api/clients.ts';
import { describeError, type ShownError } from '../api/errors.ts';
import { DataView, Empty, ErrorNotice, Loading, Success } from '../components/feedback.tsx';
import { Checkbox, SelectField, TextField } from '../components/form.tsx';
import { QrCode } from '../components/qr-code.tsx';
import { t } from '../i18n/index.ts';
import { Link } from '../router.tsx';
import { useAction, useLoad } from '../use-load.ts';

/** The field titles of a license's type (the labels printed on the license). */
function useFieldSchema(typeCode: string | undefined, version: number | undefined) {
  return useLoad(
    async () => (typeCode ? (await license.types.get.query({ code: typeCode, version })).fieldSchema : undefined),
    [typeCode, version],
  );
}

const titleOf = (schema: FieldSchema | undefined, name: string) => schema?.properties[name]?.title ?? name;
const show = (value: unknown) => (Array.isArray(value) ? value.join('、') : String(value));

/**
 * A list of licenses as cards; `nested` when inside another card (a firm's section), `actions` for
 * what the viewer may do with each.
 */
function LicenseCards({
  licenses,
  nested = false,
  actions,
}: {
  licenses: LicenseView[];
  nested?: boolean;
  actions?: (item: LicenseView) => ReactNode;
}) {
  if (licenses.length === 0) return <Empty>{t.wallet.none}</Empty>;
  const Heading = nested ? 'h3' : 'h2';
  return (
    <ul className="license-list">
      {licenses.map((item) => (
        <li key={item.id} className={nested ? 'license-card' : 'card license-card'}>
          <Heading>{item.type.name}</Heading>
          <p className={`status status-${item.status}`}>{t.status[item.status] ?? item.status}</p>
          <dl className="facts compact">
            <dt>{t.wallet.holder}</dt>
            <dd>{item.holder.name}</dd>
            <dt>{t.verify.identifier}</dt>
            <dd className="mono small">{item.identifier}</dd>
            <dt>{t.wallet.issuedAt}</dt>
            <dd>{t.date(item.issuedAt)}</dd>
            <dt>{t.wallet.validUntil}</dt>
            <dd>{item.validUntil ? t.date(item.validUntil) : t.verify.longTerm}</dd>
          </dl>
          {actions?.(item)}
        </li>
      ))}
    </ul>
  );
}

/** The legal persons whose licenses this user may see as their agent (active, covering license:holder). */
async function firmsIActFor(): Promise<Array<{ code: string; name: string; validUntil: string }>> {
  const { asAgent } = await identity.agent.listMine.query();
  return asAgent
    .filter((authorisation) => authorisation.status === 'active' && authorisation.scopes.includes('license:holder'))
    .map((authorisation) => ({
      code: authorisation.principal.subjectId,
      name: authorisation.principal.name,
      validUntil: authorisation.validUntil,
    }));
}

/** A firm's licenses, read as its agent: shown, not acted on (showing by QR is the firm's own act). */
function FirmLicenses({ firm }: { firm: { code: string; name: string; validUntil: string } }) {
  const licenses = useLoad(() => licenseActingFor(firm.code).wallet.list.query(), [firm.code]);
  return (
    <section className="card" aria-labelledby={`firm-${firm.code}`} data-testid={`firm-${firm.code}`}>
      <h2 id={`firm-${firm.code}`}>{t.wallet.firmTitle(firm.name)}</h2>
      <p className="hint">{t.wallet.firmHint(t.date(firm.validUntil))}</p>
      <DataView loaded={licenses}>{(list) => <LicenseCards licenses={list} nested />}</DataView>
    </section>
  );
}

export function WalletPage() {
  const wallet = useLoad(() => license.wallet.list.query(), []);
  const firms = useLoad(firmsIActFor, []);
  return (
    <section>
      <h1>{t.wallet.title}</h1>
      <p className="lead">{t.wallet.intro}</p>
      <DataView loaded={wallet}>
        {(licenses) => (
          <LicenseCards
            licenses={licenses}
            actions={(item) => (
              <div className="button-row">
                <Link className="button" to={`/wallet/${encodeURIComponent(item.identifier)}/qr`}>
                  {t.wallet.show}
                </Link>
                <Link className="button secondary" to={`/wallet/${encodeURIComponent(item.identifier)}`}>
                  {t.wallet.open}
                  <span className="visually-hidden">{item.type.name}</span>
                </Link>
              </div>
            )}
          />
        )}
      </DataView>
      {firms.state === 'ready' && firms.data.map((firm) => <FirmLicenses key={firm.code} firm={firm} />)}
    </section>
  );
}

async function findInWallet(identifier: string): Promise<LicenseView> {
  const found = (await license.wallet.list.query()).find((item) => item.identifier === identifier);
  if (!found) throw Object.assign(new Error('not in wallet'), { name: 'NotInWallet' });
  return found;
}

export function LicenseDetailPage({ identifier }: { identifier: string }) {
  const item = useLoad(() => findInWallet(identifier), [identifier]);
  const typeCode = item.state === 'ready' ? item.data.type.code : undefined;
  const typeVersion = item.state === 'ready' ? item.data.type.version : undefined;
  const schema = useFieldSchema(typeCode, typeVersion);
  return (
    <section>
      <h1>{t.wallet.detailTitle}</h1>
      <DataView loaded={item}>
        {(l) => (
          <div className="card">
            <h2>{l.type.name}</h2>
            <p className={`status status-${l.status}`}>{t.status[l.status] ?? l.status}</p>
            <dl className="facts">
              <dt>{t.verify.identifier}</dt>
              <dd className="mono">{l.identifier}</dd>
              <dt>{t.verify.issuer}</dt>
              <dd>{l.issuer.name}</dd>
              <dt>{t.wallet.holder}</dt>
              <dd>{l.holder.name}</dd>
              <dt>{t.verify.validity}</dt>
              <dd>
                {t.date(l.validFrom)} – {l.validUntil ? t.date(l.validUntil) : t.verify.longTerm}
              </dd>
              {Object.entries(l.fields).map(([name, value]) => (
                <FieldRow
                  key={name}
                  title={titleOf(schema.state === 'ready' ? schema.data : undefined, name)}
                  value={show(value)}
                />
              ))}
            </dl>
            <Link className="button" to={`/wallet/${encodeURIComponent(l.identifier)}/qr`}>
              {t.wallet.show}
            </Link>
          </div>
        )}
      </DataView>
    </section>
  );
}

function FieldRow({ title, value }: { title: string; value: string }) {
  return (
    <>
      <dt>{title}</dt>
      <dd>{value}</dd>
    </>
  );
}

export function ShowQrPage({ identifier }: { identifier: string }) {
  const item = useLoad(() => findInWallet(identifier), [identifier]);
  const typeCode = item.state === 'ready' ? item.data.type.code : undefined;
  const typeVersion = item.state === 'ready' ? item.data.type.version : undefined;
  const schema = useFieldSchema(typeCode, typeVersion);
  return (
    <section>
      <h1>{t.qr.title}</h1>
      <p className="lead">{t.qr.intro}</p>
      <DataView loaded={item}>
        {(l) =>
          schema.state === 'ready' ? (
            <Presentation item={l} schema={schema.data} />
          ) : schema.state === 'error' ? (
            <ErrorNotice error={schema.error} onRetry={schema.reload} />
          ) : (
            <Loading />
          )
        }
      </DataView>
    </section>
  );
}

function Presentation({ item, schema }: { item: LicenseView; schema: FieldSchema | undefined }) {
  const names = Object.keys(item.fields);
  // Sensitive fields stay hidden unless the holder ticks them.
  const [chosen, setChosen] = useState<string[]>(() =>
    names.filter((name) => !schema?.properties[name]?.['x-sensitive']),
  );
  const [token, setToken] = useState<{ value: string; expiresAt: number } | undefined>();
  const [error, setError] = useState<ShownError | undefined>();
  const [now, setNow] = useState(Date.now());

  const refresh = useCallback(async () => {
    setToken(undefined);
    try {
      const created = await license.presentations.create.mutate({ identifier: item.identifier, fields: chosen });
      setError(undefined);
      setToken({ value: created.token, expiresAt: Date.parse(created.expiresAt) });
    } catch (failure) {
      setError(describeError(failure));
    }
  }, [item.identifier, chosen]);

  useEffect(() => {
    void refresh();
  }, [refresh]);
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  const secondsLeft = token ? Math.max(0, Math.ceil((token.expiresAt - now) / 1000)) : 0;
  useEffect(() => {
    if (token && secondsLeft === 0) void refresh();
  }, [token, secondsLeft, refresh]);

  return (
    <div className="presentation">
      <div className="card qr-card">
        {error ? (
          <ErrorNotice error={error} onRetry={() => void refresh()} />
        ) : token ? (
          <>
            <QrCode value={token.value} label={`${t.qr.alt}：${item.type.name}`} />
            <p className="countdown" aria-live="off" data-testid="countdown">
              {t.qr.refreshIn(secondsLeft)}
            </p>
            <button type="button" className="secondary" onClick={() => void refresh()}>
              {t.qr.refreshNow}
            </button>
            <details>
              <summary>{t.qr.payload}</summary>
              <textarea readOnly rows={3} value={token.value} aria-label={t.qr.payload} data-testid="qr-payload" />
            </details>
          </>
        ) : (
          <Loading label={t.qr.refreshing} />
        )}
      </div>
      <fieldset className="card">
        <legend>{t.qr.chooseFields}</legend>
        {names.map((name) => (
          <Checkbox
            key={name}
            label={`${titleOf(schema, name)}${schema?.properties[name]?.['x-sensitive'] ? `（${t.wallet.sensitive}）` : ''}`}
            checked={chosen.includes(name)}
            onChange={(event) =>
              setChosen((current) =>
                event.target.checked ? [...current, name] : current.filter((value) => value !== name),
              )
            }
          />
        ))}
      </fieldset>
    </div>
  );
}

export function GrantsPage() {
  const grants = useLoad(() => license.grants.list.query(), []);
  const wallet = useLoad(() => license.wallet.list.query(), []);
  return (
    <section>
      <h1>{t.grants.title}</h1>
      <p className="lead">{t.grants.intro}</p>
      <DataView loaded={wallet}>
        {(licenses) =>
          licenses.length === 0 ? (
            <Empty>{t.wallet.none}</Empty>
          ) : (
            <NewGrant licenses={licenses} onDone={grants.reload} />
          )
        }
      </DataView>
      <DataView loaded={grants}>
        {(list) =>
          list.length === 0 ? (
            <Empty>{t.grants.none}</Empty>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t.grants.granteeName}</th>
                    <th scope="col">{t.grants.purpose}</th>
                    <th scope="col">{t.grants.fields}</th>
                    <th scope="col">{t.grants.expiresAt}</th>
                    <th scope="col">{t.grants.status}</th>
                    <th scope="col">{t.app.actions}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((grant) => (
                    <tr key={grant.id}>
                      <td>{grant.granteeName}</td>
                      <td>{grant.purpose}</td>
                      <td>{grant.fields.join('、')}</td>
                      <td>{t.date(grant.expiresAt)}</td>
                      <td>{t.grants.statuses[grant.status]}</td>
                      <td>{grant.status === 'active' && <RevokeGrant id={grant.id} onDone={grants.reload} />}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </DataView>
    </section>
  );
}

function RevokeGrant({ id, onDone }: { id: string; onDone: () => void }) {
  const revoke = useAction(() => license.grants.revoke.mutate({ grantId: id }));
  return (
    <>
      <button
        type="button"
        className="secondary"
        onClick={async () => {
          if (await revoke.execute()) onDone();
        }}
      >
        {t.grants.revoke}
      </button>
      {revoke.state.status === 'error' && <ErrorNotice error={revoke.state.error} />}
    </>
  );
}

function NewGrant({ licenses, onDone }: { licenses: LicenseView[]; onDone: () => void }) {
  const [identifier, setIdentifier] = useState(licenses[0]?.identifier ?? '');
  const [granteeId, setGranteeId] = useState('');
  const [granteeName, setGranteeName] = useState('');
  const [purpose, setPurpose] = useState('');
  const [fields, setFields] = useState<string[]>([]);
  const [expires, setExpires] = useState(() => new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10));
  const selected = licenses.find((item) => item.identifier === identifier);
  const create = useAction(() =>
    license.grants.create.mutate({
      identifier,
      granteeId,
      granteeName,
      purpose,
      fields,
      expiresAt: new Date(`${expires}T23:59:59+08:00`).toISOString(),
    }),
  );
  return (
    <form
      className="card"
      aria-labelledby="new-grant"
      onSubmit={async (event) => {
        event.preventDefault();
        if (await create.execute()) onDone();
      }}
    >
      <h2 id="new-grant">{t.grants.create}</h2>
      <SelectField
        label={t.grants.license}
        value={identifier}
        onChange={(e) => {
          setIdentifier(e.target.value);
          setFields([]);
        }}
        options={licenses.map((item) => ({
          value: item.identifier,
          label: `${item.type.name}（${item.holder.name}）`,
        }))}
      />
      <TextField label={t.grants.grantee} value={granteeId} required onChange={(e) => setGranteeId(e.target.value)} />
      <TextField
        label={t.grants.granteeName}
        value={granteeName}
        required
        onChange={(e) => setGranteeName(e.target.value)}
      />
      <TextField label={t.grants.purpose} value={purpose} required onChange={(e) => setPurpose(e.target.value)} />
      <fieldset>
        <legend>{t.grants.fields}</legend>
        {Object.keys(selected?.fields ?? {}).map((name) => (
          <Checkbox
            key={name}
            label={name}
            checked={fields.includes(name)}
            onChange={(e) => setFields((list) => (e.target.checked ? [...list, name] : list.filter((f) => f !== name)))}
          />
        ))}
      </fieldset>
      <TextField
        label={t.grants.expiresAt}
        type="date"
        value={expires}
        required
        onChange={(e) => setExpires(e.target.value)}
      />
      <button type="submit" disabled={create.state.status === 'busy'}>
        {t.app.submit}
      </button>
      {create.state.status === 'error' && <ErrorNotice error={create.state.error} />}
      {create.state.status === 'done' && <Success>{t.grants.created}</Success>}
    </form>
  );
}

export function UsagePage() {
  const usage = useLoad(() => license.usage.list.query(), []);
  return (
    <section>
      <h1>{t.usage.title}</h1>
      <p className="lead">{t.usage.intro}</p>
      <DataView loaded={usage}>
        {({ entries, chainIntact }) => (
          <>
            <p className={chainIntact ? 'notice notice-success' : 'notice notice-error'}>
              {chainIntact ? t.usage.chainIntact : t.usage.chainBroken}
            </p>
            {entries.length === 0 ? (
              <Empty>{t.usage.none}</Empty>
            ) : (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t.usage.at}</th>
                      <th scope="col">{t.usage.action}</th>
                      <th scope="col">{t.usage.actor}</th>
                      <th scope="col">{t.usage.purpose}</th>
                      <th scope="col">{t.usage.identifier}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {entries.map((entry) => (
                      <tr key={entry.seq}>
                        <td>{t.dateTime(entry.at)}</td>
                        <td>{t.usage.actions[entry.action] ?? entry.action}</td>
                        <td>{entry.actor}</td>
                        <td>{entry.purpose ?? '—'}</td>
                        <td className="mono small">{entry.identifier ?? '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        )}
      </DataView>
    </section>
  );
}
