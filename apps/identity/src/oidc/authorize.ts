// GET/POST /oidc/authorize: validate, remember the request as an interaction, and send the
// browser to login, step-up, consent, or back to the client with a code.
import type { Request, Response } from 'express';
import { RedirectableError, UntrustedRequestError } from '../domain/oauth/authorization-request.ts';
import { OAuthError } from '../domain/oauth/oauth-error.ts';
import { errorPage } from '../pages/message-pages.ts';
import type { OidcContext } from './context.ts';
import { oauthParams } from './http.ts';
import { respondWithStep, sendPage } from './steps.ts';

export function authorizeHandler(context: OidcContext) {
  return async (req: Request, res: Response) => {
    const browserId = context.browser.ensureBrowserId(req, res);
    try {
      const params = oauthParams(req, req.method === 'GET' ? 'query' : 'body');
      const session = await context.sessions.resolve(context.browser.sessionValue(req));
      respondWithStep(res, await context.flow.start(params, browserId, session));
    } catch (error) {
      if (error instanceof RedirectableError)
        return respondWithStep(
          res,
          context.flow.errorRedirect(
            { redirectUri: error.redirectUri, state: error.state },
            error.error,
            error.description,
          ),
        );
      if (error instanceof UntrustedRequestError) return sendPage(res, 400, errorPage(error.description));
      if (error instanceof OAuthError) return sendPage(res, 400, errorPage(error.description));
      throw error;
    }
  };
}
