// authorization.*: who may use which seal, for what, when and how often (seal:admin).
import { sealContract } from '@platform/contracts';
import { createRouter, implement } from '@platform/service-kit';
import type { SealCore } from '../../composition.ts';
import { callerWith, SCOPES } from '../access.ts';
import { authorizationView } from '../views.ts';

const c = sealContract.authorization;

export function authorizationRouter(core: SealCore) {
  return createRouter({
    grant: implement(c.grant).mutation(async ({ input, ctx }) =>
      authorizationView(await core.authorizations.grant(callerWith(ctx.principal, SCOPES.admin), input)),
    ),
    revoke: implement(c.revoke).mutation(async ({ input, ctx }) => {
      callerWith(ctx.principal, SCOPES.admin);
      return authorizationView(await core.authorizations.revoke(input.authorizationId));
    }),
    list: implement(c.list).query(async ({ input, ctx }) => {
      callerWith(ctx.principal, SCOPES.admin);
      return (await core.authorizations.list(input.sealId)).map(authorizationView);
    }),
  });
}
