// sign.*: sealing PDFs, detached CMS and batches (seal:sign plus an authorisation for the seal).
import { sealContract } from '@platform/contracts';
import { createRouter, implement } from '@platform/service-kit';
import type { SealCore } from '../../composition.ts';
import { callerWith, SCOPES } from '../access.ts';

const c = sealContract.sign;

export function signRouter(core: SealCore) {
  return createRouter({
    pdf: implement(c.pdf).mutation(({ input, ctx }) =>
      core.signing.signPdf(callerWith(ctx.principal, SCOPES.sign), input),
    ),
    cms: implement(c.cms).mutation(({ input, ctx }) =>
      core.signing.signCms(callerWith(ctx.principal, SCOPES.sign), input),
    ),
    batch: implement(c.batch).mutation(({ input, ctx }) =>
      core.signing.signBatch(callerWith(ctx.principal, SCOPES.sign), input.documents),
    ),
  });
}
