// Appending to a hash chain whose order is a unique key (an audit log, a usage log). The common
// case is one statement: rows are chained onto the tail this replica wrote last, and the unique
// key refuses them if another replica appended meanwhile. After a few such conflicts in a row the
// append takes an advisory lock instead, so busy replicas cannot starve each other.
//
// The lock only orders the appenders that hold it: another replica's optimistic insert may still
// land between the locked read of the tail and the locked insert. So a locked append that meets a
// conflict is tried again too; it converges because every replica makes at most
// `optimisticAttempts` lock-free tries per append before queueing behind the same lock.
import { isUniqueViolation } from './constraint-errors.ts';

export interface ChainedAppendSteps<T> {
  /** Builds the rows on the tail this replica remembers (or reads) and inserts them, unlocked. */
  optimistic: () => Promise<T>;
  /** Takes the advisory lock, reads the tail, builds and inserts — in one transaction. */
  locked: () => Promise<T>;
  /** Called after any failed try: what the replica remembered of the tail is stale now. */
  forgetTail: () => void;
}

export interface ChainedAppendLimits {
  optimisticAttempts: number;
  lockedAttempts: number;
}

export const DEFAULT_CHAINED_APPEND_LIMITS: ChainedAppendLimits = { optimisticAttempts: 3, lockedAttempts: 10 };

export async function appendToChain<T>(
  steps: ChainedAppendSteps<T>,
  limits: ChainedAppendLimits = DEFAULT_CHAINED_APPEND_LIMITS,
): Promise<T> {
  const attempts = limits.optimisticAttempts + limits.lockedAttempts;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return attempt < limits.optimisticAttempts ? await steps.optimistic() : await steps.locked();
    } catch (error) {
      steps.forgetTail();
      if (!isUniqueViolation(error) || attempt + 1 >= attempts) throw error;
    }
  }
}
