// A background loop on each replica (batch issue, sealing license files): work rounds back to back
// while there is work, then poll. A failing round is logged and retried; the leases of the rows it
// held expire and are retaken.

export interface BatchWorkerLog {
  error(details: object, message: string): void;
}

/** Work done in rounds: each returns how many items it handled (0 = nothing to do now). */
export interface RoundWork {
  processRound(): Promise<number>;
}

export class BatchWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly batches: RoundWork,
    private readonly pollMs: number,
    private readonly log: BatchWorkerLog,
    private readonly name = 'batch issue',
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Wakes the worker now (after an upload or an issue) instead of at the next poll. */
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
      this.log.error({ err: error }, `${this.name} round failed`);
    }
  }
}
