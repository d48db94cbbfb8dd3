// gbt38540.*: GB/T 38540 signatures with SM2/SM3. Signing uses the development SM2 seal (scope
// seal:sign); verification is public and trusts the development SM2 root when there is one.
import { requireScope } from '@platform/auth';
import { AppError, sealContract } from '@platform/contracts';
import { createRouter, implement } from '@platform/service-kit';
import { toPem } from '../../domain/ca/pem.ts';
import { resolveKek } from '../../domain/keys/kek-source.ts';
import { decodeDocument } from '../../domain/signing/document-input.ts';
import { developmentSm2Seal, type Sm2SealMaterial } from '../../domain/sm2/development-seal.ts';
import type { SESeal } from '../../domain/sm2/gbt38540-structures.ts';
import { Gbt38540Error, signWithSeal } from '../../domain/sm2/gbt38540.ts';
import { Gbt38540FormatError, readSignature, verifySignature } from '../../domain/sm2/gbt38540-verify.ts';
import { sm3 } from '../../domain/sm2/sm3.ts';
import type { Env } from '../../env.ts';

const c = sealContract.gbt38540;
const SIGN_SCOPE = 'seal:sign';

const sealView = (seal: SESeal) => ({
  esId: seal.info.esId,
  name: seal.info.property.name,
  type: seal.info.property.type,
  vendor: seal.info.header.vendor,
  validStart: seal.info.property.validStart.toISOString(),
  validEnd: seal.info.property.validEnd.toISOString(),
});

export function gbt38540Router(env: Env) {
  let loading: Promise<Sm2SealMaterial> | undefined;
  const material = (): Promise<Sm2SealMaterial> => {
    if (env.NODE_ENV === 'production') {
      return Promise.reject(
        new AppError(
          'GBT38540_NO_SM2_SEAL',
          'No SM2 seal is available: the development SM2 seal is refused in production',
        ),
      );
    }
    loading ??= developmentSm2Seal({
      dataDir: env.DATA_DIR,
      kek: resolveKek({ nodeEnv: env.NODE_ENV, configured: env.KEY_ENCRYPTION_KEY, dataDir: env.DATA_DIR }),
      production: false,
    }).catch((error: unknown) => {
      loading = undefined; // try again on the next call
      throw error;
    });
    return loading;
  };

  return createRouter({
    sign: implement(c.sign).mutation(async ({ input, ctx }) => {
      requireScope(ctx.principal, SIGN_SCOPE);
      const data = decodeDocument(input.data, env.MAX_DOCUMENT_BYTES, 'data');
      const sm2 = await material();
      let signature: Buffer;
      try {
        signature = await signWithSeal(sm2.sealDer, sm2.holder, data, {
          ...(input.propertyInfo ? { propertyInfo: input.propertyInfo } : {}),
        });
      } catch (error) {
        if (error instanceof Gbt38540Error) throw new AppError('GBT38540_SEAL_NOT_USABLE', error.message);
        throw error;
      }
      const signed = readSignature(signature);
      return {
        signature: signature.toString('base64'),
        signedAt: signed.tbs.timeInfo.toISOString(),
        dataHash: sm3(data).toString('hex'),
        seal: sealView(sm2.seal),
      };
    }),
    verify: implement(c.verify).mutation(async ({ input }) => {
      const signatureDer = decodeDocument(input.signature, env.MAX_DOCUMENT_BYTES, 'signature');
      const data = decodeDocument(input.data, env.MAX_DOCUMENT_BYTES, 'data');
      try {
        readSignature(signatureDer);
      } catch (error) {
        if (error instanceof Gbt38540FormatError) throw new AppError('SIGNATURE_MALFORMED', error.message);
        throw error;
      }
      const roots = await material().then(
        (m) => [m.rootCertificate],
        () => [], // no SM2 root here: chains come out indeterminate
      );
      const report = verifySignature(signatureDer, data, { trustedRoots: roots });
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
    seal: implement(c.seal).query(async () => {
      const sm2 = await material();
      return {
        ...sealView(sm2.seal),
        seal: sm2.sealDer.toString('base64'),
        rootCertificate: toPem(sm2.rootCertificate),
      };
    }),
  });
}
