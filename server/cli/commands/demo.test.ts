import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isValidCnpj, isValidCpf } from '#shared/identity/document';
import type { Db } from '../../db/db';
import { seedDemo, type DemoSummary } from '../../demo/seed-demo';
import { adminSocketPath } from '../../ops/backup/admin-socket';
import { runQuita, startQuitaServer } from '#test/helpers/cli';
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

describe('quita demo while the server runs on the same data directory (PGlite)', () => {
  test('goes through the running server, fills the creditor and a test PIX key, and a second run adds nothing', async () => {
    const { env, cleanup } = await databaseEnvFor('pglite');
    const dataDir = env['QUITA_DATA_DIR'] ?? '';
    // The real `quita serve` and the real `quita demo`, two processes, as a person runs them.
    const server = await startQuitaServer({
      ...env,
      QUITA_OWNER_EMAIL: 'rosa@padaria.example.com.br',
      QUITA_OWNER_PASSWORD: 'jabuticaba no quintal 1987',
    });
    try {
      const run = async (args: string[]) => {
        const out = await runQuita(['demo', ...args], env);
        return { ...out, summary: JSON.parse(out.stdout || 'null') as DemoSummary | null };
      };
      const first = await run(['--debtors', '20']);
      expect(first.stderr).toContain(
        `o servidor (processo ${server.pid}) está usando ${dataDir}; carregando os dados por ele`,
      );
      expect(first.code, first.stderr).toBe(0);
      expect(first.summary?.organisation).toEqual({ creditor: 'filled', pix: 'filled' });
      expect(first.summary?.import.debtors.created).toBe(20);
      // The passwords of the users it created come back to this CLI (and only here).
      const created = first.summary?.users.filter((u) => u.created) ?? [];
      expect(created.map((u) => u.role)).toEqual(['staff', 'collector', 'collector', 'collector']);
      expect(created.every((u) => (u.password?.length ?? 0) >= 10)).toBe(true);
      const second = await run(['--debtors', '20']);
      expect(second.code).toBe(0);
      expect(Object.values(second.summary?.inserted ?? {}).every((n) => n === 0)).toBe(true);
      expect(second.summary?.import.debtors).toEqual({ created: 0, updated: 0, unchanged: 20 });
      expect(second.summary?.organisation).toEqual({ creditor: 'kept', pix: 'kept' });
      // A bad count is refused before anything is asked of the server.
      const bad = await runQuita(['demo', '--debtors', '9'], env);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--debtors: esperado um número de 10 a 5000/);
    } finally {
      await server.stop();
      await cleanup();
    }
    expect(existsSync(adminSocketPath(dataDir))).toBe(false);
  }, 180_000);
});
