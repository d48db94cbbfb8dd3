// /federation/start and /federation/callback: login through the upstream provider.
import express, { type Request, type Response } from 'express';
import { FederationError } from '../domain/federation/upstream-login.ts';
import type { Federation } from '../domain/federation/federation.ts';
import { InteractionNotFoundError } from '../domain/oauth/authorization-flow.ts';
import { errorPage } from '../pages/message-pages.ts';
import { STRINGS } from '../pages/strings.ts';
import type { OidcContext } from './context.ts';
import { completeLogin } from './login-completion.ts';
import { oauthParams } from './http.ts';
import { sendPage } from './steps.ts';

export function federationRoutes(context: OidcContext, federation: Federation): express.Router {
  const router = express.Router();

  const guarded = (handler: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
    try {
      await handler(req, res);
    } catch (error) {
      if (error instanceof InteractionNotFoundError) return sendPage(res, 400, errorPage(STRINGS.requestExpired));
      if (error instanceof FederationError) {
        req.log.warn({ reason: error.message }, 'federated login failed');
        return sendPage(res, 502, errorPage(STRINGS.federationFailed));
      }
      throw error;
    }
  };

  router.get(
    '/federation/start',
    guarded(async (req, res) => {
      const interactionId = typeof req.query.interaction === 'string' ? req.query.interaction : undefined;
      const browserId = context.browser.browserId(req);
      // Only an interaction of this browser can be continued upstream.
      await context.flow.load(interactionId, browserId);
      res.set('cache-control', 'no-store').redirect(303, await federation.start(interactionId ?? '', browserId ?? ''));
    }),
  );

  router.get(
    '/federation/callback',
    guarded(async (req, res) => {
      const browserId = context.browser.browserId(req) ?? '';
      const result = await federation.complete(oauthParams(req, 'query'), browserId);
      await context.flow.load(result.interactionId, browserId);
      const account = await context.accounts.findById(result.accountId);
      if (!account || account.status !== 'active') return sendPage(res, 403, errorPage(STRINGS.notActive));
      await completeLogin(context, req, res, {
        account,
        amr: ['fed'],
        acr: result.acr,
        interactionId: result.interactionId,
      });
    }),
  );

  return router;
}
