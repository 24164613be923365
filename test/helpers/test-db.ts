/**
 * Real, isolated databases for tests (no mocks). Each call gives a fresh database with every
 * migration applied: PGlite loads the dump made by global-setup into memory; PostgreSQL gets a new
 * `quita_test_<random>` database on the test server, dropped on close. Always `await db.close()`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, inject } from 'vitest';
import type { Db, DbKind } from '../../server/db/db';
import { migrate } from '../../server/db/migrate';
import { openPglite } from '../../server/db/pglite';
import { openPostgres } from '../../server/db/postgres';

let dumpBytes: Uint8Array<ArrayBuffer> | undefined;

export function dumpBlob(): Blob {
  dumpBytes ??= new Uint8Array(readFileSync(inject('quitaPgliteDump')));
  return new Blob([dumpBytes]);
}

/** The database kinds this run can test: PGlite always, PostgreSQL when global-setup found one. */
export function availableDbKinds(): DbKind[] {
  return inject('quitaPostgresUrl') ? ['pglite', 'postgres'] : ['pglite'];
}

/** Runs the same suite once per available database: `forEachDb((kind) => { … })`. */
export function forEachDb(suite: (kind: DbKind) => void): void {
  describe.each(availableDbKinds())('on %s', suite);
}

function adminUrl(): string {
  const url = inject('quitaPostgresUrl');
  if (!url) throw new Error('no PostgreSQL available in this test run');
  return url;
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client(adminUrl());
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh empty PostgreSQL database (no migrations): its URL and a function that drops it. */
export async function createPostgresDatabase(): Promise<{
  url: string;
  drop: () => Promise<void>;
}> {
  const name = `quita_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/**
 * A fresh migrated database of `kind`; closing it also drops/frees it. With
 * QUITA_TEST_APP_ROLE=1 it is reached as production reaches it: a role that is neither superuser
 * nor BYPASSRLS and owns the tables, so row-level security applies (test/helpers/org-role.ts).
 */
export async function openTestDb(kind: DbKind): Promise<Db> {
  if (process.env['QUITA_TEST_APP_ROLE'] === '1') {
    const { openRoleDatabase } = await import('./org-role');
    const role = await openRoleDatabase(kind);
    const db = await role.open(1);
    return { ...db, kind: db.kind, close: () => role.close() };
  }
  if (kind === 'pglite') return openPglite({ loadDataDir: dumpBlob() });
  const { url, drop } = await createPostgresDatabase();
  const db = openPostgres(url, { max: 5 });
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    await drop();
    throw error;
  }
  return {
    ...db,
    kind: db.kind,
    async close() {
      await db.close();
      await drop();
    },
  };
}

/**
 * A fresh migrated database that can be closed and opened again from where it is stored (a
 * PGlite data directory on disk, or a PostgreSQL database reached through a new pool): what a
 * server process restart does to its storage. `close()` also removes it.
 */
export async function openReopenableTestDb(
  kind: DbKind,
): Promise<{ db: Db; reopen: () => Promise<Db>; close: () => Promise<void> }> {
  let current: Db;
  let open: () => Promise<Db>;
  let remove: () => Promise<void>;
  if (kind === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'quita-reopen-'));
    const dataDir = join(dir, 'data');
    current = await openPglite({ dataDir, loadDataDir: dumpBlob() });
    open = () => openPglite({ dataDir });
    remove = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const { url, drop } = await createPostgresDatabase();
    current = openPostgres(url, { max: 5 });
    await migrate(current);
    open = async () => openPostgres(url, { max: 5 });
    remove = drop;
  }
  return {
    get db() {
      return current;
    },
    async reopen() {
      await current.close();
      current = await open();
      return current;
    },
    async close() {
      await current.close();
      await remove();
    },
  };
}

/**
 * Environment variables pointing a spawned `quita` process at a fresh migrated database of
 * `kind` (QUITA_DATA_DIR with the dump unpacked, or DATABASE_URL), plus cleanup.
 */
export async function databaseEnvFor(
  kind: DbKind,
): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }> {
  if (kind === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'quita-cli-'));
    const dataDir = join(dir, 'data');
    const db = await openPglite({ dataDir, loadDataDir: dumpBlob() });
    await db.close();
    return {
      env: { QUITA_DATA_DIR: dataDir },
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const { url, drop } = await createPostgresDatabase();
  const db = openPostgres(url, { max: 1 });
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
  return { env: { DATABASE_URL: url }, cleanup: drop };
}
