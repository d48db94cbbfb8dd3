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

/**
 * The status after the last event in or before the second of `at`; undefined when the seal did not
 * exist yet. Whole seconds, because signing times are timestamps' genTime (truncated to the second):
 * a seal activated at 10:00:00.700 and used at 10:00:00.900 was signing at genTime 10:00:00, and a
 * seal reported lost within the same second as a signature counts as lost for it (the safe side).
 */
export function statusAt(history: SealHistory, at: Date): SealLifecycleStatus | undefined {
  let status: SealLifecycleStatus | undefined;
  let latest = Number.NEGATIVE_INFINITY;
  const second = Math.floor(at.getTime() / 1000);
  for (const event of history.events) {
    const t = event.at.getTime();
    if (Math.floor(t / 1000) <= second && t >= latest) {
      latest = t;
      status = event.toStatus;
    }
  }
  return status;
}

/**
 * Usable to sign at `at`: active then, and inside its declared validity window — compared in whole
 * seconds too, since a seal made at 10:00:00.400 and used at once signs at genTime 10:00:00.
 */
export function usableAt(history: SealHistory, at: Date): boolean {
  if (statusAt(history, at) !== 'active') return false;
  const second = Math.floor(at.getTime() / 1000);
  if (history.validFrom && second < Math.floor(history.validFrom.getTime() / 1000)) return false;
  if (history.validUntil && second > Math.floor(history.validUntil.getTime() / 1000)) return false;
  return true;
}
