// RP-initiated logout (OIDC RP-Initiated Logout 1.0) at /oidc/logout. With an id_token_hint for
// the current session the logout happens at once; otherwise the user confirms (CSRF-protected),
// so a third-party page cannot log people out. post_logout_redirect_uri must be registered exactly.
import type { Request, Response } from 'express';
import { InvalidTokenError } from '../domain/tokens/jwt.ts';
import { errorPage, loggedOutPage, logoutConfirmPage } from '../pages/message-pages.ts';
import { STRINGS } from '../pages/strings.ts';
import type { OidcContext } from './context.ts';
import { oauthParams } from './http.ts';
import { sendPage } from './steps.ts';
import { OAuthError } from '../domain/oauth/oauth-error.ts';

interface LogoutRequest {
  clientId: string | undefined;
  postLogoutRedirectUri: string | undefined;
  state: string | undefined;
  hintSid: string | undefined;
}

class LogoutRequestError extends Error {}

async function validate(context: OidcContext, params: Record<string, string>): Promise<LogoutRequest> {
  let clientId = params.client_id;
  let hintSid: string | undefined;
  if (params.id_token_hint) {
    try {
      // An expired ID token is still a fine hint of who is logging out.
      const { payload } = await context.jwt.verify(params.id_token_hint, 'id', { expired: 'allow' });
      const audience = Array.isArray(payload.aud) ? payload.aud[0] : payload.aud;
      if (clientId && audience !== clientId) throw new LogoutRequestError('client_id 与 id_token_hint 不一致');
      clientId = audience;
      hintSid = typeof payload.sid === 'string' ? payload.sid : undefined;
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new LogoutRequestError('id_token_hint 无效');
      throw error;
    }
  }
  const uri = params.post_logout_redirect_uri;
  if (uri) {
    const client = clientId ? await context.clients.find(clientId) : null;
    if (!client || !client.postLogoutRedirectUris.includes(uri)) throw new LogoutRequestError('退出后的跳转地址未注册');
  }
  return { clientId, postLogoutRedirectUri: uri, state: params.state?.slice(0, 2048), hintSid };
}

function finish(res: Response, request: LogoutRequest): void {
  if (!request.postLogoutRedirectUri) return sendPage(res, 200, loggedOutPage());
  const url = new URL(request.postLogoutRedirectUri);
  if (request.state) url.searchParams.set('state', request.state);
  res.set('cache-control', 'no-store').redirect(303, url.toString());
}

async function endCurrentSession(context: OidcContext, req: Request, res: Response): Promise<void> {
  const session = await context.sessions.resolve(context.browser.sessionValue(req));
  if (session) {
    await context.sessions.end(session.id, 'logout');
    await context.audit.record({ type: 'logout', accountId: session.accountId, detail: { sid: session.sid } });
  }
  context.browser.clearSession(res);
}

export function logoutHandler(context: OidcContext) {
  return async (req: Request, res: Response) => {
    let request: LogoutRequest;
    try {
      request = await validate(context, oauthParams(req, req.method === 'GET' ? 'query' : 'body'));
    } catch (error) {
      if (error instanceof LogoutRequestError || error instanceof OAuthError)
        return sendPage(res, 400, errorPage(error.message));
      throw error;
    }
    const session = await context.sessions.resolve(context.browser.sessionValue(req));
    if (!session) {
      context.browser.clearSession(res);
      return finish(res, request);
    }
    if (request.hintSid && request.hintSid === session.sid) {
      await endCurrentSession(context, req, res);
      return finish(res, request);
    }
    const browserId = context.browser.ensureBrowserId(req, res);
    sendPage(
      res,
      200,
      logoutConfirmPage({
        csrf: context.browser.csrfToken(browserId),
        postLogoutRedirectUri: request.postLogoutRedirectUri,
        state: request.state,
        clientId: request.clientId,
      }),
      request.postLogoutRedirectUri ? [request.postLogoutRedirectUri] : [],
    );
  };
}

export function logoutConfirmHandler(context: OidcContext) {
  return async (req: Request, res: Response) => {
    if (!context.browser.checkCsrf(req)) return sendPage(res, 403, errorPage(STRINGS.formExpired));
    let request: LogoutRequest;
    try {
      const params = oauthParams(req, 'body');
      request = await validate(context, { ...params, id_token_hint: '' });
    } catch (error) {
      if (error instanceof LogoutRequestError || error instanceof OAuthError)
        return sendPage(res, 400, errorPage(error.message));
      throw error;
    }
    await endCurrentSession(context, req, res);
    finish(res, request);
  };
}
