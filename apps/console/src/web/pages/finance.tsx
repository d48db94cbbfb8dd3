// Finance bureau and collecting units: items and their go-live state, refunds to review and
// approve (deadlines highlighted), the daily reconciliation report and collection charts.
import { useState } from 'react';
import { payment } from '../api/clients.ts';
import { BarChart, DonutChart } from '../components/charts.tsx';
import { DataView, Empty, ErrorNotice, Success } from '../components/feedback.tsx';
import { Checkbox, TextField } from '../components/form.tsx';
import { t } from '../i18n/index.ts';
import { useAction, useLoad } from '../use-load.ts';

type ItemStatus = 'draft' | 'sandbox_tested' | 'live' | 'suspended';
/** The on-boarding steps an item may take from each status (mirrors the payment service's rule). */
const NEXT: Record<ItemStatus, ItemStatus[]> = {
  draft: ['sandbox_tested'],
  sandbox_tested: ['live'],
  live: ['suspended'],
  suspended: ['live'],
};

export function ItemsPage() {
  const items = useLoad(() => payment.item.list.query({}), []);
  return (
    <section>
      <h1>{t.finance.itemsTitle}</h1>
      <p className="lead">{t.finance.itemsIntro}</p>
      <DataView loaded={items}>
        {({ items: list }) =>
          list.length === 0 ? (
            <Empty />
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t.finance.code}</th>
                    <th scope="col">{t.finance.name}</th>
                    <th scope="col">{t.finance.unit}</th>
                    <th scope="col">{t.finance.rule}</th>
                    <th scope="col">{t.finance.destination}</th>
                    <th scope="col">{t.finance.status}</th>
                    <th scope="col">{t.app.actions}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((item) => (
                    <tr key={item.code}>
                      <td className="mono">{item.code}</td>
                      <td>{item.name}</td>
                      <td className="mono small">{item.unitCode}</td>
                      <td>
                        {item.amountRule.kind === 'fixed'
                          ? t.finance.rules.fixed(t.money(item.amountRule.amountFen))
                          : item.amountRule.kind === 'range'
                            ? t.finance.rules.range(t.money(item.amountRule.minFen), t.money(item.amountRule.maxFen))
                            : t.finance.rules.late_fee(item.amountRule.dailyRateBasisPoints)}
                      </td>
                      <td>{t.finance.destinations[item.destination]}</td>
                      <td>
                        <span className={`badge badge-${item.status}`}>{t.finance.statuses[item.status]}</span>
                      </td>
                      <td>
                        <ItemActions code={item.code} status={item.status} onDone={items.reload} />
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

function ItemActions({ code, status, onDone }: { code: string; status: ItemStatus; onDone: () => void }) {
  const move = useAction((next: ItemStatus) => payment.item.transition.mutate({ code, status: next }));
  return (
    <>
      <div className="button-row">
        {NEXT[status].map((next) => (
          <button
            key={next}
            type="button"
            className="secondary"
            onClick={async () => {
              if (await move.execute(next)) onDone();
            }}
          >
            {t.finance.moveTo(t.finance.statuses[next] ?? next)}
          </button>
        ))}
      </div>
      {move.state.status === 'error' && <ErrorNotice error={move.state.error} />}
    </>
  );
}

export function RefundsPage() {
  const [overdueOnly, setOverdueOnly] = useState(false);
  const refunds = useLoad(() => payment.refund.list.query({ overdueOnly }), [overdueOnly]);
  return (
    <section>
      <h1>{t.finance.refundsTitle}</h1>
      <p className="lead">{t.finance.refundsIntro}</p>
      <Checkbox
        label={t.finance.overdueOnly}
        checked={overdueOnly}
        onChange={(e) => setOverdueOnly(e.target.checked)}
      />
      <DataView loaded={refunds}>
        {({ refunds: list }) =>
          list.length === 0 ? (
            <Empty />
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t.finance.paymentCode}</th>
                    <th scope="col">{t.finance.amount}</th>
                    <th scope="col">{t.finance.kind}</th>
                    <th scope="col">{t.finance.reason}</th>
                    <th scope="col">{t.finance.state}</th>
                    <th scope="col">{t.finance.due}</th>
                    <th scope="col">{t.app.actions}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((refund) => {
                    const due =
                      refund.state === 'requested'
                        ? refund.reviewDueAt
                        : refund.state === 'unit_approved'
                          ? refund.approvalDueAt
                          : refund.paymentDueAt;
                    return (
                      <tr key={refund.id} className={refund.overdue ? 'row-overdue' : undefined}>
                        <td className="mono small">{refund.paymentCode}</td>
                        <td>{t.money(refund.amountFen)}</td>
                        <td>{t.finance.kinds[refund.kind]}</td>
                        <td>{refund.reason}</td>
                        <td>{t.finance.refundStates[refund.state]}</td>
                        <td>
                          {due ? t.date(due) : '—'}
                          {refund.overdue && <strong className="overdue"> {t.finance.overdue}</strong>}
                        </td>
                        <td>
                          <RefundActions id={refund.id} state={refund.state} onDone={refunds.reload} />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )
        }
      </DataView>
    </section>
  );
}

function RefundActions({ id, state, onDone }: { id: string; state: string; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const decide = useAction((approve: boolean) =>
    payment.refund.approve.mutate({ refundId: id, approve, ...(approve ? {} : { reason }) }),
  );
  const execute = useAction(() => payment.refund.execute.mutate({ refundId: id }));
  if (state === 'finance_approved')
    return (
      <>
        <button type="button" onClick={async () => (await execute.execute()) && onDone()}>
          {t.finance.execute}
        </button>
        {execute.state.status === 'error' && <ErrorNotice error={execute.state.error} />}
      </>
    );
  if (state !== 'unit_approved') return null;
  return (
    <div className="subform">
      <TextField label={t.finance.rejectReason} value={reason} onChange={(e) => setReason(e.target.value)} />
      <div className="button-row">
        <button type="button" onClick={async () => (await decide.execute(true)) && onDone()}>
          {t.finance.approve}
        </button>
        <button
          type="button"
          className="danger"
          disabled={!reason.trim()}
          onClick={async () => (await decide.execute(false)) && onDone()}
        >
          {t.finance.reject}
        </button>
      </div>
      {decide.state.status === 'error' && <ErrorNotice error={decide.state.error} />}
      {decide.state.status === 'done' && <Success>{t.finance.decided}</Success>}
    </div>
  );
}

const today = () => new Date().toISOString().slice(0, 10);

export function ReconciliationPage() {
  const [date, setDate] = useState(today);
  const [shown, setShown] = useState(date);
  const report = useLoad(() => payment.reconciliation.get.query({ channel: 'banksim', date: shown }), [shown]);
  const run = useAction(() => payment.reconciliation.run.mutate({ channel: 'banksim', date }));
  return (
    <section>
      <h1>{t.finance.reconciliationTitle}</h1>
      <p className="lead">{t.finance.reconciliationIntro}</p>
      <form
        className="card inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          setShown(date);
        }}
      >
        <TextField label={t.finance.date} type="date" value={date} required onChange={(e) => setDate(e.target.value)} />
        <button type="submit" className="secondary">
          {t.finance.show}
        </button>
        <button
          type="button"
          onClick={async () => {
            if (await run.execute()) {
              setShown(date);
              report.reload();
            }
          }}
        >
          {t.finance.run}
        </button>
      </form>
      {run.state.status === 'error' && <ErrorNotice error={run.state.error} />}
      {report.state === 'error' && report.error.code === 'RECONCILIATION_NOT_FOUND' ? (
        <Empty>{t.finance.noReport}</Empty>
      ) : (
        <DataView loaded={report}>
          {(r) => (
            <>
              <section className="card" data-testid="reconciliation-report">
                <h2>
                  {r.date} · {t.finance.channels[r.channel] ?? r.channel}
                </h2>
                <dl className="facts">
                  <dt>{t.finance.matched}</dt>
                  <dd>
                    {r.matched.count} / {t.money(r.matched.amountFen)}
                  </dd>
                  <dt>{t.finance.settledCount}</dt>
                  <dd>{r.settled}</dd>
                  <dt>{t.finance.missingOnPlatform}</dt>
                  <dd>{r.missingOnPlatform.length}</dd>
                  <dt>{t.finance.missingOnChannel}</dt>
                  <dd>{r.missingOnChannel.length}</dd>
                  <dt>{t.finance.mismatches}</dt>
                  <dd>{r.amountMismatches.length}</dd>
                  <dt>{t.finance.suspense}</dt>
                  <dd>
                    {r.suspense.count} / {t.money(r.suspense.amountFen)}
                  </dd>
                </dl>
              </section>
              <div className="charts">
                <BarChart
                  title={t.finance.chartByUnit}
                  data={r.byUnit.map((u) => ({ label: u.unitCode, value: u.amountFen }))}
                  format={t.money}
                />
                <DonutChart
                  title={t.finance.chartChannels}
                  data={[{ label: t.finance.channels[r.channel] ?? r.channel, value: r.matched.amountFen }]}
                  format={t.money}
                />
              </div>
            </>
          )}
        </DataView>
      )}
    </section>
  );
}
