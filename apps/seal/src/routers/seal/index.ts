// seal.*: the lifecycle (seal:admin) and reading seals, their images and audit (any seal:* scope).
import { AppError, sealContract } from '@platform/contracts';
import { createRouter, implement } from '@platform/service-kit';
import type { SealCore } from '../../composition.ts';
import { callerWith, reader, SCOPES } from '../access.ts';
import { sealEventView, sealView } from '../views.ts';

const c = sealContract.seal;

export function sealRouter(core: SealCore) {
  const { lifecycle } = core;
  const admin = (ctx: { principal: Parameters<typeof callerWith>[0] }) => callerWith(ctx.principal, SCOPES.admin);
  return createRouter({
    applyFor: implement(c.applyFor).mutation(async ({ input, ctx }) =>
      sealView(await lifecycle.apply(admin(ctx), input)),
    ),
    approve: implement(c.approve).mutation(async ({ input, ctx }) =>
      sealView(await lifecycle.approve(input.sealId, admin(ctx), input.reason)),
    ),
    make: implement(c.make).mutation(async ({ input, ctx }) =>
      sealView(await lifecycle.make(input.sealId, admin(ctx), input.reason)),
    ),
    file: implement(c.file).mutation(async ({ input, ctx }) =>
      sealView(await lifecycle.file(input.sealId, admin(ctx), input.reason)),
    ),
    activate: implement(c.activate).mutation(async ({ input, ctx }) =>
      sealView(await lifecycle.activate(input.sealId, admin(ctx), input.reason)),
    ),
    suspend: implement(c.suspend).mutation(async ({ input, ctx }) =>
      sealView(await lifecycle.suspend(input.sealId, admin(ctx), input.reason)),
    ),
    reinstate: implement(c.reinstate).mutation(async ({ input, ctx }) =>
      sealView(await lifecycle.reinstate(input.sealId, admin(ctx), input.reason)),
    ),
    reportLost: implement(c.reportLost).mutation(async ({ input, ctx }) =>
      sealView(await lifecycle.reportLost(input.sealId, admin(ctx), input.reason)),
    ),
    cancel: implement(c.cancel).mutation(async ({ input, ctx }) =>
      sealView(await lifecycle.cancel(input.sealId, admin(ctx), input.reason)),
    ),
    get: implement(c.get).query(async ({ input, ctx }) => {
      reader(ctx.principal);
      return sealView(await lifecycle.get(input.sealId));
    }),
    list: implement(c.list).query(async ({ input, ctx }) => {
      reader(ctx.principal);
      const seals = await lifecycle.list(input);
      return seals.map(sealView);
    }),
    image: implement(c.image).query(async ({ input, ctx }) => {
      reader(ctx.principal);
      const seal = await lifecycle.get(input.sealId);
      if (!seal.imageSvg || !seal.imagePng) throw new AppError('SEAL_NOT_ACTIVE', 'The seal has not been made yet');
      const svg = input.format === 'svg';
      return {
        format: input.format,
        mediaType: svg ? 'image/svg+xml' : 'image/png',
        base64: svg ? Buffer.from(seal.imageSvg, 'utf8').toString('base64') : seal.imagePng.toString('base64'),
        widthMm: seal.widthMm,
        heightMm: seal.heightMm,
      };
    }),
    events: implement(c.events).query(async ({ input, ctx }) => {
      reader(ctx.principal);
      return (await lifecycle.events(input.sealId)).map(sealEventView);
    }),
  });
}
