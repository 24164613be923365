/**
 * The HTTP application: `createApp(deps)` mounts one sub-app per resource under /api. Every error
 * leaves as application/problem+json (404, 405, validation, unexpected 500s without internals).
 * Other resources mount here the same way: `.route('/api/debtors', debtorRoutes(deps))`, each
 * route guarded by `requireRole(...)`.
 */
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { uuidv7 } from 'uuidv7';
import { DEMO_DEBTORS_DEFAULT } from '#shared/onboarding/onboarding.schema';
import type { Db } from './db/db';
import { kickSummaries } from './ledger/summary-refresher';
import { authenticate, enforceTokenScope, type AppEnv } from './http/auth';
import { problem, problemOf, problemResponse } from './http/problem';
import { servePwa } from './http/static-pwa';
import { openapiRoutes } from './openapi/openapi.routes';
import { portalLinkRoutes } from './portal/portal-links.routes';
import { portalRequestRoutes } from './portal/portal-requests.routes';
import { portalRoutes } from './portal/portal.routes';
import { randomPortalKey, type PortalKey } from './portal/portal-token';
import { agreementRoutes } from './routes/agreements.routes';
import { assignmentRoutes } from './routes/assignments.routes';
import { contactRoutes } from './routes/contacts.routes';
import { debtorRoutes } from './routes/debtors.routes';
import { debtorDuplicateRoutes, debtorWorkspaceRoutes } from './routes/debtor-workspace.routes';
import { debtRoutes } from './routes/debts.routes';
import { disputeRoutes } from './routes/disputes.routes';
import { escalationRoutes } from './routes/escalations.routes';
import { extensionRoutes } from './routes/extension.routes';
import { noticeRoutes } from './routes/notices.routes';
import { paymentRoutes } from './routes/payments.routes';
import { portfolioRoutes } from './routes/portfolio.routes';
import { promiseRoutes } from './routes/promises.routes';
import { reconciliationRoutes } from './routes/reconciliation.routes';
import { authRoutes } from './routes/auth.routes';
import { cadenceRoutes } from './routes/cadence.routes';
import { healthRoutes } from './routes/health.routes';
import { importRoutes } from './routes/import.routes';
import { importToolRoutes } from './routes/import-tools.routes';
import { exportRoutes } from './routes/export.routes';
import { auditDebtorLists } from './lgpd/list-audit';
import { lgpdRoutes } from './routes/lgpd.routes';
import { settingsRoutes } from './routes/settings.routes';
import { statusRoutes } from './routes/status.routes';
import { syncRoutes } from './routes/sync.routes';
import { setupRoutes } from './routes/setup.routes';
import { userRoutes } from './routes/users.routes';
import { passwordResetRoutes, peopleRoutes } from './routes/people.routes';
import { demoRoutes } from './routes/demo.routes';
import { onboardingRoutes } from './routes/onboarding.routes';
import { signInCodeRoutes, userSignInCodeRoutes } from './routes/sign-in-code.routes';
import { ANY_PROXY, NO_PROXY, clientInfo, type ProxyTrust } from './ops/forwarded';
import type { Logger } from './ops/logger';
import { createMetrics, instrumentDb, type Metrics } from './ops/metrics';
import { metricsRoutes } from './ops/metrics.routes';
import { requestContext, requestLogger } from './ops/request-context';
import { securityHeaders } from './ops/security-headers';
import { serverStateRoutes, type ServerStateSource } from './ops/server-state.routes';

