// Publishing an issuer's CRL: re-issued in full (next CRL number) from the revocations in the store,
// in the caller's transaction, on every hold, release or revocation. One way for both hierarchies:
// the RSA/ECDSA CA (ca/authority.ts) and the SM2 root (sm2/sm2-authority.ts).
import { keyIdOf } from './certificate-facts.ts';
import { buildCrl, type CrlSigner } from './crl.ts';
import type { CertificateStore, StoredCertificate } from './store.ts';

/** CRLs are re-issued on every revocation; nextUpdate bounds how long a cached one may be trusted. */
export const CRL_LIFETIME_MS = 7 * 24 * 3600 * 1000;

export async function republishCrl(
  store: CertificateStore,
  issuer: StoredCertificate,
  issuerFacts: { subjectDer: Buffer; subjectKeyId?: Buffer | undefined; spkiDer: Buffer },
  signer: CrlSigner,
  now: Date,
): Promise<void> {
  const previous = await store.findCrl(issuer.id);
  const revoked = await store.revokedBy(issuer.id);
  const number = (previous?.number ?? 0) + 1;
  const nextUpdate = new Date(now.getTime() + CRL_LIFETIME_MS);
  const der = await buildCrl({
    issuerNameDer: issuerFacts.subjectDer,
    issuerKeyId: issuerFacts.subjectKeyId ?? keyIdOf(issuerFacts.spkiDer),
    signer,
    number,
    thisUpdate: now,
    nextUpdate,
    revoked: revoked.map((entry) => ({
      serialHex: entry.serial,
      revokedAt: entry.revokedAt!,
      reason: entry.revocationReason ?? 'unspecified',
    })),
  });
  await store.saveCrl({ issuerId: issuer.id, number, der, thisUpdate: now, nextUpdate });
}
