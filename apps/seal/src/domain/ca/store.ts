// What the CA needs from storage (implemented by repositories/certificate-repository.ts).
import type { SealKeyAlgorithm } from '../keys/key-algorithm.ts';
import type { CrlReason } from './crl.ts';

/** sm2_root and sm2_maker: the GB/T 38540 hierarchy (domain/sm2/sm2-authority.ts). */
export type CertificateRole = 'root' | 'issuing' | 'tsa' | 'seal' | 'sm2_root' | 'sm2_maker';

export interface StoredCertificate {
  id: string;
  role: CertificateRole;
  serial: string;
  commonName: string;
  keyAlgorithm: SealKeyAlgorithm;
  der: Buffer;
  sealedKey: Buffer;
  kekId: string;
  developmentKey: boolean;
  issuerId: string | null;
  notBefore: Date;
  notAfter: Date;
  revokedAt: Date | null;
  revocationReason: CrlReason | null;
}

export type NewCertificate = Omit<StoredCertificate, 'id' | 'revokedAt' | 'revocationReason'>;

export interface StoredCrl {
  issuerId: string;
  number: number;
  der: Buffer;
  thisUpdate: Date;
  nextUpdate: Date;
}

export interface CertificateStore {
  /** The current certificate of a CA role (the newest one). */
  findCurrent(role: Exclude<CertificateRole, 'seal'>): Promise<StoredCertificate | undefined>;
  findById(id: string): Promise<StoredCertificate | undefined>;
  findBySerial(serial: string): Promise<StoredCertificate | undefined>;
  insert(certificate: NewCertificate): Promise<StoredCertificate>;
  markRevoked(id: string, at: Date, reason: CrlReason): Promise<void>;
  /** Clears a certificateHold revocation (and only that reason); false when it was not on hold. */
  releaseHold(id: string): Promise<boolean>;
  revokedBy(issuerId: string): Promise<StoredCertificate[]>;
  findCrl(issuerId: string): Promise<StoredCrl | undefined>;
  saveCrl(crl: StoredCrl): Promise<void>;
  /** Runs `work` in one transaction holding a database-wide lock named `name` (replicas take turns). */
  exclusively<T>(name: string, work: (store: CertificateStore) => Promise<T>): Promise<T>;
}
