// The verification report of a PDF: every signature and document timestamp it holds, checked
// against this service's trust anchors and revocation data, with what later revisions changed and
// the PAdES level each signature reaches.
import { createHash } from 'node:crypto';
import { AppError, type PdfSignatureReport, type PdfVerificationReport } from '@platform/contracts';
import { certificateFacts, type CertificateFacts } from '../ca/certificate-facts.ts';
import { openPdf, type OpenedPdf } from '../pdf/open-pdf.ts';
import { CmsFormatError, readSignedData } from './cms-reader.ts';
import { findSignatures, readDss, signedSlices, trimDer, type PdfSignatureDictionary } from './pdf-signatures.ts';
import { CarriedRevocationData, type RevocationStatus } from './revocation.ts';
import { changesAfterSigning } from './revision-diff.ts';
import {
  checkSignature,
  describeCertificate,
  failed,
  indeterminate,
  passed,
  revocationOf,
  revokedBy,
  type Outcome,
  type SignatureFindings,
  type TrustContext,
} from './signature-check.ts';
import { digestOf } from './signer-info-check.ts';
import { verifyTimestampToken } from './timestamp-token.ts';

type Level = PdfSignatureReport['level'];

interface Carried {
  certificates: CertificateFacts[];
  revocation: CarriedRevocationData;
  counts: NonNullable<PdfVerificationReport['dss']>;
}

function carriedData(pdf: OpenedPdf): Carried | undefined {
  const dss = readDss(pdf);
  if (!dss) return undefined;
  const certificates: CertificateFacts[] = [];
  for (const der of dss.certs) {
    try {
      certificates.push(certificateFacts(der));
    } catch {
      // an unreadable DSS certificate cannot help any chain
    }
  }
  return {
    certificates,
    revocation: new CarriedRevocationData(dss.crls, dss.ocsps),
    counts: { certificates: dss.certs.length, crls: dss.crls.length, ocsps: dss.ocsps.length },
  };
}

