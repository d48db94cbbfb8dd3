export const SERVICE_NAME = 'banksim';
export const SERVICE_VERSION = '0.1.0';
/** The channel id the payment service knows this channel by (in its callback URL and ledger). */
export const CHANNEL_ID = 'banksim';
/** This service's resource identifier: access tokens for it carry it in `aud`. */
export const RESOURCE = 'urn:platform:banksim';
/** The scope an operator's token needs to read or change the failure-injection switches. */
export const OPERATE_SCOPE = 'banksim:operate';
