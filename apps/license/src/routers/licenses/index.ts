// Clerks' procedures: issue, read, audit, status changes, replace; the license file (clerks, holder, grantees).
import { requireScope } from '@platform/auth';
import { licenseContract, type Principal } from '@platform/contracts';
import { implement } from '@platform/service-kit';
import type { LicenseCore } from '../../composition.ts';
import type { Actor } from '../../domain/licenses/issuing.ts';
import { toLicenseView } from '../../domain/licenses/license-view.ts';

export const ISSUE_SCOPE = 'license:issue';
export const MANAGE_SCOPE = 'license:manage';
export const READ_SCOPE = 'license:read';

const actor = (principal: Principal | undefined): Actor => ({
  subject: principal?.actor ? `${principal.actor} for ${principal.subject}` : (principal?.subject ?? ''),
  clientId: principal?.clientId,
});

/** `onIssued` wakes the file worker, so a new license's file is sealed right away. */
export function licenseProcedures(core: LicenseCore, onIssued: () => void = () => undefined) {
  const view = (license: Parameters<typeof toLicenseView>[0]) => toLicenseView(license, core.clock.now());
  const statusChange = (change: 'revoke' | 'suspend' | 'reinstate', contract: typeof licenseContract.revoke) =>
    implement(contract).mutation(async ({ input, ctx }) => {
      requireScope(ctx.principal, MANAGE_SCOPE);
      return view(await core.statusChanges.change(input.identifier, change, input.reason, actor(ctx.principal)));
    });
  return {
    issue: implement(licenseContract.issue).mutation(async ({ input, ctx }) => {
      requireScope(ctx.principal, ISSUE_SCOPE);
      const license = await core.issuing.issue(input, actor(ctx.principal));
      onIssued();
      return view(license);
    }),
    file: implement(licenseContract.file).query(({ input, ctx }) => core.files.read(ctx.principal, input)),
    get: implement(licenseContract.get).query(async ({ input, ctx }) => {
      requireScope(ctx.principal, READ_SCOPE);
      return view(await core.statusChanges.find(input.identifier));
    }),
    events: implement(licenseContract.events).query(async ({ input, ctx }) => {
      requireScope(ctx.principal, READ_SCOPE);
      const license = await core.statusChanges.find(input.identifier);
      const events = await core.repositories.licenses.events(license.id);
      return events.map((event) => ({
        type: event.type,
        fromStatus: event.fromStatus,
        toStatus: event.toStatus,
        actor: event.actor,
        reason: event.reason,
        at: event.at.toISOString(),
      }));
    }),
    revoke: statusChange('revoke', licenseContract.revoke),
    suspend: statusChange('suspend', licenseContract.suspend),
    reinstate: statusChange('reinstate', licenseContract.reinstate),
    replace: implement(licenseContract.replace).mutation(async ({ input, ctx }) => {
      requireScope(ctx.principal, ISSUE_SCOPE);
      const license = await core.statusChanges.replace(input, actor(ctx.principal));
      onIssued();
      return view(license);
    }),
  };
}
