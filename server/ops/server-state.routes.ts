/**
 * `GET /api/status/server` (owners): the server's own health for the Dispositivos page — version,
 * database (kind and size), last backup (and whether it is overdue), next scheduled backup, the
 * automatic e-mail queue and its worker, free disk where the data and the backups live, memory.
 * Each item carries a level (green/amber/red) decided here, so the page only shows it.
 */
import { statfs } from 'node:fs/promises';
import { Hono } from 'hono';
import type { Deps } from '../app';
import { requireRole, type AppEnv } from '../http/auth';
import { clientInfo } from './forwarded';

export type Level = 'green' | 'amber' | 'red';

/** What only the running process knows (absent in tests that build the app alone). */
export interface ServerStateSource {
  startedAt: Date;
  /** Where the data lives, without a password ("PGlite in ./data", "PostgreSQL at host/db"). */
  databaseDescription: string;
  /** Directories whose free space matters. */
  dataDir?: string | undefined;
  backupDir: string;
  backupKeep: number;
  /** When the next scheduled backup runs, or null when the schedule is off. */
  nextBackupAt: () => Date | null;
  /** Whether the automatic e-mail worker runs, and its last run. */
  worker: () => { enabled: boolean; lastRunAt: Date | null; lastRunOk: boolean | null };
}

const DAY = 86_400_000;
/** Below this much free disk the owner sees red (a backup of a big portfolio needs room). */
export const DISK_RED_BYTES = 1024 ** 3;
export const DISK_AMBER_BYTES = 5 * 1024 ** 3;

async function diskOf(path: string | undefined) {
  if (!path) return null;
  try {
    const s = await statfs(path);
    const free = Number(s.bavail) * Number(s.bsize);
    const total = Number(s.blocks) * Number(s.bsize);
    const level: Level =
      free < DISK_RED_BYTES ? 'red' : free < DISK_AMBER_BYTES ? 'amber' : 'green';
    return { path, freeBytes: free, totalBytes: total, level };
  } catch {
    return null;
  }
}

/** The level of the last backup: red when none or older than 2 days or the last attempt failed. */
export function backupLevel(
  lastOkAt: Date | null,
  lastAttemptFailed: boolean,
  now: Date,
  scheduled: boolean,
): Level {
  if (lastOkAt === null) return scheduled ? 'amber' : 'red';
  const age = now.getTime() - lastOkAt.getTime();
  if (lastAttemptFailed || age > 2 * DAY) return 'red';
  if (age > 1.25 * DAY) return 'amber';
  return 'green';
}

/** The route. */
export function serverStateRoutes(deps: Deps, source: ServerStateSource | undefined) {
  return new Hono<AppEnv>().get('/', requireRole('owner'), async (c) => {
    const { db, now } = deps;
    const at = now();
    const client = clientInfo(c, deps.proxies);
    const [size] = await db.query<{ size: number }>(
      'SELECT pg_database_size(current_database()) AS size',
    );
    const [lastOk] = await db.query<{
      file: string;
      bytes: number;
      finished_at: Date;
      kind: string;
    }>(
      `SELECT file, bytes, finished_at, kind FROM ops_backups
       WHERE ok AND kind <> 'restore' ORDER BY finished_at DESC LIMIT 1`,
    );
    const [lastAttempt] = await db.query<{ ok: boolean; error: string | null; finished_at: Date }>(
      `SELECT ok, error, finished_at FROM ops_backups WHERE kind <> 'restore'
       ORDER BY finished_at DESC LIMIT 1`,
    );
    const [lastRestore] = await db.query<{ file: string; finished_at: Date }>(
      `SELECT file, finished_at FROM ops_backups WHERE kind = 'restore' ORDER BY finished_at DESC LIMIT 1`,
    );
    const queue = await db.query<{ status: string; n: number; oldest: Date | null }>(
      `SELECT status, count(*)::int AS n, min(next_attempt_at) AS oldest FROM cadence_tasks
       WHERE status IN ('pending', 'sending', 'uncertain', 'failed') GROUP BY status`,
    );
    const count = (status: string) => queue.find((q) => q.status === status)?.n ?? 0;
    const pendingOldest = queue.find((q) => q.status === 'pending')?.oldest ?? null;
    const worker = source?.worker() ?? { enabled: false, lastRunAt: null, lastRunOk: null };
    const overdueMs = pendingOldest ? at.getTime() - pendingOldest.getTime() : 0;
    const emailLevel: Level =
      count('failed') + count('uncertain') > 0 || (worker.enabled && worker.lastRunOk === false)
        ? 'red'
        : count('pending') > 0 && (!worker.enabled || overdueMs > 3_600_000)
          ? 'amber'
          : 'green';
    const next = source?.nextBackupAt() ?? null;
    const lastFailed = lastAttempt !== undefined && !lastAttempt.ok;
    const disks = (await Promise.all([diskOf(source?.dataDir), diskOf(source?.backupDir)])).filter(
      (d) => d !== null,
    );
    const uniqueDisks = disks.filter(
      (d, i) =>
        disks.findIndex((e) => e.totalBytes === d.totalBytes && e.freeBytes === d.freeBytes) === i,
    );
    return c.json({
      serverNow: at.toISOString(),
      version: deps.version,
      node: process.version,
      startedAt: source?.startedAt.toISOString() ?? null,
      database: {
        kind: db.kind,
        description: source?.databaseDescription ?? null,
        sizeBytes: Number(size?.size ?? 0),
      },
      // How THIS answer reached the owner: what a phone on the same address gets.
      https: client.secure ? (client.viaTrustedProxy ? 'proxy' : 'direct') : 'none',
      memory: { rssBytes: process.memoryUsage().rss },
      backup: {
        level: backupLevel(lastOk?.finished_at ?? null, lastFailed, at, next !== null),
        last: lastOk
          ? {
              at: lastOk.finished_at.toISOString(),
              file: lastOk.file,
              bytes: Number(lastOk.bytes),
              kind: lastOk.kind,
            }
          : null,
        lastError: lastFailed ? (lastAttempt?.error ?? null) : null,
        next: next?.toISOString() ?? null,
        dir: source?.backupDir ?? null,
        keep: source?.backupKeep ?? null,
        lastRestore: lastRestore
          ? { at: lastRestore.finished_at.toISOString(), file: lastRestore.file }
          : null,
      },
      email: {
        level: emailLevel,
        workerEnabled: worker.enabled,
        lastRunAt: worker.lastRunAt?.toISOString() ?? null,
        lastRunOk: worker.lastRunOk,
        pending: count('pending'),
        sending: count('sending'),
        uncertain: count('uncertain'),
        failed: count('failed'),
        oldestPendingAt: pendingOldest?.toISOString() ?? null,
      },
      disks: uniqueDisks,
    });
  });
}
