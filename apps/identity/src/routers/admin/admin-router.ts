// admin.*: accounts, clients, audit and logout deliveries — for holders of the identity:admin scope.
import { AppError, identityContract } from '@platform/contracts';
import { createRouter, implement } from '@platform/service-kit';
import type { IdentityCore } from '../../composition.ts';
import { requireAdmin } from '../guards.ts';
import { accountView, clientView } from '../views.ts';

const contract = identityContract.admin;

export function adminRouter(core: IdentityCore) {
  const accounts = core.repositories.accounts;
  const found = async (accountId: string) => {
    const account = await accounts.findById(accountId);
    if (!account) throw new AppError('NOT_FOUND', 'No such account');
    return account;
  };
  const adminAction = (
    ctx: Parameters<typeof requireAdmin>[0],
    type: string,
    accountId: string | null,
    detail: Record<string, string | number> = {},
  ) => core.audit.record({ type: `admin.${type}`, accountId, detail: { ...detail, by: requireAdmin(ctx) } });

  return createRouter({
    account: createRouter({
      get: implement(contract.account.get).query(async ({ ctx, input }) => {
        requireAdmin(ctx);
        return accountView(await found(input.accountId));
      }),
      setStatus: implement(contract.account.setStatus).mutation(async ({ ctx, input }) => {
        requireAdmin(ctx);
        await found(input.accountId);
        const account = await accounts.setStatus(input.accountId, input.status);
        // Disabling (or locking) an account ends its sessions and tokens at once.
        if (input.status !== 'active') {
          await core.sessions.endAllForAccount(input.accountId, 'account_disabled');
          await core.revokeAllGrants(input.accountId, 'account_disabled');
        }
        await adminAction(ctx, 'account_status', input.accountId, { status: input.status });
        return accountView(account);
      }),
      setTrustLevel: implement(contract.account.setTrustLevel).mutation(async ({ ctx, input }) => {
        requireAdmin(ctx);
        await found(input.accountId);
        const account = await accounts.raiseTrustLevel(input.accountId, input.trustLevel);
        await adminAction(ctx, 'trust_level', input.accountId, { level: input.trustLevel });
        return accountView(account);
      }),
      setRoles: implement(contract.account.setRoles).mutation(async ({ ctx, input }) => {
        requireAdmin(ctx);
        await found(input.accountId);
        const account = await accounts.setRoles(input.accountId, input.roles);
        await adminAction(ctx, 'roles', input.accountId, { roles: input.roles.join(' ') });
        return accountView(account);
      }),
      setLegalRepresentative: implement(contract.account.setLegalRepresentative).mutation(async ({ ctx, input }) => {
        requireAdmin(ctx);
        const existing = await found(input.accountId);
        if (existing.kind !== 'legal_person')
          throw new AppError('VALIDATION_FAILED', 'Only legal persons have a legal representative');
        const account = await accounts.setLegalRepresentative(input.accountId, input.representativeId);
        const lapsedAuthorizations = await core.agents.representativeChanged(input.accountId, input.representativeId);
        await adminAction(ctx, 'legal_representative', input.accountId, { lapsed: lapsedAuthorizations });
        return { account: accountView(account), lapsedAuthorizations };
      }),
      endSessions: implement(contract.account.endSessions).mutation(async ({ ctx, input }) => {
        requireAdmin(ctx);
        const ended = await core.sessions.endAllForAccount(input.accountId, 'admin');
        await adminAction(ctx, 'end_sessions', input.accountId, { ended });
        return { ended };
      }),
    }),
    client: createRouter({
      create: implement(contract.client.create).mutation(async ({ ctx, input }) => {
        requireAdmin(ctx);
        const { client, secret } = await core.clients.create(input);
        await adminAction(ctx, 'client_created', null, { client: client.id });
        return { client: clientView(client), clientSecret: secret };
      }),
      update: implement(contract.client.update).mutation(async ({ ctx, input }) => {
        requireAdmin(ctx);
        const { id, ...changes } = input;
        const client = await core.clients.update(id, changes);
        await adminAction(ctx, 'client_updated', null, { client: id });
        return clientView(client);
      }),
      rotateSecret: implement(contract.client.rotateSecret).mutation(async ({ ctx, input }) => {
        requireAdmin(ctx);
        const clientSecret = await core.clients.rotateSecret(input.id);
        await adminAction(ctx, 'client_secret_rotated', null, { client: input.id });
        return { clientSecret };
      }),
      get: implement(contract.client.get).query(async ({ ctx, input }) => {
        requireAdmin(ctx);
        const client = await core.clients.find(input.id);
        if (!client) throw new AppError('NOT_FOUND', 'No such client');
        return clientView(client);
      }),
      list: implement(contract.client.list).query(async ({ ctx }) => {
        requireAdmin(ctx);
        return (await core.clients.list()).map(clientView);
      }),
    }),
    audit: createRouter({
      verify: implement(contract.audit.verify).query(async ({ ctx }) => {
        requireAdmin(ctx);
        return core.audit.verify();
      }),
      list: implement(contract.audit.list).query(async ({ ctx, input }) => {
        requireAdmin(ctx);
        const events = await core.repositories.audit.list(input);
        return events.map((event) => ({
          seq: event.seq.toString(),
          at: event.at.toISOString(),
          type: event.type,
          accountId: event.accountId,
          clientId: event.clientId,
          ip: event.ip,
          detail: (event.detail ?? {}) as Record<string, unknown>,
          hash: event.hash,
        }));
      }),
    }),
    logoutDeliveries: implement(contract.logoutDeliveries).query(async ({ ctx, input }) => {
      requireAdmin(ctx);
      const rows = await core.repositories.deliveries.list(input);
      return rows.map((row) => ({
        id: row.id,
        sessionId: row.sessionSid,
        clientId: row.clientId,
        status: row.status as 'pending' | 'delivered' | 'failed',
        attempts: row.attempts,
        lastError: row.lastError,
        createdAt: row.createdAt.toISOString(),
        deliveredAt: row.deliveredAt?.toISOString() ?? null,
      }));
    }),
  });
}