const EMPTY_CHECK = {
  integrity: { valid: false, digestAlgorithm: null, messageDigestMatches: false, signatureValid: false, problem: null },
  signer: null,
  signingCertificateV2: 'absent' as const,
  chain: { trusted: false, certificates: [], problem: null },
  timestamp: { present: false, valid: false, genTime: null, authority: null, imprintMatches: false, problem: null },
  revocation: { status: 'unknown' as const, revokedAt: null, reason: null, source: null },
  seal: {
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

/** A whole-document verdict: any failure fails it, else any indeterminate signature makes it indeterminate. */
export function overall(outcomes: Array<{ verdict: Outcome['verdict']; reason: Outcome['reason'] }>): {
  verdict: Outcome['verdict'];
  reason: Outcome['reason'];
} {
  const first = outcomes.find((o) => o.verdict === 'failed') ?? outcomes.find((o) => o.verdict === 'indeterminate');
  return first ? { verdict: first.verdict, reason: first.reason } : { verdict: 'passed', reason: null };
}

export async function verifyPdf(input: Uint8Array, trust: TrustContext): Promise<PdfVerificationReport> {
  const pdf = await openPdf(input);
  const signatures = findSignatures(pdf);
  if (signatures.length === 0) throw new AppError('PDF_NOT_SIGNED', 'The PDF holds no signature to verify');
  const carried = carriedData(pdf);
  const documentTimestamps: Array<{ end: number; valid: boolean }> = [];
  const reports: PdfSignatureReport[] = [];

  for (const [i, dictionary] of signatures.entries()) {
    const coverage = await coverageOf(pdf, dictionary);
    const base = {
      index: i + 1,
      fieldName: dictionary.fieldName ?? null,
      kind: dictionary.kind,
      subFilter: dictionary.subFilter ?? null,
      byteRange: dictionary.byteRange ?? null,
      coverage,
      signingTime: {
        claimed: dictionary.claimedSigningTime?.toISOString() ?? null,
        trusted: null,
        validationTime: trust.now.toISOString(),
      },
    };
    if (dictionary.formatProblem || !dictionary.byteRange) {
      reports.push({
        ...base,
        ...EMPTY_CHECK,
        ...failed('FORMAT_FAILURE', `The signature layout is unsound: ${dictionary.formatProblem}.`),
        level: 'none',
      });
      continue;
    }
    const slices = signedSlices(pdf.bytes, dictionary.byteRange);
    if (dictionary.kind === 'document-timestamp') {
      const report = await documentTimestampReport(dictionary, slices, trust, carried, base);
      documentTimestamps.push({
        end: dictionary.byteRange[2] + dictionary.byteRange[3],
        valid: report.verdict === 'passed',
      });
      reports.push(report);
      continue;
    }
    let cms;
    try {
      cms = readSignedData(trimDer(dictionary.contents));
    } catch (error) {
      const detail = error instanceof CmsFormatError ? error.message : 'unreadable';
      reports.push({
        ...base,
        ...EMPTY_CHECK,
        ...failed('FORMAT_FAILURE', `The CMS is malformed: ${detail}.`),
        level: 'none',
      });
      continue;
    }
    if (cms.signerInfos.length !== 1) {
      reports.push({
        ...base,
        ...EMPTY_CHECK,
        ...failed('FORMAT_FAILURE', 'A PDF signature must hold exactly one SignerInfo.'),
        level: 'none',
      });
      continue;
    }
    const documentOutcome: Outcome =
      coverage.changesAfterSigning === 'content-modified'
        ? failed('MODIFIED_AFTER_SIGNING', 'The document was modified after this signature was made.')
        : passed;
    const findings = await checkSignature(
      {
        cms,
        signerInfo: cms.signerInfos[0]!,
        digest: digestOf(slices),
        claimedTime: dictionary.claimedSigningTime,
        candidates: carried?.certificates,
        carried: carried?.revocation,
        documentOutcome,
      },
      trust,
    );
    reports.push({ ...base, ...findings.report, level: levelOf(dictionary, findings, carried) });
  }

  // B-LTA: a valid document timestamp made after the DSS was in the file (it then covers the DSS).
  const dssAt = pdf.bytes.indexOf('/DSS');
  for (const report of reports) {
    if (report.level !== 'B-LT' || !report.byteRange) continue;
    if (documentTimestamps.some((ts) => ts.valid && dssAt >= 0 && dssAt < ts.end)) report.level = 'B-LTA';
  }

  return {
    ...overall(reports),
    documentBytes: pdf.bytes.length,
    documentSha256: createHash('sha256').update(pdf.bytes).digest('hex'),
    signatures: reports,
    dss: carried?.counts ?? null,
    verifiedAt: trust.now.toISOString(),
  };
}

async function coverageOf(pdf: OpenedPdf, dictionary: PdfSignatureDictionary): Promise<PdfSignatureReport['coverage']> {
  const documentBytes = pdf.bytes.length;
  const range = dictionary.byteRange;
  if (!range || dictionary.formatProblem) {
    return {
      wholeDocument: false,
      signedBytes: 0,
      documentBytes,
      laterRevisions: 0,
      changesAfterSigning: 'none',
      modifiedObjects: [],
    };
  }
  const end = range[2] + range[3];
  const later = pdf.bytes.subarray(end).toString('latin1').match(/%%EOF/g)?.length ?? 0;
  const { changes, modifiedObjects } = await changesAfterSigning(pdf, end);
  return {
    wholeDocument: end === documentBytes,
    signedBytes: range[1] + range[3],
    documentBytes,
    laterRevisions: later,
    changesAfterSigning: changes,
    modifiedObjects,
  };
}

/**
 * B-B: ETSI.CAdES.detached with signing-certificate-v2 and no signing-time attribute; B-T adds a
 * valid signature timestamp; B-LT needs the DSS to hold the chains (signer's and TSA's) and
 * revocation values their issuers signed for every non-root certificate of them.
 */
function levelOf(dictionary: PdfSignatureDictionary, findings: SignatureFindings, carried: Carried | undefined): Level {
  const { report, signerInfo, path, timestamp } = findings;
  const baseline =
    dictionary.subFilter === 'ETSI.CAdES.detached' &&
    report.integrity.valid &&
    signerInfo.signingCertificateV2 === 'matches' &&
    !signerInfo.hasSigningTimeAttribute;
  if (!baseline) return 'none';
  if (!timestamp?.valid || !timestamp.path) return 'B-B';
  if (!carried || !path?.trusted) return 'B-T';
  const dssHolds = (c: CertificateFacts) => carried.certificates.some((d) => d.der.equals(c.der));
  const complete = [path.chain, timestamp.path.chain].every((chain) =>
    chain.every(
      (certificate, i) =>
        (i === 0 || dssHolds(certificate)) &&
        (i === chain.length - 1 || carried.revocation.statusOf(certificate, chain[i + 1]!) !== undefined),
    ),
  );
  return complete ? 'B-LT' : 'B-T';
}

async function documentTimestampReport(
  dictionary: PdfSignatureDictionary,
  slices: Buffer[],
  trust: TrustContext,
  carried: Carried | undefined,
  base: Omit<PdfSignatureReport, keyof typeof EMPTY_CHECK | 'verdict' | 'reason' | 'message' | 'level'>,
): Promise<PdfSignatureReport> {
  const check = verifyTimestampToken(trimDer(dictionary.contents), slices, {
    anchors: trust.anchors,
    candidates: [...trust.known, ...(carried?.certificates ?? [])],
  });
  // A timestamp authority revoked at or before genTime proves nothing about that time (as for
  // signature timestamps); revoked later, the token keeps its value.
  const statuses = check.valid && check.path ? await revocationOf(check.path, trust, carried?.revocation) : [];
  const revokedBefore = check.genTime !== undefined && statuses.some((s) => revokedBy(s, check.genTime!));
  const outcome: Outcome = revokedBefore
    ? failed('REVOKED', 'The timestamp authority certificate was revoked before the document timestamp.')
    : check.valid
      ? base.coverage.changesAfterSigning === 'content-modified'
        ? failed('MODIFIED_AFTER_SIGNING', 'The document was modified after this document timestamp.')
        : passed
      : check.signatureValid && check.imprintMatches
        ? indeterminate('NO_CERTIFICATE_CHAIN_FOUND', `The document timestamp is not trusted: ${check.problem}.`)
        : failed(
            check.signatureValid ? 'HASH_FAILURE' : 'SIG_CRYPTO_FAILURE',
            `The document timestamp is invalid: ${check.problem}.`,
          );
  const tsa = check.tsa ? describeCertificate(check.tsa) : null;
  return {
    ...base,
    ...EMPTY_CHECK,
    ...outcome,
    integrity: {
      valid: check.signatureValid && check.imprintMatches,
      digestAlgorithm: null,
      messageDigestMatches: check.imprintMatches,
      signatureValid: check.signatureValid,
      problem: check.problem ?? null,
    },
    signer: tsa,
    chain: {
      trusted: check.path?.trusted ?? false,
      certificates: (check.path?.chain ?? []).map(describeCertificate),
      problem: check.path?.detail ?? null,
    },
    signingTime: {
      ...base.signingTime,
      trusted: check.valid && !revokedBefore ? (check.genTime?.toISOString() ?? null) : null,
    },
    revocation: revocationReport(statuses[0], check.genTime),
    timestamp: {
      present: true,
      valid: check.valid && !revokedBefore,
      genTime: check.genTime?.toISOString() ?? null,
      authority: tsa?.subject ?? null,
      imprintMatches: check.imprintMatches,
      problem: check.problem ?? null,
    },
    level: 'none',
  };
}

/** The TSA certificate's revocation status as the report shows it, relative to genTime. */
function revocationReport(
  status: RevocationStatus | undefined,
  genTime: Date | undefined,
): PdfSignatureReport['revocation'] {
  if (!status || status.status === 'unknown') {
    return { status: status ? 'unknown' : 'unavailable', revokedAt: null, reason: null, source: null };
  }
  if (status.status === 'good') return { status: 'good', revokedAt: null, reason: null, source: status.source };
  return {
    status: genTime && status.revokedAt > genTime ? 'revoked-after-signing' : 'revoked',
    revokedAt: status.revokedAt.toISOString(),
    reason: status.reason,
    source: status.source,
  };
}
