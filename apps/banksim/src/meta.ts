export const SERVICE_NAME = 'banksim';
export const SERVICE_VERSION = '0.1.0';
/** The channel id the payment service knows this channel by (in its callback URL and ledger). */
export const CHANNEL_ID = 'banksim';
