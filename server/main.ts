/**
 * Starts the server: open the database, migrate, make sure an owner exists (or print the setup
 * link), serve the app with @hono/node-server. `close()` stops accepting connections, lets
 * in-flight requests finish (forcing after a grace period) and then closes the database.
 * Run directly (`node --import tsx server/main.ts`) or through `quita serve`.
 */
import { pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { startCadenceWorker } from './cadence/worker';
import { smtpMailer } from './email/mailer';
import { bootstrapOwner } from './auth/bootstrap';
import { migrate } from './db/migrate';
import { describeDbConfig, openDb } from './db/open-db';
import { readEnv, type Env } from './env';
import { loopbackUrl, newLocalToken, writeCard } from './local-control';
import { ensurePwaBuilt } from './pwa-build';
import { packageVersion } from './version';

/** A running server. */
export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const SHUTDOWN_GRACE_MS = 10_000;

/** Starts Quita with `env`; `log` receives the human-readable start-up lines. */
export async function startServer(env: Env, log: (line: string) => void): Promise<RunningServer> {
  const dbConfig = { databaseUrl: env.databaseUrl, dataDir: env.dataDir };
  log(`quita: database ${describeDbConfig(dbConfig)}`);
  const db = await openDb(dbConfig);
  try {
    await migrate(db, undefined, (line) => log(`quita: ${line}`));
    const boot = await bootstrapOwner(
      db,
      { email: env.ownerEmail, password: env.ownerPassword, name: env.ownerName },
      new Date(),
    );
    const pwaDir = env.buildPwa ? await ensurePwaBuilt(log) : undefined;
    // On PGlite this process is the only one that may open the data directory: the CLI on this
    // machine works through it, with a secret made for this run (server/local-control.ts).
    const local = env.databaseUrl ? undefined : newLocalToken();
    const app = createApp({
      db,
      version: packageVersion(),
      trustProxy: env.trustProxy,
      publicUrl: env.publicUrl,
      localTokenHash: local?.hash,
      demoDebtors: env.demoDebtors,
      ...(pwaDir ? { pwaDir } : {}),
    });
    const server = serve({ fetch: app.fetch, port: env.port, hostname: env.host });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    const port = (server.address() as AddressInfo).port;
    const shownHost = env.host === '0.0.0.0' || env.host === '::' ? 'localhost' : env.host;
    const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
    if (boot.kind === 'owner-created') log(`quita: created owner ${boot.email}`);
    if (boot.kind === 'setup')
      log(
        `quita: no users yet; open this one-time setup link: ${env.publicUrl ?? url}/setup?token=${boot.token}`,
      );
    log(`quita: listening on ${url}`);
    const removeCard = local
      ? writeCard(env.dataDir, {
          pid: process.pid,
          url: loopbackUrl(env.host, port),
          token: local.token,
          startedAt: new Date().toISOString(),
        })
      : () => {};
    // Automatic e-mail steps: sent by a worker when SMTP_URL is set; otherwise they wait in
    // /api/cadence/today for a person.
    const mailer = env.smtpUrl === undefined ? undefined : smtpMailer(env.smtpUrl);
    const worker = mailer
      ? startCadenceWorker({
          db,
          mailer,
          now: () => new Date(),
          fromAddress: env.mailFrom,
          log: (line) => log(`quita: ${line}`),
        })
      : undefined;
    log(
      mailer
        ? 'quita: automatic e-mails on (SMTP_URL)'
        : 'quita: automatic e-mails wait in the queue (no SMTP_URL)',
    );

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
        removeCard();
        await worker?.stop();
        mailer?.close();
        await db.close();
      })());
    return { url, port, close };
  } catch (error) {
    await db.close();
    throw error;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const running = await startServer(readEnv(process.env), (line) => console.log(line));
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.once(signal, () => {
      void running.close().then(() => console.log('quita: stopped'));
    });
}
