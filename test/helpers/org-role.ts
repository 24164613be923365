/**
 * Databases reached as a role that is neither superuser nor BYPASSRLS and owns every table: how
 * production runs (README, "PostgreSQL"), so row-level security applies to it (the tables' owner
 * too, since the policies are FORCEd). Close everything this returns.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { Db } from '../../server/db/db';
import { migrate } from '../../server/db/migrate';
import { openPglite } from '../../server/db/pglite';
import { openPostgres } from '../../server/db/postgres';
import { dumpBlob } from './test-db';

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Every table, sequence and routine of schema public handed to `role` (PGlite's dump). */
const HAND_OVER = (role: string) => `DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT c.oid::regclass AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'S', 'v', 'm')
             AND NOT EXISTS (SELECT 1 FROM pg_depend d
                             WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                               AND d.deptype IN ('a', 'i'))
  LOOP
    EXECUTE format('ALTER TABLE %s OWNER TO ${role}', r.t);
  END LOOP;
  FOR r IN SELECT p.oid::regprocedure AS f FROM pg_proc p
           WHERE p.pronamespace = 'public'::regnamespace
  LOOP
    EXECUTE format('ALTER ROUTINE %s OWNER TO ${role}', r.f);
  END LOOP;
END $$;`;

export interface RoleDatabase {
  /** The server's handle: the non-superuser owner, working for `orgId` (default organisation). */
  open(orgId?: number): Promise<Db>;
  /** A handle that bypasses row-level security (the superuser), to check what really is stored. */
  superuser(): Promise<Db>;
  /** The role's name. */
  role: string;
  /** PostgreSQL: the role's connection URL (for a raw client); PGlite: null. */
  url: string | null;
  close(): Promise<void>;
}

/**
 * PostgreSQL: a new LOGIN role (NOSUPERUSER NOBYPASSRLS) owning a new database, migrated by that
 * role itself — the migrations need nothing more than owning the database.
 * PGlite: its one connection, SET ROLE to a new NOSUPERUSER role that is handed every table.
 */
export async function openRoleDatabase(kind: 'pglite' | 'postgres'): Promise<RoleDatabase> {
  const suffix = randomBytes(5).toString('hex');
  const role = `quita_app_${suffix}`;
  if (kind === 'pglite') {
    const db = await openPglite({ loadDataDir: dumpBlob() });
    await db.exec(
      `CREATE ROLE ${role} NOSUPERUSER NOBYPASSRLS NOLOGIN; GRANT CREATE ON SCHEMA public TO ${role}; ${HAND_OVER(role)}`,
    );
    // One connection: each handle switches it to its role and organisation before use.
    const as = async (setRole: string, orgId: number): Promise<Db> => {
      await db.exec(`RESET ROLE; ${setRole}`);
      await db.query('SELECT set_config($1, $2, false)', ['quita.org_id', String(orgId)]);
      return { ...db, kind: 'pglite', close: async () => {} };
    };
    return {
      role,
      url: null,
      open: (orgId = 1) => as(`SET ROLE ${role}`, orgId),
      superuser: () => as('', 1),
      close: () => db.close(),
    };
  }
  const adminUrl = inject('quitaPostgresUrl');
  if (!adminUrl) throw new Error('no PostgreSQL available in this test run');
  const password = randomBytes(12).toString('hex');
  const name = `quita_test_rls_${suffix}`;
  await admin(
    adminUrl,
    `CREATE ROLE ${role} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD '${password}'`,
  );
  await admin(adminUrl, `CREATE DATABASE ${name} OWNER ${role}`);
  const roleUrl = new URL(adminUrl);
  roleUrl.pathname = `/${name}`;
  roleUrl.username = role;
  roleUrl.password = password;
  const superUrl = new URL(adminUrl);
  superUrl.pathname = `/${name}`;
  const handles: Db[] = [];
  const track = (db: Db) => (handles.push(db), db);
  const first = track(openPostgres(roleUrl.toString(), { max: 5 }));
  await migrate(first);
  return {
    role,
    open: async (orgId = 1) =>
      orgId === 1 ? first : track(openPostgres(roleUrl.toString(), { max: 5, orgId })),
    superuser: async () => track(openPostgres(superUrl.toString(), { max: 1 })),
    url: roleUrl.toString(),
    async close() {
      for (const db of handles) await db.close();
      await admin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin(adminUrl, `DROP ROLE IF EXISTS ${role}`);
    },
  };
}
