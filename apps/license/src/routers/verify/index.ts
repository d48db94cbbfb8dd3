// license.verify and license.verifyFile: public; what a verifier sees depends on its token's scopes.
import { AppError, licenseContract } from '@platform/contracts';
import { implement } from '@platform/service-kit';
import type { LicenseCore } from '../../composition.ts';

export function verifyProcedure(core: LicenseCore) {
  return implement(licenseContract.verify).mutation(({ input, ctx }) => {
    if ('identifier' in input) return core.verification.byIdentifier(input.identifier, ctx.principal);
    if ('credential' in input) return core.verification.byCredential(input.credential, ctx.principal);
    return core.verification.byPresentation(input.qr, input.nonce, ctx.principal);
  });
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function verifyFileProcedure(core: LicenseCore) {
  return implement(licenseContract.verifyFile).mutation(({ input, ctx }) => {
    const text = input.pdf.replace(/\s+/g, '');
    if (!BASE64.test(text) || text.length % 4 === 1)
      throw new AppError('LICENSE_FILE_UNREADABLE', 'The file is not valid base64');
    return core.fileVerification.verify(Buffer.from(text, 'base64'), ctx.principal);
  });
}
