/**
 * Organisations (migration 0480, server/db/README.md): a query with a bug — no organisation
 * filter at all — still cannot read or change another organisation's rows, because PostgreSQL's
 * row-level security filters every statement by the connection's `quita.org_id`. Proven as a
 * role that is neither superuser nor BYPASSRLS and owns the tables (how production runs), on
 * PostgreSQL and on PGlite. A catalog walk fails for any table, added by any migration, that is
 * not under its organisation.
 */
import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Db, Queryable, Tx } from '../server/db/db';
import { loadMigrations, migrate } from '../server/db/migrate';
import { openPostgres } from '../server/db/postgres';
import { assertOrganisation, createOrganisation } from '../server/db/org';
import { insertEntity } from '../server/db/write';
import { openRoleDatabase, type RoleDatabase } from './helpers/org-role';
import { availableDbKinds, createPostgresDatabase, forEachDb } from './helpers/test-db';

/** Tables outside any organisation, each with its reason. Anything else must be scoped. */
const UNSCOPED: Record<string, string> = {
  schema_migrations: 'the migrations bookkeeping: one schema per database, read before any org',
  organisations: 'the registry itself: its policy compares id, not org_id (checked below)',
  ops_backups: "the deployment's backups: a file of the whole database, not one organisation's",
  ops_backup_schedule: 'one scheduled backup per day per deployment, claimed by any process',
};

/** Unique keys without org_id must lead with a generated id or be a random secret / sequence. */
const GLOBAL_UNIQUE: Record<string, string> = {
  'auth_tokens(token_hash)': 'random secret',
  'password_resets(token_hash)': 'random secret',
  'portal_links(token_hash)': 'random secret',
  'portal_sessions(token_hash)': 'random secret',
  'setup_tokens(token_hash)': 'random secret',
  'sign_in_codes(code_hash)': 'random secret',
  'debtors(pix_txid)': 'generated PIX txid',
  'debts(pix_txid)': 'generated PIX txid',
  'installments(pix_txid)': 'generated PIX txid',
  'changes(seq)': 'the feed sequence (per organisation on Citus, README)',
};

const POLICY = "(org_id = (current_setting('quita.org_id'::text))::bigint)";
const ORG_DEFAULT = "(current_setting('quita.org_id'::text))::bigint";

interface Seeded {
  user: string;
  debtor: string;
  debt: string;
  contact: string;
  assignment: string;
}

function newSeed(): Seeded {
  return {
    user: uuidv7(),
    debtor: uuidv7(),
    debt: uuidv7(),
    contact: uuidv7(),
    assignment: uuidv7(),
  };
}

/** The same business keys in both organisations: e-mail, external ids, settings key. */
async function seed(db: Db, s: Seeded, name: string): Promise<void> {
  await db.transaction(async (tx: Tx) => {
    await insertEntity(tx, 'user', {
      id: s.user,
      email: 'cobranca@exemplo.com.br',
      name: `Cobrador ${name}`,
      role: 'collector',
      password_hash: 'x',
    });
    await insertEntity(tx, 'debtor', {
      id: s.debtor,
      external_id: 'CLI-1',
      kind: 'person',
      name: `Devedor ${name}`,
    });
    await insertEntity(tx, 'debt', {
      id: s.debt,
      debtor_id: s.debtor,
      external_id: 'TIT-1',
      principal_cents: 10_000,
      due_on: '2026-01-10',
    });
    await insertEntity(tx, 'contact_point', {
      id: s.contact,
      debtor_id: s.debtor,
      kind: 'phone',
      value: '+5511987654321',
      match_key: '+551187654321',
    });
    await insertEntity(tx, 'assignment', {
      id: s.assignment,
      debtor_id: s.debtor,
      collector_id: s.user,
      started_at: new Date('2026-01-01T12:00:00Z'),
    });
    await tx.query(`INSERT INTO settings (key, value) VALUES ('org_probe', $1)`, [
      JSON.stringify({ name }),
    ]);
  });
}

