// /svc/<service>/(trpc|api)/...: the app's calls to the services, forwarded with the session's
// access token for that service. The browser never sees a token and needs no CORS. Anonymous
// callers are forwarded without a token, so public procedures (verification, notice lookup) work.
import express, { type Express, type Request, type Response } from 'express';
import type { ErrorCode } from '@platform/contracts';
import { httpStatusOf } from '@platform/contracts';
import { sameOriginRequest } from './auth-routes.ts';
import { isUnifiedSocialCreditCode } from '@platform/identifiers';
import {
  AgentRefusedError,
  SessionEndedError,
  type AccessTokens,
  type ResourceSpec,
} from './sessions/access-tokens.ts';
import { clearCookie, readCookie, type CookieNames } from './sessions/cookies.ts';
import type { SessionStore } from './sessions/session-store.ts';

export interface UpstreamService extends Partial<ResourceSpec> {
  url: string;
  /** tRPC procedures that may be called through the console (unset: all). */
  allow?: string[];
  /**
   * The authorisation item an agent's token for this service carries (e.g. license:holder); set, a
   * request with `x-act-for: <credit code>` is made acting for that legal person.
   */
  agentScope?: string;
}

export interface ProxyOptions {
  services: Record<string, UpstreamService>;
  sessions: SessionStore;
  tokens: AccessTokens;
  cookies: CookieNames;
  publicUrl: string;
  bodyLimitBytes: number;
  fetch?: typeof fetch;
}

const FORWARDED_REQUEST_HEADERS = ['content-type', 'accept', 'idempotency-key'];
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'content-disposition', 'retry-after'];
const PATH = /^\/svc\/([a-z]+)\/(trpc|api)(\/[^?]*)$/;

/** An error in the transport the caller used: tRPC's envelope or the REST `{ error }` body. */
function sendPlatformError(res: Response, transport: string, code: ErrorCode, message: string, requestId: string) {
  const body = { code, message, httpStatus: httpStatusOf(code), requestId };
  res
    .status(body.httpStatus)
    .json(transport === 'trpc' ? { error: { message, code: -32001, data: body } } : { error: body });
}

export function mountServiceProxy(app: Express, options: ProxyOptions): void {
  const raw = express.raw({ type: () => true, limit: options.bodyLimitBytes });

  app.use('/svc', raw, async (req: Request, res: Response) => {
    const match = PATH.exec(req.originalUrl.split('?')[0] ?? '');
    const service = match ? options.services[match[1] ?? ''] : undefined;
    const transport = match?.[2] ?? 'api';
    if (!match || !service) {
      sendPlatformError(res, transport, 'ROUTE_NOT_FOUND', `No service at ${req.path}`, req.requestId);
      return;
    }
    const rest = match[3] ?? '/';
    if (service.allow && !(transport === 'trpc' && service.allow.includes(rest.slice(1)))) {
      sendPlatformError(res, transport, 'ROUTE_NOT_FOUND', 'Not available through the console', req.requestId);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD' && !sameOriginRequest(req, options.publicUrl)) {
      sendPlatformError(res, transport, 'FORBIDDEN', 'Cross-site request refused', req.requestId);
      return;
    }

    const session = options.sessions.find(readCookie(req, options.cookies.session));
    const headers: Record<string, string> = { 'x-request-id': req.requestId };
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = req.get(name);
      if (value) headers[name] = value;
    }
    const search = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
    const target = `${service.url}/${transport}${rest}${search}`;
    const body = Buffer.isBuffer(req.body) && req.body.length > 0 ? new Uint8Array(req.body) : undefined;

    const call = async (token: string | undefined) =>
      (options.fetch ?? fetch)(target, {
        method: req.method,
        headers: token ? { ...headers, authorization: `Bearer ${token}` } : headers,
        ...(body && req.method !== 'GET' && req.method !== 'HEAD' ? { body } : {}),
        redirect: 'manual',
        signal: AbortSignal.timeout(60_000),
      });

    const actFor = req.get('x-act-for');
    const spec = service.resource && service.scopePrefix ? (service as ResourceSpec) : undefined;
    if (actFor !== undefined) {
      if (!session) return sendPlatformError(res, transport, 'UNAUTHENTICATED', 'Log in first', req.requestId);
      if (!service.agentScope || !spec)
        return sendPlatformError(
          res,
          transport,
          'FORBIDDEN',
          'Acting for a legal person is not available here',
          req.requestId,
        );
      if (!isUnifiedSocialCreditCode(actFor))
        return sendPlatformError(
          res,
          transport,
          'VALIDATION_FAILED',
          'x-act-for must be a unified social credit code',
          req.requestId,
        );
    }

    let upstream: globalThis.Response;
    try {
      if (actFor !== undefined && session && spec && service.agentScope) {
        upstream = await call(await options.tokens.actingFor(session, spec, actFor, service.agentScope));
      } else {
        let token = session && spec ? await options.tokens.forResource(session, spec) : undefined;
        upstream = await call(token);
        if (upstream.status === 401 && session && spec) {
          // Identity may have revoked the token (e.g. a disabled account): try once with a fresh one.
          await upstream.body?.cancel();
          session.accessTokens.delete(spec.resource);
          token = await options.tokens.forResource(session, spec);
          upstream = await call(token);
        }
      }
    } catch (error) {
      if (error instanceof AgentRefusedError) {
        sendPlatformError(
          res,
          transport,
          'FORBIDDEN',
          'You are not an authorised agent of this legal person for this',
          req.requestId,
        );
        return;
      }
      if (error instanceof SessionEndedError && session) {
        options.sessions.delete(session);
        clearCookie(res, options.cookies, options.cookies.session);
        sendPlatformError(res, transport, 'UNAUTHENTICATED', 'Your login session has ended', req.requestId);
        return;
      }
      req.log.warn({ err: error, service: match[1] }, 'service unreachable');
      sendPlatformError(res, transport, 'SERVICE_UNREACHABLE', 'The service is unavailable', req.requestId);
      return;
    }
    res.status(upstream.status);
    for (const name of FORWARDED_RESPONSE_HEADERS) {
      const value = upstream.headers.get(name);
      if (value) res.set(name, value);
    }
    res.set('cache-control', 'no-store');
    res.send(Buffer.from(await upstream.arrayBuffer()));
  });
}
