// agent.*: authorisations between a legal person and its agents.
import { identityContract } from '@platform/contracts';
import { createRouter, implement } from '@platform/service-kit';
import type { IdentityCore } from '../../composition.ts';
import { userOf } from '../guards.ts';
import { agentView } from '../views.ts';

const contract = identityContract.agent;

export function agentRouter(core: IdentityCore) {
  const agents = core.agents;
  const view = (authorization: Parameters<typeof agentView>[0]) =>
    agentView(authorization, agents.statusOf(authorization));
  return createRouter({
    grant: implement(contract.grant).mutation(async ({ ctx, input }) =>
      view(
        await agents.grant(userOf(ctx), {
          agentSubjectId: input.agentSubjectId,
          scopes: input.scopes,
          ...(input.validFrom ? { validFrom: new Date(input.validFrom) } : {}),
          validUntil: new Date(input.validUntil),
        }),
      ),
    ),
    confirm: implement(contract.confirm).mutation(async ({ ctx, input }) =>
      view(await agents.confirm(userOf(ctx), input.authorizationId)),
    ),
    revoke: implement(contract.revoke).mutation(async ({ ctx, input }) =>
      view(await agents.revoke(userOf(ctx), input.authorizationId)),
    ),
    listMine: implement(contract.listMine).query(async ({ ctx }) => {
      const accountId = userOf(ctx);
      const all = await agents.listFor(accountId);
      return {
        asPrincipal: all.filter((row) => row.principalId === accountId).map(view),
        asAgent: all.filter((row) => row.agentId === accountId).map(view),
      };
    }),
  });
}
