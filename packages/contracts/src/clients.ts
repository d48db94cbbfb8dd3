// Typed clients for every service, derived from the contracts alone (no server code involved).
import { createTRPCClient, httpLink, TRPCClientError, type TRPCClient, type TRPCLink } from '@trpc/client';
import type { AnyTRPCRouter } from '@trpc/server';
import type { ContractRecord, ContractRouter } from './procedure.ts';
import { isErrorCode, type ErrorBody } from './errors/index.ts';
import type { IdentityRouter } from './services/identity.ts';
import type { LicenseRouter } from './services/license.ts';
import type { PaymentRouter } from './services/payment.ts';
import type { SealRouter } from './services/seal.ts';
import type { BanksimRouter } from './services/banksim.ts';

export interface ClientOptions {
  /** Base URL of the service, e.g. `http://localhost:4001`. */
  url: string;
  /** Returns the bearer access token for each call; omit for public procedures. */
  getToken?: () => string | undefined | Promise<string | undefined>;
  /** Extra headers per call, e.g. `Idempotency-Key` or `x-request-id`. */
  headers?: () => Record<string, string> | Promise<Record<string, string>>;
  fetch?: typeof globalThis.fetch;
}

// The platform uses no transformer, so one link type serves every service's router.
type PlatformRouter = ContractRouter<ContractRecord>;

function platformLink(options: ClientOptions): TRPCLink<PlatformRouter> {
  return httpLink<PlatformRouter>({
    url: `${options.url.replace(/\/+$/, '')}/trpc`,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    headers: async () => {
      const token = await options.getToken?.();
      const extra = (await options.headers?.()) ?? {};
      return token ? { ...extra, authorization: `Bearer ${token}` } : extra;
    },
  });
}

function createServiceClient<TRouter extends AnyTRPCRouter>(options: ClientOptions): TRPCClient<TRouter> {
  return createTRPCClient<TRouter>({ links: [platformLink(options)] });
}

export const createIdentityClient = (options: ClientOptions) => createServiceClient<IdentityRouter>(options);
export const createLicenseClient = (options: ClientOptions) => createServiceClient<LicenseRouter>(options);
export const createSealClient = (options: ClientOptions) => createServiceClient<SealRouter>(options);
export const createPaymentClient = (options: ClientOptions) => createServiceClient<PaymentRouter>(options);
export const createBanksimClient = (options: ClientOptions) => createServiceClient<BanksimRouter>(options);

/** The platform error behind a failed client call, or undefined for transport failures. */
export function errorBodyOf(error: unknown): ErrorBody | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  const data: unknown = error.data;
  if (typeof data !== 'object' || data === null || !('code' in data) || !isErrorCode(data.code)) return undefined;
  return data as ErrorBody;
}
