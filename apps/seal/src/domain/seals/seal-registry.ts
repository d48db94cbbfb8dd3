// Filing (备案) with the seal registry of the public security authority. The real registry is
// reached through an adapter; the development one only hands out numbers and must not be used in
// production (createSealService refuses it there).
import { createHash } from 'node:crypto';

export interface SealFiling {
  id: string;
  orgCode: string;
  orgName: string;
  name: string;
  kind: string;
  certificateSerial: string;
}

export interface SealRegistry {
  readonly development: boolean;
  /** Files the seal and returns the registry's filing number; throws when the registry refuses or is down. */
  file(seal: SealFiling): Promise<{ filingNumber: string }>;
}

/**
 * A stand-in registry: the filing number is derived from the seal (DEV- prefix, stable per seal),
 * with the organisation's administrative division (characters 3–8 of its credit code) as a real
 * registry's numbers carry it.
 */
export class DevelopmentSealRegistry implements SealRegistry {
  readonly development = true;

  async file(seal: SealFiling): Promise<{ filingNumber: string }> {
    const digest = createHash('sha256').update(`${seal.orgCode}/${seal.id}`).digest('hex').slice(0, 12).toUpperCase();
    return { filingNumber: `DEV-${seal.orgCode.slice(2, 8)}-${digest}` };
  }
}
