// dev.*: development helpers. Refused on production deployments, whatever the caller.
import { AppError, identityContract } from '@platform/contracts';
import { createRouter, implement } from '@platform/service-kit';
import type { IdentityCore } from '../../composition.ts';

export function devRouter(core: IdentityCore) {
  return createRouter({
    smsOutbox: implement(identityContract.dev.smsOutbox).query(async ({ input }) => {
      if (core.env.NODE_ENV === 'production') throw new AppError('DEVELOPMENT_ONLY', 'Not available in production');
      const messages = await core.repositories.outbox.list({ phone: input.phone, limit: input.limit });
      return messages.map((message) => ({
        phone: message.phone,
        body: message.body,
        createdAt: message.createdAt.toISOString(),
      }));
    }),
  });
}
