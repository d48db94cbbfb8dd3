// The sandbox channel (apps/banksim) behind the PaymentChannel port. Its public key comes from
// config, or from banksim itself on first use (acceptable for a sandbox; a real bank's key is
// configured, never fetched).
import type { KeyObject } from 'node:crypto';
import { AppError, createBanksimClient, type SignedConfirmation } from '@platform/contracts';
import type { Clock } from '../../clock.ts';
import type { PaymentChannel, StatementLine } from './channel.ts';
import { parseStatementCsv } from './statement-csv.ts';
import { publicKeyFromPem, verifyRsaConfirmation } from './rsa-confirmation.ts';

export interface BanksimChannelOptions {
  url: string;
  publicKeyPem?: string | undefined;
  toleranceSeconds: number;
  clock: Clock;
}

export class BanksimChannel implements PaymentChannel {
  readonly id = 'banksim';
  private readonly client;
  private key: Promise<KeyObject> | undefined;

  constructor(private readonly options: BanksimChannelOptions) {
    this.client = createBanksimClient({ url: options.url });
    if (options.publicKeyPem) this.key = Promise.resolve(publicKeyFromPem(options.publicKeyPem));
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

  async verify(message: SignedConfirmation) {
    return verifyRsaConfirmation(message, await this.publicKey(), this.options.clock, this.options.toleranceSeconds);
  }

  async fetchStatement(date: string): Promise<StatementLine[]> {
    let text: string;
    try {
      const response = await fetch(`${this.options.url.replace(/\/+$/, '')}/statements/${date}.csv`);
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
}
