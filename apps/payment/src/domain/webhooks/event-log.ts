// Listing and replaying a unit's webhook events.
import { AppError } from '@platform/contracts';
import type { Clock } from '../../clock.ts';
import type { Database } from '../../db.ts';
import { NoticeRepository } from '../../repositories/notices.ts';
import { WebhookEventRepository } from '../../repositories/webhook-events.ts';

export class WebhookEventLog {
  private readonly events: WebhookEventRepository;
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {
    this.events = new WebhookEventRepository(db);
  }

  async list(
    unitCode: string,
    filter: { paymentCode?: string | undefined; status?: string | undefined; limit: number },
  ) {
    let noticeId: string | undefined;
    if (filter.paymentCode) {
      const notice = await new NoticeRepository(this.db).findByCode(filter.paymentCode);
      if (!notice || notice.unitCode !== unitCode) return [];
      noticeId = notice.id;
    }
    const rows = await this.events.list(unitCode, {
      limit: filter.limit,
      ...(noticeId ? { noticeId } : {}),
      ...(filter.status ? { status: filter.status } : {}),
    });
    return rows;
  }

  async replay(unitCode: string, eventId: string) {
    const event = await this.events.find(eventId);
    if (!event || event.unitCode !== unitCode) throw new AppError('WEBHOOK_EVENT_NOT_FOUND', 'No such event');
    return this.events.requeue(eventId, this.clock.now());
  }
}
