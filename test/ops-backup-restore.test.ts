/**
 * Backup and restore for real, on both databases: the real `quita serve` process, the real
 * `quita backup` / `quita restore` CLI (PGlite: through the running server's admin socket;
 * PostgreSQL: pg_dump, pg_restore + psql), and two phones — the PWA's real Dexie database and
 * sync engine on fake-indexeddb — syncing over HTTP.
 *
 * The story: both phones record facts and sync; the owner backs up; the phones keep working
 * (their facts reach the server after the backup); the owner restores the backup WHILE one phone
 * keeps recording and pushing. Then every phone re-bases (reset_required: wipe the server copy,
 * keep the outbox, pull again, resend from `retained_from_seq` what the restored server lacks),
 * and every fact either phone ever recorded is on the server exactly once.
 */
import 'fake-indexeddb/auto';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createApp } from '../server/app';
import type { Db, DbKind } from '../server/db/db';
import { openPglite } from '../server/db/pglite';
import { openPostgres } from '../server/db/postgres';
import { ensureDevice, openDb, type QuitaDb } from '../pwa/db/db';
import { createSyncEngine, type SyncEngine } from '../pwa/sync/sync-engine';
import { seedUser, type SeededUser } from './helpers/auth';
import { startQuitaServer } from './helpers/cli';
import { main } from '../server/cli/main';
import { assign, createDebt, createDebtor } from './helpers/ledger';
import { databaseEnvFor, forEachDb } from './helpers/test-db';

const TIMEOUT_MS = 240_000;

/** Runs the `quita` CLI in this process (the server under test is a separate process). */
async function runQuita(args: string[], env: Record<string, string>) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    env: { PATH: process.env['PATH'], ...env },
    cwd: process.cwd(),
  });
  return { code, stdout, stderr };
}

function openFor(kind: DbKind, env: Record<string, string>): Promise<Db> {
  if (kind === 'pglite') return openPglite({ dataDir: env['QUITA_DATA_DIR'] as string });
  return Promise.resolve(openPostgres(env['DATABASE_URL'] as string, { max: 2 }));
}

interface Phone {
  name: string;
  collector: SeededUser;
  db: QuitaDb;
  engine: SyncEngine;
  /** Mutation ids of every fact this phone recorded. */
  created: string[];
}

async function newPhone(name: string, collector: SeededUser, url: () => string): Promise<Phone> {
  const opened = await openDb({ indexedDB: new IDBFactory(), IDBKeyRange, name });
  if (!opened.ok) throw new Error(opened.failure.message);
  await ensureDevice(opened.db, {
    collectorId: collector.user.id,
    newId: () => crypto.randomUUID(),
  });
  const engine = createSyncEngine({
    db: opened.db,
    fetch: (input, init) =>
      fetch(`${url()}${String(input)}`, {
        ...init,
        headers: { ...(init?.headers as Record<string, string>), ...collector.headers },
      }),
    now: () => new Date(),
    random: () => 0.5,
    health: { persisted: async () => true, displayMode: () => 'standalone', userAgent: 'ops-test' },
    appVersion: 'ops-test',
    pageLimit: 50,
  });
  return { name, collector, db: opened.db, engine, created: [] };
}

async function record(phone: Phone, n: number): Promise<void> {
  const [debtor] = await phone.db.debtors.toArray();
  if (!debtor) throw new Error(`${phone.name} has no debtor`);
  const [debt] = await phone.db.debts.where('debtor_id').equals(debtor.id).toArray();
  const row =
    n % 2 === 0 && debt
      ? await phone.engine.save({
          type: 'payment.recorded',
          debtorId: debtor.id,
          payload: {
            debtId: debt.id,
            date: new Date().toISOString().slice(0, 10),
            amount: 1000 + n,
            method: 'cash',
            receiptNumber: `${phone.name}-${n}`,
          },
        })
      : await phone.engine.save({
          type: 'visit.recorded',
          debtorId: debtor.id,
          payload: { outcome: 'not_home' },
        });
  phone.created.push(row.mutation_id);
}

