// The sealer of license files from the configuration: the seal service at SEAL_URL with tokens from
// identity (client_credentials), or none — outside production only (env.ts refuses production
// without SEAL_URL) — in which case files stay pending_seal and are never handed out unsealed.
import { clientCredentialsTokenSource, identityTokenUrl } from '@platform/auth';
import { createSealClient } from '@platform/contracts';
import type { Env } from '../../env.ts';
import type { FileSealVerifier } from '../verification/file-verification.ts';
import { SealServiceLicenseSealer, type LicenseSealer } from './license-sealer.ts';

export function licenseSealerFor(env: Env): LicenseSealer | undefined {
  if (!env.SEAL_URL || !env.SERVICE_CLIENT_ID || !env.SERVICE_CLIENT_SECRET) return undefined;
  const tokens = clientCredentialsTokenSource({
    tokenUrl: identityTokenUrl(env),
    clientId: env.SERVICE_CLIENT_ID,
    clientSecret: env.SERVICE_CLIENT_SECRET,
    resource: env.SEAL_RESOURCE,
    scope: 'seal:sign',
  });
  return new SealServiceLicenseSealer(
    createSealClient({ url: env.SEAL_URL, getToken: () => tokens.getToken() }),
    env.LICENSE_SEAL_KIND,
  );
}

/** The seal service's PDF verification for uploaded license files (public: no client credentials). */
export function sealVerifierFor(env: Env): FileSealVerifier | undefined {
  if (!env.SEAL_URL) return undefined;
  const client = createSealClient({ url: env.SEAL_URL });
  return { verifyPdf: (pdf) => client.verify.pdf.mutate({ pdf: Buffer.from(pdf).toString('base64') }) };
}
