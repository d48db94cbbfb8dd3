// The SM2 side of the CA, for GB/T 38540 seals: an SM2 root and a seal maker (制章人) kept in the
// same certificate table as the RSA/ECDSA hierarchy (keys sealed under the same KEK, the same
// production rule against development keys), created once by whichever replica needs them first.
// Making an SM2 seal issues its holder certificate under the SM2 root and the SESeal structure,
// signed by the maker, that lists that certificate as the one signer.
//
// Revocation: the SM2 root's CRL (SM3withSM2-signed, named in every holder certificate's CRL
// distribution point) is re-published in the transaction of every hold, release or revocation,
// like the RSA/ECDSA CRLs. There is no OCSP responder for SM2 certificates.
import { oid, seq } from '../asn1/der.ts';
import { republishCrl } from '../ca/crl-publication.ts';
import { crlDistributionPoint } from '../ca/extensions.ts';
import type { DistinguishedName } from '../ca/names.ts';
import type { CertificateStore, StoredCertificate } from '../ca/store.ts';
import type { KeyCustody } from '../keys/key-custody.ts';
import { makeSeal, SEAL_TYPE } from './gbt38540.ts';
import { sm2CertificateFacts } from './sm2-certificate.ts';
import { createSm2Root, issueSm2EndEntity, type IssuedSm2Key, type Sm2Credential } from './sm2-hierarchy.ts';
import { generateSm2KeyPair, SM2_OID, sm2KeyObject, sm2KeyPairFrom } from './sm2-key.ts';
import { LocalSm2Signer } from './sm2-signer.ts';

const YEAR_MS = 365 * 24 * 3600_000;
const ORGANIZATION = 'Provincial Government Shared Platform';
export const SM2_VENDOR = 'platform-seal';

export interface Sm2SealRequest {
  id: string;
  name: string;
  orgName: string;
  orgCode: string;
  notBefore: Date;
  notAfter: Date;
  picture: { png: Buffer; widthMm: number; heightMm: number };
}

export interface MadeSm2Seal {
  certificate: StoredCertificate;
  /** SESeal DER. */
  sealDer: Buffer;
}

export class Sm2Authority {
  private readonly credentials = new Map<string, Sm2Credential>();

