// Database reachability: answers /readyz and system.info, and watches in the background so that an
// outage and the recovery each produce one clear log line (the pool reconnects by itself).
import type { Logger } from './logger.ts';

export type DatabaseCheck = () => Promise<unknown>;

export interface DatabaseStatus {
  status: 'up' | 'down';
  latencyMs: number | null;
}

export async function probeDatabase(check: DatabaseCheck, timeoutMs = 2_000): Promise<DatabaseStatus> {
  const began = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error('database check timed out')), timeoutMs);
      }),
    ]);
    return { status: 'up', latencyMs: Math.round((performance.now() - began) * 100) / 100 };
  } catch {
    return { status: 'down', latencyMs: null };
  } finally {
    clearTimeout(timer);
  }
}

export function watchDatabase(check: DatabaseCheck, log: Logger, intervalMs = 5_000): () => void {
  let last: DatabaseStatus['status'] | undefined;
  const tick = async () => {
    const { status } = await probeDatabase(check);
    if (status !== last) {
      if (status === 'down')
        log.error('database unreachable: /readyz reports not ready; retrying every %d ms', intervalMs);
      else if (last === 'down') log.info('database reachable again: ready');
      last = status;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
