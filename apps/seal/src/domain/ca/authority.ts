// The certificate authority: a root, an issuing CA and a timestamping certificate, created once
// (by whichever replica starts first) and kept in the database; seal certificates issued on demand;
// revocation that re-publishes the CRL at once.
import { generateKeyPair, type KeyAlgorithm } from '../keys/key-algorithm.ts';
import type { KeyCustody } from '../keys/key-custody.ts';
import { LocalSigner, type Signer } from '../keys/signer.ts';
import { issueCertificate } from './certificate-builder.ts';
import { certificateFacts, keyIdOf, type CertificateFacts } from './certificate-facts.ts';
import { crlSignerOf, type CrlReason } from './crl.ts';
import { republishCrl } from './crl-publication.ts';
import { ocspResponse, type CertificateStatus } from './ocsp.ts';
import type { Extension } from './extensions.ts';
import { nameToAsn1, type DistinguishedName } from './names.ts';
import { toDer } from '../asn1/der.ts';
import {
  issuingExtensions,
  rootExtensions,
  sealExtensions,
  timestampExtensions,
  type PublicationUrls,
} from './profiles.ts';
import type { CertificateRole, CertificateStore, StoredCertificate } from './store.ts';
import { Sm2Authority } from '../sm2/sm2-authority.ts';

const YEAR_MS = 365 * 24 * 3600 * 1000;

export interface CaMaterial {
  record: StoredCertificate;
  facts: CertificateFacts;
  signer: Signer;
}

export class CertificateRevokedError extends Error {
  constructor() {
    super('certificate already revoked');
    this.name = 'CertificateRevokedError';
  }
}

export const ORGANIZATION = 'Provincial Government Shared Platform';
/** The database-wide lock revocations and CRL publication hold (see revokeIn). */
export const CRL_LOCK = 'seal-ca-crl';

export class CertificateAuthority {
  private material = new Map<string, CaMaterial>();
  /** The SM2 hierarchy of GB/T 38540 seals: same store, same key custody. */
  readonly sm2: Sm2Authority;

  constructor(
    private readonly store: CertificateStore,
    private readonly custody: KeyCustody,
    readonly urls: PublicationUrls,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.sm2 = new Sm2Authority(store, custody, urls.sm2RootCrl, now);
  }

  /** Creates whatever part of the hierarchy is missing; safe to call from every replica at boot. */
  async ensureHierarchy(): Promise<void> {
    await this.store.exclusively('seal-ca-bootstrap', async (store) => {
      const root =
        (await store.findCurrent('root')) ??
        (await this.create(store, 'root', 'rsa-2048', { commonName: 'Seal Platform Root CA' }, 20, undefined));
      const issuing =
        (await store.findCurrent('issuing')) ??
        (await this.create(store, 'issuing', 'rsa-2048', { commonName: 'Seal Platform Issuing CA' }, 10, root));
      if (!(await store.findCurrent('tsa'))) {
        await this.create(store, 'tsa', 'ecdsa-p256', { commonName: 'Seal Platform Timestamp Authority' }, 10, issuing);
      }
      for (const issuer of [root, issuing]) {
        if (!(await store.findCrl(issuer.id))) await this.publishCrl(store, issuer);
      }
    });
  }

  root(): Promise<CaMaterial> {
    return this.load('root');
  }
  issuing(): Promise<CaMaterial> {
    return this.load('issuing');
  }
  timestamping(): Promise<CaMaterial> {
    return this.load('tsa');
  }

  /** The signer of a certificate's key (a seal's), checked against production rules. */
  signerOf(record: StoredCertificate): Signer {
    return this.custody.signer(record);
  }

  /** `store` may be bound to the caller's transaction, so the certificate commits with the seal. */
  async issueSealCertificate(
    request: {
      subject: DistinguishedName;
      algorithm: KeyAlgorithm;
      notBefore: Date;
      notAfter: Date;
    },
    store: CertificateStore = this.store,
  ): Promise<StoredCertificate> {
    const issuing = await this.issuing();
    const keys = generateKeyPair(request.algorithm);
    const spki = keys.publicKey.export({ type: 'spki', format: 'der' });
    const der = await issueCertificate(
      {
        subject: request.subject,
        subjectPublicKey: spki,
        notBefore: request.notBefore,
        notAfter: request.notAfter,
        extensions: sealExtensions(
          keyIdOf(spki),
          issuing.facts.subjectKeyId ?? keyIdOf(issuing.facts.spkiDer),
          this.urls,
        ),
      },
      { nameDer: issuing.facts.subjectDer, signer: issuing.signer },
    );
    return store.insert({
      role: 'seal',
      serial: certificateFacts(der).serialHex,
      commonName: request.subject.commonName,
      keyAlgorithm: request.algorithm,
      der,
      ...this.custody.seal(keys.privateKey),
      issuerId: issuing.record.id,
      notBefore: request.notBefore,
      notAfter: request.notAfter,
    });
  }

  /** Revokes a certificate and re-publishes its issuer's CRL in the same transaction. */
  async revoke(certificateId: string, reason: CrlReason): Promise<Date> {
    return this.store.exclusively(CRL_LOCK, (store) => this.revokeIn(store, certificateId, reason));
  }

