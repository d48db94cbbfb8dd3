// Which receipt sealer this process uses: the seal service when SEAL_URL is configured (with this
// service's client credentials for tokens), otherwise — outside production only, env.ts refuses
// production without SEAL_URL — the explicitly named development sealer that seals nothing.
import { clientCredentialsTokenSource, identityTokenUrl } from '@platform/auth';
import { createSealClient } from '@platform/contracts';
import type { Logger } from '@platform/service-kit';
import type { Env } from '../../env.ts';
import { SealServiceReceiptSealer, UnsealedDevelopmentSealer, type ReceiptSealer } from './receipt-sealer.ts';

export function receiptSealerFor(env: Env, log: Logger): ReceiptSealer {
  if (!env.SEAL_URL || !env.SERVICE_CLIENT_ID || !env.SERVICE_CLIENT_SECRET) {
    log.warn('SEAL_URL is not configured: receipts are rendered but NOT sealed (development sealer)');
    return new UnsealedDevelopmentSealer();
  }
  const tokens = clientCredentialsTokenSource({
    tokenUrl: identityTokenUrl(env),
    clientId: env.SERVICE_CLIENT_ID,
    clientSecret: env.SERVICE_CLIENT_SECRET,
    resource: env.SEAL_RESOURCE,
    scope: 'seal:sign',
  });
  return new SealServiceReceiptSealer({
    client: createSealClient({ url: env.SEAL_URL, getToken: () => tokens.getToken() }),
    supervisorCode: env.RECEIPT_SUPERVISOR_CODE,
  });
}
