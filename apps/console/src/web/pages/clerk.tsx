// Clerks: issue a license from a form generated from its type's field schema, batch issue from a
// CSV file (progress and per-row results), look a license up and change its status, and the
// license types catalogue.
import { useEffect, useMemo, useState } from 'react';
import type { FieldDefinition, LicenseTypeView, LicenseView } from '@platform/contracts';
import { license } from '../api/clients.ts';
import { describeError, type ShownError } from '../api/errors.ts';
import { DataView, Empty, ErrorNotice, Success } from '../components/feedback.tsx';
import { Checkbox, SelectField, TextField } from '../components/form.tsx';
import { t } from '../i18n/index.ts';
import { fieldOfIssuePath, fieldProblem, formProblems, toFieldValue } from '../schema-form.ts';
import { useAction, useLoad } from '../use-load.ts';
import { LicenseTypeEditor } from './license-type-editor.tsx';
import { fieldsInPrintOrder } from '../license-type-draft.ts';

type BatchView = Awaited<ReturnType<typeof license.batch.get.query>>;

function SchemaField({
  name,
  definition,
  required,
  value,
  error,
  onChange,
}: {
  name: string;
  definition: FieldDefinition;
  required: boolean;
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
}) {
  const label = definition.title;
  if (definition.type === 'boolean')
    return <Checkbox label={label} checked={value === 'true'} onChange={(e) => onChange(String(e.target.checked))} />;
  if (definition.enum)
    return (
      <SelectField
        label={label}
        value={value}
        error={error}
        required={required}
        onChange={(e) => onChange(e.target.value)}
        options={[{ value: '', label: '—' }, ...definition.enum.map((option) => ({ value: option, label: option }))]}
      />
    );
  return (
    <TextField
      label={label}
      name={name}
      value={value}
      error={error}
      required={required}
      type={
        definition.format === 'date'
          ? 'date'
          : definition.type === 'integer' || definition.type === 'number'
            ? 'number'
            : 'text'
      }
      hint={definition.type === 'array' ? t.issue.listHint : definition.description}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

export function IssuePage() {
  const types = useLoad(() => license.types.list.query({ includeRetired: false }), []);
  return (
    <section>
      <h1>{t.issue.title}</h1>
      <p className="lead">{t.issue.intro}</p>
      <DataView loaded={types}>{(list) => <IssueForm types={list} />}</DataView>
    </section>
  );
}

function IssueForm({ types }: { types: LicenseTypeView[] }) {
  const [typeCode, setTypeCode] = useState('');
  const type = types.find((item) => item.code === typeCode);
  const [caseId, setCaseId] = useState('');
  const [holderType, setHolderType] = useState<'citizen_id' | 'credit_code'>('citizen_id');
  const [holderCode, setHolderCode] = useState('');
  const [holderName, setHolderName] = useState('');
  const [validUntil, setValidUntil] = useState('');
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [touched, setTouched] = useState(false);
  const [serverIssues, setServerIssues] = useState<Record<string, string>>({});
  const issue = useAction((request: Parameters<typeof license.issue.mutate>[0]) => license.issue.mutate(request));

  useEffect(() => {
    setTexts({});
    setTouched(false);
    setServerIssues({});
    if (type?.holderKind === 'organization') setHolderType('credit_code');
    if (type?.holderKind === 'person') setHolderType('citizen_id');
  }, [type]);

  const problems = useMemo(() => (type ? formProblems(type.fieldSchema, texts) : {}), [type, texts]);
  const holderProblem = fieldProblem(
    { type: 'string', title: '', format: holderType === 'citizen_id' ? 'citizen-id' : 'credit-code' },
    holderCode,
    true,
  );

  const submit = async () => {
    setTouched(true);
    setServerIssues({});
    if (!type || Object.keys(problems).length > 0 || holderProblem || !caseId.trim() || !holderName.trim()) return;
    const fields: Record<string, NonNullable<ReturnType<typeof toFieldValue>>> = {};
    for (const [name, definition] of Object.entries(type.fieldSchema.properties)) {
      const value = toFieldValue(definition, texts[name] ?? '');
      if (value !== undefined) fields[name] = value;
    }
    await issue.execute({
      caseId: caseId.trim(),
      typeCode: type.code,
      holder: { codeType: holderType, code: holderCode.trim(), name: holderName.trim() } as never,
      fields,
      ...(validUntil ? { validUntil: new Date(`${validUntil}T23:59:59+08:00`).toISOString() } : {}),
    });
  };
  useEffect(() => {
    if (issue.state.status !== 'error') return;
    const byField: Record<string, string> = {};
    for (const item of issue.state.error.issues) {
      const name = fieldOfIssuePath(item.path);
      if (name) byField[name] = item.message;
    }
    setServerIssues(byField);
  }, [issue.state]);

  const errorOf = (name: string) => (touched ? (problems[name] ?? serverIssues[name]) : serverIssues[name]);
  return (
    <form
      className="card"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <SelectField
        label={t.issue.type}
        value={typeCode}
        onChange={(e) => setTypeCode(e.target.value)}
        options={[
          { value: '', label: t.issue.chooseType },
          ...types.map((item) => ({ value: item.code, label: `${item.name}（${item.issuingAuthority.name}）` })),
        ]}
      />
      {type && (
        <>
          <TextField
            label={t.issue.caseId}
            value={caseId}
            required
            error={touched && !caseId.trim() ? t.issue.fieldErrors.required : undefined}
            onChange={(e) => setCaseId(e.target.value)}
          />
          {type.holderKind === 'any' && (
            <SelectField
              label={t.issue.holderType}
              value={holderType}
              onChange={(e) => setHolderType(e.target.value as 'citizen_id' | 'credit_code')}
              options={[
                { value: 'citizen_id', label: t.issue.holderCitizen },
                { value: 'credit_code', label: t.issue.holderFirm },
              ]}
            />
          )}
          <TextField
            label={t.issue.holderCode}
            value={holderCode}
            required
            error={touched ? holderProblem : undefined}
            onChange={(e) => setHolderCode(e.target.value.toUpperCase())}
          />
          <TextField
            label={t.issue.holderName}
            value={holderName}
            required
            error={touched && !holderName.trim() ? t.issue.fieldErrors.required : undefined}
            onChange={(e) => setHolderName(e.target.value)}
          />
          <TextField
            label={t.issue.validUntil}
            type="date"
            value={validUntil}
            onChange={(e) => setValidUntil(e.target.value)}
          />
          <fieldset>
            <legend>{t.issue.fields}</legend>
            {fieldsInPrintOrder(type).map((name) => (
              <SchemaField
                key={name}
                name={name}
                definition={type.fieldSchema.properties[name]!}
                required={type.fieldSchema.required.includes(name)}
                value={texts[name] ?? ''}
                error={errorOf(name)}
                onChange={(value) => setTexts((current) => ({ ...current, [name]: value }))}
              />
            ))}
          </fieldset>
          <button type="submit" disabled={issue.state.status === 'busy'}>
            {t.issue.submit}
          </button>
        </>
      )}
      {issue.state.status === 'error' && <ErrorNotice error={issue.state.error} />}
      {issue.state.status === 'done' && (
        <Success>
          <span data-testid="issued-identifier">{t.issue.issued(issue.state.data.identifier)}</span>
        </Success>
      )}
    </form>
  );
}

export function BatchPage() {
  const [batch, setBatch] = useState<BatchView | undefined>();
  const [error, setError] = useState<ShownError | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!batch || batch.done) return;
    const timer = window.setTimeout(async () => {
      try {
        setBatch(await license.batch.get.query({ batchId: batch.id, includeRows: true }));
      } catch (failure) {
        setError(describeError(failure));
      }
    }, 700);
    return () => window.clearTimeout(timer);
  }, [batch]);

  const upload = async (file: File) => {
    setBusy(true);
    setError(undefined);
    setBatch(undefined);
    try {
      setBatch(await license.batch.issue.mutate({ csv: await file.text() }));
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <h1>{t.batch.title}</h1>
      <p className="lead">{t.batch.intro}</p>
      <form
        className="card"
        onSubmit={(event) => {
          event.preventDefault();
          const input = event.currentTarget.elements.namedItem('csv') as HTMLInputElement | null;
          const file = input?.files?.[0];
          if (file) void upload(file);
        }}
      >
        <div className="field">
          <label htmlFor="batch-file">{t.batch.file}</label>
          <input id="batch-file" name="csv" type="file" accept=".csv,text/csv" required />
        </div>
        <button type="submit" disabled={busy}>
          {t.batch.upload}
        </button>
      </form>
      {error && <ErrorNotice error={error} />}
      {batch && (
        <section className="card" aria-labelledby="batch-progress">
          <h2 id="batch-progress">{batch.done ? t.batch.done : t.batch.progress(batch.processed, batch.total)}</h2>
          <progress max={batch.total} value={batch.processed} aria-labelledby="batch-progress" />
          <p data-testid="batch-summary">{t.batch.summary(batch.issued, batch.duplicates, batch.errors)}</p>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.batch.row}</th>
                  <th scope="col">{t.batch.caseId}</th>
                  <th scope="col">{t.batch.outcome}</th>
                  <th scope="col">{t.batch.identifier}</th>
                  <th scope="col">{t.batch.error}</th>
                </tr>
              </thead>
              <tbody>
                {batch.rows.map((row) => (
                  <tr key={row.index} className={row.outcome === 'error' ? 'row-error' : undefined}>
                    <td>{row.index + 1}</td>
                    <td>{row.caseId ?? '—'}</td>
                    <td>{t.batch.outcomes[row.outcome]}</td>
                    <td className="mono small">{row.identifier ?? '—'}</td>
                    <td>
                      {row.error
                        ? (t.errors.codes[row.error.code as never] ?? row.error.message) + ` ${row.error.message}`
                        : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </section>
  );
}

export function LicensesPage() {
  const [identifier, setIdentifier] = useState('');
  const [query, setQuery] = useState<string | undefined>();
  return (
    <section>
      <h1>{t.licenses.title}</h1>
      <p className="lead">{t.licenses.intro}</p>
      <form
        className="card inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          setQuery(identifier.trim());
        }}
      >
        <TextField
          label={t.licenses.identifier}
          value={identifier}
          required
          onChange={(e) => setIdentifier(e.target.value)}
        />
        <button type="submit">{t.app.search}</button>
      </form>
      {query && <LicenseAdmin key={query} identifier={query} />}
    </section>
  );
}

function LicenseAdmin({ identifier }: { identifier: string }) {
  const item = useLoad(() => license.get.query({ identifier }), [identifier]);
  const events = useLoad(() => license.events.query({ identifier }), [identifier]);
  return (
    <DataView loaded={item}>
      {(l) => (
        <>
          <section className="card" data-testid="license-admin">
            <h2>{l.type.name}</h2>
            <p className={`status status-${l.status}`} data-testid="license-status">
              {t.status[l.status] ?? l.status}
            </p>
            <dl className="facts">
              <dt>{t.verify.identifier}</dt>
              <dd className="mono">{l.identifier}</dd>
              <dt>{t.wallet.holder}</dt>
              <dd>
                {l.holder.name}（{l.holder.code}）
              </dd>
              <dt>{t.verify.validity}</dt>
              <dd>
                {t.date(l.validFrom)} – {l.validUntil ? t.date(l.validUntil) : t.verify.longTerm}
              </dd>
            </dl>
            <StatusChange license={l} onDone={() => (item.reload(), events.reload())} />
          </section>
          <section className="card">
            <h2>{t.licenses.events}</h2>
            <DataView loaded={events}>
              {(list) => (
                <div className="table-wrap">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">{t.licenses.eventAt}</th>
                        <th scope="col">{t.licenses.eventType}</th>
                        <th scope="col">{t.licenses.eventActor}</th>
                        <th scope="col">{t.licenses.reason}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {list.map((event) => (
                        <tr key={event.at + event.type}>
                          <td>{t.dateTime(event.at)}</td>
                          <td>
                            {event.fromStatus ? `${t.status[event.fromStatus] ?? event.fromStatus} → ` : ''}
                            {t.status[event.toStatus] ?? event.toStatus}
                          </td>
                          <td>{event.actor}</td>
                          <td>{event.reason ?? '—'}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </DataView>
          </section>
        </>
      )}
    </DataView>
  );
}

function StatusChange({ license: l, onDone }: { license: LicenseView; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const change = useAction((action: 'suspend' | 'revoke' | 'reinstate') =>
    license[action].mutate({ identifier: l.identifier, reason: reason.trim() }),
  );
  const run = async (action: 'suspend' | 'revoke' | 'reinstate') => {
    if (!reason.trim()) return setMissing(true);
    setMissing(false);
    if (action === 'revoke' && !window.confirm(t.licenses.confirmRevoke)) return;
    if (await change.execute(action)) onDone();
  };
  return (
    <div className="subform">
      <TextField
        label={t.licenses.reason}
        value={reason}
        required
        error={missing ? t.licenses.reasonRequired : undefined}
        onChange={(e) => setReason(e.target.value)}
      />
      <div className="button-row">
        {l.status === 'active' && (
          <button type="button" className="secondary" onClick={() => void run('suspend')}>
            {t.licenses.suspend}
          </button>
        )}
        {l.status === 'suspended' && (
          <button type="button" className="secondary" onClick={() => void run('reinstate')}>
            {t.licenses.reinstate}
          </button>
        )}
        {(l.status === 'active' || l.status === 'suspended') && (
          <button type="button" className="danger" onClick={() => void run('revoke')}>
            {t.licenses.revoke}
          </button>
        )}
      </div>
      {change.state.status === 'error' && <ErrorNotice error={change.state.error} />}
      {change.state.status === 'done' && (
        <Success>{t.licenses.changed(t.status[change.state.data.status] ?? change.state.data.status)}</Success>
      )}
    </div>
  );
}

export function TypesPage() {
  const [includeRetired, setIncludeRetired] = useState(false);
  const types = useLoad(() => license.types.list.query({ includeRetired }), [includeRetired]);
  // The editor open: 'new', or the type being revised.
  const [editing, setEditing] = useState<'new' | LicenseTypeView | null>(null);
  const [saved, setSaved] = useState<LicenseTypeView | null>(null);
  return (
    <section>
      <h1>{t.types.title}</h1>
      <p className="lead">{t.types.intro}</p>
      {saved && !editing && <Success>{t.types.editor.saved(saved.name, saved.version)}</Success>}
      {editing ? (
        <LicenseTypeEditor
          key={editing === 'new' ? 'new' : editing.id}
          {...(editing === 'new' ? {} : { revising: editing })}
          onSaved={(type) => {
            setSaved(type);
            setEditing(null);
            types.reload();
          }}
          onCancel={() => setEditing(null)}
        />
      ) : (
        <div className="button-row">
          <button type="button" onClick={() => setEditing('new')}>
            {t.types.create}
          </button>
        </div>
      )}
      <Checkbox
        label={t.types.includeRetired}
        checked={includeRetired}
        onChange={(e) => setIncludeRetired(e.target.checked)}
      />
      <DataView loaded={types}>
        {(list) =>
          list.length === 0 ? (
            <Empty />
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t.types.name}</th>
                    <th scope="col">{t.types.code}</th>
                    <th scope="col">{t.types.version}</th>
                    <th scope="col">{t.types.holderKind}</th>
                    <th scope="col">{t.types.fields}</th>
                    <th scope="col">{t.types.validity}</th>
                    <th scope="col">{t.types.status}</th>
                    <th scope="col">{t.app.actions}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((type) => (
                    <tr key={type.id}>
                      <td>
                        {type.name}
                        <br />
                        <span className="small">{type.issuingAuthority.name}</span>
                      </td>
                      <td className="mono small">{type.code}</td>
                      <td>{type.version}</td>
                      <td>{t.types.holderKinds[type.holderKind]}</td>
                      <td>
                        {fieldsInPrintOrder(type)
                          .map((name) => type.fieldSchema.properties[name]!.title)
                          .join('、')}
                      </td>
                      <td>{t.types.defaultDays(type.validity.defaultDays)}</td>
                      <td>{t.types.statuses[type.status]}</td>
                      <td>
                        {type.status === 'active' && (
                          <div className="button-row">
                            <button
                              type="button"
                              className="secondary"
                              aria-label={`${t.types.revise} ${type.name}`}
                              onClick={() => setEditing(type)}
                            >
                              {t.types.revise}
                            </button>
                            <RetireType code={type.code} onDone={types.reload} />
                          </div>
                        )}
                      </td>
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

function RetireType({ code, onDone }: { code: string; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const retire = useAction(() => license.types.retire.mutate({ code, reason }));
  if (!open)
    return (
      <button type="button" className="secondary" onClick={() => setOpen(true)}>
        {t.types.retire}
      </button>
    );
  return (
    <form
      onSubmit={async (event) => {
        event.preventDefault();
        if (await retire.execute()) onDone();
      }}
    >
      <TextField label={t.types.retireReason} value={reason} required onChange={(e) => setReason(e.target.value)} />
      <div className="button-row">
        <button type="submit" className="danger">
          {t.app.confirm}
        </button>
        <button type="button" className="secondary" onClick={() => setOpen(false)}>
          {t.app.cancel}
        </button>
      </div>
      {retire.state.status === 'error' && <ErrorNotice error={retire.state.error} />}
    </form>
  );
}