const ids = async (db: Queryable, sql: string): Promise<string[]> =>
  (await db.query<{ id: string }>(sql)).map((r) => r.id).sort();

/** Every way a table can escape its organisation, as readable problems (none is the goal). */
async function scopeProblems(db: Queryable): Promise<string[]> {
  const tables = await db.query<{
    name: string;
    rls: boolean;
    forced: boolean;
    org_type: string | null;
    org_not_null: boolean | null;
    org_default: string | null;
  }>(
    `SELECT c.relname AS name, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
            format_type(a.atttypid, a.atttypmod) AS org_type, a.attnotnull AS org_not_null,
            pg_get_expr(d.adbin, d.adrelid) AS org_default
     FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped
     LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1`,
  );
  const policies = await db.query<{
    table: string;
    name: string;
    permissive: boolean;
    cmd: string;
    roles: string[];
    qual: string | null;
    check: string | null;
  }>(
    `SELECT p.polrelid::regclass::text AS table, p.polname AS name, p.polpermissive AS permissive,
            p.polcmd::text AS cmd,
            ARRAY(SELECT CASE r WHEN 0 THEN 'public' ELSE r::regrole::text END
                  FROM unnest(p.polroles) r) AS roles,
            pg_get_expr(p.polqual, p.polrelid) AS qual,
            pg_get_expr(p.polwithcheck, p.polrelid) AS check
     FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
     WHERE c.relnamespace = 'public'::regnamespace`,
  );
  const problems: string[] = [];
  for (const t of tables) {
    if (t.name in UNSCOPED && t.name !== 'organisations') continue;
    if (!t.rls || !t.forced) problems.push(`${t.name}: row-level security not enabled and forced`);
    const mine = policies.filter((p) => p.table === t.name);
    const expected = t.name === 'organisations' ? POLICY.replace('org_id', 'id') : POLICY;
    if (!mine.some((p) => p.cmd === '*' && p.qual === expected && p.check === expected))
      problems.push(`${t.name}: no policy ${expected} for every command`);
    // Another permissive policy would widen what the organisation policy allows.
    for (const p of mine)
      if (p.permissive && !(p.qual === expected && p.check === expected))
        problems.push(`${t.name}: permissive policy ${p.name} besides the organisation's`);
    if (t.name === 'organisations') continue;
    if (t.org_type !== 'bigint' || !t.org_not_null || t.org_default !== ORG_DEFAULT)
      problems.push(
        `${t.name}: org_id must be bigint NOT NULL DEFAULT ${ORG_DEFAULT} (is ${t.org_type} ${t.org_default})`,
      );
  }

  // Views and SECURITY DEFINER routines run with their owner's rights: none may read around
  // the policies unless it declares security_invoker.
  const views = await db.query(
    `SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
       AND c.relkind IN ('v', 'm')
       AND NOT coalesce('security_invoker=true' = ANY(c.reloptions), false)`,
  );
  for (const v of views) problems.push(`view ${String(v['relname'])} without security_invoker`);
  const definers = await db.query(
    `SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace AND prosecdef`,
  );
  for (const f of definers) problems.push(`SECURITY DEFINER routine ${String(f['proname'])}`);

  // A unique key without org_id would collide across organisations (and tell one about
  // another's data): it must start with a generated uuid or serial id, or be named above.
  const uniques = await db.query<{ table: string; cols: string[]; first_type: string }>(
    `SELECT i.indrelid::regclass::text AS table,
            ARRAY(SELECT coalesce(a.attname::text, '(expr)') FROM unnest(i.indkey) WITH ORDINALITY k(n, o)
                  LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n
                  ORDER BY k.o) AS cols,
            coalesce(format_type(fa.atttypid, fa.atttypmod), '(expr)') AS first_type
     FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
     LEFT JOIN pg_attribute fa ON fa.attrelid = i.indrelid AND fa.attnum = i.indkey[0]
     WHERE c.relnamespace = 'public'::regnamespace AND i.indisunique`,
  );
  const loose = uniques.filter(
    (u) =>
      !(u.table in UNSCOPED) &&
      !u.cols.includes('org_id') &&
      u.first_type !== 'uuid' &&
      !(u.cols.length === 1 && u.cols[0] === 'id') &&
      !(`${u.table}(${u.cols.join(', ')})` in GLOBAL_UNIQUE),
  );
  for (const u of loose)
    problems.push(`unique key without org_id: ${u.table}(${u.cols.join(', ')})`);
  return problems;
}

