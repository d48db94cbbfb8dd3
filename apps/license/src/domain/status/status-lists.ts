// Bitstring Status Lists per issuer (W3C): slots are allocated when a license is issued, bits
// flip in the same transaction as the license's status, and the signed list credential is re-made
// only when the list changed or its copy is getting old.
import {
  MIN_STATUS_LIST_ENTRIES,
  encodeBitstring,
  type StatusEntry,
  type StatusPurpose,
} from '@platform/license-verifier';
import type { Clock } from '../../clock.ts';
import { addSeconds } from '../../clock.ts';
import type { LicenseTransaction } from '../../repositories/licenses.ts';
import type { StatusListRepository } from '../../repositories/status-lists.ts';
import { signJws, statusListCredential } from '../credentials/license-credential.ts';
import type { IssuerKeys } from '../keys/issuer-keys.ts';

/** 2^17 entries: the W3C minimum, and a power of two so that slot scrambling is a bijection. */
export const STATUS_LIST_SIZE = MIN_STATUS_LIST_ENTRIES;
export const STATUS_PURPOSES: StatusPurpose[] = ['revocation', 'suspension'];
// Odd, so multiplying by it modulo 2^17 permutes the positions: consecutive licenses do not sit
// in neighbouring bits, which keeps a list from revealing issue order (W3C privacy advice).
const SCRAMBLE = (0x9e37_79b1 % STATUS_LIST_SIZE) | 1;

export interface StatusSlot {
  listNumber: number;
  position: number;
}

/** The status index stored on a license: list number × size + position in the list. */
export const slotOfIndex = (index: number): StatusSlot => ({
  listNumber: Math.floor(index / STATUS_LIST_SIZE),
  position: index % STATUS_LIST_SIZE,
});

export function indexOfSlotNumber(slotNumber: number): number {
  const listNumber = Math.floor(slotNumber / STATUS_LIST_SIZE);
  const position = Number((BigInt(slotNumber % STATUS_LIST_SIZE) * BigInt(SCRAMBLE)) % BigInt(STATUS_LIST_SIZE));
  return listNumber * STATUS_LIST_SIZE + position;
}

export class StatusLists {
  constructor(
    private readonly repository: StatusListRepository,
    private readonly keys: IssuerKeys,
    private readonly clock: Clock,
    private readonly options: { publicUrl: string; ttlSeconds: number },
  ) {}

  url(issuerCode: string, purpose: StatusPurpose, listNumber: number): string {
    return `${this.options.publicUrl}/status-lists/${issuerCode}/${purpose}/${listNumber}`;
  }

  entries(issuerCode: string, index: number): StatusEntry[] {
    const { listNumber, position } = slotOfIndex(index);
    return STATUS_PURPOSES.map((purpose) => {
      const url = this.url(issuerCode, purpose, listNumber);
      return {
        id: `${url}#${position}`,
        type: 'BitstringStatusListEntry',
        statusPurpose: purpose,
        statusListIndex: String(position),
        statusListCredential: url,
      };
    });
  }

  /** Allocates the next status index of the issuer, creating its lists when a new one starts. */
  async allocate(tx: LicenseTransaction, issuerCode: string): Promise<number> {
    const index = indexOfSlotNumber(await tx.nextStatusSlot(issuerCode));
    const { listNumber } = slotOfIndex(index);
    for (const purpose of STATUS_PURPOSES)
      await tx.ensureStatusList(issuerCode, purpose, listNumber, STATUS_LIST_SIZE / 8);
    return index;
  }

  async set(
    tx: LicenseTransaction,
    issuerCode: string,
    purpose: StatusPurpose,
    index: number,
    value: boolean,
  ): Promise<void> {
    const { listNumber, position } = slotOfIndex(index);
    await tx.setStatusBit(issuerCode, purpose, listNumber, position, value);
  }

  /** The signed status list credential (vc+jwt), or null when there is no such list. */
  async signed(issuerCode: string, purpose: StatusPurpose, listNumber: number): Promise<string | null> {
    const row = await this.repository.get(issuerCode, purpose, listNumber);
    if (!row) return null;
    const now = this.clock.now();
    const fresh =
      row.signedJwt !== null &&
      row.signedRevision === row.revision &&
      row.signedAt !== null &&
      now.getTime() - row.signedAt.getTime() < (this.options.ttlSeconds * 1000) / 2;
    if (fresh && row.signedJwt) return row.signedJwt;
    const key = await this.keys.signingKey(issuerCode);
    const url = this.url(issuerCode, purpose, listNumber);
    const jwt = await signJws(
      statusListCredential({
        url,
        issuerId: this.keys.issuerId(issuerCode),
        purpose,
        encodedList: encodeBitstring(new Uint8Array(row.bits)),
        validFrom: now,
        validUntil: addSeconds(now, this.options.ttlSeconds),
      }),
      key,
      'vc+jwt',
    );
    await this.repository.saveSigned(row, jwt, row.revision, now);
    return jwt;
  }
}
