/**
 * Making and restoring backups of whichever database the server uses, and recording them in
 * `ops_backups` (what the owner's Dispositivos page and /metrics report).
 *
 * Who does the work:
 * - PostgreSQL: any process can (pg_dump takes its own consistent snapshot; the restore is one
 *   transaction), so `quita backup`/`quita restore` run the tools themselves.
 * - PGlite: only the process holding the data directory may touch it. A running server does its
 *   own scheduled backups and answers `quita backup`/`quita restore` through its admin socket
 *   (./admin-socket.ts); with no server running the CLI opens the directory itself.
 */
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { uuidv7 } from 'uuidv7';
import type { Db, DbKind } from '../../db/db';
import { migrate } from '../../db/migrate';
import type { PgliteDb } from '../../db/pglite';
import { backupFileName, detectBackupKind, pruneBackups } from './files';
import {
  backupPglite,
  preparePgliteRestore,
  restoreEpochFloor,
  swapPgliteRestore,
} from './pglite-backup';
import { pgDump, pgRestore } from './postgres-tools';
import { openPglite } from '../../db/pglite';

/** Where backups go and how the database is reached. */
export interface BackupTarget {
  kind: DbKind;
  /** The database to record into (and, for PGlite, to dump). */
  db: Db;
  /** PGlite: the open database to dump. */
  pglite?: () => PgliteDb;
  /** PGlite: its data directory. */
  dataDir?: string;
  /** PostgreSQL: its URL. */
  databaseUrl?: string;
  pgBin?: string | undefined;
  sharedBuffers?: string | undefined;
}

export type BackupReason = 'scheduled' | 'manual';

export interface BackupResult {
  file: string;
  bytes: number;
  database: DbKind;
  startedAt: string;
  durationMs: number;
  /** Older managed backups deleted by retention. */
  pruned: string[];
}

export interface BackupOptions {
  /** Explicit file; default `<dir>/quita-<time>.<ext>` (then retention applies). */
  file?: string | undefined;
  dir: string;
  keep: number;
  reason: BackupReason;
  now?: () => Date;
}

async function record(
  db: Db,
  row: {
    kind: 'scheduled' | 'manual' | 'restore';
    database: DbKind;
    file: string;
    bytes: number | null;
    startedAt: Date;
    finishedAt: Date;
    ok: boolean;
    error: string | null;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO ops_backups (id, kind, database, file, bytes, started_at, finished_at, ok, error, host)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      uuidv7(),
      row.kind,
      row.database,
      row.file,
      row.bytes,
      row.startedAt,
      row.finishedAt,
      row.ok,
      row.error === null ? null : row.error.slice(0, 500),
      hostname(),
    ],
  );
}

/** Makes one backup (and prunes old managed ones when written to the backup directory). */
export async function runBackup(
  target: BackupTarget,
  options: BackupOptions,
): Promise<BackupResult> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const start = performance.now();
  const file = resolve(
    options.file ?? resolve(options.dir, backupFileName(target.kind, startedAt)),
  );
  mkdirSync(resolve(file, '..'), { recursive: true });
  let bytes: number;
  try {
    if (target.kind === 'pglite') {
      if (!target.pglite || !target.dataDir)
        throw new Error('PGlite backup without an open database and its directory');
      bytes = await backupPglite(target.pglite(), target.dataDir, file);
    } else {
      if (!target.databaseUrl) throw new Error('PostgreSQL backup without DATABASE_URL');
      await pgDump(target.databaseUrl, file, target.pgBin);
      const { statSync } = await import('node:fs');
      bytes = statSync(file).size;
    }
  } catch (error) {
    await record(target.db, {
      kind: options.reason,
      database: target.kind,
      file,
      bytes: null,
      startedAt,
      finishedAt: now(),
      ok: false,
      error: error instanceof Error ? error.message : String(error),
    }).catch(() => undefined);
    throw error;
  }
  await record(target.db, {
    kind: options.reason,
    database: target.kind,
    file,
    bytes,
    startedAt,
    finishedAt: now(),
    ok: true,
    error: null,
  });
  const pruned = options.file === undefined ? pruneBackups(options.dir, options.keep) : [];
  return {
    file,
    bytes,
    database: target.kind,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - start),
    pruned,
  };
}

