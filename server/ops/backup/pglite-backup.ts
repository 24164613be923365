/**
 * PGlite backups and restores.
 *
 * Backup: `PgliteDb.dump()` (a CHECKPOINT and `dumpDataDir('gzip')` under PGlite's transaction
 * lock, so consistent while serving) written to `FILE.partial`, flushed to disk, then renamed:
 * a crash never leaves a half file under the final name.
 *
 * Restore, in two steps so the live database is touched only once the backup proved good:
 * 1. prepare — unpack the tarball into `<dataDir>.restoring` by opening PGlite on it, apply the
 *    migrations of this version (a backup from an older Quita is upgraded like a start would),
 *    and set the feed epoch above both the restored one and the live one (every phone's cursor
 *    then answers reset_required: it keeps its outbox, pulls again and resends what is missing);
 * 2. swap — with the live database closed: rename `<dataDir>` to
 *    `<dataDir>.before-restore-<time>` (kept: the restore is reversible by renaming back) and
 *    `<dataDir>.restoring` to `<dataDir>`.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { cp } from 'node:fs/promises';
import { basename, join } from 'node:path';
import * as tar from 'tar';
import type { PgliteDb } from '../../db/pglite';
import { openPglite } from '../../db/pglite';
import { migrate } from '../../db/migrate';

/** Writes `blob` to `file` atomically (partial file, fsync, rename). */
export async function writeFileAtomically(file: string, blob: Blob): Promise<number> {
  const partial = `${file}.partial`;
  const fd = openSync(partial, 'w', 0o600);
  try {
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(partial, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(partial, file);
  return statSync(file).size;
}

/** Entries of the data directory that a copy leaves out (the running server's pid file). */
const SKIP = new Set(['postmaster.pid']);

/**
 * Backs the open database in `dataDir` up into `file` (gzipped tar of the directory, the same
 * layout as PGlite's `dumpDataDir`, so `PGlite.create({ loadDataDir })` reads it too). While the
 * database is quiesced (after a CHECKPOINT) the directory is only COPIED, at disk speed, beside
 * the target; the slow part — tar and gzip — runs on that copy with the server serving again.
 * Memory stays flat whatever the size of the data; the disk needs room for one copy meanwhile.
 * Returns the file's size in bytes.
 */
export async function backupPglite(db: PgliteDb, dataDir: string, file: string): Promise<number> {
  const partial = `${file}.partial`;
  const copy = `${file}.copy`;
  try {
    rmSync(copy, { recursive: true, force: true });
    await db.whileQuiesced(() =>
      cp(dataDir, copy, {
        recursive: true,
        filter: (source) => !SKIP.has(basename(source)),
      }),
    );
    await tar.c(
      { gzip: { level: 6 }, file: partial, cwd: copy, portable: true, mode: 0o600 },
      readdirSync(copy),
    );
    const fd = openSync(partial, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
  return statSync(file).size;
}

/**
 * The epoch a restore sets: above the restored one, the live one (when known) and a floor taken
 * from the clock (seconds since 2026-01-01), so that even a restore onto a new machine — where
 * the live epoch the phones saw is unknown — never lands on an epoch a phone already holds.
 */
export function restoreEpochFloor(now: Date, liveEpoch: number): number {
  return Math.max(Math.trunc(liveEpoch), Math.floor((now.getTime() - Date.UTC(2026, 0, 1)) / 1000));
}

export const NEXT_EPOCH_SQL =
  'UPDATE sync_state SET epoch = GREATEST(epoch, $1::int) + 1 WHERE id = 1 RETURNING epoch';

/**
 * Step 1: unpacks `file` into `<dataDir>.restoring`, migrates it and bumps its epoch above
 * `liveEpoch`. Returns the staging directory and the new epoch.
 */
export async function preparePgliteRestore(
  dataDir: string,
  file: string,
  liveEpoch: number,
  sharedBuffers?: string,
): Promise<{ staging: string; epoch: number; applied: string[] }> {
  const staging = `${dataDir}.restoring`;
  rmSync(staging, { recursive: true, force: true });
  rmSync(`${staging}.lock`, { force: true });
  let db: PgliteDb | undefined;
  try {
    // Unpacked by streaming from disk (no copy of the database in memory), then opened.
    mkdirSync(staging, { recursive: true, mode: 0o700 });
    await tar.x({ file, cwd: staging, strict: true });
    if (!existsSync(join(staging, 'PG_VERSION')))
      throw new Error(`${file} não contém um banco PGlite (falta PG_VERSION)`);
    db = await openPglite({ dataDir: staging, ...(sharedBuffers ? { sharedBuffers } : {}) });
    const { applied } = await migrate(db);
    const [row] = await db.query<{ epoch: number }>(NEXT_EPOCH_SQL, [
      restoreEpochFloor(new Date(), liveEpoch),
    ]);
    await db.close();
    db = undefined;
    return { staging, epoch: Number(row?.epoch), applied };
  } catch (error) {
    await db?.close().catch(() => undefined);
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Step 2 (the live database must be closed): swaps the prepared directory in. */
export function swapPgliteRestore(dataDir: string, staging: string, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const previous = `${dataDir}.before-restore-${stamp}`;
  renameSync(dataDir, previous);
  try {
    renameSync(staging, dataDir);
  } catch (error) {
    renameSync(previous, dataDir);
    throw error;
  }
  return previous;
}
