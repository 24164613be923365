/**
 * The first middleware of every request: a request id (a UUIDv7, or the one a trusted proxy
 * sent), echoed as `X-Request-Id` and carried by every log line of the request; the request's
 * latency into the metrics by route pattern; and one access-log line when it ends. The line holds
 * the method, route pattern, status, duration, the caller's role and the request id: no raw path
 * or query (they carry names, e-mails, phone numbers and ids), no client address, no user id.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { uuidv7 } from 'uuidv7';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import type { ProxyTrust } from './forwarded';
import { clientInfo } from './forwarded';

const REQUEST_ID = /^[\w.:-]{8,128}$/;
const KEY = 'quitaRequest';

interface RequestState {
  id: string;
  log: Logger | undefined;
}

/** The id of the current request ('' outside one). */
export function requestIdOf(c: Context): string {
  return (c.get(KEY as never) as RequestState | undefined)?.id ?? '';
}

/** The route pattern for metrics and logs: the matched route, or 'static' / 'unmatched'. */
export function routeLabel(c: Context): string {
  const route = c.req.routePath;
  if (route !== '' && route !== '*' && !route.endsWith('/*')) return route;
  const path = c.req.path;
  const api = path === '/api' || path.startsWith('/api/') || path === '/metrics';
  return api || c.res.status === 404 ? 'unmatched' : 'static';
}

export interface RequestContextDeps {
  proxies: ProxyTrust;
  metrics: Metrics;
  logger: Logger | undefined;
}

/** The middleware. */
export function requestContext(deps: RequestContextDeps): MiddlewareHandler {
  return async (c, next) => {
    const start = performance.now();
    const client = clientInfo(c, deps.proxies);
    const incoming = client.viaTrustedProxy ? c.req.header('x-request-id') : undefined;
    const id = incoming !== undefined && REQUEST_ID.test(incoming) ? incoming : uuidv7();
    const log = deps.logger?.child({ reqId: id });
    c.set(KEY as never, { id, log } satisfies RequestState as never);
    try {
      await next();
    } finally {
      const seconds = (performance.now() - start) / 1000;
      const route = routeLabel(c);
      const status = c.res.status;
      deps.metrics.observeRequest(c.req.method, route, status, seconds);
      c.res.headers.set('x-request-id', id);
      const user = (c.get('user' as never) as { role?: string } | null | undefined) ?? null;
      log?.[status >= 500 ? 'error' : 'info'](
        {
          method: c.req.method,
          route,
          status,
          ms: Math.round(seconds * 10_000) / 10,
          role: user?.role ?? null,
          secure: client.secure,
        },
        'request',
      );
    }
  };
}

/** The logger of the current request (with its id), or `fallback` outside one. */
export function requestLogger(
  c: Context | undefined,
  fallback: Logger | undefined,
): Logger | undefined {
  const state = c ? (c.get(KEY as never) as RequestState | undefined) : undefined;
  return state?.log ?? fallback;
}
