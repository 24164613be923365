/**
 * `GET /metrics`: the Prometheus text exposition. Never public, because it tells how busy the
 * shop is and what fails. It answers a caller bearing either QUITA_METRICS_TOKEN (what a
 * Prometheus scraper is given) or an owner's login session (not an extension token).
 * Everyone else gets 401 — also on loopback: behind a reverse proxy on the same machine every
 * request comes from 127.0.0.1, so "local only" would expose it to the Internet. The Caddyfiles
 * in server/deploy/ also refuse /metrics from outside, as a second lock.
 */
import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { scopeAllows } from '../auth/token-scope';
import { authenticateToken } from '../auth/tokens.repo';
import type { Db } from '../db/db';
import { problem, problemResponse } from '../http/problem';
import type { Metrics } from './metrics';

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface MetricsRouteDeps {
  db: Db;
  metrics: Metrics;
  metricsToken: string | undefined;
  now: () => Date;
}

/** The /metrics route. */
export function metricsRoutes(deps: MetricsRouteDeps) {
  return new Hono().get('/', async (c) => {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1];
    let allowed = false;
    if (bearer !== undefined) {
      if (deps.metricsToken !== undefined && sameSecret(bearer, deps.metricsToken)) allowed = true;
      else {
        // An owner's login session; a personal API token is the extension's and reaches only
        // the extension's routes (server/auth/token-scope.ts), so not this one.
        const user = await authenticateToken(deps.db, bearer, deps.now());
        allowed = user?.role === 'owner' && scopeAllows(user.tokenScope, 'GET', '/metrics');
      }
    }
    if (!allowed)
      return problemResponse(
        problem(
          401,
          'unauthenticated',
          'as métricas pedem o token de QUITA_METRICS_TOKEN ou o token de um proprietário',
        ),
        { 'www-authenticate': 'Bearer realm="quita-metrics"' },
      );
    return c.body(await deps.metrics.render(), 200, {
      'content-type': deps.metrics.contentType,
      'cache-control': 'no-store',
    });
  });
}