  constructor(
    private readonly store: CertificateStore,
    private readonly custody: KeyCustody,
    private readonly crlUrl: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The SM2 root's current CRL (DER), or undefined before the first SM2 seal. */
  async crlDer(): Promise<Buffer | undefined> {
    const root = await this.store.findCurrent('sm2_root');
    return root ? (await this.store.findCrl(root.id))?.der : undefined;
  }

  /** Re-publishes the SM2 root's CRL in the caller's transaction (`store` bound to it). */
  async publishCrl(store: CertificateStore): Promise<void> {
    const root = await store.findCurrent('sm2_root');
    if (!root) throw new Error('SM2 hierarchy not initialised');
    const credential = this.credentialFor(root);
    const signer = {
      algorithmIdentifier: seq([oid(SM2_OID.sm3WithSm2)]),
      sign: credential.signer.sign.bind(credential.signer),
    };
    await republishCrl(store, root, credential.certificate, signer, this.now());
  }

  /** The SM2 root (trust anchor of GB/T 38540 chains), or undefined before the first SM2 seal. */
  async rootCertificate(): Promise<Buffer | undefined> {
    return (await this.store.findCurrent('sm2_root'))?.der;
  }

  /** Issues the holder certificate and makes the SESeal; `store` is the caller's transaction. */
  async makeSeal(request: Sm2SealRequest, store: CertificateStore): Promise<MadeSm2Seal> {
    const { root, maker } = await this.hierarchy();
    const subject: DistinguishedName = {
      commonName: request.name,
      organization: request.orgName,
      organizationIdentifier: request.orgCode,
      country: 'CN',
    };
    const holder = await issueSm2EndEntity(
      this.credentialFor(root),
      subject,
      { notBefore: request.notBefore, notAfter: request.notAfter },
      generateSm2KeyPair(),
      [crlDistributionPoint(this.crlUrl)],
    );
    const certificate = await store.insert(this.record('seal', request.name, holder, root.id, request));
    const sealDer = await makeSeal({
      maker: this.credentialFor(maker),
      // esID is IA5: the seal's id without dashes names it uniquely.
      esId: request.id.replaceAll('-', ''),
      vendor: SM2_VENDOR,
      // Every seal here belongs to an organisation (personal seals are type 2).
      type: SEAL_TYPE.organisation,
      name: request.name,
      signerCertificates: [holder.certificateDer],
      validStart: request.notBefore,
      validEnd: request.notAfter,
      createDate: this.now(),
      picture: {
        type: 'png',
        data: request.picture.png,
        widthMm: request.picture.widthMm,
        heightMm: request.picture.heightMm,
      },
    });
    return { certificate, sealDer };
  }

  /**
   * A certificate's revocation as recorded here: null when it is ours and not revoked, undefined
   * when this service did not issue it (the same serial from another issuer does not count).
   */
  async revocationOf(certificateDer: Buffer): Promise<{ revokedAt: Date; reason: string } | null | undefined> {
    let serialHex: string;
    try {
      serialHex = sm2CertificateFacts(certificateDer).serialHex;
    } catch {
      return undefined; // not an SM2 certificate: the report's format check says so
    }
    const record = await this.store.findBySerial(serialHex);
    if (!record || record.keyAlgorithm !== 'sm2' || !record.der.equals(certificateDer)) return undefined;
    return record.revokedAt ? { revokedAt: record.revokedAt, reason: record.revocationReason ?? 'unspecified' } : null;
  }

  /** The signing credential of an SM2 seal's holder certificate. */
  signerOf(certificate: StoredCertificate): Sm2Credential {
    return this.credentialFor(certificate);
  }

  private credentialFor(record: StoredCertificate): Sm2Credential {
    const cached = this.credentials.get(record.id);
    if (cached) return cached;
    const keyPair = sm2KeyPairFrom(this.custody.privateKey(record));
    const credential = { certificate: sm2CertificateFacts(record.der), signer: new LocalSm2Signer(keyPair) };
    this.credentials.set(record.id, credential);
    return credential;
  }

  /** The root and the maker, created (once, whichever replica is first) when missing. */
  private async hierarchy(): Promise<{ root: StoredCertificate; maker: StoredCertificate }> {
    const root = await this.store.findCurrent('sm2_root');
    const maker = await this.store.findCurrent('sm2_maker');
    if (root && maker) return { root, maker };
    return this.store.exclusively('seal-sm2-bootstrap', async (store) => {
      const notBefore = new Date(this.now().getTime() - 3600_000);
      const existingRoot = await store.findCurrent('sm2_root');
      const newRoot = existingRoot ?? (await this.createRoot(store, notBefore));
      if (!existingRoot) await this.publishCrl(store);
      const existingMaker = await store.findCurrent('sm2_maker');
      const newMaker =
        existingMaker ??
        (await store.insert(
          this.record(
            'sm2_maker',
            'Seal Platform SM2 Seal Maker',
            await issueSm2EndEntity(
              this.credentialFor(newRoot),
              { commonName: 'Seal Platform SM2 Seal Maker', organization: ORGANIZATION, country: 'CN' },
              { notBefore, notAfter: new Date(notBefore.getTime() + 10 * YEAR_MS) },
            ),
            newRoot.id,
            { notBefore, notAfter: new Date(notBefore.getTime() + 10 * YEAR_MS) },
          ),
        ));
      return { root: newRoot, maker: newMaker };
    });
  }

  private async createRoot(store: CertificateStore, notBefore: Date): Promise<StoredCertificate> {
    const subject = { commonName: 'Seal Platform SM2 Root CA', organization: ORGANIZATION, country: 'CN' };
    const notAfter = new Date(notBefore.getTime() + 20 * YEAR_MS);
    const root = await createSm2Root(subject, notBefore, notAfter);
    return store.insert(this.record('sm2_root', subject.commonName, root, null, { notBefore, notAfter }));
  }

  private record(
    role: 'seal' | 'sm2_root' | 'sm2_maker',
    commonName: string,
    issued: IssuedSm2Key,
    issuerId: string | null,
    validity: { notBefore: Date; notAfter: Date },
  ) {
    return {
      role,
      serial: sm2CertificateFacts(issued.certificateDer).serialHex,
      commonName,
      keyAlgorithm: 'sm2' as const,
      der: issued.certificateDer,
      ...this.custody.seal(sm2KeyObject(issued.keyPair)),
      issuerId,
      notBefore: validity.notBefore,
      notAfter: validity.notAfter,
    };
  }
}