forEachDb((kind) => {
  let rdb: RoleDatabase;
  const a = newSeed();
  const b = newSeed();

  beforeAll(async () => {
    rdb = await openRoleDatabase(kind);
    await (
      await rdb.open(1)
    ).transaction((tx) => createOrganisation(tx, { id: 2, name: 'Agência Dois' }));
    await seed(await rdb.open(1), a, 'Um');
    await seed(await rdb.open(2), b, 'Dois');
  }, 180_000);
  afterAll(async () => {
    await rdb?.close();
  });

  test('the server role is neither superuser nor BYPASSRLS, and owns every table', async () => {
    const db = await rdb.open(1);
    const [me] = await db.query<{ rolsuper: boolean; rolbypassrls: boolean }>(
      'SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user',
    );
    expect(me).toEqual({ rolsuper: false, rolbypassrls: false });
    const foreign = await db.query(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner <> current_user`,
    );
    expect(foreign).toEqual([]);
    await assertOrganisation(db);
  });

  test('a server set to an organisation the database does not have refuses to start', async () => {
    await expect(assertOrganisation(await rdb.open(99))).rejects.toThrow(
      'organisation 99 does not exist in this database',
    );
    await expect(assertOrganisation(await rdb.open(2))).resolves.toBeUndefined();
  });

  test('a query with no organisation filter reads only its own organisation', async () => {
    for (const [org, mine] of [
      [1, a],
      [2, b],
    ] as const) {
      const db = await rdb.open(org);
      expect(await ids(db, 'SELECT * FROM debtors')).toEqual([mine.debtor]);
      expect(await ids(db, 'SELECT * FROM debts')).toEqual([mine.debt]);
      expect(await ids(db, 'SELECT * FROM users')).toEqual([mine.user]);
      expect(await ids(db, 'SELECT * FROM contact_points')).toEqual([mine.contact]);
      expect(
        await ids(db, 'SELECT d.id FROM debts t JOIN debtors d ON d.id = t.debtor_id'),
      ).toEqual([mine.debtor]);
      expect(
        await ids(db, 'SELECT DISTINCT debtor_id AS id FROM changes WHERE debtor_id IS NOT NULL'),
      ).toEqual([mine.debtor]);
      expect(await db.query('SELECT id FROM organisations')).toEqual([{ id: org }]);
      expect(await db.query('SELECT org_id FROM organisation')).toEqual([{ org_id: org }]);
      expect(await db.query(`SELECT value FROM settings WHERE key = 'org_probe'`)).toEqual([
        { value: { name: org === 1 ? 'Um' : 'Dois' } },
      ]);
      // Another organisation's row, even by its exact id.
      const theirs = org === 1 ? b : a;
      expect(await db.query('SELECT * FROM debtors WHERE id = $1', [theirs.debtor])).toEqual([]);
    }
  });

  test('UPDATE and DELETE without a filter change only its own rows', async () => {
    const db = await rdb.open(1);
    expect(await ids(db, `UPDATE debtors SET notes = 'bug' RETURNING id`)).toEqual([a.debtor]);
    expect(await ids(db, 'DELETE FROM assignments RETURNING id')).toEqual([a.assignment]);
    expect(await db.query('DELETE FROM settings RETURNING key')).toEqual([{ key: 'org_probe' }]);
    const su = await rdb.superuser();
    expect(
      await su.query('SELECT id, notes FROM debtors WHERE id = ANY($1::uuid[]) ORDER BY id', [
        [a.debtor, b.debtor],
      ]),
    ).toEqual(
      [
        { id: a.debtor, notes: 'bug' },
        { id: b.debtor, notes: null },
      ].sort((x, y) => x.id.localeCompare(y.id)),
    );
    expect(await ids(su, 'SELECT id FROM assignments')).toEqual([b.assignment]);
    expect(await su.query(`SELECT org_id FROM settings WHERE key = 'org_probe'`)).toEqual([
      { org_id: 2 },
    ]);
  });

  test('writing a row into another organisation is refused', async () => {
    const db = await rdb.open(1);
    await expect(
      db.query(`INSERT INTO debtors (id, org_id, kind, name) VALUES ($1, 2, 'person', 'Intruso')`, [
        uuidv7(),
      ]),
    ).rejects.toThrow(/row-level security/);
    await expect(db.query('UPDATE debtors SET org_id = 2')).rejects.toThrow(/row-level security/);
    await expect(db.query('UPDATE debts SET org_id = 2 WHERE id = $1', [a.debt])).rejects.toThrow(
      /row-level security/,
    );
    // A row that names no organisation is the connection's.
    const id = uuidv7();
    await db.query(`INSERT INTO debtors (id, kind, name) VALUES ($1, 'person', 'Sem org')`, [id]);
    const su = await rdb.superuser();
    expect(await su.query('SELECT org_id FROM debtors WHERE id = $1', [id])).toEqual([
      { org_id: 1 },
    ]);
  });

  test('a superuser bypasses the policies: why the server must never run as one', async () => {
    const su = await rdb.superuser();
    const [count] = await su.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM debtors WHERE id = ANY($1::uuid[])',
      [[a.debtor, b.debtor]],
    );
    expect(count?.n).toBe(2);
  });

  test('a connection that names no organisation can neither read nor write', async () => {
    const db = await rdb.open(1);
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`SELECT set_config('quita.org_id', '', true)`);
        await tx.query('SELECT * FROM debtors');
      }),
    ).rejects.toThrow(/invalid input syntax for type bigint/);
    if (rdb.url) {
      const client = new pg.Client(rdb.url);
      await client.connect();
      try {
        await expect(client.query('SELECT * FROM debtors')).rejects.toThrow(/quita\.org_id/);
        await expect(
          client.query(`INSERT INTO debtors (id, kind, name) VALUES ($1, 'person', 'X')`, [
            uuidv7(),
          ]),
        ).rejects.toThrow(/quita\.org_id/);
      } finally {
        await client.end();
      }
    }
  });

  describe('hot paths keep their indexes under the policy (planner: a stable predicate)', () => {
    async function plan(sql: string, params: unknown[] = []): Promise<string> {
      const db = await rdb.open(1);
      return db.transaction(async (tx) => {
        // With sequential scans priced out, a plan still scanning sequentially means the index
        // could not be used (for instance a predicate the planner cannot compare to it).
        await tx.query('SET LOCAL enable_seqscan = off');
        const rows = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params);
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      });
    }

    test('a debtor read by id', async () => {
      const text = await plan(`SELECT * FROM debtors WHERE id = ANY('{${a.debtor}}'::uuid[])`);
      expect(text).toMatch(/Index Scan using debtors_pkey/);
      expect(text).toContain(POLICY.slice(1, -1));
      expect(text).not.toMatch(/Seq Scan/);
    });

    test('the feed pull', async () => {
      const text = await plan(
        `SELECT seq, entity, entity_id, debtor_id, op FROM changes
         WHERE seq > 0 AND (entity = 'setting'
           OR debtor_id IN (SELECT debtor_id FROM assignments WHERE collector_id = '${a.user}'))
         ORDER BY seq LIMIT 500`,
      );
      expect(text).toMatch(/Index Scan (using|on) changes_seq_idx/);
      expect(text).toMatch(/Index Cond: \(seq > 0\)/);
      expect(text).not.toMatch(/Seq Scan on changes/);
    });

    // Known cost (server/db/README.md): under a policy, a condition whose functions are not
    // LEAKPROOF (lower, translate: quita_fold inlined) is evaluated after the policy, as a
    // filter, never as an index bound. The keyset of a search page still walks the fold index
    // in order (no sort, no scan of the table) but from its start, not from the cursor.
    test('a search page after its keyset cursor keeps the index order', async () => {
      const text = await plan(
        `SELECT d.id FROM debtors d WHERE d.merged_into IS NULL
           AND (d.name_fold, d.id) > ('maria', '${a.debtor}'::uuid)
         ORDER BY d.name_fold, d.id LIMIT 51`,
      );
      expect(text).toMatch(/Index (Only )?Scan using debtors_name_fold_id_idx/);
      expect(text).not.toMatch(/Sort|Seq Scan/);
    });

    test("a debtor's facts by debtor", async () => {
      const text = await plan(
        `SELECT * FROM debts WHERE debtor_id = ANY('{${a.debtor}}'::uuid[]) ORDER BY due_on, id`,
      );
      expect(text).toMatch(/Index Scan using debts_debtor_idx/);
      expect(text).not.toMatch(/Seq Scan/);
    });
  });

  test('every table is under its organisation (a table added by any migration is caught)', async () => {
    const db = await rdb.open(1);
    expect(await scopeProblems(db)).toEqual([]);
    const names = (
      await db.query<{ t: string }>(
        `SELECT relname AS t FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'`,
      )
    ).map((r) => r.t);
    expect(names).toEqual(expect.arrayContaining(Object.keys(UNSCOPED)));
  });

  test('the walk catches an unscoped table, a widening policy and a shared key; quita_org_scope fixes the table', async () => {
    const db = await rdb.open(1);
    const rollback = new Error('rollback');
    await expect(
      db.transaction(async (tx) => {
        await tx.exec(`CREATE TABLE probe_later (id uuid PRIMARY KEY, code text NOT NULL UNIQUE);
                       CREATE POLICY probe_leak ON visits USING (true);`);
        expect(await scopeProblems(tx)).toEqual(
          expect.arrayContaining([
            'probe_later: row-level security not enabled and forced',
            expect.stringMatching(/^probe_later: no policy/),
            expect.stringMatching(/^probe_later: org_id must be/),
            "visits: permissive policy probe_leak besides the organisation's",
            'unique key without org_id: probe_later(code)',
          ]),
        );
        await tx.exec(`DROP POLICY probe_leak ON visits;
                       SELECT quita_org_scope('probe_later');
                       ALTER TABLE probe_later DROP CONSTRAINT probe_later_code_key;
                       ALTER TABLE probe_later ADD UNIQUE (org_id, code);`);
        expect(await scopeProblems(tx)).toEqual([]);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
  });
});

// Upgrading a database that predates organisations: every existing row is the default one's.
describe.runIf(availableDbKinds().includes('postgres'))('upgrading a PostgreSQL database', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await cleanup?.();
  });

  test('every existing row belongs to the default organisation and stays readable', async () => {
    const { url, drop } = await createPostgresDatabase();
    const db = openPostgres(url, { max: 2 });
    cleanup = async () => {
      await db.close();
      await drop();
    };
    const before = loadMigrations().filter((m) => m.version < 480);
    await migrate(db, before);
    const s = newSeed();
    await db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO users (id, email, name, role, password_hash)
         VALUES ($1, 'dona@exemplo.com.br', 'Dona', 'owner', 'x')`,
        [s.user],
      );
      await tx.query(`INSERT INTO debtors (id, kind, name) VALUES ($1, 'person', 'Antigo')`, [
        s.debtor,
      ]);
      await tx.query(`INSERT INTO settings (key, value) VALUES ('org_probe', '{}')`);
    });
    const { applied } = await migrate(db);
    expect(applied).toContain('0480-organisations');
    for (const table of ['users', 'debtors', 'settings', 'organisation', 'sync_state'])
      expect(
        await db.query(`SELECT DISTINCT org_id FROM ${table}`),
        `${table} after the upgrade`,
      ).toEqual([{ org_id: 1 }]);
    expect(await db.query('SELECT id, name FROM organisations')).toEqual([
      { id: 1, name: 'Organização padrão' },
    ]);
    await assertOrganisation(db);
  });
});
