// Seal officers: seals with their image and lifecycle (apply → approve → make → file → active ⇄
// suspended; lost, cancelled), authorising users, approving uses (用印审批), signing a PDF and
// downloading it, and — for anyone — a PDF's verification report as a checklist.
import { useState } from 'react';
import { seal } from '../api/clients.ts';
import { fileToBase64 } from '../file-data.ts';
import { DataView, Empty, ErrorNotice, Success } from '../components/feedback.tsx';
import { Checkbox, FileField, SelectField, TextField } from '../components/form.tsx';
import { t } from '../i18n/index.ts';
import { useAction, useLoad } from '../use-load.ts';

type SealView = Awaited<ReturnType<typeof seal.seal.list.query>>[number];
type PdfReport = Awaited<ReturnType<typeof seal.verify.pdf.mutate>>;
type Transition = 'approve' | 'make' | 'file' | 'activate' | 'suspend' | 'reinstate' | 'reportLost' | 'cancel';

/** The lifecycle steps offered from each status (the seal service enforces them). */
const NEXT: Record<string, Transition[]> = {
  applied: ['approve'],
  approved: ['make'],
  made: ['file'],
  filed: ['activate'],
  active: ['suspend', 'reportLost', 'cancel'],
  suspended: ['reinstate', 'cancel'],
  lost: ['cancel'],
};
const NEEDS_REASON: Transition[] = ['suspend', 'reportLost', 'cancel'];

const split = (text: string) =>
  text
    .split(/[,，\s]+/)
    .map((part) => part.trim())
    .filter(Boolean);
const endOfDay = (date: string) => new Date(`${date}T23:59:59+08:00`).toISOString();
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

export function SealPage() {
  const seals = useLoad(() => seal.seal.list.query({ limit: 100 }), []);
  return (
    <section>
      <h1>{t.seal.title}</h1>
      <p className="lead">{t.seal.intro}</p>
      <section className="card" aria-labelledby="seals-title">
        <h2 id="seals-title">{t.seal.listTitle}</h2>
        <DataView loaded={seals}>
          {(list) =>
            list.length === 0 ? (
              <Empty>{t.seal.none}</Empty>
            ) : (
              <ul className="seal-list">
                {list.map((item) => (
                  <SealCard key={item.id} item={item} onChange={seals.reload} />
                ))}
              </ul>
            )
          }
        </DataView>
      </section>
      <ApplyForm onDone={seals.reload} />
      <PendingUses />
      {seals.state === 'ready' && (
        // SM2 seals make GB/T 38540 signatures, not PDF signatures.
        <SignPdf seals={seals.data.filter((item) => item.status === 'active' && item.keyAlgorithm !== 'sm2')} />
      )}
      <VerifyPdf />
      <CaCertificates />
    </section>
  );
}

function SealImage({ item }: { item: SealView }) {
  const image = useLoad(
    async () => (item.certificate ? await seal.seal.image.query({ sealId: item.id, format: 'png' }) : undefined),
    [item.id, item.certificate?.serial],
  );
  if (image.state !== 'ready' || !image.data) return null;
  return (
    <img
      className="seal-image"
      src={`data:${image.data.mediaType};base64,${image.data.base64}`}
      alt={t.seal.image(item.name)}
      width={120}
      height={Math.round((120 * item.heightMm) / item.widthMm)}
    />
  );
}

function SealCard({ item, onChange }: { item: SealView; onChange: () => void }) {
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const move = useAction((action: Transition) =>
    seal.seal[action].mutate({ sealId: item.id, ...(reason.trim() ? { reason: reason.trim() } : {}) } as never),
  );
  const run = async (action: Transition) => {
    if (NEEDS_REASON.includes(action) && !reason.trim()) return setMissing(true);
    setMissing(false);
    if (await move.execute(action)) onChange();
  };
  return (
    <li className="seal-card" data-testid={`seal-${item.name}`}>
      <SealImage item={item} />
      <div>
        <h3>{item.name}</h3>
        <dl className="facts compact">
          <dt>{t.seal.kind}</dt>
          <dd>{t.seal.kinds[item.kind] ?? item.kind}</dd>
          <dt>{t.seal.org}</dt>
          <dd>{item.orgName}</dd>
          <dt>{t.seal.keyAlgorithm}</dt>
          <dd>{t.seal.keyAlgorithms[item.keyAlgorithm] ?? item.keyAlgorithm}</dd>
          <dt>{t.seal.status}</dt>
          <dd data-testid="seal-status">{t.seal.statuses[item.status] ?? item.status}</dd>
          <dt>{t.seal.validUntil}</dt>
          <dd>{t.date(item.validUntil)}</dd>
          {item.filingNumber && (
            <>
              <dt>{t.seal.filingNumber}</dt>
              <dd className="mono">{item.filingNumber}</dd>
            </>
          )}
        </dl>
        {(NEXT[item.status] ?? []).length > 0 && (
          <div className="subform">
            <TextField
              label={t.seal.reason}
              value={reason}
              error={missing ? t.seal.reasonRequired : undefined}
              onChange={(e) => setReason(e.target.value)}
            />
            <div className="button-row">
              {(NEXT[item.status] ?? []).map((action) => (
                <button
                  key={action}
                  type="button"
                  className={NEEDS_REASON.includes(action) ? 'danger' : undefined}
                  disabled={move.state.status === 'busy'}
                  onClick={() => void run(action)}
                >
                  {t.seal.actions[action]}
                </button>
              ))}
            </div>
          </div>
        )}
        {move.state.status === 'error' && <ErrorNotice error={move.state.error} />}
        {item.status === 'active' && <Authorize sealId={item.id} />}
      </div>
    </li>
  );
}

