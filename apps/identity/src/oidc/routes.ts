// Mounts the OpenID provider: discovery, JWKS, the protocol endpoints and the pages. Body parsing
// is local (form-encoded, bounded) and failures become OAuth errors or error pages, never a 500.
import express, { type NextFunction, type Request, type Response } from 'express';
import { OAuthError } from '../domain/oauth/oauth-error.ts';
import { errorPage } from '../pages/message-pages.ts';
import { authorizeHandler } from './authorize.ts';
import type { OidcContext } from './context.ts';
import { discoveryHandler, jwksHandler } from './discovery.ts';
import { sendOAuthError } from './http.ts';
import { interactionRoutes } from './interaction-routes.ts';
import { logoutConfirmHandler, logoutHandler } from './logout.ts';
import { introspectionHandler, revocationHandler, tokenHandler } from './token-endpoints.ts';
import { userinfoHandler } from './userinfo.ts';
import { federationRoutes } from './federation-routes.ts';
import { accountRoutes } from './account-routes.ts';
import { selfServiceRoutes } from './self-service-routes.ts';

type Handler = (req: Request, res: Response) => Promise<unknown> | void;
const wrap = (handler: Handler) => (req: Request, res: Response, next: NextFunction) => {
  Promise.resolve(handler(req, res)).catch(next);
};

export function oidcRoutes(context: OidcContext): express.Router {
  const router = express.Router();
  const forms = express.urlencoded({
    extended: false,
    limit: Math.min(context.bodyLimitBytes, 64 * 1024),
    parameterLimit: 100,
  });

  router.get('/.well-known/openid-configuration', discoveryHandler(context));
  router.get('/.well-known/oauth-authorization-server', discoveryHandler(context));
  router.get('/oidc/jwks', wrap(jwksHandler(context)));

  const api = express.Router();
  api.use(forms);
  api.post('/token', wrap(tokenHandler(context)));
  api.post('/introspect', wrap(introspectionHandler(context)));
  api.post('/revoke', wrap(revocationHandler(context)));
  api.get('/userinfo', wrap(userinfoHandler(context)));
  api.post('/userinfo', wrap(userinfoHandler(context)));
  api.get('/authorize', wrap(authorizeHandler(context)));
  api.post('/authorize', wrap(authorizeHandler(context)));
  api.get('/logout', wrap(logoutHandler(context)));
  api.post('/logout', wrap(logoutHandler(context)));
  api.post('/logout/confirm', wrap(logoutConfirmHandler(context)));
  // Anything that escaped a handler below /oidc is still answered in OAuth terms.
  api.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large')
      return sendOAuthError(res, new OAuthError('invalid_request', 'the request body is too large', 413));
    if (
      type === 'entity.parse.failed' ||
      type === 'parameters.too.many' ||
      type === 'charset.unsupported' ||
      type === 'encoding.unsupported'
    )
      return sendOAuthError(res, new OAuthError('invalid_request', 'the request body could not be read'));
    req.log.error({ err: error }, 'internal error in OIDC endpoint');
    sendOAuthError(res, new OAuthError('server_error', 'internal error', 500));
  });
  router.use('/oidc', api);

  const pages = express.Router();
  pages.use(forms);
  pages.use(interactionRoutes(context));
  pages.use(selfServiceRoutes(context));
  pages.use(accountRoutes(context));
  if (context.federation) pages.use(federationRoutes(context, context.federation));
  pages.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const type = (error as { type?: string }).type;
    if (typeof type === 'string' && type.startsWith('entity.'))
      return void res.status(400).type('html').send(errorPage('请求无效。'));
    req.log.error({ err: error }, 'internal error in identity page');
    res.status(500).type('html').send(errorPage('服务暂时不可用，请稍后再试。'));
  });
  router.use(pages);
  return router;
}
