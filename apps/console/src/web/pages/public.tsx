// Pages anyone may use: home, license verification (paste, image or camera) and e-receipt check.
import jsqrModule from 'jsqr';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { VerificationResult } from '@platform/contracts';
import { license, payment } from '../api/clients.ts';
import { ErrorNotice } from '../components/feedback.tsx';
import { FileField, TextField } from '../components/form.tsx';
import { t } from '../i18n/index.ts';
import { Link } from '../router.tsx';
import { hasRole, useMe } from '../session-context.tsx';
import { fileToBase64 } from '../file-data.ts';
import { useAction } from '../use-load.ts';

export function HomePage() {
  const me = useMe();
  return (
    <section>
      <h1>{t.home.welcome}</h1>
      <p className="lead">{t.home.intro}</p>
      <div className="tiles">
        <Link className="tile" to="/verify">
          {t.nav.verify}
        </Link>
        <Link className="tile" to="/verify/receipt">
          {t.nav.verifyReceipt}
        </Link>
        <Link className="tile" to="/pay">
          {t.nav.pay}
        </Link>
        {me.authenticated && (
          <Link className="tile" to="/wallet">
            {t.nav.wallet}
          </Link>
        )}
        {hasRole(me, 'clerk') && (
          <Link className="tile" to="/clerk/issue">
            {t.nav.issue}
          </Link>
        )}
        {hasRole(me, 'finance') && (
          <Link className="tile" to="/finance/reconciliation">
            {t.nav.reconciliation}
          </Link>
        )}
      </div>
    </section>
  );
}

// jsQR is CommonJS with the function as `default` of its exports: bundlers hand out the function,
// TypeScript (NodeNext) the exports object. Take whichever this build got.
const jsQR: typeof jsqrModule.default = typeof jsqrModule === 'function' ? jsqrModule : jsqrModule.default;

/** Reads a QR code from image pixels (jsQR), e.g. a photo of a license's QR. */
function decodeQr(image: ImageData): string | undefined {
  return jsQR(image.data, image.width, image.height)?.data || undefined;
}

async function decodeImageFile(file: File): Promise<string | undefined> {
  const bitmap = await createImageBitmap(file);
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const context = canvas.getContext('2d');
  if (!context) return undefined;
  context.drawImage(bitmap, 0, 0);
  return decodeQr(context.getImageData(0, 0, bitmap.width, bitmap.height));
}

function CameraScanner({ onCode, onError }: { onCode: (code: string) => void; onError: () => void }) {
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    let stream: MediaStream | undefined;
    let timer: number | undefined;
    let stopped = false;
    const canvas = document.createElement('canvas');
    navigator.mediaDevices
      ?.getUserMedia({ video: { facingMode: 'environment' } })
      .then((media) => {
        stream = media;
        if (stopped || !video.current) return;
        video.current.srcObject = media;
        void video.current.play();
        timer = window.setInterval(() => {
          const v = video.current;
          if (!v || v.videoWidth === 0) return;
          canvas.width = v.videoWidth;
          canvas.height = v.videoHeight;
          const context = canvas.getContext('2d');
          context?.drawImage(v, 0, 0);
          const code = context && decodeQr(context.getImageData(0, 0, canvas.width, canvas.height));
          if (code) onCode(code);
        }, 300);
      })
      .catch(onError);
    if (!navigator.mediaDevices) onError();
    return () => {
      stopped = true;
      window.clearInterval(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [onCode, onError]);
  return <video ref={video} className="camera" muted playsInline aria-label={t.verify.cameraStart} />;
}

export function VerifyPage() {
  const [qr, setQr] = useState('');
  const [identifier, setIdentifier] = useState('');
  const [camera, setCamera] = useState(false);
  const [notice, setNotice] = useState<string | undefined>();
  const verify = useAction((input: { qr: string } | { identifier: string }) => license.verify.mutate(input));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setNotice(undefined);
    if (qr.trim()) void verify.execute({ qr: qr.trim() });
    else if (identifier.trim()) void verify.execute({ identifier: identifier.trim() });
  };

  return (
    <section>
      <h1>{t.verify.title}</h1>
      <p className="lead">{t.verify.intro}</p>
      <form className="card" onSubmit={submit}>
        <div className="field">
          <label htmlFor="qr-payload">{t.verify.qrLabel}</label>
          <textarea
            id="qr-payload"
            rows={4}
            value={qr}
            placeholder={t.verify.qrPlaceholder}
            onChange={(event) => setQr(event.target.value)}
          />
        </div>
        <TextField
          label={t.verify.identifierLabel}
          value={identifier}
          onChange={(event) => setIdentifier(event.target.value)}
        />
        <FileField
          label={t.verify.imageLabel}
          accept="image/*"
          onFile={async (file) => {
            if (!file) return;
            const code = await decodeImageFile(file).catch(() => undefined);
            if (code) {
              setQr(code);
              setNotice(undefined);
              void verify.execute({ qr: code });
            } else setNotice(t.verify.imageNoCode);
          }}
        />
        <div className="button-row">
          <button type="submit" disabled={verify.state.status === 'busy'}>
            {t.verify.submit}
          </button>
          <button type="button" className="secondary" onClick={() => setCamera((on) => !on)}>
            {camera ? t.verify.cameraStop : t.verify.cameraStart}
          </button>
        </div>
        {camera && (
          <CameraScanner
            onCode={(code) => {
              setCamera(false);
              setQr(code);
              void verify.execute({ qr: code });
            }}
            onError={() => {
              setCamera(false);
              setNotice(t.verify.cameraUnavailable);
            }}
          />
        )}
      </form>
      {notice && (
        <div className="notice notice-error" role="alert">
          {notice}
        </div>
      )}
      {verify.state.status === 'busy' && <p role="status">{t.app.loading}</p>}
      {verify.state.status === 'error' && <ErrorNotice error={verify.state.error} />}
      {verify.state.status === 'done' && <VerificationReport result={verify.state.data} viaQr={Boolean(qr.trim())} />}
      <VerifyFile />
    </section>
  );
}

