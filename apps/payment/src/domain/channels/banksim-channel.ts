// The sandbox channel (apps/banksim) behind the PaymentChannel port. Its public key comes from
// config, or from banksim itself on first use (acceptable for a sandbox; a real bank's key is
// configured, never fetched). Refund instructions are signed with the platform's merchant key and
// banksim's answers verified with banksim's key, like callbacks.
import type { KeyObject } from 'node:crypto';
import {
  AppError,
  createBanksimClient,
  RefundConfirmation,
  SignedConfirmation,
  type BankConfirmation,
} from '@platform/contracts';
import type { Clock } from '../../clock.ts';
import type { PaymentChannel, RefundInstruction, RefundOutcome, StatementLine } from './channel.ts';
import type { MerchantSigner } from './merchant-key.ts';
import { parseStatementCsv } from './statement-csv.ts';
import { parseSigned, publicKeyFromPem, verifyRsaConfirmation, verifyRsaMessage } from './rsa-confirmation.ts';

export interface BanksimChannelOptions {
  url: string;
  publicKeyPem?: string | undefined;
  toleranceSeconds: number;
  clock: Clock;
  /** Signs refund instructions; without it the channel refuses to refund. */
  merchant?: MerchantSigner | undefined;
  refundTimeoutMs?: number;
}

export class BanksimChannel implements PaymentChannel {
  readonly id = 'banksim';
  private readonly client;
  private readonly base: string;
  private key: Promise<KeyObject> | undefined;

  constructor(private readonly options: BanksimChannelOptions) {
    this.client = createBanksimClient({ url: options.url });
    this.base = options.url.replace(/\/+$/, '');
    if (options.publicKeyPem) this.key = Promise.resolve(publicKeyFromPem(options.publicKeyPem));
  }

  get merchantPublicKeyPem(): string | undefined {
    return this.options.merchant?.publicKeyPem;
  }

  private publicKey(): Promise<KeyObject> {
    this.key ??= this.client.keys.callback.query().then(
      (answer) => publicKeyFromPem(answer.publicKeyPem),
      (error: unknown) => {
        this.key = undefined; // try again next time
        throw new AppError('CHANNEL_UNAVAILABLE', 'The channel’s public key could not be fetched', { cause: error });
      },
    );
    return this.key;
  }

  async verify(message: SignedConfirmation): Promise<BankConfirmation> {
    return verifyRsaConfirmation(message, await this.publicKey(), this.options.clock, this.options.toleranceSeconds);
  }

  async fetchStatement(date: string): Promise<StatementLine[]> {
    let text: string;
    try {
      const response = await fetch(`${this.base}/statements/${date}.csv`);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      text = await response.text();
    } catch (error) {
      throw new AppError('STATEMENT_UNAVAILABLE', 'The channel’s statement could not be fetched', { cause: error });
    }
    return parseStatementCsv(text);
  }

  async queryStatus(paymentCode: string): Promise<SignedConfirmation[]> {
    try {
      return (await this.client.payment.status.query({ paymentCode })).confirmations;
    } catch (error) {
      throw new AppError('CHANNEL_UNAVAILABLE', 'The channel could not be queried', { cause: error });
    }
  }

  async refund(instruction: RefundInstruction): Promise<RefundOutcome> {
    const merchant = this.options.merchant;
    if (!merchant) throw new AppError('CHANNEL_UNAVAILABLE', 'No merchant key is configured for refunds');
    const body = JSON.stringify({
      merchantRef: instruction.merchantRef,
      bankSerial: instruction.bankSerial,
      paymentCode: instruction.paymentCode,
      amountFen: instruction.amountFen,
    });
    const timestamp = Math.floor(this.options.clock.now().getTime() / 1000);
    let answer: unknown;
    try {
      const response = await fetch(`${this.base}/refunds`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-merchant-timestamp': String(timestamp),
          'x-merchant-signature': merchant.sign(timestamp, body),
        },
        body,
        signal: AbortSignal.timeout(this.options.refundTimeoutMs ?? 10_000),
      });
      answer = await response.json().catch(() => null);
      if (!response.ok) {
        const code = (answer as { error?: { code?: string } } | null)?.error?.code ?? 'no error body';
        throw new Error(`HTTP ${response.status} ${code}`);
      }
    } catch (error) {
      // Timeout, outage or refusal: the outcome is unknown, the caller retries with the same key.
      const reason = error instanceof Error ? (error.name === 'Error' ? error.message : error.name) : 'failed';
      throw new AppError('CHANNEL_UNAVAILABLE', `The refund instruction got no answer (${reason})`, { cause: error });
    }
    const signed = parseSigned(SignedConfirmation, (answer as { refund?: unknown }).refund, 'a signed refund answer');
    const outcome = parseSigned(
      RefundConfirmation,
      verifyRsaMessage(signed, await this.publicKey(), this.options.clock, this.options.toleranceSeconds),
      'a refund confirmation',
    );
    if (
      outcome.merchantRef !== instruction.merchantRef ||
      outcome.amountFen !== instruction.amountFen ||
      outcome.bankSerial !== instruction.bankSerial
    )
      throw new AppError('CHANNEL_UNAVAILABLE', 'The channel answered about another refund');
    return {
      status: outcome.status,
      refundSerial: outcome.refundSerial,
      reason: outcome.reason,
      confirmedAt: new Date(outcome.confirmedAt),
    };
  }
}
