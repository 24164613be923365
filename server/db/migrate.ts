/**
 * Ordered SQL migrations read from `server/db/migrations/NNNN-name.sql`, recorded in
 * `schema_migrations`. All pending migrations apply in ONE transaction that first takes a
 * transaction-scoped advisory lock, so two processes starting together serialise: the second
 * waits, then (READ COMMITTED, a fresh snapshot per statement) sees the rows the first committed
 * and applies nothing. A database whose latest migration is newer than this code is refused.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from './db';

/** One migration file. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

/** What `migrate` did. */
export interface MigrateResult {
  applied: string[];
  current: number;
}

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

// Arbitrary but fixed: every Quita process contends on this key (int8) while migrating.
const MIGRATION_LOCK_KEY = 7_201_540_443;
const FILE_RE = /^(\d{4})-([a-z0-9-]+)\.sql$/;

/** Reads and orders migration files; throws on gaps, duplicates or badly named .sql files. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      const m = FILE_RE.exec(file);
      if (!m?.[1] || !m[2])
        throw new Error(`migration file name must look like 0001-some-name.sql: ${file}`);
      const sql = readFileSync(`${dir}/${file}`, 'utf8');
      return {
        version: Number(m[1]),
        name: `${m[1]}-${m[2]}`,
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    })
    .sort((a, b) => a.version - b.version);
  // Gaps are allowed: engineers working in parallel own disjoint number ranges (0010–0019, …).
  migrations.forEach((migration, i) => {
    if (migration.version < 1 || (i > 0 && migration.version === migrations[i - 1]?.version))
      throw new Error(
        `migration numbers must be unique and start at 0001: found ${migration.name}`,
      );
  });
  return migrations;
}

/** The error thrown when the database was migrated by newer code. */
export function isNewerDatabaseError(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'QUITA_DB_NEWER';
}

/** Applies pending migrations; idempotent; refuses a database with a migration this code lacks. */
export async function migrate(
  db: Db,
  migrations: readonly Migration[] = loadMigrations(),
  log: (line: string) => void = () => {},
): Promise<MigrateResult> {
  const known = migrations.at(-1)?.version ?? 0;
  return db.transaction(
    async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const rows = await tx.query<{ version: number; name: string; checksum: string }>(
        'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
      );
      const knownVersions = new Set(migrations.map((m) => m.version));
      // With gaps allowed, "newer" means any applied migration this code does not have.
      const unknown = rows.filter((row) => !knownVersions.has(row.version));
      if (unknown.length > 0)
        throw Object.assign(
          new Error(
            `the database is at migration ${unknown.map((r) => r.name).join(', ')}, newer than this version of Quita knows (latest ${known}); upgrade Quita or point it at another database`,
          ),
          { code: 'QUITA_DB_NEWER' },
        );
      const done = new Map(rows.map((row) => [row.version, row]));
      const applied: string[] = [];
      for (const migration of migrations) {
        const previous = done.get(migration.version);
        if (previous) {
          if (previous.checksum !== migration.checksum)
            log(
              `warning: migration ${migration.name} changed after it was applied; add a new migration instead`,
            );
          continue;
        }
        await tx.exec(migration.sql);
        await tx.query(
          'INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)',
          [migration.version, migration.name, migration.checksum],
        );
        applied.push(migration.name);
        log(`applied migration ${migration.name}`);
      }
      return { applied, current: known };
    },
    { isolation: 'read committed' },
  );
}
