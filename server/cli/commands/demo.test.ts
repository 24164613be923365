import { afterAll, beforeAll, expect, test } from 'vitest';
import { isValidCnpj, isValidCpf } from '#shared/identity/document';
import type { Db } from '../../db/db';
import { seedDemo } from '../../demo/seed-demo';
import { databaseEnvFor, forEachDb, openTestDb } from '#test/helpers/test-db';
import { openDb } from '../../db/open-db';
import { main } from '../main';

forEachDb((kind) => {
  let db: Db;
  const now = new Date('2026-03-10T15:00:00Z');
  beforeAll(async () => {
    db = await openTestDb(kind);
  });
  afterAll(async () => {
    await db.close();
  });

  const counts = async () =>
    Object.fromEntries(
      await Promise.all(
        [
          'users',
          'debtors',
          'debts',
          'assignments',
          'contact_log',
          'visits',
          'promises',
          'agreements',
          'installments',
          'disputes',
          'payments',
          'changes',
        ].map(async (table) => [
          table,
          (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]?.n,
        ]),
      ),
    );

  test('seeds a living portfolio, and a second run adds nothing', async () => {
    const first = await seedDemo(db, { now, debtors: 300 });
    expect(first.today).toBe('2026-03-10');
    expect(first.users.filter((u) => u.created).map((u) => u.role)).toEqual([
      'owner',
      'staff',
      'collector',
      'collector',
      'collector',
    ]);
    expect(first.users.every((u) => !u.created || (u.password?.length ?? 0) >= 10)).toBe(true);
    expect(first.import).toMatchObject({ debtors: { created: 300 }, errorCount: 0 });
    const after = await counts();
    expect(after['debtors']).toBe(300);
    for (const table of [
      'assignments',
      'contact_log',
      'visits',
      'promises',
      'agreements',
      'installments',
      'disputes',
      'payments',
    ])
      expect(first.inserted[table], table).toBeGreaterThan(0);

    const promises = await db.query<{ status: string }>(
      'SELECT DISTINCT status FROM promises ORDER BY status',
    );
    expect(promises.map((p) => p.status)).toEqual(['broken', 'kept', 'open']);
    const stages = await db.query<{ stage: string }>(
      `SELECT DISTINCT CASE WHEN due_on > DATE '2026-03-10' THEN 'preventive' WHEN due_on = DATE '2026-03-10' THEN 'due'
              WHEN due_on > DATE '2026-03-10' - 60 THEN 'late' ELSE '60+' END AS stage FROM debts ORDER BY 1`,
    );
    expect(stages.map((s) => s.stage)).toEqual(
      expect.arrayContaining(['60+', 'late', 'preventive']),
    );
    const perCollector = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM assignments GROUP BY collector_id`,
    );
    expect(perCollector).toHaveLength(3);
    const docs = await db.query<{ document: string }>('SELECT document FROM debtors');
    expect(
      docs.every((d) =>
        d.document.length === 11 ? isValidCpf(d.document) : isValidCnpj(d.document),
      ),
    ).toBe(true);

    const second = await seedDemo(db, { now, debtors: 300 });
    expect(second.users.every((u) => !u.created)).toBe(true);
    expect(second.import).toMatchObject({ debtors: { created: 0, updated: 0, unchanged: 300 } });
    expect(Object.values(second.inserted).every((n) => n === 0)).toBe(true);
    const { changes: _a, ...before } = after;
    const { changes: _b, ...again } = await counts();
    expect(again).toEqual(before);
  });

  test('quita demo refuses a database with real debtors unless --force', async () => {
    const { env, cleanup } = await databaseEnvFor(kind);
    try {
      const other = await openDb({
        databaseUrl: env['DATABASE_URL'],
        dataDir: env['QUITA_DATA_DIR'] ?? '',
      });
      await other.query(
        `INSERT INTO debtors (id, kind, name, external_id) VALUES ('0190a2b4-0000-7000-8000-000000000001', 'person', 'Real', 'R-1')`,
      );
      await other.close();
      let stderr = '';
      const code = await main(['demo'], {
        stdout: () => {},
        stderr: (t) => void (stderr += t),
        env,
        cwd: process.cwd(),
      });
      expect(code).toBe(1);
      expect(stderr).toMatch(/1 devedores que não são de demonstração; use --force/);
    } finally {
      await cleanup();
    }
  }, 120_000);
});

// With a server running on the same data directory, `quita demo` goes through its admin socket:
// test/readme-quick-start.test.ts (CLI first, passwords to the CLI) and test/pwa-first-hour.test.ts
// (the app's button first, then the CLI adds nothing) run it against the real `quita serve`.
