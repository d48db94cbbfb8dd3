// The port through which receipts get sealed. The seal service (apps/seal) is not ready yet, so
// the only implementation today is the development one, which leaves the PDF as it is and says so:
// a receipt is reported sealed only when a real sealer sealed it.
export interface SealResult {
  pdf: Uint8Array;
  sealed: boolean;
  /** Which sealer handled it, recorded with the receipt. */
  sealer: string;
}

export interface ReceiptSealer {
  seal(pdf: Uint8Array, context: { unitCode: string; receiptNumber: string }): Promise<SealResult>;
}

/** Development only: no seal is applied and the receipt is recorded as unsealed. */
export class UnsealedDevelopmentSealer implements ReceiptSealer {
  async seal(pdf: Uint8Array): Promise<SealResult> {
    return { pdf, sealed: false, sealer: 'development-unsealed' };
  }
}
