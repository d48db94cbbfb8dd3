// Paying a notice: look it up by its payment code (public), go to the payment channel, come back
// and watch the notice turn paid. In development the channel is the sandbox bank (banksim), whose
// "bank page" is simulated here; a real channel would be an external page with the same round trip.
// Afterwards the payer finds the e-receipts of what they paid under "my receipts".
import { useEffect, useState } from 'react';
import { banksim, payment } from '../api/clients.ts';
import { DataTable, type Column } from '../components/data-table.tsx';
import { DataView, ErrorNotice, Success } from '../components/feedback.tsx';
import { TextField } from '../components/form.tsx';
import { t } from '../i18n/index.ts';
import { Link, useRouter } from '../router.tsx';
import { useMe } from '../session-context.tsx';
import { useAction, useLoad } from '../use-load.ts';
import { usePagedList } from '../use-paged-list.ts';

export function PayPage({ code }: { code?: string }) {
  const { navigate } = useRouter();
  const [value, setValue] = useState(code ?? '');
  return (
    <section>
      <h1>{t.pay.title}</h1>
      <p className="lead">{t.pay.intro}</p>
      <form
        className="card inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          navigate(`/pay/${value.replace(/\s+/g, '')}`);
        }}
      >
        <TextField
          label={t.pay.code}
          value={value}
          required
          inputMode="numeric"
          autoComplete="off"
          onChange={(e) => setValue(e.target.value)}
        />
        <button type="submit">{t.pay.lookup}</button>
      </form>
      {code && <NoticeDetails key={code} code={code} />}
    </section>
  );
}

function NoticeDetails({ code }: { code: string }) {
  const me = useMe();
  const { location } = useRouter();
  const returned = location.search.get('returned') === '1';
  const notice = useLoad(() => payment.notice.lookup.query({ paymentCode: code }), [code]);
  const waiting = returned && notice.state === 'ready' && notice.data.state === 'issued';
  useEffect(() => {
    if (!waiting) return;
    // The channel's confirmation reaches the payment service asynchronously: ask again shortly.
    const timer = window.setTimeout(notice.reload, 1000);
    return () => window.clearTimeout(timer);
  }, [waiting, notice]);
  return (
    <DataView loaded={notice}>
      {(n) => (
        <section className="card" aria-labelledby="notice-title" data-testid="notice">
          <h2 id="notice-title">{n.unitName}</h2>
          <dl className="facts">
            <dt>{t.pay.code}</dt>
            <dd className="mono">{n.paymentCode}</dd>
            <dt>{t.pay.payer}</dt>
            <dd>{n.payerName}</dd>
            <dt>{t.pay.items}</dt>
            <dd>
              <ul className="plain">
                {n.items.map((item) => (
                  <li key={item.name}>
                    {item.name}：{t.money(item.amountFen)}
                  </li>
                ))}
              </ul>
            </dd>
            <dt>{t.pay.total}</dt>
            <dd className="amount">{t.money(n.totalFen)}</dd>
            <dt>{t.pay.dueDate}</dt>
            <dd>{n.dueDate}</dd>
            <dt>{t.pay.state}</dt>
            <dd data-testid="notice-state">{t.pay.states[n.state] ?? n.state}</dd>
          </dl>
          {waiting && <p role="status">{t.pay.waiting}</p>}
          {!waiting && n.state === 'paid' && (
            <Success>
              <p>{t.pay.paid}</p>
              <p>{t.pay.receiptHint}</p>
            </Success>
          )}
          {!waiting && n.payable && (
            <div>
              <h3>{t.pay.channelTitle}</h3>
              {me.channels.includes('banksim') ? (
                <Link className="button" to={`/pay/${n.paymentCode}/sandbox`}>
                  {t.pay.payNow}：{t.pay.sandbox}
                </Link>
              ) : (
                <p>{t.pay.noChannel}</p>
              )}
            </div>
          )}
          {!n.payable && n.state !== 'paid' && <p>{t.pay.notPayable}</p>}
        </section>
      )}
    </DataView>
  );
}

