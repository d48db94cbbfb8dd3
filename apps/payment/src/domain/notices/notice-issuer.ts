// notice.create: validates the lines against the item catalogue and issues the notice with its
// payment code, exactly once per (client, Idempotency-Key). The key is claimed by an INSERT in the
// same statement as the notice, so concurrent duplicates wait on the key's unique index and then
// see the winner's notice: every replica agrees without any in-memory lock.
import { randomUUID } from 'node:crypto';
import { AppError } from '@platform/contracts';
import { formatPaymentCode } from '@platform/identifiers';
import type { Clock } from '../../clock.ts';
import { utcDate } from '../../clock.ts';
import type { Database } from '../../db.ts';
import { NoticeRepository, type NewNotice, type NoticeRecord } from '../../repositories/notices.ts';
import type { UnitRecord } from '../../repositories/units.ts';
import { lineAmountFen, type LineRequest } from '../items/amount-rule.ts';
import type { ItemCatalogue } from '../items/item-catalogue.ts';
import { requestHash } from './request-hash.ts';

export interface CreateNotice {
  payer: { kind: 'natural_person' | 'legal_person'; id: string; name: string };
  lines: LineRequest[];
  dueDate: string;
  remark?: string | undefined;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
/** A sum of up to 50 lines of at most 10^13 fen each stays far below 2^53. */
const MAX_TOTAL_FEN = 10_000_000_000_000;
/** Payment-code sequence values fetched per round trip; unused ones are gaps, as with any sequence. */
const CODE_BLOCK = 64;

export class NoticeIssuer {
  private codes: number[] = [];
  private refill: Promise<void> | undefined;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly items: ItemCatalogue,
  ) {}

  /** The next payment-code sequence value, from a block this replica took from the database. */
  private async nextCodeSequence(): Promise<number> {
    for (;;) {
      const next = this.codes.shift();
      if (next !== undefined) return next;
      this.refill ??= new NoticeRepository(this.db)
        .nextCodeSequences(CODE_BLOCK)
        .then((block) => {
          this.codes.push(...block);
        })
        .finally(() => {
          this.refill = undefined;
        });
      await this.refill;
    }
  }

  async create(unit: UnitRecord, clientId: string, idempotencyKey: string | undefined, input: CreateNotice) {
    if (!idempotencyKey || !IDEMPOTENCY_KEY.test(idempotencyKey))
      throw new AppError('IDEMPOTENCY_KEY_REQUIRED', 'Send an Idempotency-Key header (1–255 printable characters)');
    const hash = requestHash(input);
    const notices = new NoticeRepository(this.db);

    const replay = await this.replay(notices, clientId, idempotencyKey, hash);
    if (replay) return replay;

    const { draft, category } = await this.draft(unit, clientId, input);
    const notice = { ...draft, paymentCode: this.paymentCode(unit, category, await this.nextCodeSequence()) };
    const createdAt = await notices.insertClaimingKey(clientId, idempotencyKey, hash, notice);
    if (!createdAt) {
      // A concurrent request with the same key committed first.
      const winner = await this.replay(notices, clientId, idempotencyKey, hash);
      if (winner) return winner;
      throw new AppError('IDEMPOTENCY_REQUEST_IN_FLIGHT', 'A request with this Idempotency-Key is in progress');
    }
    // What was inserted, without reading it back.
    const created: NoticeRecord = {
      ...notice,
      paidFen: 0,
      refundedFen: 0,
      state: 'issued',
      eventSeq: 0,
      createdAt,
      paidAt: null,
      lines: notice.lines.map(({ basis: _basis, ...line }) => line),
    };
    return created;
  }

  private async replay(
    notices: NoticeRepository,
    clientId: string,
    key: string,
    hash: string,
  ): Promise<NoticeRecord | null> {
    const existing = await notices.findIdempotencyKey(clientId, key);
    if (!existing) return null;
    if (existing.requestHash !== hash)
      throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request body');
    return notices.findById(existing.noticeId);
  }

  /** Everything about the new notice except its payment code; throws on any bad line. */
  private async draft(
    unit: UnitRecord,
    clientId: string,
    input: CreateNotice,
  ): Promise<{ draft: Omit<NewNotice, 'paymentCode'>; category: string }> {
    const today = utcDate(this.clock.now());
    if (input.dueDate < today) throw new AppError('DUE_DATE_IN_PAST', `The due date ${input.dueDate} is before today`);
    const items = new Map((await this.items.findMany(input.lines.map((l) => l.itemCode))).map((i) => [i.code, i]));
    const lines = input.lines.map((line, index) => {
      const item = items.get(line.itemCode);
      if (!item) throw new AppError('PAYMENT_ITEM_NOT_FOUND', `No item ${line.itemCode}`);
      if (item.unitCode !== unit.creditCode)
        throw new AppError('PAYMENT_ITEM_OF_OTHER_UNIT', `Item ${line.itemCode} belongs to another collecting unit`);
      if (item.status !== 'live')
        throw new AppError(
          'PAYMENT_ITEM_NOT_LIVE',
          `Item ${line.itemCode} is ${item.status}; only live items accept notices`,
        );
      return {
        lineNo: index + 1,
        itemCode: item.code,
        itemName: item.name,
        destination: item.destination,
        amountFen: lineAmountFen(item.amountRule, line),
        basis: item.amountRule.kind === 'late_fee' && line.basis ? line.basis : null,
        category: item.category,
      };
    });
    const totalFen = lines.reduce((sum, line) => sum + line.amountFen, 0);
    if (totalFen > MAX_TOTAL_FEN) throw new AppError('AMOUNT_RULE_VIOLATED', 'The notice total is too large');
    const draft = {
      id: randomUUID(),
      unitCode: unit.creditCode,
      clientId,
      payerKind: input.payer.kind,
      payerId: input.payer.id,
      payerName: input.payer.name,
      totalFen,
      dueDate: input.dueDate,
      remark: input.remark ?? null,
      lines: lines.map(({ category: _category, ...line }) => line),
    };
    // The code's "type" digits: the first line's item category.
    return { draft, category: lines[0]?.category ?? '01' };
  }

  /** District = the unit's region (credit code positions 3–8), year = the UTC year's last two digits. */
  private paymentCode(unit: UnitRecord, category: string, sequence: number): string {
    return formatPaymentCode({
      district: unit.creditCode.slice(2, 8),
      year: String(this.clock.now().getUTCFullYear() % 100).padStart(2, '0'),
      type: category,
      sequence,
    });
  }
}
