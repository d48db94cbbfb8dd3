// account.*: registration, SMS codes, password, TOTP and verification (trust levels).
import { identityContract } from '@platform/contracts';
import { createRouter, implement } from '@platform/service-kit';
import type { IdentityCore } from '../../composition.ts';
import { userOf } from '../guards.ts';
import { accountView } from '../views.ts';

const contract = identityContract.account;

export function accountRouter(core: IdentityCore) {
  const service = core.accountService;
  return createRouter({
    requestSmsCode: implement(contract.requestSmsCode).mutation(async ({ input }) => {
      const { expiresInSeconds } = await service.requestSmsCode(input.phone, input.purpose, undefined);
      return { sent: true as const, expiresInSeconds };
    }),
    register: implement(contract.register).mutation(async ({ input }) =>
      accountView(await service.register(input, undefined)),
    ),
    resetPassword: implement(contract.resetPassword).mutation(async ({ input }) => {
      await service.resetPassword(input.phone, input.smsCode, input.newPassword, undefined);
      return { ok: true as const };
    }),
    me: implement(contract.me).query(async ({ ctx }) =>
      accountView(await service.get(userOf(ctx, { allowAgent: true }))),
    ),
    changePassword: implement(contract.changePassword).mutation(async ({ ctx, input }) => {
      await service.changePassword(userOf(ctx), input.currentPassword, input.newPassword, undefined);
      return { ok: true as const };
    }),
    totp: createRouter({
      enroll: implement(contract.totp.enroll).mutation(({ ctx, input }) =>
        service.enrollTotp(userOf(ctx), input.currentPassword),
      ),
      confirm: implement(contract.totp.confirm).mutation(async ({ ctx, input }) => {
        await service.confirmTotp(userOf(ctx), input.code);
        return { enabled: true as const };
      }),
      disable: implement(contract.totp.disable).mutation(async ({ ctx, input }) => {
        await service.disableTotp(userOf(ctx), input.currentPassword, input.code);
        return { ok: true as const };
      }),
    }),
    verifyWithRegistry: implement(contract.verifyWithRegistry).mutation(async ({ ctx, input }) => ({
      trustLevel: await service.verifyWithRegistry(userOf(ctx), input.name),
    })),
    verifyFace: implement(contract.verifyFace).mutation(async ({ ctx, input }) => ({
      trustLevel: await service.verifyFace(userOf(ctx), input.sample),
    })),
  });
}
