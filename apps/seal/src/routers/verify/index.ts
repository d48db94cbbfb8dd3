// verify.*: public verification of sealed PDFs and detached CMS signatures. A failed check is a
// report with verdict failed/indeterminate; only unreadable input is an error.
import { sealContract } from '@platform/contracts';
import { createRouter, implement } from '@platform/service-kit';
import type { Verification } from '../../domain/verify/verification.ts';

const c = sealContract.verify;

export function verifyRouter(verification: Verification) {
  return createRouter({
    pdf: implement(c.pdf).mutation(({ input }) => verification.pdf(input)),
    cms: implement(c.cms).mutation(({ input }) => verification.cms(input)),
  });
}
