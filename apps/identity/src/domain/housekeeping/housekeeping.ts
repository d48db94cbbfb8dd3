// Periodic clean-up of expired rows, safe on every replica at once (plain deletes of expired data).
import type { Logger } from '@platform/service-kit';
import type { Clock } from '../../clock.ts';
import type { HousekeepingRepository } from '../../repositories/housekeeping.ts';

// Expired codes stay a day so that a late replay is still recognised (and revokes its grant).
const GRACE_MS = 24 * 3600 * 1000;

export class Housekeeping {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly repository: HousekeepingRepository,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  async run(): Promise<Record<string, number>> {
    const now = this.clock.now();
    return this.repository.purge(now, new Date(now.getTime() - GRACE_MS));
  }

  start(intervalMs = 60 * 60 * 1000): void {
    this.timer = setInterval(() => {
      this.run().then(
        (purged) => this.log.debug({ purged }, 'housekeeping done'),
        (error: unknown) => this.log.warn({ err: error }, 'housekeeping failed'),
      );
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
