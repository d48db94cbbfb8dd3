// The verification report of a detached CMS signature over given content bytes.
import { AppError, type CmsVerificationReport } from '@platform/contracts';
import { CmsFormatError, readSignedData, type CmsSignedData } from './cms-reader.ts';
import { checkSignature, type TrustContext } from './signature-check.ts';
import { digestOf } from './signer-info-check.ts';
import { overall } from './verify-pdf.ts';

export async function verifyDetachedCms(
  cmsDer: Uint8Array,
  content: Uint8Array,
  trust: TrustContext,
): Promise<CmsVerificationReport> {
  let cms: CmsSignedData;
  try {
    cms = readSignedData(cmsDer);
  } catch (error) {
    if (error instanceof CmsFormatError)
      throw new AppError('SIGNATURE_MALFORMED', `The CMS is malformed: ${error.message}`);
    throw error;
  }
  if (cms.signerInfos.length === 0) throw new AppError('SIGNATURE_MALFORMED', 'The CMS holds no SignerInfo');
  const digest = digestOf([content]);
  const bytes = Buffer.from(content);
  const signers = [];
  for (const signerInfo of cms.signerInfos) {
    signers.push((await checkSignature({ cms, signerInfo, digest, content: () => bytes }, trust)).report);
  }
  return {
    ...overall(signers),
    contentBytes: content.length,
    signers,
    verifiedAt: trust.now.toISOString(),
  };
}
