// A seal's lifecycle status at a past instant, replayed from its audit events: verification at a
// later date must still tell whether the seal was usable when it signed, whatever happened since.
export type SealLifecycleStatus =
  'applied' | 'approved' | 'made' | 'filed' | 'active' | 'suspended' | 'lost' | 'cancelled' | 'expired';

export interface SealHistory {
  id: string;
  name: string;
  orgName: string;
  orgCode: string;
  kind: string;
  status: SealLifecycleStatus;
  validFrom: Date | null;
  validUntil: Date | null;
  /** Status changes, in any order. */
  events: Array<{ toStatus: SealLifecycleStatus; at: Date }>;
}

/** Finds the seal whose certificate has this serial (lowercase hex, no leading zeros). */
export interface SealLookup {
  bySerial(serialHex: string): Promise<SealHistory | undefined>;
}

/** The status after the last event at or before `at`; undefined when the seal did not exist yet. */
export function statusAt(history: SealHistory, at: Date): SealLifecycleStatus | undefined {
  let status: SealLifecycleStatus | undefined;
  let latest = Number.NEGATIVE_INFINITY;
  for (const event of history.events) {
    const t = event.at.getTime();
    if (t <= at.getTime() && t >= latest) {
      latest = t;
      status = event.toStatus;
    }
  }
  return status;
}

/** Usable to sign at `at`: active then, and inside its declared validity window. */
export function usableAt(history: SealHistory, at: Date): boolean {
  if (statusAt(history, at) !== 'active') return false;
  if (history.validFrom && at < history.validFrom) return false;
  if (history.validUntil && at > history.validUntil) return false;
  return true;
}