function Authorize({ sealId }: { sealId: string }) {
  const [open, setOpen] = useState(false);
  const [subjects, setSubjects] = useState('');
  const [documentTypes, setDocumentTypes] = useState('contract');
  const [until, setUntil] = useState(inDays(90));
  const [maxUses, setMaxUses] = useState('');
  const [requiresApproval, setRequiresApproval] = useState(false);
  const grant = useAction(() =>
    seal.authorization.grant.mutate({
      sealId,
      subjects: split(subjects),
      documentTypes: split(documentTypes),
      validUntil: endOfDay(until),
      maxUses: maxUses ? Number(maxUses) : null,
      requiresApproval,
      approvers: [],
    }),
  );
  if (!open)
    return (
      <button type="button" className="secondary" onClick={() => setOpen(true)}>
        {t.seal.authorizeTitle}
      </button>
    );
  return (
    <form
      className="subform"
      onSubmit={(event) => {
        event.preventDefault();
        void grant.execute();
      }}
    >
      <h4>{t.seal.authorizeTitle}</h4>
      <TextField label={t.seal.subjects} value={subjects} required onChange={(e) => setSubjects(e.target.value)} />
      <TextField
        label={t.seal.documentTypes}
        value={documentTypes}
        required
        onChange={(e) => setDocumentTypes(e.target.value)}
      />
      <TextField
        label={t.seal.validUntil}
        type="date"
        value={until}
        required
        onChange={(e) => setUntil(e.target.value)}
      />
      <TextField
        label={t.seal.maxUses}
        type="number"
        min={1}
        value={maxUses}
        onChange={(e) => setMaxUses(e.target.value)}
      />
      <Checkbox
        label={t.seal.requiresApproval}
        checked={requiresApproval}
        onChange={(e) => setRequiresApproval(e.target.checked)}
      />
      <button type="submit" disabled={grant.state.status === 'busy'}>
        {t.seal.authorize}
      </button>
      {grant.state.status === 'error' && <ErrorNotice error={grant.state.error} />}
      {grant.state.status === 'done' && <Success>{t.seal.authorized}</Success>}
    </form>
  );
}

function ApplyForm({ onDone }: { onDone: () => void }) {
  const [orgCode, setOrgCode] = useState('');
  const [orgName, setOrgName] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'official' | 'contract' | 'finance' | 'invoice' | 'business'>('contract');
  const [keyAlgorithm, setKeyAlgorithm] = useState<'rsa-2048' | 'ecdsa-p256' | 'sm2'>('rsa-2048');
  const [until, setUntil] = useState(inDays(3 * 365));
  const apply = useAction(() =>
    seal.seal.applyFor.mutate({
      orgCode: orgCode.trim(),
      orgName,
      name,
      kind,
      keyAlgorithm,
      validUntil: endOfDay(until),
    }),
  );
  return (
    <form
      className="card"
      aria-labelledby="apply-title"
      onSubmit={async (event) => {
        event.preventDefault();
        if (await apply.execute()) onDone();
      }}
    >
      <h2 id="apply-title">{t.seal.applyTitle}</h2>
      <TextField
        label={t.seal.orgCode}
        value={orgCode}
        required
        onChange={(e) => setOrgCode(e.target.value.toUpperCase())}
      />
      <TextField label={t.seal.org} value={orgName} required onChange={(e) => setOrgName(e.target.value)} />
      <TextField label={t.seal.name} value={name} required onChange={(e) => setName(e.target.value)} />
      <SelectField
        label={t.seal.kind}
        value={kind}
        onChange={(e) => setKind(e.target.value as typeof kind)}
        options={Object.entries(t.seal.kinds).map(([value, label]) => ({ value, label }))}
      />
      <SelectField
        label={t.seal.keyAlgorithm}
        value={keyAlgorithm}
        onChange={(e) => setKeyAlgorithm(e.target.value as typeof keyAlgorithm)}
        options={Object.entries(t.seal.keyAlgorithms).map(([value, label]) => ({ value, label }))}
      />
      <TextField
        label={t.seal.validUntil}
        type="date"
        value={until}
        required
        onChange={(e) => setUntil(e.target.value)}
      />
      <button type="submit" disabled={apply.state.status === 'busy'}>
        {t.seal.apply}
      </button>
      {apply.state.status === 'error' && <ErrorNotice error={apply.state.error} />}
      {apply.state.status === 'done' && <Success>{t.seal.applied}</Success>}
    </form>
  );
}

