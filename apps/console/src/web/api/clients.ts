// The services, as the app reaches them: through the console server (/svc/<service>), which adds
// the session's access token. Typed by the contracts, exactly like any other client.
import {
  createBanksimClient,
  createIdentityClient,
  createLicenseClient,
  createPaymentClient,
  createSealClient,
  type ClientOptions,
} from '@platform/contracts';

/** Marks the app's own requests; the server refuses state-changing calls without it (CSRF). */
export const APP_HEADER = { 'x-console-request': '1' };

const options = (service: string): ClientOptions => ({
  url: `/svc/${service}`,
  headers: () => ({ ...APP_HEADER }),
});

export const identity = createIdentityClient(options('identity'));
export const license = createLicenseClient(options('license'));
export const payment = createPaymentClient(options('payment'));
export const seal = createSealClient(options('seal'));
export const banksim = createBanksimClient(options('banksim'));

/** A payment client whose calls carry an Idempotency-Key (notice.create and friends). */
export const paymentWithKey = (key: string) =>
  createPaymentClient({ url: '/svc/payment', headers: () => ({ ...APP_HEADER, 'idempotency-key': key }) });

/**
 * A license client acting for a legal person the user is an authorised agent of: the console server
 * exchanges the user's token for one with the firm as subject (x-act-for names the firm).
 */
export const licenseActingFor = (creditCode: string) =>
  createLicenseClient({ url: '/svc/license', headers: () => ({ ...APP_HEADER, 'x-act-for': creditCode }) });
