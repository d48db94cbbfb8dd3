import { paymentContract } from '@platform/contracts';
import { requireScope } from '@platform/auth';
import { implement } from '@platform/service-kit';
import { SCOPES, type RouterDeps } from '../deps.ts';
import { maskName, noticeView } from '../views.ts';
import { visibleUnit } from '../visible-unit.ts';

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export const noticesRouter = ({ core, env }: RouterDeps) => ({
  create: implement(paymentContract.notice.create).mutation(async ({ ctx, input }) => {
    requireScope(ctx.principal, SCOPES.createNotice);
    const unit = await core.units.unitOf(ctx.principal);
    const clientId = ctx.principal?.clientId ?? ctx.principal?.subject ?? '';
    const notice = await core.issuer.create(unit, clientId, header(ctx.headers['idempotency-key']), input);
    return noticeView(notice, env.PAYMENT_PAGE_BASE_URL);
  }),
  get: implement(paymentContract.notice.get).query(async ({ ctx, input }) => {
    requireScope(ctx.principal, SCOPES.readNotice);
    const unit = await core.units.unitOf(ctx.principal);
    return noticeView(await core.lifecycle.get(input.paymentCode, unit.creditCode), env.PAYMENT_PAGE_BASE_URL);
  }),
  cancel: implement(paymentContract.notice.cancel).mutation(async ({ ctx, input }) => {
    requireScope(ctx.principal, SCOPES.createNotice);
    const unit = await core.units.unitOf(ctx.principal);
    return noticeView(await core.lifecycle.cancel(input.paymentCode, unit.creditCode), env.PAYMENT_PAGE_BASE_URL);
  }),
  list: implement(paymentContract.notice.list).query(async ({ ctx, input }) => {
    const unitCode = await visibleUnit(core, ctx.principal, input.unitCode);
    const { cursor, limit, ...filter } = input;
    const { page, nextCursor } = await core.queries.listNotices({ ...filter, unitCode }, cursor, limit);
    return { notices: page.map((notice) => noticeView(notice, env.PAYMENT_PAGE_BASE_URL)), nextCursor };
  }),
  lookup: implement(paymentContract.notice.lookup).query(async ({ input }) => {
    const { notice, unitName } = await core.lifecycle.lookup(input.paymentCode);
    return {
      paymentCode: notice.paymentCode,
      unitName,
      payerName: maskName(notice.payerName),
      items: notice.lines.map((line) => ({ name: line.itemName, amountFen: line.amountFen })),
      totalFen: notice.totalFen,
      dueDate: notice.dueDate,
      state: notice.state,
      payable: notice.state === 'issued',
    };
  }),
});