export interface RestoreResult {
  file: string;
  database: DbKind;
  /** The new feed epoch: every phone re-bases on its next pull. */
  epoch: number;
  /** Migrations applied to bring an older backup up to this version. */
  migrated: string[];
  /** PGlite: where the data directory in use before the restore was kept. */
  previous?: string;
  durationMs: number;
}

/** Refuses a file that is not a backup of this server's kind of database. */
export function checkBackupFile(file: string, kind: DbKind): void {
  const found = detectBackupKind(file);
  if (found === kind) return;
  if (found === 'unknown')
    throw new Error(`${file} não é um backup do Quita (nem PGlite .tar.gz nem pg_dump)`);
  throw new Error(
    found === 'pglite'
      ? `${file} é um backup do banco embutido (PGlite), mas este servidor usa PostgreSQL (DATABASE_URL)`
      : `${file} é um backup do PostgreSQL (pg_dump), mas este servidor usa o banco embutido (PGlite)`,
  );
}

async function liveEpochOf(db: Db): Promise<number> {
  const [row] = await db.query<{ epoch: number }>('SELECT epoch FROM sync_state WHERE id = 1');
  return Number(row?.epoch ?? 0);
}

/**
 * Restores a PostgreSQL backup into the live database (servers may keep running: their requests
 * wait on the restore's locks or fail and are retried by the phones).
 */
export async function restorePostgres(
  target: BackupTarget & { databaseUrl: string },
  file: string,
  now: () => Date = () => new Date(),
): Promise<RestoreResult> {
  const start = performance.now();
  const startedAt = now();
  checkBackupFile(file, 'postgres');
  const live = await liveEpochOf(target.db).catch(() => 0);
  await pgRestore(target.databaseUrl, file, restoreEpochFloor(startedAt, live), target.pgBin);
  const { applied } = await migrate(target.db);
  const epoch = await liveEpochOf(target.db);
  await record(target.db, {
    kind: 'restore',
    database: 'postgres',
    file: resolve(file),
    bytes: null,
    startedAt,
    finishedAt: now(),
    ok: true,
    error: null,
  });
  return {
    file: resolve(file),
    database: 'postgres',
    epoch,
    migrated: applied,
    durationMs: Math.round(performance.now() - start),
  };
}

/**
 * Restores a PGlite backup. `swap` closes the live database, calls `replace` (which swaps the
 * directories) and opens the result: in a server it goes through the switchable Db; offline it
 * is just the call.
 */
export async function restorePglite(options: {
  dataDir: string;
  file: string;
  /** Epoch of the live database (0 when it cannot be read). */
  liveEpoch: number;
  sharedBuffers?: string | undefined;
  swap: (replace: () => void) => Promise<Db>;
  now?: () => Date;
}): Promise<RestoreResult> {
  const now = options.now ?? (() => new Date());
  const start = performance.now();
  const startedAt = now();
  checkBackupFile(options.file, 'pglite');
  const prepared = await preparePgliteRestore(
    options.dataDir,
    options.file,
    options.liveEpoch,
    options.sharedBuffers,
  );
  let previous = '';
  const db = await options.swap(() => {
    previous = swapPgliteRestore(options.dataDir, prepared.staging, now());
  });
  await record(db, {
    kind: 'restore',
    database: 'pglite',
    file: resolve(options.file),
    bytes: null,
    startedAt,
    finishedAt: now(),
    ok: true,
    error: null,
  });
  return {
    file: resolve(options.file),
    database: 'pglite',
    epoch: prepared.epoch,
    migrated: prepared.applied,
    previous,
    durationMs: Math.round(performance.now() - start),
  };
}

/** Offline PGlite restore (no server holds the directory): used by the CLI. */
export async function restorePgliteOffline(
  dataDir: string,
  file: string,
  sharedBuffers?: string,
): Promise<RestoreResult> {
  checkBackupFile(file, 'pglite');
  let live = await openPglite({ dataDir, ...(sharedBuffers ? { sharedBuffers } : {}) });
  const liveEpoch = await liveEpochOf(live).catch(() => 0);
  let reopened: Db | undefined;
  try {
    return await restorePglite({
      dataDir,
      file,
      liveEpoch,
      sharedBuffers,
      swap: async (replace) => {
        await live.close();
        replace();
        live = await openPglite({ dataDir, ...(sharedBuffers ? { sharedBuffers } : {}) });
        reopened = live;
        return live;
      },
    });
  } finally {
    await (reopened ?? live).close();
  }
}
