// The background loop of batch issue on each replica: work rounds back to back while rows are
// pending, then poll. A failing round is logged and retried; its rows' leases expire and are retaken.
import type { BatchIssuing } from './batch-issuing.ts';

export interface BatchWorkerLog {
  error(details: object, message: string): void;
}

export class BatchWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly batches: BatchIssuing,
    private readonly pollMs: number,
    private readonly log: BatchWorkerLog,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Wakes the worker now (after an upload) instead of at the next poll. */
  nudge(): void {
    if (!this.stopped && !this.running) this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.drain().finally(() => {
        this.running = undefined;
        if (!this.stopped) this.schedule(this.pollMs);
      });
    }, delayMs);
    this.timer.unref();
  }

  private async drain(): Promise<void> {
    try {
      while (!this.stopped && (await this.batches.processRound()) > 0);
    } catch (error) {
      this.log.error({ err: error }, 'batch issue round failed');
    }
  }
}
