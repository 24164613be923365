/**
 * Starts the server: open the database, migrate, make sure an owner exists (or print the setup
 * link), serve the app with @hono/node-server. `close()` stops accepting connections, lets
 * in-flight requests finish (forcing after a grace period) and then closes the database.
 * Run directly (`node --import tsx server/main.ts`) or through `quita serve`.
 */
import { pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { Server as HttpsServer } from 'node:https';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { startAgreementJob } from './agreements/agreement-job';
import { startSummaryJob, summariesSettled } from './ledger/summary-refresher';
import { startCadenceWorker } from './cadence/worker';
import { smtpMailer } from './email/mailer';
import { bootstrapOwner } from './auth/bootstrap';
import { migrate } from './db/migrate';
import { assertOrganisation } from './db/org';
import { describeDbConfig, openDb } from './db/open-db';
import { readEnv, type Env } from './env';
import { loadPortalSecret } from './portal/portal-token';
import { ensurePwaBuilt } from './pwa-build';
import { packageVersion } from './version';
import { createLogger, type Logger } from './ops/logger';
import { createOpsRuntime } from './ops/runtime';
import { httpsServerOptions, watchTls } from './ops/tls';

/** A running server. */
export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const SHUTDOWN_GRACE_MS = 10_000;

/** Starts Quita with `env`; everything it has to say goes to `logger` (JSON lines, no personal data). */
export async function startServer(env: Env, logger: Logger): Promise<RunningServer> {
  const dbConfig = {
    databaseUrl: env.databaseUrl,
    dataDir: env.dataDir,
    sharedBuffers: env.ops.pgliteSharedBuffers,
  };
  // A bad certificate is refused before the database is even opened.
  const tlsOptions = env.ops.tls ? httpsServerOptions(env.ops.tls) : undefined;
  const description = describeDbConfig(dbConfig);
  logger.info(`database ${description}`);
  const rawDb = await openDb(dbConfig);
  const version = packageVersion();
  const ops = createOpsRuntime({ env, rawDb, logger, version, databaseDescription: description });
  const db = ops.db;
  try {
    await migrate(db, undefined, (line) => logger.info(line));
    await assertOrganisation(db);
    const boot = await bootstrapOwner(
      db,
      { email: env.ownerEmail, password: env.ownerPassword, name: env.ownerName },
      new Date(),
    );
    const pwaDir = env.buildPwa
      ? await ensurePwaBuilt((line) => logger.info(line.replace(/^quita: /, '')))
      : undefined;
    const portal = loadPortalSecret({ envSecret: env.portalSecret, dataDir: env.dataDir });
    logger.info({ portalKey: portal.source }, 'debtor page links derived with the portal key');
    const app = createApp({
      db,
      version,
      trustedProxies: env.ops.trustedProxies,
      metrics: ops.metrics,
      logger,
      serverState: ops.serverState,
      ...(env.ops.metricsToken ? { metricsToken: env.ops.metricsToken } : {}),
      portalKey: portal.key,
      ...(env.publicUrl ? { publicUrl: env.publicUrl } : {}),
      demoDebtors: env.demoDebtors,
      ...(pwaDir ? { pwaDir } : {}),
    });
    const tls = env.ops.tls;
    const server = serve({
      fetch: app.fetch,
      port: env.port,
      hostname: env.host,
      ...tlsOptions,
    });
    // Idle keep-alive connections are kept longer than a reverse proxy's or a client's own idle
    // timeout (Caddy keeps upstream connections 2 min): with Node's 5 s default the server closed
    // connections just as a client reused them, and that request failed with a reset (seen
    // under load in the push and import benchmarks). headersTimeout must stay above it.
    const http = server as unknown as { keepAliveTimeout: number; headersTimeout: number };
    http.keepAliveTimeout = 130_000;
    http.headersTimeout = 131_000;
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    const stopWatchingTls = tls
      ? watchTls(server as HttpsServer, tls, (error) =>
          error
            ? logger.error({ err: error }, 'could not reload the TLS certificate')
            : logger.info('TLS certificate reloaded'),
        )
      : undefined;
    const port = (server.address() as AddressInfo).port;
    const shownHost = env.host === '0.0.0.0' || env.host === '::' ? 'localhost' : env.host;
    const url = `${tls ? 'https' : 'http'}://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
    if (boot.kind === 'owner-created') logger.info('created the owner from QUITA_OWNER_EMAIL');
    if (boot.kind === 'setup')
      logger.info(
        { setupLink: `${env.publicUrl ?? url}/setup?token=${boot.token}` },
        'no users yet; open the one-time setup link (setupLink) to create the owner',
      );
    logger.info(
      { proxies: env.ops.trustedProxies.description, https: tls ? 'direct' : 'off' },
      `listening on ${url}`,
    );
    // Automatic e-mail steps: sent by a worker when SMTP_URL is set; otherwise they wait in
    // /api/cadence/today for a person.
    const mailer = env.smtpUrl === undefined ? undefined : smtpMailer(env.smtpUrl);
    const worker = mailer
      ? startCadenceWorker({
          db,
          mailer,
          now: () => new Date(),
          fromAddress: env.mailFrom,
          log: (line) => logger.info(line),
          onRun: ops.onCadenceRun,
          // E-mails carry the debtor's page link only when the public address is known.
          ...(env.publicUrl ? { portal: { key: portal.key, base: env.publicUrl } } : {}),
        })
      : undefined;
    // Agreements with a missed installment are marked broken (hourly; idempotent).
    const agreementJob = startAgreementJob({
      db,
      now: () => new Date(),
      log: (line) => logger.info(line),
    });
    // Debtor summaries brought to the day (server/ledger/summary-refresher.ts).
    const summaryJob = startSummaryJob({
      db,
      now: () => new Date(),
      log: (line) => logger.info(line),
    });
    ops.cadenceWorker(worker !== undefined);
    logger.info(
      mailer
        ? 'automatic e-mails on (SMTP_URL)'
        : 'automatic e-mails wait in the queue (no SMTP_URL)',
    );
    await ops.start();

    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        await new Promise<void>((resolve) => {
          const force = setTimeout(() => {
            if ('closeAllConnections' in server) server.closeAllConnections();
          }, SHUTDOWN_GRACE_MS);
          server.close(() => {
            clearTimeout(force);
            resolve();
          });
        });
        stopWatchingTls?.();
        await ops.stop();
        await worker?.stop();
        await agreementJob.stop();
        await summaryJob.stop();
        await summariesSettled(db);
        mailer?.close();
        await db.close();
      })());
    return { url, port, close };
  } catch (error) {
    await ops.stop().catch(() => undefined);
    await db.close();
    throw error;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const env = readEnv(process.env);
  const logger = createLogger({ level: env.ops.logLevel, format: env.ops.logFormat });
  const running = await startServer(env, logger);
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.once(signal, () => {
      void running.close().then(() => logger.info('stopped'));
    });
}
