// One signature, checked end to end the same way whether it came from a PDF or a detached CMS:
// integrity, signer certificate binding, timestamp, chain to a trust anchor, certificate validity
// and revocation at the validation time, the seal's lifecycle status then, and the verdict.
import { createHash } from 'node:crypto';
import type { SignatureCheck } from '@platform/contracts';
import { toDer } from '../asn1/der.ts';
import { OID } from '../asn1/oids.ts';
import type { CertificateFacts } from '../ca/certificate-facts.ts';
import { allows, buildPath, invalidAt, KEY_USAGE, type CertificatePath } from './certificate-path.ts';
import { attributeValue, type CmsSignedData, type CmsSignerInfo } from './cms-reader.ts';
import type { CarriedRevocationData, RevocationProvider, RevocationStatus } from './revocation.ts';
import { statusAt, usableAt, type SealLookup } from './seal-status.ts';
import { checkSignerInfo, type ContentDigester, type SignerInfoCheck } from './signer-info-check.ts';
import { verifyTimestampToken, type TimestampCheck } from './timestamp-token.ts';

export interface TrustContext {
  /** Trust anchors: a chain counts only when it ends at one of these exact certificates. */
  anchors: CertificateFacts[];
  /** Certificates known to the verifier (this CA's issuing and TSA certificates): candidates only. */
  known: CertificateFacts[];
  revocation: RevocationProvider;
  seals: SealLookup;
  now: Date;
}

type Verdict = SignatureCheck['verdict'];
type Reason = NonNullable<SignatureCheck['reason']>;

export interface Outcome {
  verdict: Verdict;
  reason: Reason | null;
  message: string;
}

export const passed: Outcome = { verdict: 'passed', reason: null, message: 'The signature is valid.' };
export const failed = (reason: Reason, message: string): Outcome => ({ verdict: 'failed', reason, message });
export const indeterminate = (reason: Reason, message: string): Outcome => ({
  verdict: 'indeterminate',
  reason,
  message,
});

export function describeCertificate(certificate: CertificateFacts): NonNullable<SignatureCheck['signer']> {
  const subject = certificate.x509.subject.split('\n').join(', ');
  return {
    subject,
    commonName: /(?:^|\n)CN=([^\n]*)/.exec(certificate.x509.subject)?.[1] ?? null,
    issuer: certificate.x509.issuer.split('\n').join(', '),
    serial: certificate.serialHex,
    notBefore: certificate.notBefore.toISOString(),
    notAfter: certificate.notAfter.toISOString(),
    sha256: createHash('sha256').update(certificate.der).digest('hex'),
  };
}

/** What the checks found, before the verdict: PDF verification adds coverage and level to it. */
export interface SignatureFindings {
  report: SignatureCheck;
  signerInfo: SignerInfoCheck;
  path: CertificatePath | undefined;
  timestamp: TimestampCheck | undefined;
}

const iso = (date: Date | undefined | null) => (date ? date.toISOString() : null);

export interface CheckInput {
  cms: CmsSignedData;
  signerInfo: CmsSignerInfo;
  digest: ContentDigester;
  content?: () => Buffer;
  claimedTime?: Date;
  /** Further candidate certificates (a PDF's DSS). */
  candidates?: CertificateFacts[];
  /** Revocation values carried by the document, used when the provider has none for an issuer. */
  carried?: CarriedRevocationData;
  /** Extra failure the caller found first (format, coverage), ranked right after cryptographic failures. */
  documentOutcome?: Outcome;
}

/** Status of every non-anchor certificate of the path, the signer's first. */
export async function revocationOf(
  path: CertificatePath,
  trust: TrustContext,
  carried: CarriedRevocationData | undefined,
): Promise<Array<RevocationStatus | undefined>> {
  const statuses: Array<RevocationStatus | undefined> = [];
  for (let i = 0; i + 1 < path.chain.length; i++) {
    const certificate = path.chain[i]!;
    const issuer = path.chain[i + 1]!;
    statuses.push(
      (await trust.revocation.statusOf(certificate, issuer)) ?? carried?.statusOf(certificate, issuer) ?? undefined,
    );
  }
  return statuses;
}

