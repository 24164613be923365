/**
 * The operations side of a running server, wired by main.ts: the database behind a switchable
 * handle (so a PGlite restore can swap it while serving), the metrics registry with process
 * metrics, the daily backup schedule, the PGlite admin socket for `quita backup`/`quita restore`
 * (and `quita demo`),
 * the cadence worker's state, and what the owner's server page reads.
 */
import type { Db } from '../db/db';
import { openPglite, type PgliteDb } from '../db/pglite';
import { migrate } from '../db/migrate';
import type { Env } from '../env';
import type { Logger } from './logger';
import { createMetrics, type Metrics } from './metrics';
import { switchableDb, type SwitchableDb } from './switchable-db';
import { startAdminSocket } from './backup/admin-socket';
import { restorePglite, runBackup, type BackupTarget } from './backup/backup-service';
import { startBackupScheduler, type BackupScheduler } from './backup/scheduler';
import type { ServerStateSource } from './server-state.routes';
import type { CadenceRunResult } from '../cadence/worker';
import * as v from 'valibot';
import { DEMO_DEBTORS_DEFAULT, DemoLocalRequestSchema } from '#shared/onboarding/onboarding.schema';
import { loadDemo } from '../demo/load-demo';

export interface OpsRuntime {
  /** The database every part of the server must use. */
  db: SwitchableDb<Db>;
  metrics: Metrics;
  serverState: ServerStateSource;
  /** Hook for the cadence worker. */
  onCadenceRun(result: CadenceRunResult | Error, seconds: number, at: Date): void;
  cadenceWorker(enabled: boolean): void;
  /** Starts the backup schedule and (PGlite) the admin socket. */
  start(): Promise<void>;
  /** Stops them (before the database closes). */
  stop(): Promise<void>;
}

/** Builds the runtime around the opened database. */
export function createOpsRuntime(options: {
  env: Env;
  rawDb: Db;
  logger: Logger;
  version: string;
  databaseDescription: string;
}): OpsRuntime {
  const { env, logger } = options;
  const ops = env.ops;
  const db = switchableDb<Db>(options.rawDb);
  const metrics = createMetrics({ processMetrics: true, version: options.version });
  const startedAt = new Date();
  let worker = {
    enabled: false,
    lastRunAt: null as Date | null,
    lastRunOk: null as boolean | null,
  };
  let scheduler: BackupScheduler | undefined;
  let closeSocket: (() => Promise<void>) | undefined;

  const target = (): BackupTarget =>
    db.kind === 'pglite'
      ? {
          kind: 'pglite',
          db,
          pglite: () => db.current() as PgliteDb,
          dataDir: env.dataDir,
          sharedBuffers: ops.pgliteSharedBuffers,
        }
      : { kind: 'postgres', db, databaseUrl: env.databaseUrl ?? '', pgBin: ops.pgBin };

  async function restoreLive(file: string) {
    const [row] = await db.query<{ epoch: number }>('SELECT epoch FROM sync_state WHERE id = 1');
    logger.warn({ file }, 'restoring a backup: requests wait until it is done');
    const result = await restorePglite({
      dataDir: env.dataDir,
      file,
      liveEpoch: Number(row?.epoch ?? 0),
      sharedBuffers: ops.pgliteSharedBuffers,
      swap: async (replace) => {
        await db.swap(async (old) => {
          await old.close();
          replace();
          const fresh = await openPglite({
            dataDir: env.dataDir,
            sharedBuffers: ops.pgliteSharedBuffers,
          });
          await migrate(fresh);
          return fresh;
        });
        return db;
      },
    });
    logger.warn(
      { epoch: result.epoch, ms: result.durationMs },
      `backup restored; the previous data was kept in ${result.previous ?? '?'}`,
    );
    return result;
  }

  return {
    db,
    metrics,
    serverState: {
      startedAt,
      databaseDescription: options.databaseDescription,
      dataDir: env.databaseUrl ? undefined : env.dataDir,
      backupDir: ops.backupDir,
      backupKeep: ops.backupKeep,
      nextBackupAt: () => scheduler?.nextRunAt() ?? null,
      worker: () => worker,
    },
    onCadenceRun(result, seconds, at) {
      metrics.observeCadenceRun(result, seconds, at);
      worker = { enabled: true, lastRunAt: at, lastRunOk: !(result instanceof Error) };
    },
    cadenceWorker(enabled) {
      metrics.cadenceWorker(enabled);
      worker = { ...worker, enabled };
    },
    async start() {
      if (ops.backupAt !== null)
        scheduler = startBackupScheduler({
          db: () => db,
          target,
          dir: ops.backupDir,
          keep: ops.backupKeep,
          at: ops.backupAt,
          logger,
          metrics,
        });
      if (db.kind === 'pglite')
        closeSocket = await startAdminSocket(env.dataDir, {
          backup: async (file) => {
            const start = performance.now();
            try {
              const result = await runBackup(target(), {
                file,
                dir: ops.backupDir,
                keep: ops.backupKeep,
                reason: 'manual',
              });
              metrics.observeBackup(
                true,
                result.bytes,
                (performance.now() - start) / 1000,
                new Date(),
              );
              logger.info(
                { bytes: result.bytes, ms: result.durationMs },
                `backup written to ${result.file}`,
              );
              return result;
            } catch (error) {
              metrics.observeBackup(false, 0, 0, new Date());
              throw error;
            }
          },
          restore: restoreLive,
          demo: async (body) => {
            const input = v.parse(DemoLocalRequestSchema, body) ?? {};
            const summary = await loadDemo(db, {
              now: new Date(),
              debtors: input.debtors ?? env.demoDebtors ?? DEMO_DEBTORS_DEFAULT,
              force: input.force === true,
            });
            logger.info(
              { debtors: summary.import.debtors, organisation: summary.organisation },
              'demo portfolio loaded (quita demo)',
            );
            return summary;
          },
        });
    },
    async stop() {
      await scheduler?.stop();
      await closeSocket?.();
    },
  };
}