/** Syncs until the outbox holds nothing unsent and a whole cycle succeeds. */
async function settle(phone: Phone): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const outcome = await phone.engine.requestSync('manual');
    const pending = await phone.db.outbox.where('state').anyOf('pending', 'sending').count();
    if (outcome.ok && pending === 0) return;
    if (Date.now() > deadline)
      throw new Error(
        `${phone.name} did not settle: ${JSON.stringify(outcome)}, ${pending} pending`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
}

forEachDb((kind) => {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  let backupDir: string;
  let collectors: SeededUser[];

  beforeAll(async () => {
    ({ env, cleanup } = await databaseEnvFor(kind));
    backupDir = mkdtempSync(join(tmpdir(), 'quita-backups-'));
    env = { ...env, QUITA_BACKUP_DIR: backupDir, QUITA_BACKUP_AT: 'off' };
    const db = await openFor(kind, env);
    try {
      const app = createApp({ db, version: 'test' });
      const owner = await seedUser(db, 'owner');
      collectors = [await seedUser(db, 'collector'), await seedUser(db, 'collector')];
      for (const collector of collectors) {
        const debtor = await createDebtor(app, owner);
        await createDebt(app, owner, debtor);
        await assign(app, owner, collector.user.id, [debtor]);
      }
    } finally {
      await db.close();
    }
  }, TIMEOUT_MS);
  afterAll(async () => {
    await cleanup();
    rmSync(backupDir, { recursive: true, force: true });
  }, TIMEOUT_MS);

  test(
    'back up while serving, keep working, restore while a phone pushes: every fact once, outboxes kept',
    async () => {
      const server = await startQuitaServer(env);
      const phones: Phone[] = [];
      try {
        const url = () => server.url;
        const [carla, davi] = [
          await newPhone(`carla-${kind}`, collectors[0] as SeededUser, url),
          await newPhone(`davi-${kind}`, collectors[1] as SeededUser, url),
        ];
        phones.push(carla as Phone, davi as Phone);
        for (const phone of phones) await settle(phone);
        for (let n = 0; n < 3; n++) for (const phone of phones) await record(phone, n);
        for (const phone of phones) await settle(phone);

        // 1. Back up while the server runs.
        const backup = await runQuita(['backup'], env);
        expect(backup.code, backup.stderr).toBe(0);
        const made = JSON.parse(backup.stdout) as { file: string; bytes: number; database: string };
        expect(made.database).toBe(kind);
        expect(made.bytes).toBeGreaterThan(1000);
        expect(readdirSync(backupDir)).toEqual([made.file.split('/').at(-1)]);

        // 2. Keep working: these facts reach the server after the backup.
        for (let n = 3; n < 6; n++) for (const phone of phones) await record(phone, n);
        for (const phone of phones) await settle(phone);

        // 3. Restore while Carla keeps recording and pushing.
        const epochBefore = await (await fetch(`${server.url}/api/health`)).json();
        expect(epochBefore).toMatchObject({ status: 'ok' });
        let restoring = true;
        let pushedDuring = 0;
        const busy = (async () => {
          for (let n = 100; restoring; n++) {
            await record(carla as Phone, n);
            await (carla as Phone).engine.requestSync('manual').catch(() => undefined);
            pushedDuring++;
            await new Promise((r) => setTimeout(r, 50));
          }
        })();
        await new Promise((r) => setTimeout(r, 300));
        const restored = await runQuita(['restore', made.file, '--yes'], env);
        restoring = false;
        await busy;
        expect(restored.code, restored.stderr).toBe(0);
        const result = JSON.parse(restored.stdout) as { epoch: number; database: string };
        expect(result.database).toBe(kind);
        const [daviDevice] = await (davi as Phone).db.device.toArray();
        expect(result.epoch).toBeGreaterThan(Number(daviDevice?.epoch ?? 0));
        expect(pushedDuring).toBeGreaterThan(1);
        if (kind === 'pglite')
          expect(
            readdirSync(join(env['QUITA_DATA_DIR'] as string, '..')).some((f) =>
              f.startsWith('data.before-restore-'),
            ),
          ).toBe(true);

        // 4. Every phone re-bases and resends what the restored server lacks.
        for (const phone of phones) await settle(phone);
        for (const phone of phones) await settle(phone);

        const db = await openServerView(kind, env, server.url, collectors);
        for (const phone of phones) {
          const stored = await db.statuses(phone.created);
          expect(
            phone.created.filter((id) => stored.get(id) !== 'applied'),
            `${phone.name}: facts missing or not applied after the restore`,
          ).toEqual([]);
          expect(await db.count(phone.created)).toBe(phone.created.length);
          // Its copy of the server data was rebuilt after the reset: the payments it made are there.
          const [debtor] = await phone.db.debtors.toArray();
          expect(debtor).toBeDefined();
          // It re-based on the restored server's new epoch.
          const [device] = await phone.db.device.toArray();
          expect(device?.epoch).toBe(String(result.epoch));
          const unsent = await phone.db.outbox.where('state').anyOf('pending', 'sending').count();
          expect(unsent).toBe(0);
        }
        const devices = await db.devices();
        expect(devices.every((d) => d.outbox_pending === 0)).toBe(true);
        expect(await db.restoreRows()).toBe(1);
      } finally {
        for (const phone of phones) phone.db.close();
        const run = await server.stop();
        expect(run.code).toBe(0);
      }
      if (kind === 'pglite') expect(existsSync(`${env['QUITA_DATA_DIR']}.lock`)).toBe(false);
    },
    TIMEOUT_MS,
  );

  test('restore refuses a file of the other database and a missing --yes, touching nothing', async () => {
    const other = join(backupDir, kind === 'pglite' ? 'x.pgdump' : 'x.pglite.tar.gz');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(other, kind === 'pglite' ? 'PGDMP-not-really' : Buffer.from([0x1f, 0x8b, 8, 0]));
    const wrong = await runQuita(['restore', other, '--yes'], env);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(kind === 'pglite' ? /PostgreSQL \(pg_dump\)/ : /PGlite/);
    const noYes = await runQuita(['restore', other], env);
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toMatch(/--yes/);
    const junk = join(backupDir, 'junk.bin');
    writeFileSync(junk, 'hello');
    const notBackup = await runQuita(['restore', junk, '--yes'], env);
    expect(notBackup.code).toBe(1);
    expect(notBackup.stderr).toMatch(/não é um backup do Quita/);
  });
});

