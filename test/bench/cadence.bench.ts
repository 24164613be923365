/**
 * `cadence/today` on a portfolio of 100,000 open debts (one per debtor, due dates spread over 80
 * days, none contacted yet, so nearly every debtor has a step due and a message to render): one
 * page of 5,000 debtors from the middle of the table (keyset cursor), computed by the real endpoint
 * code (set-based loads, balances, plan, guard, JSON; messages and PIX are rendered only when an
 * item is opened, GET /api/cadence/today/:debtorId, so a page never pays for them), beside a
 * plain keyset SQL scan of the same debtor + debt rows of that page: the floor of just reading
 * the data. The whole day is 20 such pages; a full walk is ~20× the page figure.
 * The pure planner alone is ./planner.bench.ts.
 *
 * Seeding is one set-based INSERT … SELECT generate_series per table. PostgreSQL figures need
 * QUITA_BENCH_DATABASE_URL or QUITA_TEST_DATABASE_URL (an admin URL able to CREATE DATABASE);
 * without one they are skipped with a note. Size: QUITA_BENCH_CADENCE_DEBTORS (default 100000);
 * rounds: QUITA_BENCH_CADENCE_ROUNDS (default 3) after one warm-up, so the module stays under 2
 * minutes.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Db } from '../../server/db/db';
import { migrate } from '../../server/db/migrate';
import { openPglite } from '../../server/db/pglite';
import { openPostgres } from '../../server/db/postgres';
import { configureTestOrganisation } from '../../server/cadence/testing';
import { cadenceToday } from '../../server/cadence/today';
import { compare, type BenchResult } from './harness';

const N = Number(process.env['QUITA_BENCH_CADENCE_DEBTORS'] ?? '100000');
const ROUNDS = Number(process.env['QUITA_BENCH_CADENCE_ROUNDS'] ?? '3');
const PAGE = 5000;
// Thursday 2025-03-20, 10:00 in São Paulo.
const NOW = new Date('2025-03-20T13:00:00Z');

async function seed(db: Db): Promise<void> {
  await configureTestOrganisation(db);
  await db.exec(`
    INSERT INTO debtors (id, kind, name, state)
      SELECT md5('debtor' || i)::uuid, 'person', 'Cliente ' || i || ' da Silva', 'SP'
      FROM generate_series(1, ${N}) AS i;
    INSERT INTO debts (id, debtor_id, description, principal_cents, issued_on, due_on)
      SELECT md5('debt' || i)::uuid, md5('debtor' || i)::uuid, 'compra ' || i, 5000 + (i % 50000),
             date '2025-01-01' + (i % 80), date '2025-01-01' + (i % 80)
      FROM generate_series(1, ${N}) AS i;
    INSERT INTO contact_points (id, debtor_id, kind, value, match_key)
      SELECT md5('email' || i)::uuid, md5('debtor' || i)::uuid, 'email', 'c' || i || '@example.com', 'c' || i || '@example.com'
      FROM generate_series(1, ${N}) AS i;
    ANALYZE;
  `);
}

/** The debtor id half-way through the table: pages start there, deep in the keyset. */
async function midCursor(db: Db): Promise<string> {
  const [row] = await db.query<{ id: string }>(
    'SELECT id FROM debtors ORDER BY id OFFSET $1 LIMIT 1',
    [Math.floor(N / 2)],
  );
  if (!row) throw new Error('bench: no debtors seeded');
  return row.id;
}

/** One page of the owner's day, as GET /api/cadence/today computes and serialises it. */
async function todayPage(db: Db, cursor: string): Promise<number> {
  const page = await cadenceToday(db, NOW, { role: 'owner', userId: null, limit: PAGE, cursor });
  return JSON.stringify(page).length > 0 ? page.items.length : 0;
}

/** The baseline: the same debtor + open debt rows of the same keyset page, nothing derived. */
async function plainPage(db: Db, cursor: string): Promise<number> {
  const rows = await db.query(
    `SELECT d.*, t.* FROM debtors d JOIN debts t ON t.debtor_id = d.id AND t.status = 'open'
     WHERE d.id > $1 ORDER BY d.id LIMIT $2`,
    [cursor, PAGE],
  );
  return rows.length;
}

async function dbBench(group: string, db: Db): Promise<BenchResult> {
  await migrate(db);
  const t = performance.now();
  await seed(db);
  const seedMs = performance.now() - t;
  const cursor = await midCursor(db);
  let items = 0;
  const result = await compare(
    group,
    `page of ${PAGE.toLocaleString('en')} debtors of ${N.toLocaleString('en')} open debts`,
    {
      name: 'cadence/today page (owner)',
      run: async () => {
        items = await todayPage(db, cursor);
      },
    },
    { name: 'plain SQL keyset page of the same rows', run: () => plainPage(db, cursor) },
    ROUNDS,
  );
  return { ...result, extra: { items, seedSeconds: Math.round(seedMs / 100) / 10 } };
}

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];

  const pglite = await openPglite();
  try {
    results.push(await dbBench('cadence/today (PGlite)', pglite));
  } finally {
    await pglite.close();
  }

  const admin = process.env['QUITA_BENCH_DATABASE_URL'] ?? process.env['QUITA_TEST_DATABASE_URL'];
  if (admin) {
    const name = `quita_bench_${randomBytes(4).toString('hex')}`;
    const adminQuery = async (sql: string) => {
      const client = new pg.Client(admin);
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };
    await adminQuery(`CREATE DATABASE ${name}`);
    const url = new URL(admin);
    url.pathname = `/${name}`;
    const db = openPostgres(url.toString(), { max: 10 });
    try {
      results.push(await dbBench('cadence/today (PostgreSQL)', db));
    } finally {
      await db.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  } else {
    console.error(
      'bench cadence: PostgreSQL skipped (set QUITA_BENCH_DATABASE_URL or QUITA_TEST_DATABASE_URL)',
    );
  }

  return results;
}
