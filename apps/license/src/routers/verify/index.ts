// license.verify: public; what a verifier sees depends on its token's scopes.
import { licenseContract } from '@platform/contracts';
import { implement } from '@platform/service-kit';
import type { LicenseCore } from '../../composition.ts';

export function verifyProcedure(core: LicenseCore) {
  return implement(licenseContract.verify).mutation(({ input, ctx }) => {
    if ('identifier' in input) return core.verification.byIdentifier(input.identifier, ctx.principal);
    if ('credential' in input) return core.verification.byCredential(input.credential, ctx.principal);
    return core.verification.byPresentation(input.qr, input.nonce, ctx.principal);
  });
}
