// Sealing license files at the seal service (sign.pdf): the issuing authority's seal, looked up by
// the authority's credit code and the configured kind (公章 by default), placed centred on the
// （盖章） anchor of the rendering. The idempotency key comes from the caller, so a retry after a
// lost answer returns the same signed file instead of sealing twice.
import { AppError, errorBodyOf, type createSealClient, type PdfSignatureFacts } from '@platform/contracts';
import type { SealAnchor } from './license-pdf.ts';

/** Document type the license service's client must be authorised for on each issuing seal. */
export const LICENSE_DOCUMENT_TYPE = 'license';

export interface SealedFile {
  pdf: Uint8Array;
  sealId: string;
  signature: PdfSignatureFacts;
}

export interface LicenseSealer {
  seal(
    pdf: Uint8Array,
    context: { issuerCode: string; idempotencyKey: string; anchor: SealAnchor; reason: string },
  ): Promise<SealedFile>;
}

export type SealClient = Pick<ReturnType<typeof createSealClient>, 'seal' | 'sign'>;

const POINTS_PER_MM = 72 / 25.4;

export class SealServiceLicenseSealer implements LicenseSealer {
  private readonly seals = new Map<string, { id: string; widthMm: number; heightMm: number; until: number }>();

  constructor(
    private readonly client: SealClient,
    private readonly sealKind: string,
    private readonly lookupTtlMs = 60_000,
  ) {}

  async seal(
    pdf: Uint8Array,
    context: { issuerCode: string; idempotencyKey: string; anchor: SealAnchor; reason: string },
  ): Promise<SealedFile> {
    const seal = await this.sealOf(context.issuerCode);
    const width = seal.widthMm * POINTS_PER_MM;
    const height = seal.heightMm * POINTS_PER_MM;
    try {
      const result = await this.client.sign.pdf.mutate({
        sealId: seal.id,
        documentType: LICENSE_DOCUMENT_TYPE,
        idempotencyKey: context.idempotencyKey,
        pdf: Buffer.from(pdf).toString('base64'),
        placement: {
          page: context.anchor.page,
          x: Math.max(0, context.anchor.x - width / 2),
          y: Math.max(0, context.anchor.y - height / 2),
        },
        reason: context.reason,
      });
      return { pdf: new Uint8Array(Buffer.from(result.pdf, 'base64')), sealId: seal.id, signature: result.signature };
    } catch (error) {
      this.seals.delete(context.issuerCode); // the seal may have been suspended or replaced
      throw sealFailure(error, context.issuerCode);
    }
  }

  private async sealOf(issuerCode: string) {
    const cached = this.seals.get(issuerCode);
    if (cached && cached.until > Date.now()) return cached;
    let seals;
    try {
      seals = await this.client.seal.list.query({ orgCode: issuerCode, status: 'active', limit: 200 });
    } catch (error) {
      throw sealFailure(error, issuerCode);
    }
    const seal = seals.find((candidate) => candidate.kind === this.sealKind);
    if (!seal)
      throw new AppError(
        'LICENSE_SEAL_UNAVAILABLE',
        `The issuing authority ${issuerCode} has no active ${this.sealKind} seal at the seal service`,
      );
    const entry = { id: seal.id, widthMm: seal.widthMm, heightMm: seal.heightMm, until: Date.now() + this.lookupTtlMs };
    this.seals.set(issuerCode, entry);
    return entry;
  }
}

function sealFailure(error: unknown, issuerCode: string): AppError {
  if (error instanceof AppError) return error;
  const body = errorBodyOf(error);
  return new AppError(
    'LICENSE_SEAL_UNAVAILABLE',
    body
      ? `The seal service refused to seal for ${issuerCode} (${body.code}: ${body.message})`
      : 'The seal service could not be reached',
    { cause: error },
  );
}
