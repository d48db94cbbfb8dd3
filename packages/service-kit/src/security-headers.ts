// helmet's security headers, worked out once. helmet() is a chain of a dozen middlewares, each
// computing and setting its header on every request, although with a fixed configuration every
// response gets the very same headers. Running it once against a recording response keeps helmet
// the single source of truth for what is set, and leaves one loop per request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

type HeaderValue = string | number | readonly string[];

export type ApplySecurityHeaders = (res: ServerResponse) => void;

export function precomputedSecurityHeaders(middleware = helmet()): ApplySecurityHeaders {
  const set = new Map<string, HeaderValue>();
  const removed = new Set<string>();
  const recorder = {
    setHeader(name: string, value: HeaderValue) {
      set.set(name, value);
      removed.delete(name.toLowerCase());
      return recorder;
    },
    removeHeader(name: string) {
      set.delete(name);
      removed.add(name.toLowerCase());
    },
    getHeader: () => undefined,
  };
  let finished = false;
  middleware({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
    finished = true;
  });
  // A configuration that needs the request (CSP nonces) or answers asynchronously cannot be
  // precomputed: refuse at start rather than send responses without their headers.
  if (!finished) throw new Error('security headers: the helmet configuration did not finish synchronously');
  const headers = [...set];
  const removals = [...removed];
  return (res) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    for (const name of removals) res.removeHeader(name);
  };
}
