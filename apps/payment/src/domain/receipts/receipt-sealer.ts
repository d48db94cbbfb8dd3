// The port through which receipts get sealed, and its two implementations:
// - SealServiceReceiptSealer: the seal service's sign.pdf with the collecting unit's finance seal
//   (财务专用章) and, when configured, the finance bureau's supervision seal over that signed content;
// - UnsealedDevelopmentSealer: leaves the PDF as it is and says so. Only used when no seal service is
//   configured outside production (env.ts refuses to start production without one).
// A receipt is reported sealed only when a real sealer sealed it.
import { AppError, errorBodyOf, type createSealClient } from '@platform/contracts';
import { ISSUER_SEAL_BOX, SUPERVISOR_SEAL_BOX } from './receipt-pdf.ts';

export interface SealResult {
  pdf: Uint8Array;
  sealed: boolean;
  /** Which sealer handled it, recorded with the receipt. */
  sealer: string;
}

export interface SealContext {
  unitCode: string;
  receiptCode: string;
  receiptNumber: string;
  /** Stable per rendering of the receipt: a retry of the same rendering never seals twice. */
  idempotencyKey: string;
}

export interface ReceiptSealer {
  seal(pdf: Uint8Array, context: SealContext): Promise<SealResult>;
}

/** Development only: no seal is applied and the receipt is recorded as unsealed. */
export class UnsealedDevelopmentSealer implements ReceiptSealer {
  async seal(pdf: Uint8Array): Promise<SealResult> {
    return { pdf, sealed: false, sealer: 'development-unsealed' };
  }
}

/** Document types the payment service's client must be authorised for at the seal service. */
export const RECEIPT_DOCUMENT_TYPE = 'fiscal-receipt';
export const SUPERVISION_DOCUMENT_TYPE = 'fiscal-receipt-supervision';
/** The kind of seal a collecting unit signs receipts with. */
export const RECEIPT_SEAL_KIND = 'finance';

export type SealClient = Pick<ReturnType<typeof createSealClient>, 'seal' | 'sign'>;

export interface SealServiceSealerOptions {
  client: SealClient;
  /** Credit code of the finance bureau that adds its supervision seal; none when undefined. */
  supervisorCode?: string | undefined;
  /** How long a looked-up seal id is reused before asking the seal service again. */
  lookupTtlMs?: number;
  now?: () => number;
}

/**
 * Seals receipts at the seal service. The seal is looked up by the collecting unit's credit code
 * (its active finance seal, newest first), so a unit's new seal is used as soon as it is active and
 * no mapping has to be kept in step by hand.
 */
export class SealServiceReceiptSealer implements ReceiptSealer {
  private readonly seals = new Map<string, { sealId: string; until: number }>();
  private readonly now: () => number;
  private readonly lookupTtlMs: number;

  constructor(private readonly options: SealServiceSealerOptions) {
    this.now = options.now ?? Date.now;
    this.lookupTtlMs = options.lookupTtlMs ?? 60_000;
  }

  async seal(pdf: Uint8Array, context: SealContext): Promise<SealResult> {
    const unitSigned = await this.sign(pdf, {
      orgCode: context.unitCode,
      documentType: RECEIPT_DOCUMENT_TYPE,
      idempotencyKey: context.idempotencyKey,
      placement: ISSUER_SEAL_BOX,
      reason: `财政电子票据 ${context.receiptCode}-${context.receiptNumber}`,
    });
    const supervisor = this.options.supervisorCode;
    const pdfOut = supervisor
      ? await this.sign(unitSigned, {
          orgCode: supervisor,
          documentType: SUPERVISION_DOCUMENT_TYPE,
          idempotencyKey: `${context.idempotencyKey}:supervision`,
          placement: SUPERVISOR_SEAL_BOX,
          reason: `财政监制 ${context.receiptCode}-${context.receiptNumber}`,
        })
      : unitSigned;
    return { pdf: pdfOut, sealed: true, sealer: supervisor ? 'seal-service+supervision' : 'seal-service' };
  }

  private async sign(
    pdf: Uint8Array,
    request: {
      orgCode: string;
      documentType: string;
      idempotencyKey: string;
      placement: { page: number; x: number; y: number };
      reason: string;
    },
  ): Promise<Uint8Array> {
    const sealId = await this.sealOf(request.orgCode);
    try {
      const result = await this.options.client.sign.pdf.mutate({
        sealId,
        documentType: request.documentType,
        idempotencyKey: request.idempotencyKey,
        pdf: Buffer.from(pdf).toString('base64'),
        placement: request.placement,
        reason: request.reason,
      });
      return new Uint8Array(Buffer.from(result.pdf, 'base64'));
    } catch (error) {
      // The seal may have been suspended or replaced since it was looked up.
      this.seals.delete(request.orgCode);
      throw sealFailure(error, request.orgCode);
    }
  }

  private async sealOf(orgCode: string): Promise<string> {
    const cached = this.seals.get(orgCode);
    if (cached && cached.until > this.now()) return cached.sealId;
    let seals;
    try {
      seals = await this.options.client.seal.list.query({ orgCode, status: 'active', limit: 200 });
    } catch (error) {
      throw sealFailure(error, orgCode);
    }
    const seal = seals.find((candidate) => candidate.kind === RECEIPT_SEAL_KIND);
    if (!seal)
      throw new AppError('RECEIPT_SEAL_UNAVAILABLE', `Unit ${orgCode} has no active finance seal at the seal service`);
    this.seals.set(orgCode, { sealId: seal.id, until: this.now() + this.lookupTtlMs });
    return seal.id;
  }
}

/** Any failure to seal becomes one stable code; the seal service's own code is named in the message. */
function sealFailure(error: unknown, orgCode: string): AppError {
  if (error instanceof AppError) return error;
  const body = errorBodyOf(error);
  return new AppError(
    'RECEIPT_SEAL_UNAVAILABLE',
    body
      ? `The seal service refused to seal for ${orgCode} (${body.code}); the receipt stays unsealed until a retry succeeds`
      : 'The seal service could not be reached; the receipt stays unsealed until a retry succeeds',
    { cause: error },
  );
}
