// Verifying an uploaded license file (PDF): which license it names (the identifier the renderer
// writes into the document's keywords), whether it is byte for byte the sealed file this node issued
// for that license, what the seal service says of its signatures, and the license's status as online
// verification answers it. A changed byte anywhere shows in the first two; the third says why.
import { createHash } from 'node:crypto';
import { AppError, errorBodyOf, type FileVerificationResult, type PdfVerificationReport } from '@platform/contracts';
import { isLicenseIdentifier } from '@platform/identifiers';
import { PDFDocument } from 'pdf-lib';
import type { Principal } from '@platform/auth';
import type { LicenseFileRepository } from '../../repositories/license-files.ts';
import type { LicenseRepository } from '../../repositories/licenses.ts';
import type { Verification } from './verification.ts';

/** The seal service's PDF verification (public: it needs no token). */
export interface FileSealVerifier {
  verifyPdf(pdf: Uint8Array): Promise<PdfVerificationReport>;
}

export class FileVerification {
  constructor(
    private readonly deps: {
      licenses: Pick<LicenseRepository, 'byIdentifier'>;
      files: Pick<LicenseFileRepository, 'byLicenseId'>;
      verification: Pick<Verification, 'byIdentifier'>;
      /** Absent when no seal service is configured: the report then has no seal part. */
      seals?: FileSealVerifier | undefined;
      onSealUnavailable?: (error: unknown) => void;
    },
  ) {}

  async verify(pdf: Buffer, principal: Principal | undefined): Promise<FileVerificationResult> {
    const identifier = await identifierIn(pdf);
    const [license, seal] = await Promise.all([
      this.deps.verification.byIdentifier(identifier, principal),
      this.sealReport(pdf),
    ]);
    const record = await this.deps.licenses.byIdentifier(identifier);
    const file = record ? await this.deps.files.byLicenseId(record.id) : null;
    const issuedHere = file?.state === 'sealed' && file.sha256 === createHash('sha256').update(pdf).digest('hex');
    return { identifier, file: { issuedHere, seal }, license };
  }

  private async sealReport(pdf: Buffer): Promise<FileVerificationResult['file']['seal']> {
    if (!this.deps.seals) return null;
    try {
      const report = await this.deps.seals.verifyPdf(pdf);
      return {
        verdict: report.verdict,
        reason: report.reason,
        signers: report.signatures
          .filter((signature) => signature.kind === 'signature')
          .map((signature) => signature.signer?.commonName ?? signature.signer?.subject ?? '?'),
      };
    } catch (error) {
      // A PDF with no signature at all is an answer about the file, not a failure of the service.
      if (errorBodyOf(error)?.code === 'PDF_NOT_SIGNED')
        return { verdict: 'failed', reason: 'NOT_SIGNED', signers: [] };
      // The seal service down (or refusing the file) must not hide what this node knows itself.
      this.deps.onSealUnavailable?.(error);
      return null;
    }
  }
}

/** The license identifier a license file names in its keywords (set by license-pdf.ts). */
export async function identifierIn(pdf: Uint8Array): Promise<string> {
  let document: PDFDocument;
  try {
    document = await PDFDocument.load(pdf, { updateMetadata: false });
  } catch {
    throw new AppError('LICENSE_FILE_UNREADABLE', 'The file is not a readable PDF');
  }
  const candidates = [...(document.getKeywords() ?? '').split(/[\s,;]+/), ...(document.getTitle() ?? '').split(/\s+/)];
  const identifier = candidates.find((candidate) => isLicenseIdentifier(candidate));
  if (!identifier)
    throw new AppError('LICENSE_FILE_NOT_RECOGNISED', 'The PDF names no license identifier: it is not a license file');
  return identifier;
}
