import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { uuidv7 } from 'uuidv7';
import {
  createPostgresDatabase,
  forEachDb,
  openTestDb,
  availableDbKinds,
} from '#test/helpers/test-db';
import type { Db } from './db';
import { audit } from './audit';
import { isNewerDatabaseError, loadMigrations, migrate } from './migrate';
import { openPostgres } from './postgres';
import { insertEntity, readChanges, updateEntity, deleteEntity } from './write';

describe('loadMigrations', () => {
  test.each([
    { files: ['0001-init.sql', '0002-more.sql'], error: null, versions: [1, 2] },
    // Gaps are allowed: parallel work owns disjoint number ranges.
    { files: ['0001-init.sql', '0010-ledger.sql'], error: null, versions: [1, 10] },
    { files: ['0000-zero.sql'], error: /unique and start at 0001/ },
    { files: ['0001-init.sql', '0001-again.sql'], error: /unique and start at 0001/ },
    { files: ['1-init.sql'], error: /must look like/ },
    { files: ['0001-Init.sql'], error: /must look like/ },
  ] as { files: string[]; error: RegExp | null; versions?: number[] }[])(
    '$files → $error',
    ({ files, error, versions }) => {
      const dir = mkdtempSync(join(tmpdir(), 'quita-mig-'));
      try {
        for (const file of files) writeFileSync(join(dir, file), 'SELECT 1;');
        if (error) expect(() => loadMigrations(dir)).toThrow(error);
        else expect(loadMigrations(dir).map((m) => m.version)).toEqual(versions);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

forEachDb((kind) => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb(kind);
  });
  afterAll(async () => {
    await db.close();
  });

  test('migrating an up-to-date database applies nothing and records each migration once', async () => {
    const known = loadMigrations();
    expect(await migrate(db)).toEqual({ applied: [], current: known.at(-1)?.version ?? 0 });
    expect(await migrate(db)).toEqual({ applied: [], current: known.at(-1)?.version ?? 0 });
    const rows = await db.query<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(rows.map((r) => r.version)).toEqual(known.map((m) => m.version));
  });

  test('refuses a database migrated by newer code, and changes nothing', async () => {
    await db.query(
      `INSERT INTO schema_migrations (version, name, checksum) VALUES (9999, '9999-future', 'x')`,
    );
    try {
      const error = await migrate(db).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isNewerDatabaseError(error)).toBe(true);
      expect(String(error)).toMatch(/9999-future.*newer/);
    } finally {
      await db.query('DELETE FROM schema_migrations WHERE version = 9999');
    }
  });

  test('refuses a database holding a migration this code lacks, even below the latest', async () => {
    await db.query(
      `INSERT INTO schema_migrations (version, name, checksum) VALUES (2, '0002-elsewhere', 'x')`,
    );
    try {
      await expect(migrate(db)).rejects.toThrow(/0002-elsewhere, newer than/);
    } finally {
      await db.query('DELETE FROM schema_migrations WHERE version = 2');
    }
  });

  test('normalises values the same way on both databases', async () => {
    const [row] = await db.query(
      `SELECT 123456789012::bigint AS big, '2025-02-28'::date AS day, ARRAY['2025-01-01'::date] AS days,
              '2025-03-01T10:00:00Z'::timestamptz AS at, '{"a":1}'::jsonb AS doc, count(*) AS n FROM (SELECT 1) t`,
    );
    expect(row).toEqual({
      big: 123456789012,
      day: '2025-02-28',
      days: ['2025-01-01'],
      at: new Date('2025-03-01T10:00:00Z'),
      doc: { a: 1 },
      n: 1,
    });
    await expect(db.query('SELECT 9007199254740993::bigint AS x')).rejects.toThrow(/safe range/);
  });

  test('a failing transaction leaves nothing behind and skips afterCommit', async () => {
    const ran: string[] = [];
    const id = uuidv7();
    await expect(
      db.transaction(async (tx) => {
        await insertEntity(tx, 'debtor', { id, kind: 'person', name: 'Rollback' });
        tx.afterCommit(() => void ran.push('rolled-back'));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.query('SELECT id FROM debtors WHERE id = $1', [id])).toEqual([]);
    expect(await db.query('SELECT id FROM changes WHERE entity_id = $1', [id])).toEqual([]);
    await db.transaction(async (tx) => {
      tx.afterCommit(() => void ran.push('committed'));
    });
    expect(ran).toEqual(['committed']);
  });

  test('using db instead of tx inside a transaction is refused', async () => {
    await expect(db.transaction(async () => db.query('SELECT 1'))).rejects.toThrow(
      /use the tx handle/,
    );
    await expect(db.transaction(async () => db.transaction(async () => 1))).rejects.toThrow(
      /use the tx handle/,
    );
  });

  test('concurrent read-modify-write transactions lose no update', async () => {
    const [before] = await db.query<{ version: number }>('SELECT version FROM organisation');
    await Promise.all(
      Array.from({ length: 8 }, () =>
        db.transaction(async (tx) => {
          const [org] = await tx.query<{ version: number }>('SELECT version FROM organisation');
          await tx.query('UPDATE organisation SET version = $1', [(org?.version ?? 0) + 1]);
        }),
      ),
    );
    const [after] = await db.query<{ version: number }>('SELECT version FROM organisation');
    expect(after?.version).toBe((before?.version ?? 0) + 8);
  });

  test('entity writes bump the version and append to the change feed in order', async () => {
    const [last] = await db.query<{ id: number | null }>('SELECT max(id) AS id FROM changes');
    const start = last?.id ?? 0;
    const debtorId = uuidv7();
    const pointId = uuidv7();
    await db.transaction(async (tx) => {
      await insertEntity(tx, 'debtor', { id: debtorId, kind: 'company', name: 'Padaria Sol' });
      await insertEntity(tx, 'contact_point', {
        id: pointId,
        debtor_id: debtorId,
        kind: 'email',
        value: 'sol@example.com',
        match_key: 'sol@example.com',
      });
    });
    const updated = await db.transaction((tx) =>
      updateEntity<{ version: number; name: string }>(tx, 'debtor', debtorId, {
        name: 'Padaria do Sol',
      }),
    );
    expect(updated).toMatchObject({ version: 2, name: 'Padaria do Sol' });
    const stale = await db.transaction((tx) =>
      updateEntity(tx, 'debtor', debtorId, { name: 'Lost' }, { expectedVersion: 1 }),
    );
    expect(stale).toBeNull();
    expect(await db.transaction((tx) => deleteEntity(tx, 'contact_point', pointId))).toBe(true);
    const feed = await readChanges(db, start, 100);
    expect(feed.map((c) => [c.entity, c.op, c.version, c.debtorId])).toEqual([
      ['debtor', 'insert', 1, debtorId],
      ['contact_point', 'insert', 1, debtorId],
      ['debtor', 'update', 2, debtorId],
      ['contact_point', 'delete', 2, debtorId],
    ]);
    expect(feed.map((c) => c.id)).toEqual(feed.map((c) => c.id).toSorted((a, b) => a - b));
  });

  test('a loop of awaited statements lets timers and sockets run between them', async () => {
    // PGlite answers in this thread: without a turn of the event loop per statement, a long loop
    // (the summaries' catch-up, an import) held every request back until it ended.
    const firedAt = async (run: (step: () => Promise<unknown>) => Promise<void>) => {
      let done = 0;
      let seen = -1;
      const timer = setTimeout(() => {
        seen = done;
      }, 0);
      await run(async () => {
        await new Promise((resolve) => {
          const until = performance.now() + 2;
          while (performance.now() < until); // a statement's own CPU time, as PGlite's wasm
          resolve(undefined);
        });
        done++;
      });
      clearTimeout(timer);
      return seen;
    };
    const loop = async (step: () => Promise<unknown>, q: (sql: string) => Promise<unknown>) => {
      for (let i = 0; i < 50; i++) {
        await q('SELECT 1');
        await step();
      }
    };
    const outside = await firedAt((step) => loop(step, (sql) => db.query(sql)));
    expect(outside).toBeGreaterThanOrEqual(0);
    expect(outside).toBeLessThan(50);
    const inside = await firedAt((step) =>
      db.transaction((tx) => loop(step, (sql) => tx.query(sql))),
    );
    expect(inside).toBeGreaterThanOrEqual(0);
    expect(inside).toBeLessThan(50);
  });

  test('the audit log is append-only', async () => {
    await db.transaction((tx) => audit(tx, { actor: null, action: 'test.append', entity: 'test' }));
    await expect(
      db.query(`UPDATE audit_log SET action = 'x' WHERE action = 'test.append'`),
    ).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    await expect(db.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    expect(
      await db.query(`SELECT action FROM audit_log WHERE action = 'test.append'`),
    ).toHaveLength(1);
  });
});

describe.runIf(availableDbKinds().includes('postgres'))('migrate on PostgreSQL', () => {
  test('two processes migrating an empty database at once apply each migration exactly once', async () => {
    const { url, drop } = await createPostgresDatabase();
    const [a, b] = [openPostgres(url, { max: 1 }), openPostgres(url, { max: 1 })];
    try {
      const results = await Promise.all([migrate(a), migrate(b)]);
      const names = loadMigrations().map((m) => m.name);
      expect(results.map((r) => r.applied).sort((x, y) => y.length - x.length)).toEqual([
        names,
        [],
      ]);
      expect(await a.query('SELECT version FROM schema_migrations')).toHaveLength(names.length);
    } finally {
      await a.close();
      await b.close();
      await drop();
    }
  });
});
