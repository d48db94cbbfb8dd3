// Verifies refund instructions from the payment service: RSA-SHA256 over `${timestamp}.${body}`
// with the merchant's public key, inside a timestamp window. The key comes from config, or (sandbox
// only, as a test-mode provider lets a merchant upload it) from the payment service on first use.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { AppError } from '@platform/contracts';

export const MERCHANT_TIMESTAMP_HEADER = 'x-merchant-timestamp';
export const MERCHANT_SIGNATURE_HEADER = 'x-merchant-signature';

export interface MerchantKeyOptions {
  publicKeyPem?: string | undefined;
  /** Where the payment service publishes its merchant key (GET, PEM). */
  fetchUrl: string;
  toleranceSeconds: number;
  now?: () => Date;
}

export class MerchantVerifier {
  private key: Promise<KeyObject> | undefined;
  private readonly now: () => Date;
  constructor(private readonly options: MerchantKeyOptions) {
    if (options.publicKeyPem) this.key = Promise.resolve(createPublicKey(options.publicKeyPem));
    this.now = options.now ?? (() => new Date());
  }

  private publicKey(): Promise<KeyObject> {
    this.key ??= fetch(this.options.fetchUrl, { signal: AbortSignal.timeout(5_000) })
      .then(async (response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return createPublicKey(await response.text());
      })
      .catch((error: unknown) => {
        this.key = undefined; // ask again next time
        throw new AppError('BANKSIM_UPSTREAM_UNAVAILABLE', 'The merchant key could not be fetched', { cause: error });
      });
    return this.key;
  }

  /** Throws BANKSIM_MERCHANT_SIGNATURE_INVALID unless the body was signed by the merchant just now. */
  async verify(timestamp: string | undefined, signature: string | undefined, body: string): Promise<void> {
    if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp))
      throw new AppError(
        'BANKSIM_MERCHANT_SIGNATURE_INVALID',
        `Send ${MERCHANT_TIMESTAMP_HEADER} and ${MERCHANT_SIGNATURE_HEADER} headers`,
      );
    const age = Math.abs(Math.floor(this.now().getTime() / 1000) - Number(timestamp));
    if (age > this.options.toleranceSeconds)
      throw new AppError('BANKSIM_MERCHANT_SIGNATURE_INVALID', 'The timestamp is outside the window');
    const key = await this.publicKey();
    let valid = false;
    try {
      valid = verify('sha256', Buffer.from(`${timestamp}.${body}`, 'utf8'), key, Buffer.from(signature, 'base64'));
    } catch {
      valid = false;
    }
    if (!valid) throw new AppError('BANKSIM_MERCHANT_SIGNATURE_INVALID', 'The signature does not verify');
  }
}
