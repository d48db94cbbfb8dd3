// Recovers lost callbacks: notices unpaid for a while are looked up at the channel, and whatever
// signed confirmations it returns go through the same verification and recording as callbacks.
import type { Clock } from '../../clock.ts';
import type { Database } from '../../db.ts';
import { NoticeRepository } from '../../repositories/notices.ts';
import type { PaymentChannel } from '../channels/channel.ts';
import type { PaymentRecorder } from './payment-recorder.ts';

export interface RecoveryResult {
  checked: number;
  recovered: number;
  failures: number;
}

export class PaymentRecovery {
  constructor(
    private readonly db: Database,
    private readonly channel: PaymentChannel,
    private readonly recorder: PaymentRecorder,
    private readonly clock: Clock,
    private readonly log: { warn(obj: object, msg: string): void },
  ) {}

  async run(afterSeconds: number, limit = 100): Promise<RecoveryResult> {
    const now = this.clock.now();
    const cutoff = new Date(now.getTime() - afterSeconds * 1000);
    // Each notice is asked about at most once per `afterSeconds`, by one replica.
    const codes = await new NoticeRepository(this.db).claimForRecovery(cutoff, cutoff, now, limit);
    const result: RecoveryResult = { checked: codes.length, recovered: 0, failures: 0 };
    for (const code of codes) {
      try {
        for (const message of await this.channel.queryStatus(code)) {
          const confirmation = await this.channel.verify(message);
          if (confirmation.paymentCode !== code) continue;
          if ((await this.recorder.record(this.channel.id, confirmation, 'status_query')) === 'recorded')
            result.recovered++;
        }
      } catch (error) {
        result.failures++;
        this.log.warn({ err: error, paymentCode: code }, 'payment recovery failed for a notice');
      }
    }
    return result;
  }
}
