// The collecting unit and payer the payment flows (3 and 4) use, and their dates.
export const UNIT = { creditCode: '91370102MA3C4XY006', name: 'Jinan Traffic Police Detachment' };
export const CITIZEN = { kind: 'natural_person' as const, id: '11010519491231002X', name: 'Zhang San' };
export const today = () => new Date().toISOString().slice(0, 10);
export const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

/** A day's reconciliation with nothing to explain: every line matched, nothing in suspense. */
export const CLEAN_RECONCILIATION = {
  missingOnPlatform: [],
  missingOnChannel: [],
  amountMismatches: [],
  missingInLedger: [],
  suspense: { count: 0, amountFen: 0 },
};
