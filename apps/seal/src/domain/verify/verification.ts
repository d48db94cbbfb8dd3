// Verification as the service offers it: documents decoded and size-checked, then verified against
// this service's trust (see service-trust.ts). Public: anyone holding a document may verify it.
import type { CmsVerificationReport, PdfVerificationReport } from '@platform/contracts';
import type { CertificateAuthority } from '../ca/authority.ts';
import type { CertificateFacts } from '../ca/certificate-facts.ts';
import { decodeDocument } from '../signing/document-input.ts';
import type { SealLookup } from './seal-status.ts';
import { serviceTrust } from './service-trust.ts';
import { verifyDetachedCms } from './verify-cms.ts';
import { verifyPdf } from './verify-pdf.ts';

/** A CMS signature with its chain and timestamp stays far below this; larger input is not a signature. */
const MAX_CMS_BYTES = 1024 * 1024;

export interface VerificationDeps {
  authority: () => Promise<CertificateAuthority>;
  seals: SealLookup;
  maxDocumentBytes: number;
  /** Roots an operator trusts besides this service's own. */
  extraAnchors?: CertificateFacts[];
  now?: () => Date;
}

export class Verification {
  constructor(private readonly deps: VerificationDeps) {}

  async pdf(input: { pdf: string }): Promise<PdfVerificationReport> {
    const pdf = decodeDocument(input.pdf, this.deps.maxDocumentBytes, 'PDF');
    return verifyPdf(pdf, await this.trust());
  }

  async cms(input: { cms: string; content: string }): Promise<CmsVerificationReport> {
    const cms = decodeDocument(input.cms, MAX_CMS_BYTES, 'CMS');
    const content = decodeDocument(input.content, this.deps.maxDocumentBytes, 'content');
    return verifyDetachedCms(cms, content, await this.trust());
  }

  private async trust() {
    return serviceTrust(await this.deps.authority(), this.deps.seals, {
      ...(this.deps.extraAnchors ? { extraAnchors: this.deps.extraAnchors } : {}),
      ...(this.deps.now ? { now: this.deps.now() } : {}),
    });
  }
}