/** What the app needs from the outside world. */
export interface AppDeps {
  db: Db;
  version: string;
  /** The clock (token expiry, rate-limit windows); tests pass a controllable one. */
  now?: () => Date;
  /** Trust X-Forwarded-* from every peer (tests driving app.request() only). */
  trustProxy?: boolean;
  /** Peers whose X-Forwarded-* headers are believed (QUITA_TRUSTED_PROXIES); default nobody. */
  trustedProxies?: ProxyTrust;
  /** Prometheus metrics; a fresh registry when absent. */
  metrics?: Metrics;
  /** Structured logs (request lines, errors); without it errors go to console.error. */
  logger?: Logger;
  /** Bearer token that may read /metrics besides an owner's token. */
  metricsToken?: string;
  /** The server's own state for the owner (backups, worker, disk); omitted in tests. */
  serverState?: ServerStateSource;
  /** Where unexpected errors are reported. */
  logError?: (message: string, error: unknown) => void;
  /** The built PWA (dist/pwa) to serve at `/`; API-only when absent. */
  pwaDir?: string;
  /** Derives the debtor's page links (server/portal/portal-token.ts); random per app when absent. */
  portalKey?: PortalKey;
  /**
   * The origin debtors and phones reach (QUITA_PUBLIC_URL: debtor page links, sign-in QR codes);
   * links use the request's origin when absent.
   */
  publicUrl?: string;
  /** How many debtors the demo loads (QUITA_DEMO_DEBTORS; default 2,000). */
  demoDebtors?: number | undefined;
}

/** AppDeps with defaults filled in, as routes receive them. */
export interface Deps {
  db: Db;
  version: string;
  now: () => Date;
  /** Peers whose X-Forwarded-* headers are believed. */
  proxies: ProxyTrust;
  logError: (message: string, error: unknown) => void;
  metrics: Metrics;
  portalKey: PortalKey;
  publicUrl: string | undefined;
  demoDebtors: number;
}

export const JSON_BODY_LIMIT_BYTES = 1024 * 1024;