/** A license file (PDF) uploaded for verification: the original as issued, its seal, its status. */
function VerifyFile() {
  const verify = useAction(async (file: File) => license.verifyFile.mutate({ pdf: await fileToBase64(file) }));
  const result = verify.state.status === 'done' ? verify.state.data : undefined;
  const seal = result?.file.seal;
  return (
    <>
      <form className="card" aria-labelledby="file-title" onSubmit={(event) => event.preventDefault()}>
        <h2 id="file-title">{t.verify.fileTitle}</h2>
        <p className="hint">{t.verify.fileIntro}</p>
        <FileField
          label={t.verify.fileLabel}
          accept="application/pdf,.pdf"
          onFile={(file) => file && void verify.execute(file)}
        />
      </form>
      {verify.state.status === 'busy' && <p role="status">{t.app.loading}</p>}
      {verify.state.status === 'error' && <ErrorNotice error={verify.state.error} />}
      {result && (
        <section className="card" aria-labelledby="file-result-title" data-testid="file-verification-result">
          <h2 id="file-result-title">{t.verify.fileResultTitle}</h2>
          <ul className="checklist">
            <Check ok={result.file.issuedHere} label={t.verify.fileIssuedHere} />
            {seal ? (
              <Check
                ok={seal.verdict === 'passed'}
                label={
                  seal.verdict === 'passed'
                    ? t.verify.fileSealValid
                    : t.verify.fileSealReason(seal.reason ?? seal.verdict)
                }
              />
            ) : (
              <li>{t.verify.fileSealUnavailable}</li>
            )}
          </ul>
          {seal && seal.signers.length > 0 && (
            <dl className="facts">
              <dt>{t.verify.fileSealedBy}</dt>
              <dd>{seal.signers.join('、')}</dd>
            </dl>
          )}
          <p>{t.verify.fileLicenseLead}</p>
          <VerificationReport result={result.license} viaQr={false} />
        </section>
      )}
    </>
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

export function VerificationReport({ result, viaQr }: { result: VerificationResult; viaQr: boolean }) {
  const verdict = result.valid ? 'valid' : result.authentic ? 'authentic' : 'invalid';
  return (
    <section
      className={`card result result-${verdict}`}
      aria-labelledby="result-title"
      data-testid="verification-result"
    >
      <h2 id="result-title">{t.verify.resultTitle}</h2>
      <p className="verdict">
        {result.authentic ? t.verify.authentic : t.verify.notAuthentic} ·{' '}
        {result.valid ? t.verify.valid : t.verify.notValid}
      </p>
      {result.failure && <p className="failure">{t.verify.failure[result.failure.code] ?? result.failure.message}</p>}
      <h3>{t.verify.checklist}</h3>
      <ul className="checklist">
        <Check ok={result.authentic} label={t.verify.checkSignature} />
        <Check ok={result.status === 'active'} label={t.verify.checkStatus} />
        {viaQr && (
          <Check
            ok={!['PRESENTATION_EXPIRED', 'PRESENTATION_ALREADY_USED'].includes(result.failure?.code ?? '')}
            label={t.verify.checkFresh}
          />
        )}
      </ul>
      <dl className="facts">
        {result.status && (
          <>
            <dt>{t.verify.status}</dt>
            <dd>{t.status[result.status] ?? result.status}</dd>
          </>
        )}
        {result.type && (
          <>
            <dt>{t.verify.type}</dt>
            <dd>{result.type.name}</dd>
          </>
        )}
        {result.identifier && (
          <>
            <dt>{t.verify.identifier}</dt>
            <dd className="mono">{result.identifier}</dd>
          </>
        )}
        {result.issuer && (
          <>
            <dt>{t.verify.issuer}</dt>
            <dd>{result.issuer.name}</dd>
          </>
        )}
        {result.holderName && (
          <>
            <dt>{t.verify.holder}</dt>
            <dd>{result.holderName}</dd>
          </>
        )}
        {result.validFrom && (
          <>
            <dt>{t.verify.validity}</dt>
            <dd>
              {t.date(result.validFrom)} – {result.validUntil ? t.date(result.validUntil) : t.verify.longTerm}
            </dd>
          </>
        )}
        {Object.entries(result.fields).map(([name, value]) => (
          <FieldFact key={name} name={name} value={value} />
        ))}
      </dl>
      {result.recognition && <p>{t.verify.recognition(result.recognition.region)}</p>}
    </section>
  );
}

function FieldFact({ name, value }: { name: string; value: unknown }) {
  return (
    <>
      <dt>{name}</dt>
      <dd>{Array.isArray(value) ? value.join('、') : String(value)}</dd>
    </>
  );
}

export function ReceiptVerifyPage() {
  const [code, setCode] = useState('');
  const [number, setNumber] = useState('');
  const [check, setCheck] = useState('');
  const verify = useAction(() =>
    payment.receipt.verify.query({ receiptCode: code.trim(), receiptNumber: number.trim(), checkCode: check.trim() }),
  );
  return (
    <section>
      <h1>{t.receipt.title}</h1>
      <p className="lead">{t.receipt.intro}</p>
      <form
        className="card"
        onSubmit={(event) => {
          event.preventDefault();
          void verify.execute();
        }}
      >
        <TextField
          label={t.receipt.code}
          value={code}
          required
          inputMode="numeric"
          pattern="\d{8}"
          onChange={(e) => setCode(e.target.value)}
        />
        <TextField
          label={t.receipt.number}
          value={number}
          required
          inputMode="numeric"
          pattern="\d{10}"
          onChange={(e) => setNumber(e.target.value)}
        />
        <TextField
          label={t.receipt.checkCode}
          value={check}
          required
          inputMode="numeric"
          pattern="\d{6}"
          onChange={(e) => setCheck(e.target.value)}
        />
        <button type="submit" disabled={verify.state.status === 'busy'}>
          {t.receipt.submit}
        </button>
      </form>
      {verify.state.status === 'error' && <ErrorNotice error={verify.state.error} />}
      {verify.state.status === 'done' &&
        (verify.state.data.valid && verify.state.data.receipt ? (
          <section className="card result result-valid" data-testid="receipt-result">
            <h2>{t.receipt.valid}</h2>
            <dl className="facts">
              <dt>{t.receipt.total}</dt>
              <dd>{t.money(verify.state.data.receipt.totalFen)}</dd>
              <dt>{t.receipt.refunded}</dt>
              <dd>{t.money(verify.state.data.receipt.refundedFen)}</dd>
              <dt>{t.receipt.issuedAt}</dt>
              <dd>{t.dateTime(verify.state.data.receipt.issuedAt)}</dd>
              <dt>{t.receipt.payer}</dt>
              <dd>{verify.state.data.receipt.payerName}</dd>
              <dt>{t.receipt.sealed}</dt>
              <dd>{verify.state.data.receipt.sealed ? t.receipt.sealedYes : t.receipt.sealedNo}</dd>
            </dl>
          </section>
        ) : (
          <div className="notice notice-error" role="alert" data-testid="receipt-result">
            {t.receipt.invalid}
          </div>
        ))}
    </section>
  );
}
