// How the service sends text messages. Production plugs in the operator's gateway behind this
// interface; development writes to the sms_outbox table, which tests and the console read.
import type { Clock } from '../../clock.ts';
import type { SmsOutboxRepository } from '../../repositories/one-time-codes.ts';

export interface SmsGateway {
  send(phone: string, text: string): Promise<void>;
}

export class DevelopmentSmsGateway implements SmsGateway {
  constructor(
    private readonly outbox: SmsOutboxRepository,
    private readonly clock: Clock,
  ) {}

  async send(phone: string, text: string): Promise<void> {
    await this.outbox.add({ phone, body: text, createdAt: this.clock.now() });
  }
}
