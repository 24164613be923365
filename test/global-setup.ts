/**
 * Vitest global setup: provisions the two real databases the server suite runs on.
 *
 * - PGlite: cold init costs 6–9 s, so a migrated database is dumped once (`dumpDataDir`) and each
 *   test file loads the dump (~1.5 s). The dump is cached in node_modules/.cache/quita keyed by the
 *   migration files and the PGlite version, so later runs skip the init entirely.
 * - PostgreSQL: QUITA_TEST_DATABASE_URL (an admin URL allowed to CREATE DATABASE) if set; otherwise
 *   a throwaway PostgreSQL 15 cluster in a temp dir (initdb as the `postgres` user when running as
 *   root), stopped and deleted in teardown. Without either, CI fails and a local run warns loudly
 *   and runs the suite on PGlite only.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadMigrations, migrate } from '../server/db/migrate';
import { PG_BIN, startCluster } from './helpers/postgres-cluster';
import { openPglite } from '../server/db/pglite';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of a gzipped PGlite data dir with every migration applied. */
    quitaPgliteDump: string;
    /** Admin URL of a PostgreSQL server for per-file test databases, or null when unavailable. */
    quitaPostgresUrl: string | null;
  }
}

const ROOT = join(import.meta.dirname, '..');

async function pgliteDump(): Promise<string> {
  const pglitePkg = readFileSync(
    join(ROOT, 'node_modules/@electric-sql/pglite/package.json'),
    'utf8',
  );
  const key = createHash('sha256')
    .update(String(JSON.parse(pglitePkg).version))
    .update(JSON.stringify(loadMigrations().map((m) => [m.name, m.checksum])))
    .digest('hex')
    .slice(0, 16);
  const cacheDir = join(ROOT, 'node_modules/.cache/quita');
  const path = join(cacheDir, `pglite-${key}.tar.gz`);
  if (existsSync(path)) return path;
  const db = await openPglite();
  try {
    await migrate(db);
    const dump = await db.dump();
    mkdirSync(cacheDir, { recursive: true });
    // Rename is atomic: a parallel vitest run never reads a half-written dump.
    const partial = `${path}.${process.pid}.partial`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, path);
    // Dumps of older migration sets are dead weight (~5 MB each).
    for (const file of readdirSync(cacheDir))
      if (/^pglite-[0-9a-f]{16}\.tar\.gz$/.test(file) && join(cacheDir, file) !== path)
        rmSync(join(cacheDir, file), { force: true });
  } finally {
    await db.close();
  }
  return path;
}

export default async function setup(project: TestProject): Promise<() => void> {
  const [dump, postgres] = await Promise.all([pgliteDump(), provisionPostgres()]);
  project.provide('quitaPgliteDump', dump);
  project.provide('quitaPostgresUrl', postgres?.url ?? null);
  return () => postgres?.stop();
}

async function provisionPostgres(): Promise<{ url: string; stop: () => void } | null> {
  const external = process.env['QUITA_TEST_DATABASE_URL'];
  if (external) return { url: external, stop: () => {} };
  if (existsSync(`${PG_BIN}/initdb`)) {
    try {
      return await startCluster();
    } catch (error) {
      if (process.env['CI']) throw error;
      console.warn(`\n⚠ ${(error as Error).message}\n⚠ server tests run on PGlite ONLY.\n`);
      return null;
    }
  }
  const reason = `PostgreSQL 15 not found (${PG_BIN}/initdb) and QUITA_TEST_DATABASE_URL is not set`;
  if (process.env['CI'])
    throw new Error(`${reason}: CI must test on PostgreSQL (run .ci/install-system-deps)`);
  console.warn(`\n⚠ ${reason}: server tests run on PGlite ONLY.\n`);
  return null;
}
