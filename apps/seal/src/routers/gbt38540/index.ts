// gbt38540.*: GB/T 38540 signatures with SM2 seals of the seal lifecycle. Signing goes through the
// same rules as PDF and CMS signing (scope seal:sign, the caller's authorisation, idempotency);
// verification is public and trusts the service's SM2 root; an SM2 seal's SESeal is public too.
import { AppError, sealContract } from '@platform/contracts';
import { createRouter, implement } from '@platform/service-kit';
import type { SealCore } from '../../composition.ts';
import { toPem } from '../../domain/ca/pem.ts';
import { decodeDocument } from '../../domain/signing/document-input.ts';
import { decodeSeal } from '../../domain/sm2/gbt38540-structures.ts';
import { Gbt38540FormatError, readSignature, verifySignature } from '../../domain/sm2/gbt38540-verify.ts';
import { gbt38540SealView } from '../../domain/sm2/gbt38540-view.ts';
import type { Env } from '../../env.ts';
import { callerWith, SCOPES } from '../access.ts';

const c = sealContract.gbt38540;

export function gbt38540Router(env: Env, core: SealCore) {
  const sm2Root = async () => (await core.authority()).sm2.rootCertificate();

  return createRouter({
    sign: implement(c.sign).mutation(({ input, ctx }) =>
      core.signing.signGbt38540(callerWith(ctx.principal, SCOPES.sign), input),
    ),
    verify: implement(c.verify).mutation(async ({ input }) => {
      const signatureDer = decodeDocument(input.signature, env.MAX_DOCUMENT_BYTES, 'signature');
      const data = decodeDocument(input.data, env.MAX_DOCUMENT_BYTES, 'data');
      let signerCertificate: Buffer;
      try {
        signerCertificate = readSignature(signatureDer).signerCertificate;
      } catch (error) {
        if (error instanceof Gbt38540FormatError) throw new AppError('SIGNATURE_MALFORMED', error.message);
        throw error;
      }
      const authority = await core.authority();
      // No SM2 seal made here yet: there is no root to trust, so chains come out indeterminate.
      const root = await authority.sm2.rootCertificate();
      const revocation = await authority.sm2.revocationOf(signerCertificate);
      const report = verifySignature(signatureDer, data, {
        trustedRoots: root ? [root] : [],
        ...(revocation !== undefined ? { signerRevocation: revocation } : {}),
      });
      return {
        verdict: report.verdict,
        reasons: report.reasons,
        checks: report.checks,
        signature: report.signature
          ? {
              ...report.signature,
              signedAt: report.signature.signedAt.toISOString(),
              seal: {
                ...report.signature.seal,
                validStart: report.signature.seal.validStart.toISOString(),
                validEnd: report.signature.seal.validEnd.toISOString(),
              },
            }
          : null,
      };
    }),
    seal: implement(c.seal).query(async ({ input }) => {
      const seal = await core.lifecycle.get(input.sealId);
      const root = await sm2Root();
      if (!seal.gbt38540Seal || !root) {
        throw new AppError('SEAL_ALGORITHM_MISMATCH', 'This seal has no GB/T 38540 SESeal: it is not a made SM2 seal');
      }
      return {
        ...gbt38540SealView(decodeSeal(seal.gbt38540Seal)),
        seal: seal.gbt38540Seal.toString('base64'),
        rootCertificate: toPem(root),
      };
    }),
  });
}