export function SandboxBankPage({ code }: { code: string }) {
  const { navigate } = useRouter();
  const notice = useLoad(() => payment.notice.lookup.query({ paymentCode: code }), [code]);
  const [payerName, setPayerName] = useState('');
  const [payerAccount, setPayerAccount] = useState('6222020200000000000');
  const pay = useAction(() => banksim.payment.pay.mutate({ paymentCode: code, payerName, payerAccount }));
  return (
    <section className="bank-page">
      <h1>{t.pay.bankTitle}</h1>
      <p className="lead">{t.pay.bankIntro}</p>
      <DataView loaded={notice}>
        {(n) => (
          <form
            className="card"
            onSubmit={async (event) => {
              event.preventDefault();
              if (await pay.execute()) navigate(`/pay/${code}?returned=1`);
            }}
          >
            <p className="amount">{t.money(n.totalFen)}</p>
            <p>{n.unitName}</p>
            <TextField
              label={t.pay.payerName}
              value={payerName}
              required
              onChange={(e) => setPayerName(e.target.value)}
            />
            <TextField
              label={t.pay.payerAccount}
              value={payerAccount}
              required
              inputMode="numeric"
              onChange={(e) => setPayerAccount(e.target.value)}
            />
            <button type="submit" disabled={pay.state.status === 'busy' || !n.payable}>
              {t.pay.confirmPay(t.money(n.totalFen))}
            </button>
            {pay.state.status === 'busy' && <p role="status">{t.pay.returning}</p>}
            {pay.state.status === 'error' && <ErrorNotice error={pay.state.error} />}
          </form>
        )}
      </DataView>
    </section>
  );
}

type MyReceipt = Awaited<ReturnType<typeof payment.receipt.mine.query>>['receipts'][number];

/** Saves base64 PDF bytes as a file through a temporary object URL (no inline script, CSP-safe). */
function saveFile(fileName: string, base64: string) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function DownloadReceipt({ receipt }: { receipt: MyReceipt }) {
  const download = useAction(async () => {
    const file = await payment.receipt.minePdf.query({ paymentCode: receipt.paymentCode });
    saveFile(file.fileName, file.pdfBase64);
    return file;
  });
  const state = download.state;
  return (
    <>
      <button
        type="button"
        className="secondary"
        disabled={state.status === 'busy'}
        aria-busy={state.status === 'busy'}
        onClick={() => void download.execute()}
      >
        {state.status === 'busy' ? t.app.loading : t.myReceipts.download(receipt.receiptNumber)}
      </button>
      {state.status === 'done' && (
        <p role="status" className="small">
          {state.data.sealed
            ? t.myReceipts.downloaded(state.data.fileName)
            : t.myReceipts.downloadedUnsealed(state.data.fileName)}
        </p>
      )}
      {state.status === 'error' && <ErrorNotice error={state.error} />}
    </>
  );
}

const RECEIPT_COLUMNS: Array<Column<MyReceipt>> = [
  {
    header: t.myReceipts.receipt,
    cell: (r) => `${r.receiptCode} / ${r.receiptNumber}`,
    className: 'mono small',
  },
  { header: t.myReceipts.checkCode, cell: (r) => r.checkCode, className: 'mono' },
  { header: t.myReceipts.unit, cell: (r) => r.unitName },
  { header: t.myReceipts.items, cell: (r) => r.items.map((item) => item.name).join('、') },
  { header: t.myReceipts.total, cell: (r) => t.money(r.totalFen) },
  { header: t.myReceipts.refunded, cell: (r) => (r.refundedFen > 0 ? t.money(r.refundedFen) : '—') },
  { header: t.myReceipts.issuedAt, cell: (r) => t.dateTime(r.issuedAt) },
  { header: t.myReceipts.seal, cell: (r) => (r.sealed ? t.myReceipts.sealed : t.myReceipts.notSealedYet) },
  { header: t.app.actions, cell: (r) => <DownloadReceipt receipt={r} /> },
];

export function MyReceiptsPage() {
  const list = usePagedList(async (cursor) => {
    const page = await payment.receipt.mine.query({ ...(cursor ? { cursor } : {}), limit: 20 });
    return { rows: page.receipts, nextCursor: page.nextCursor };
  }, []);
  return (
    <section>
      <h1>{t.myReceipts.title}</h1>
      <p className="lead">{t.myReceipts.intro}</p>
      <DataTable
        caption={t.myReceipts.caption}
        columns={RECEIPT_COLUMNS}
        list={list}
        rowKey={(r) => `${r.receiptCode}-${r.receiptNumber}`}
        empty={t.myReceipts.none}
        testId="my-receipts"
      />
    </section>
  );
}