/** Whether revocation data shows a certificate revoked at or before `time`. */
export const revokedBy = (status: RevocationStatus | undefined, time: Date) =>
  status?.status === 'revoked' && status.revokedAt.getTime() <= time.getTime();

export async function checkSignature(input: CheckInput, trust: TrustContext): Promise<SignatureFindings> {
  const candidates = [...input.cms.certificates, ...(input.candidates ?? []), ...trust.known];
  const sic = checkSignerInfo(input.signerInfo, input.cms.certificates, input.digest, input.content);
  const signer = sic.certificate;

  // The signature timestamp: its genTime is the only signing time a verifier can rely on.
  const tokenNode = attributeValue(input.signerInfo.unsignedAttributes, OID.signatureTimeStampToken);
  let timestamp: TimestampCheck | undefined;
  if (tokenNode) {
    timestamp = verifyTimestampToken(toDer(tokenNode), [input.signerInfo.signature], {
      anchors: trust.anchors,
      candidates,
    });
    if (timestamp.valid && timestamp.path && timestamp.genTime) {
      const tsaStatuses = await revocationOf(timestamp.path, trust, input.carried);
      if (tsaStatuses.some((s) => revokedBy(s, timestamp!.genTime!))) {
        timestamp = { ...timestamp, valid: false, problem: 'the timestamp authority certificate was revoked' };
      }
    }
  }
  const trustedTime = timestamp?.valid ? timestamp.genTime : undefined;
  const validationTime = trustedTime ?? trust.now;

  const path = signer ? buildPath(signer, candidates, trust.anchors) : undefined;
  const statuses = path?.trusted ? await revocationOf(path, trust, input.carried) : [];
  const signerStatus = statuses[0];
  const seal = signer ? await trust.seals.bySerial(signer.serialHex) : undefined;

  const revocation: SignatureCheck['revocation'] = !signerStatus
    ? { status: path?.trusted ? 'unavailable' : 'unknown', revokedAt: null, reason: null, source: null }
    : signerStatus.status === 'unknown'
      ? { status: 'unknown', revokedAt: null, reason: null, source: null }
      : signerStatus.status === 'good'
        ? { status: 'good', revokedAt: null, reason: null, source: signerStatus.source }
        : {
            status: trustedTime && signerStatus.revokedAt > trustedTime ? 'revoked-after-signing' : 'revoked',
            revokedAt: signerStatus.revokedAt.toISOString(),
            reason: signerStatus.reason,
            source: signerStatus.source,
          };

  const report: SignatureCheck = {
    ...passed,
    integrity: {
      valid: sic.signatureValid && sic.messageDigestMatches,
      digestAlgorithm: sic.digest ?? null,
      messageDigestMatches: sic.messageDigestMatches,
      signatureValid: sic.signatureValid,
      problem: sic.problem ?? null,
    },
    signer: signer ? describeCertificate(signer) : null,
    signingCertificateV2: sic.signingCertificateV2,
    chain: {
      trusted: path?.trusted ?? false,
      certificates: (path?.chain ?? []).map(describeCertificate),
      problem: path?.detail ?? (signer ? null : 'no signer certificate'),
    },
    signingTime: {
      claimed: iso(input.claimedTime),
      trusted: iso(trustedTime),
      validationTime: validationTime.toISOString(),
    },
    timestamp: {
      present: tokenNode !== undefined,
      valid: timestamp?.valid ?? false,
      genTime: iso(timestamp?.genTime),
      authority: timestamp?.tsa ? describeCertificate(timestamp.tsa).subject : null,
      imprintMatches: timestamp?.imprintMatches ?? false,
      problem: timestamp?.problem ?? null,
    },
    revocation,
    seal: seal
      ? {
          found: true,
          sealId: seal.id,
          name: seal.name,
          organisation: seal.orgName,
          orgCode: seal.orgCode,
          statusAtSigningTime: statusAt(seal, validationTime) ?? null,
          usableAtSigningTime: usableAt(seal, validationTime),
          currentStatus: seal.status,
        }
      : {
          found: false,
          sealId: null,
          name: null,
          organisation: null,
          orgCode: null,
          statusAtSigningTime: null,
          usableAtSigningTime: null,
          currentStatus: null,
        },
  };

  const outcome = decide();
  return { report: { ...report, ...outcome }, signerInfo: sic, path, timestamp };

  function decide(): Outcome {
    if (input.documentOutcome?.reason === 'FORMAT_FAILURE') return input.documentOutcome;
    if (!signer)
      return indeterminate('NO_SIGNING_CERTIFICATE_FOUND', sic.problem ?? 'The signer certificate is missing.');
    if (!sic.signatureValid) return failed('SIG_CRYPTO_FAILURE', sic.problem ?? 'The signature value is invalid.');
    if (!sic.messageDigestMatches) return failed('HASH_FAILURE', 'The signed content has been changed.');
    if (sic.signingCertificateV2 === 'mismatch') {
      return failed('SIGNING_CERTIFICATE_MISMATCH', 'signing-certificate-v2 names another certificate.');
    }
    // A timestamp proven wrong fails the signature; one from an untrusted authority only gives no time.
    if (timestamp && (!timestamp.signatureValid || !timestamp.imprintMatches)) {
      return failed('TIMESTAMP_FAILURE', `The signature timestamp is invalid: ${timestamp.problem}.`);
    }
    if (input.documentOutcome && input.documentOutcome.verdict !== 'passed') return input.documentOutcome;
    if (!path?.trusted) {
      return indeterminate(
        path?.problem ?? 'NO_CERTIFICATE_CHAIN_FOUND',
        `The signer certificate does not chain to a trusted root: ${path?.detail}.`,
      );
    }
    if (!allows(signer, KEY_USAGE.digitalSignature) && !allows(signer, KEY_USAGE.nonRepudiation)) {
      return indeterminate('CHAIN_CONSTRAINTS_FAILURE', 'The signer certificate may not sign documents.');
    }
    const when = trustedTime ? 'at the signing time' : 'now (no trusted signing time)';
    if (invalidAt(path.chain, validationTime).length > 0) {
      const message = `A certificate of the chain was not valid ${when}.`;
      return trustedTime
        ? failed('CERTIFICATE_NOT_VALID_AT_SIGNING_TIME', message)
        : indeterminate('CERTIFICATE_NOT_VALID_AT_SIGNING_TIME', message);
    }
    if (statuses.some((s) => revokedBy(s, validationTime))) {
      return trustedTime
        ? failed('REVOKED', 'A certificate of the chain was revoked before the signing time.')
        : indeterminate(
            'REVOKED_NO_POE',
            'A certificate of the chain is revoked and no timestamp proves the signature is older.',
          );
    }
    if (statuses.length === 0 || statuses.some((s) => !s || s.status === 'unknown')) {
      return indeterminate('REVOCATION_UNAVAILABLE', 'No revocation data for a certificate of the chain.');
    }
    if (seal && !usableAt(seal, validationTime)) {
      const status = statusAt(seal, validationTime) ?? 'not yet applied for';
      return trustedTime
        ? failed('SEAL_NOT_USABLE_AT_SIGNING_TIME', `The seal was ${status} at the signing time.`)
        : indeterminate(
            'SEAL_STATUS_NO_POE',
            `The seal is ${status} now and no timestamp proves an earlier signing time.`,
          );
    }
    if (signerStatus?.status === 'revoked') {
      return { ...passed, message: 'The signature is valid: the certificate was revoked only after the signing time.' };
    }
    return passed;
  }
}
