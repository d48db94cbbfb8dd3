// Finance bureau and collecting units: items and their go-live state, notices and payments with
// filters, refunds to review and approve (deadlines highlighted), the daily reconciliation report and
// collection charts.
import { useState } from 'react';
import { payment } from '../api/clients.ts';
import { BarChart, DonutChart } from '../components/charts.tsx';
import { DataTable, type Column } from '../components/data-table.tsx';
import { DataView, Empty, ErrorNotice, Success } from '../components/feedback.tsx';
import { Checkbox, SelectField, TextField } from '../components/form.tsx';
import { t } from '../i18n/index.ts';
import { useAction, useLoad } from '../use-load.ts';
import { usePagedList } from '../use-paged-list.ts';

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

type NoticeView = Awaited<ReturnType<typeof payment.notice.list.query>>['notices'][number];
type NoticeState = NoticeView['state'];
const NOTICE_STATES: NoticeState[] = [
  'issued',
  'paid',
  'settled',
  'partially_refunded',
  'refunded',
  'expired',
  'cancelled',
];
const NO_FILTERS = { state: '', itemCode: '', unitCode: '', createdFrom: '', createdTo: '', paymentCodePrefix: '' };
type NoticeFilters = typeof NO_FILTERS;
const NOTICES_PER_PAGE = 20;

/** The filled-in filters only: an empty field filters nothing. */
function noticeQuery(filters: NoticeFilters) {
  const text = (value: string) => value.trim() || undefined;
  return {
    state: (filters.state || undefined) as NoticeState | undefined,
    itemCode: text(filters.itemCode),
    unitCode: text(filters.unitCode),
    createdFrom: filters.createdFrom || undefined,
    createdTo: filters.createdTo || undefined,
    paymentCodePrefix: filters.paymentCodePrefix.replace(/\s+/g, '') || undefined,
  };
}

const NOTICE_COLUMNS: Array<Column<NoticeView>> = [
  { header: t.notices.paymentCode, cell: (n) => n.paymentCode, className: 'mono small' },
  { header: t.notices.payer, cell: (n) => n.payer.name },
  { header: t.notices.unit, cell: (n) => n.unitCode, className: 'mono small' },
  { header: t.notices.items, cell: (n) => n.lines.map((line) => line.itemName).join('、') },
  { header: t.notices.total, cell: (n) => t.money(n.totalFen) },
  { header: t.notices.state, cell: (n) => <span className={`badge badge-${n.state}`}>{t.pay.states[n.state]}</span> },
  { header: t.notices.createdAt, cell: (n) => t.dateTime(n.createdAt) },
  { header: t.notices.paidAt, cell: (n) => (n.paidAt ? t.dateTime(n.paidAt) : '—') },
];

export function NoticesPage() {
  const [draft, setDraft] = useState(NO_FILTERS);
  const [applied, setApplied] = useState(NO_FILTERS);
  const list = usePagedList(
    async (cursor) => {
      const page = await payment.notice.list.query({
        ...noticeQuery(applied),
        ...(cursor ? { cursor } : {}),
        limit: NOTICES_PER_PAGE,
      });
      return { rows: page.notices, nextCursor: page.nextCursor };
    },
    [applied],
  );
  const field = (name: keyof NoticeFilters) => ({
    value: draft[name],
    onChange: (event: { target: { value: string } }) => setDraft({ ...draft, [name]: event.target.value }),
  });
  return (
    <section>
      <h1>{t.notices.title}</h1>
      <p className="lead">{t.notices.intro}</p>
      <form
        className="card inline-form"
        aria-label={t.notices.filters}
        onSubmit={(event) => {
          event.preventDefault();
          setApplied(draft);
        }}
      >
        <SelectField
          label={t.notices.state}
          options={[
            { value: '', label: t.notices.anyState },
            ...NOTICE_STATES.map((state) => ({ value: state, label: t.pay.states[state] ?? state })),
          ]}
          {...field('state')}
        />
        <TextField label={t.notices.itemCode} autoComplete="off" {...field('itemCode')} />
        <TextField label={t.notices.unitCode} autoComplete="off" {...field('unitCode')} />
        <TextField label={t.notices.createdFrom} type="date" {...field('createdFrom')} />
        <TextField label={t.notices.createdTo} type="date" {...field('createdTo')} />
        <TextField
          label={t.notices.codePrefix}
          inputMode="numeric"
          autoComplete="off"
          {...field('paymentCodePrefix')}
        />
        <div className="button-row">
          <button type="submit">{t.notices.apply}</button>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setDraft(NO_FILTERS);
              setApplied(NO_FILTERS);
            }}
          >
            {t.notices.clear}
          </button>
        </div>
      </form>
      <DataTable
        caption={t.notices.caption}
        columns={NOTICE_COLUMNS}
        list={list}
        rowKey={(n) => n.id}
        empty={t.notices.none}
        testId="notices-table"
      />
    </section>
  );
}

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

export function CollectionPage() {
  const [range, setRange] = useState(() => ({ from: daysAgo(6), to: daysAgo(0) }));
  const [shown, setShown] = useState(range);
  const stats = useLoad(() => payment.stats.collection.query(shown), [shown]);
  return (
    <section>
      <h1>{t.collection.title}</h1>
      <p className="lead">{t.collection.intro}</p>
      <form
        className="card inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          setShown(range);
        }}
      >
        <TextField
          label={t.collection.from}
          type="date"
          required
          value={range.from}
          onChange={(e) => setRange({ ...range, from: e.target.value })}
        />
        <TextField
          label={t.collection.to}
          type="date"
          required
          value={range.to}
          onChange={(e) => setRange({ ...range, to: e.target.value })}
        />
        <button type="submit">{t.collection.show}</button>
      </form>
      <DataView loaded={stats}>
        {(s) =>
          s.total.count === 0 ? (
            <Empty>{t.collection.none}</Empty>
          ) : (
            <>
              <p className="amount" data-testid="collection-total">
                {t.collection.total(s.total.count, t.money(s.total.amountFen))}
              </p>
              <div className="charts">
                <BarChart
                  title={t.collection.chartByDay}
                  data={s.byDay.map((d) => ({ label: d.date, value: d.amountFen }))}
                  format={t.money}
                />
                <DonutChart
                  title={t.collection.chartChannels}
                  data={s.channels.map((c) => ({
                    label: `${t.finance.channels[c.channel] ?? c.channel} · ${t.collection.payModes[c.payMode] ?? c.payMode}`,
                    value: c.amountFen,
                  }))}
                  format={t.money}
                />
                <BarChart
                  title={t.collection.chartByItem}
                  data={s.byItem.map((d) => ({
                    label: `${d.date.slice(5)} ${d.itemName}（${d.itemCode}）`,
                    value: d.amountFen,
                  }))}
                  format={t.money}
                />
                <BarChart
                  title={t.collection.chartByUnit}
                  data={s.byUnit.map((d) => ({
                    label: `${d.date.slice(5)} ${d.unitName}（${d.unitCode}）`,
                    value: d.amountFen,
                  }))}
                  format={t.money}
                />
              </div>
            </>
          )
        }
      </DataView>
    </section>
  );
}