/** Builds the Hono app. */
export function createApp(input: AppDeps): Hono<AppEnv> {
  const metrics = input.metrics ?? createMetrics({ version: input.version });
  const logger = input.logger;
  const deps: Deps = {
    db: instrumentDb(input.db, metrics),
    version: input.version,
    now: input.now ?? (() => new Date()),
    proxies: input.trustedProxies ?? (input.trustProxy ? ANY_PROXY : NO_PROXY),
    logError:
      input.logError ??
      (logger
        ? (message, error) => logger.error({ err: error }, message)
        : (message, error) => console.error(message, error)),
    metrics,
    portalKey: input.portalKey ?? randomPortalKey(),
    publicUrl: input.publicUrl?.replace(/\/+$/, ''),
    demoDebtors: input.demoDebtors ?? DEMO_DEBTORS_DEFAULT,
  };
  metrics.attachSources({ db: () => input.db });
  const app = new Hono<AppEnv>();
  // Outermost: every answer (errors and 404s included) gets the security headers, a request id,
  // a latency sample and a log line.
  app.use(securityHeaders((c) => clientInfo(c, deps.proxies).secure));
  app.use(requestContext({ proxies: deps.proxies, metrics, logger }));
  // A collector's first sync is megabytes of JSON over a field phone's connection; gzip makes it
  // a fraction of that. Import progress (application/x-ndjson) and event streams are left alone
  // so each line still arrives as soon as it is written.
  app.use(compress());
  app.use(
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) =>
        problemResponse(
          problem(
            405,
            'method-not-allowed',
            `${c.req.method} não é aceito aqui; use ${methods.join(', ')}`,
          ),
          { allow: methods.join(', ') },
        ),
    }),
  );
  // After a write has answered, the debtors it touched get their summaries derived again
  // (server/ledger/summary-refresher.ts), in the background.
  app.use(async (c, next) => {
    await next();
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.res.status < 400)
      kickSummaries(input.db, deps.now, (error) => deps.logError('summary refresh failed', error));
  });
  // The debtor's own page: server-rendered HTML, its own CSP, no session of the API.
  app.route('/p', portalRoutes(deps));
  app.use('/api/*', async (c, next) => {
    // CSV imports stream large bodies and bank statements are large files: they set their own limits.
    if (c.req.path.startsWith('/api/import/') || c.req.path === '/api/reconciliation/statements')
      return next();
    return bodyLimit({
      maxSize: JSON_BODY_LIMIT_BYTES,
      onError: () =>
        problemResponse(problem(413, 'payload-too-large', 'o corpo pode ter no máximo 1 MiB')),
    })(c, next);
  });
  app.use('/api/*', authenticate(deps));
  app.use('/api/*', auditDebtorLists(deps));
  app.use('/api/*', enforceTokenScope());
  app.route('/api', healthRoutes(deps));
  app.route('/api/auth', authRoutes(deps));
  app.route('/api/setup', setupRoutes(deps));
  app.route('/api/users', userRoutes(deps));
  app.route('/api/users', peopleRoutes(deps));
  app.route('/api/password-reset', passwordResetRoutes(deps));
  app.route('/api/users', userSignInCodeRoutes(deps));
  app.route('/api/auth/code', signInCodeRoutes(deps));
  app.route('/api/onboarding', onboardingRoutes(deps));
  app.route('/api/demo', demoRoutes(deps));
  app.route('/api/debtors', debtorRoutes(deps));
  app.route('/api/debtors', debtorWorkspaceRoutes(deps));
  app.route('/api/debtor-duplicates', debtorDuplicateRoutes(deps));
  app.route('/api/debtors', portalLinkRoutes(deps));
  app.route('/api/portal', portalRequestRoutes(deps));
  app.route('/api/debts', debtRoutes(deps));
  app.route('/api/payments', paymentRoutes(deps));
  app.route('/api/promises', promiseRoutes(deps));
  app.route('/api/agreements', agreementRoutes(deps));
  app.route('/api/disputes', disputeRoutes(deps));
  app.route('/api/contacts', contactRoutes(deps));
  app.route('/api/notices', noticeRoutes(deps));
  app.route('/api/escalations', escalationRoutes(deps));
  app.route('/api/assignments', assignmentRoutes(deps));
  app.route('/api/import', importRoutes(deps));
  app.route('/api/import', importToolRoutes(deps));
  app.route('/api/export', exportRoutes(deps));
  app.route('/api/lgpd', lgpdRoutes(deps));
  app.route('/api/settings', settingsRoutes(deps));
  app.route('/api/cadence', cadenceRoutes(deps));
  app.route('/api/portfolio', portfolioRoutes(deps));
  app.route('/api/reconciliation', reconciliationRoutes(deps));
  app.route('/api/sync', syncRoutes(deps));
  app.route('/api/status', statusRoutes(deps));
  app.route('/api/extension', extensionRoutes(deps));
  app.route('/api/status/server', serverStateRoutes(deps, input.serverState));
  app.route(
    '/metrics',
    metricsRoutes({ db: input.db, metrics, metricsToken: input.metricsToken, now: deps.now }),
  );
  app.route(
    '/api',
    openapiRoutes(deps, () => app.routes),
  );
  if (input.pwaDir) app.get('*', servePwa(input.pwaDir));
  app.notFound((c) =>
    problemResponse(problem(404, 'not-found', `nada em ${c.req.method} ${c.req.path}`)),
  );
  app.onError((error, c) => {
    const carried = problemOf(error);
    if (carried) return problemResponse(carried.problem, carried.headers);
    if (error instanceof HTTPException) {
      if (error.status === 400 && /json/i.test(error.message))
        return problemResponse(problem(400, 'malformed-json', 'o corpo não é um JSON válido'));
      return problemResponse(problem(error.status, 'http-error'));
    }
    const errorId = uuidv7();
    const log = requestLogger(c, logger);
    if (log) log.error({ err: error, errorId }, 'unexpected error');
    else deps.logError(`unexpected error ${errorId} on ${c.req.method} ${c.req.path}`, error);
    return problemResponse(
      problem(500, 'internal', 'algo deu errado; tente novamente', { errorId }),
    );
  });
  return app;
}
