/**
 * Backup files: their names, what kind a file is, and retention.
 *
 * - PGlite backups are the data directory as a gzipped tarball (`dumpDataDir`): `.pglite.tar.gz`.
 * - PostgreSQL backups are `pg_dump --format=custom` archives: `.pgdump` (restorable by hand with
 *   `pg_restore` too).
 * A file is recognised by its first bytes, not its name, so a renamed file still restores, and a
 * file of the wrong kind is refused with a clear message before anything is touched.
 *
 * Scheduled and unnamed backups are written to the backup directory as
 * `quita-YYYYMMDDTHHMMSSZ.<ext>`; retention keeps the newest N of THOSE names and never touches
 * any other file (a backup saved under a name of your choice is yours to delete).
 */
import { closeSync, openSync, readdirSync, readSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DbKind } from '../../db/db';

export const EXTENSIONS: Record<DbKind, string> = {
  pglite: 'pglite.tar.gz',
  postgres: 'pgdump',
};

const NAME = /^quita-(\d{8}T\d{6}Z)\.(pglite\.tar\.gz|pgdump)$/;

/** `quita-20261207T030000Z.pglite.tar.gz` for a backup taken at `at`. */
export function backupFileName(kind: DbKind, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return `quita-${stamp}.${EXTENSIONS[kind]}`;
}

/** What a file holds, from its first bytes. */
export function detectBackupKind(path: string): DbKind | 'unknown' {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(5);
    const n = readSync(fd, head, 0, 5, 0);
    if (n >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'pglite';
    if (n === 5 && head.toString('latin1') === 'PGDMP') return 'postgres';
    return 'unknown';
  } finally {
    closeSync(fd);
  }
}

/** The managed backups in `dir`, newest first. */
export function listBackups(dir: string): { name: string; path: string; at: Date }[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .flatMap((name) => {
      const m = NAME.exec(name);
      if (!m?.[1]) return [];
      const s = m[1];
      const at = new Date(
        `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`,
      );
      return [{ name, path: join(dir, name), at }];
    })
    .sort((a, b) => b.at.getTime() - a.at.getTime() || (a.name < b.name ? 1 : -1));
}

/** Deletes managed backups beyond the newest `keep`; returns the deleted paths. */
export function pruneBackups(dir: string, keep: number): string[] {
  const old = listBackups(dir).slice(keep);
  for (const file of old) rmSync(file.path, { force: true });
  return old.map((f) => f.path);
}