/** Reads the server's side after the story (through the server's API for PGlite, which holds the directory). */
async function openServerView(
  kind: DbKind,
  env: Record<string, string>,
  _url: string,
  _collectors: SeededUser[],
) {
  // PGlite's directory is locked by the running server: read through a backup of it instead
  // (itself a check that a backup taken after the restore opens).
  let db: Db;
  let close: () => Promise<void>;
  if (kind === 'pglite') {
    const file = join(mkdtempSync(join(tmpdir(), 'quita-view-')), 'view.pglite.tar.gz');
    const run = await runQuita(['backup', file], env);
    if (run.code !== 0) throw new Error(run.stderr);
    const { readFileSync } = await import('node:fs');
    const pg = await openPglite({ loadDataDir: new Blob([readFileSync(file)]) });
    db = pg;
    close = async () => {
      await pg.close();
      rmSync(join(file, '..'), { recursive: true, force: true });
    };
  } else {
    db = openPostgres(env['DATABASE_URL'] as string, { max: 2 });
    close = () => db.close();
  }
  const views = {
    async statuses(ids: string[]) {
      const rows = await db.query<{ mutation_id: string; status: string }>(
        'SELECT mutation_id, status FROM sync_mutations WHERE mutation_id = ANY($1::uuid[])',
        [ids],
      );
      return new Map(rows.map((r) => [r.mutation_id, r.status]));
    },
    async count(ids: string[]) {
      const [row] = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM sync_mutations WHERE mutation_id = ANY($1::uuid[])',
        [ids],
      );
      return row?.n ?? 0;
    },
    async devices() {
      return db.query<{ outbox_pending: number }>('SELECT outbox_pending FROM sync_devices');
    },
    async restoreRows() {
      const [row] = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ops_backups WHERE kind = 'restore'`,
      );
      return row?.n ?? 0;
    },
  };
  afterAllClose.push(close);
  return views;
}

const afterAllClose: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of afterAllClose.splice(0)) await close();
});