  /**
   * Revokes inside a transaction the caller holds (e.g. with a seal's status change), `store`
   * bound to it. The caller must have taken the CRL_LOCK advisory lock in that transaction.
   * A certificate on hold may be revoked for good with a final reason: it keeps the hold's
   * revocation date, since it has not been usable since then (signatures older than the hold stay
   * valid, nothing was signed during it); any other revoked certificate stays as it is.
   */
  async revokeIn(store: CertificateStore, certificateId: string, reason: CrlReason): Promise<Date> {
    const record = await store.findById(certificateId);
    if (!record?.issuerId) throw new Error('no such issued certificate');
    const finalisesHold = record.revocationReason === 'certificateHold' && reason !== 'certificateHold';
    if (record.revokedAt && !finalisesHold) throw new CertificateRevokedError();
    const at = record.revokedAt ?? this.now();
    await store.markRevoked(record.id, at, reason);
    await this.republishFor(store, record);
    return at;
  }

  /**
   * Takes a certificate off hold inside the caller's transaction (CRL_LOCK held). It leaves the CRL
   * by being absent from the next full CRL, published at once: this CA publishes only full CRLs, and
   * RFC 5280 §5.3.1 keeps removeFromCRL for delta CRLs. OCSP reads the same row, so it answers good.
   */
  async releaseHoldIn(store: CertificateStore, certificateId: string): Promise<void> {
    const record = await store.findById(certificateId);
    if (!record?.issuerId) throw new Error('no such issued certificate');
    if (!(await store.releaseHold(record.id))) throw new CertificateRevokedError();
    await this.republishFor(store, record);
  }

  private async republishFor(store: CertificateStore, record: StoredCertificate): Promise<void> {
    if (record.keyAlgorithm === 'sm2') return this.sm2.publishCrl(store);
    const issuer = await store.findById(record.issuerId!);
    if (!issuer) throw new Error('issuer of certificate missing');
    await this.publishCrl(store, issuer);
  }

  /** OCSP answer for certificates of the issuing CA. */
  async ocsp(requestDer: Uint8Array): Promise<Buffer> {
    return ocspResponse({
      requestDer,
      issuer: await this.issuing(),
      now: this.now(),
      statusOf: async (serialHex): Promise<CertificateStatus> => {
        const record = await this.store.findBySerial(serialHex);
        const issuing = await this.issuing();
        if (!record || record.issuerId !== issuing.record.id) return { status: 'unknown' };
        return record.revokedAt
          ? { status: 'revoked', revokedAt: record.revokedAt, reason: record.revocationReason }
          : { status: 'good' };
      },
    });
  }

  async crlDer(role: 'root' | 'issuing'): Promise<Buffer> {
    const issuer = await this.load(role);
    const crl = await this.store.findCrl(issuer.record.id);
    if (!crl) throw new Error('CRL not published');
    return crl.der;
  }

  /** The chain above a seal certificate, nearest first: issuing CA, root. */
  async chain(): Promise<CaMaterial[]> {
    return [await this.issuing(), await this.root()];
  }

  private async load(role: Exclude<CertificateRole, 'seal'>): Promise<CaMaterial> {
    const cached = this.material.get(role);
    if (cached) return cached;
    const record = await this.store.findCurrent(role);
    if (!record) throw new Error(`CA hierarchy not initialised (${role} missing)`);
    const material = { record, facts: certificateFacts(record.der), signer: this.custody.signer(record) };
    this.material.set(role, material);
    return material;
  }

  private async publishCrl(store: CertificateStore, issuer: StoredCertificate): Promise<void> {
    const signer = crlSignerOf(this.custody.signer(issuer));
    await republishCrl(store, issuer, certificateFacts(issuer.der), signer, this.now());
  }

  private async create(
    store: CertificateStore,
    role: Exclude<CertificateRole, 'seal'>,
    algorithm: KeyAlgorithm,
    name: { commonName: string },
    years: number,
    issuer: StoredCertificate | undefined,
  ): Promise<StoredCertificate> {
    const subject: DistinguishedName = { ...name, organization: ORGANIZATION, country: 'CN' };
    const keys = generateKeyPair(algorithm);
    const spki = keys.publicKey.export({ type: 'spki', format: 'der' });
    const keyId = keyIdOf(spki);
    // Back-dated a little so that clocks slightly behind still accept a fresh hierarchy.
    const notBefore = new Date(this.now().getTime() - 3600_000);
    const notAfter = new Date(notBefore.getTime() + years * YEAR_MS);
    let extensions: Extension[];
    let issuerName: Buffer;
    let signer: Signer;
    if (!issuer) {
      extensions = rootExtensions(keyId);
      issuerName = toDer(nameToAsn1(subject));
      signer = new LocalSigner(keys.privateKey);
    } else {
      const issuerFacts = certificateFacts(issuer.der);
      const issuerKeyId = issuerFacts.subjectKeyId ?? keyIdOf(issuerFacts.spkiDer);
      extensions =
        role === 'issuing'
          ? issuingExtensions(keyId, issuerKeyId, this.urls)
          : timestampExtensions(keyId, issuerKeyId, this.urls);
      issuerName = issuerFacts.subjectDer;
      signer = this.custody.signer(issuer);
    }
    const der = await issueCertificate(
      { subject, subjectPublicKey: spki, notBefore, notAfter, extensions },
      { nameDer: issuerName, signer },
    );
    return store.insert({
      role,
      serial: certificateFacts(der).serialHex,
      commonName: name.commonName,
      keyAlgorithm: algorithm,
      der,
      ...this.custody.seal(keys.privateKey),
      issuerId: issuer?.id ?? null,
      notBefore,
      notAfter,
    });
  }
}