function PendingUses() {
  const pending = useLoad(() => seal.usage.pending.query({}), []);
  const decide = useAction((id: string, approve: boolean) =>
    approve
      ? seal.usage.approve.mutate({ usageRequestId: id })
      : seal.usage.reject.mutate({ usageRequestId: id, reason: t.seal.rejectUse }),
  );
  return (
    <section className="card" aria-labelledby="pending-title">
      <h2 id="pending-title">{t.seal.pendingTitle}</h2>
      <DataView loaded={pending}>
        {(list) =>
          list.length === 0 ? (
            <Empty>{t.seal.pendingNone}</Empty>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t.seal.requestedBy}</th>
                    <th scope="col">{t.seal.documentType}</th>
                    <th scope="col">{t.seal.purpose}</th>
                    <th scope="col">{t.app.actions}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((request) => (
                    <tr key={request.id}>
                      <td>{request.requestedBy}</td>
                      <td>{request.documentType}</td>
                      <td>{request.purpose}</td>
                      <td className="button-row">
                        <button
                          type="button"
                          onClick={async () => (await decide.execute(request.id, true)) && pending.reload()}
                        >
                          {t.seal.approveUse}
                        </button>
                        <button
                          type="button"
                          className="danger"
                          onClick={async () => (await decide.execute(request.id, false)) && pending.reload()}
                        >
                          {t.seal.rejectUse}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </DataView>
      {decide.state.status === 'error' && <ErrorNotice error={decide.state.error} />}
    </section>
  );
}

function SignPdf({ seals }: { seals: SealView[] }) {
  const [sealId, setSealId] = useState(seals[0]?.id ?? '');
  const [documentType, setDocumentType] = useState('contract');
  const [anchor, setAnchor] = useState('（盖章）');
  const [file, setFile] = useState<File | undefined>();
  const sign = useAction(async () => {
    if (!file) return undefined;
    return seal.sign.pdf.mutate({
      sealId,
      documentType,
      idempotencyKey: `console-${crypto.randomUUID()}`,
      pdf: await fileToBase64(file),
      ...(anchor.trim()
        ? { anchor: { text: anchor.trim(), occurrence: 1 } }
        : { placement: { page: 1, x: 400, y: 80 } }),
    });
  });
  if (seals.length === 0) return null;
  const signed = sign.state.status === 'done' ? sign.state.data : undefined;
  return (
    <form
      className="card"
      aria-labelledby="sign-title"
      onSubmit={(event) => {
        event.preventDefault();
        void sign.execute();
      }}
    >
      <h2 id="sign-title">{t.seal.signTitle}</h2>
      <SelectField
        label={t.seal.signSeal}
        value={sealId}
        onChange={(e) => setSealId(e.target.value)}
        options={seals.map((item) => ({ value: item.id, label: item.name }))}
      />
      <TextField
        label={t.seal.documentType}
        value={documentType}
        required
        onChange={(e) => setDocumentType(e.target.value)}
      />
      <TextField label={t.seal.anchor} value={anchor} onChange={(e) => setAnchor(e.target.value)} />
      <FileField label={t.seal.signFile} accept="application/pdf" required onFile={setFile} />
      <button type="submit" disabled={sign.state.status === 'busy'}>
        {t.seal.sign}
      </button>
      {sign.state.status === 'error' && <ErrorNotice error={sign.state.error} />}
      {signed && (
        <Success>
          <p>{t.seal.signed}</p>
          <a href={`data:application/pdf;base64,${signed.pdf}`} download={`signed-${file?.name ?? 'document.pdf'}`}>
            {t.seal.download}
          </a>
        </Success>
      )}
    </form>
  );
}

export function VerifyPdf({ standalone = false }: { standalone?: boolean }) {
  const verify = useAction(async (file: File) => seal.verify.pdf.mutate({ pdf: await fileToBase64(file) }));
  const Heading = standalone ? 'h1' : 'h2';
  return (
    <section className={standalone ? undefined : 'card'} aria-labelledby="verify-pdf-title">
      <Heading id="verify-pdf-title">{t.seal.verifyTitle}</Heading>
      <p className="lead">{t.seal.verifyIntro}</p>
      <FileField
        label={t.seal.verifyFile}
        accept="application/pdf"
        onFile={(file) => file && void verify.execute(file)}
      />
      {verify.state.status === 'busy' && <p role="status">{t.app.loading}</p>}
      {verify.state.status === 'error' && <ErrorNotice error={verify.state.error} />}
      {verify.state.status === 'done' && <PdfReportView report={verify.state.data} />}
    </section>
  );
}

function Check({ ok, label }: { ok: boolean; label: string }) {
  return (
    <li className={ok ? 'check-ok' : 'check-fail'}>
      <span aria-hidden="true">{ok ? '✔' : '✘'}</span> {label}
      <span className="visually-hidden">{ok ? t.app.yes : t.app.no}</span>
    </li>
  );
}

function PdfReportView({ report }: { report: PdfReport }) {
  return (
    <div className={`result result-${report.verdict === 'passed' ? 'valid' : 'invalid'}`} data-testid="pdf-report">
      <p className="verdict">{t.seal.verdicts[report.verdict]}</p>
      {report.signatures.length === 0 && <p>{t.seal.noSignatures}</p>}
      {report.signatures.map((signature) => (
        <section key={signature.index} className="subform">
          <h3>
            {t.seal.signatureN(signature.index)}：{t.seal.verdicts[signature.verdict]}
          </h3>
          <p>{signature.message}</p>
          <ul className="checklist">
            <Check ok={signature.integrity.valid} label={t.seal.checks.integrity} />
            <Check ok={signature.coverage.changesAfterSigning !== 'content-modified'} label={t.seal.checks.coverage} />
            <Check ok={signature.chain.trusted} label={t.seal.checks.chain} />
            <Check
              ok={signature.revocation.status === 'good' || signature.revocation.status === 'revoked-after-signing'}
              label={t.seal.checks.revocation}
            />
            <Check ok={signature.seal.usableAtSigningTime === true} label={t.seal.checks.seal} />
            <Check ok={signature.timestamp.present && signature.timestamp.valid} label={t.seal.checks.timestamp} />
          </ul>
          <dl className="facts compact">
            {signature.seal.name && (
              <>
                <dt>{t.seal.name}</dt>
                <dd>
                  {signature.seal.name}（{signature.seal.organisation}）
                </dd>
              </>
            )}
            {signature.signer && (
              <>
                <dt>{t.seal.signer}</dt>
                <dd>{signature.signer.commonName ?? signature.signer.subject}</dd>
              </>
            )}
            {signature.signingTime.trusted && (
              <>
                <dt>{t.seal.signedAt}</dt>
                <dd>{t.dateTime(signature.signingTime.trusted)}</dd>
              </>
            )}
            <dt>{t.seal.level}</dt>
            <dd>{signature.level}</dd>
          </dl>
        </section>
      ))}
    </div>
  );
}

function CaCertificates() {
  const ca = useLoad(() => seal.ca.certificates.query(), []);
  return (
    <section className="card" aria-labelledby="ca-title">
      <h2 id="ca-title">{t.seal.caTitle}</h2>
      <DataView loaded={ca}>
        {(c) => (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.seal.caTitle}</th>
                  <th scope="col">{t.seal.serial}</th>
                  <th scope="col">{t.seal.validity}</th>
                </tr>
              </thead>
              <tbody>
                {(
                  [
                    [t.seal.root, c.root],
                    [t.seal.issuing, c.issuing],
                    [t.seal.timestamping, c.timestamping],
                  ] as const
                ).map(([label, cert]) => (
                  <tr key={cert.serial}>
                    <td>{label}</td>
                    <td className="mono small">{cert.serial}</td>
                    <td>
                      {t.date(cert.notBefore)} – {t.date(cert.notAfter)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </DataView>
    </section>
  );
}
