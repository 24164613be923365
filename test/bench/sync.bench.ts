/**
 * Offline sync, on PGlite and on PostgreSQL.
 *
 * 1–2. Push throughput (50 devices × 200 facts, concurrent) and an incremental pull with nothing
 *    new, with `quita serve` as its own process over HTTP beside a bare Hono process receiving the
 *    same requests: ./sync-push.ts. Rounds: QUITA_BENCH_SYNC_ROUNDS (default 2) after one warm-up;
 *    QUITA_BENCH_SYNC_FACTS_PER_DEVICE (default 200); QUITA_BENCH_PROFILE=1 adds the server's CPU
 *    profile and the busiest statements. PostgreSQL needs QUITA_BENCH_DATABASE_URL or
 *    QUITA_TEST_DATABASE_URL (an admin URL able to CREATE DATABASE); `npm run bench` starts a
 *    throwaway cluster with fsync on. Without one its rows are skipped with a note.
 *    QUITA_BENCH_SYNC_ONLY_PUSH=1 (or =pglite, =postgres) runs only these rows.
 * 3. Initial sync into IndexedDB in real headless Chromium: 5,000 debtors + 20,000 facts as 50
 *    pull pages of 500 changes, applied by the PWA's own applier (pwa/sync/pull-apply.ts
 *    `applyPullPage` into the Dexie database of pwa/db/db.ts, one transaction per page), beside a
 *    raw IndexedDB write of the same rows in the same page (same stores, one readwrite transaction
 *    per page, strict durability, plain put()). The pages are generated in Node and handed to the
 *    page before timing: this is the device-side cost, not the network. Skipped with a note when
 *    Chromium is missing (CHROME_BIN). Rounds: QUITA_BENCH_SYNC_IDB_ROUNDS (default 1) after one
 *    warm-up: one applier run is ~30 s on this shared machine.
 * 4. First sync, server side (./sync-first.ts): every snapshot page for a new device of a collector
 *    holding the 5k portfolio, on PGlite and PostgreSQL, beside a plain SQL scan of the same rows;
 *    `extra` holds rows/s of both, total ms, pages and bytes. QUITA_BENCH_SYNC_ONLY_FIRST=1 runs
 *    only this row.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { uuidv7 } from 'uuidv7';
import type { PullResponse } from '#shared/sync/pull.schema';
import { migrate } from '../../server/db/migrate';
import { openPglite } from '../../server/db/pglite';
import { openPostgres } from '../../server/db/postgres';
import { bundleForPage, CHROMIUM, ROOT } from '../extension-harness';
import { compare, type BenchResult } from './harness';
import { firstSyncBench } from './sync-first';
import { pushBench } from './sync-push';

const ONLY_FIRST = process.env['QUITA_BENCH_SYNC_ONLY_FIRST'] !== undefined;
/** QUITA_BENCH_SYNC_ONLY_PUSH=1 (or =pglite / =postgres): rows 1–2 only, for profiling runs. */
const ONLY_PUSH = process.env['QUITA_BENCH_SYNC_ONLY_PUSH'];

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const IDB_DEBTORS = 5_000;
const IDB_FACTS = 20_000;
const IDB_PAGE = 500;
const IDB_ROUNDS = Number(process.env['QUITA_BENCH_SYNC_IDB_ROUNDS'] ?? '1');

/** The initial snapshot as the server pages it: debtors, then their facts, 500 changes a page. */
function snapshotPages(): PullResponse[] {
  const changes: PullResponse['changes'] = [];
  const debtorIds: string[] = [];
  for (let i = 0; i < IDB_DEBTORS; i++) {
    const id = uuidv7();
    debtorIds.push(id);
    changes.push({
      op: 'put',
      entity: 'debtor',
      id,
      data: {
        id,
        version: 1,
        kind: 'person',
        name: `Cliente ${i} da Silva`,
        document: String(10_000_000_000 + i),
        state: 'SP',
        city: 'São Paulo',
        address: { street: 'Rua das Flores', number: String(i), district: 'Centro' },
        contactPoints: [{ kind: 'phone', value: `+55119${String(i).padStart(8, '0')}` }],
        balance: 103_000,
      },
    });
  }
  for (let i = 0; i < IDB_FACTS; i++) {
    const id = uuidv7();
    const debtorId = debtorIds[i % IDB_DEBTORS] ?? '';
    const visit = i % 2 === 0;
    changes.push({
      op: 'put',
      entity: visit ? 'visit' : 'payment',
      id,
      data: visit
        ? {
            id,
            version: 1,
            debtorId,
            visitedAt: '2025-03-10T09:05:00.000-03:00',
            outcome: 'not_home',
            note: 'portão fechado',
          }
        : {
            id,
            version: 1,
            debtorId,
            debtId: debtorId,
            amount: 5_000,
            paidOn: '2025-03-10',
            method: 'cash',
            status: 'pending',
            receiptNumber: `R-${i}`,
          },
    });
  }
  const pages: PullResponse[] = [];
  for (let at = 0; at < changes.length; at += IDB_PAGE)
    pages.push({
      changes: changes.slice(at, at + IDB_PAGE),
      cursor: `c1.1.${at + IDB_PAGE}`,
      has_more: at + IDB_PAGE < changes.length,
      epoch: 1,
      acked_through_seq: 0,
      server_now: new Date().toISOString(),
    });
  return pages;
}

/** The page-side code: the PWA's applier and the raw IndexedDB baseline, bundled as one IIFE. */
const PAGE_ENTRY = `
import { createDb } from '${join(ROOT, 'pwa/db/db.ts')}';
import { applyPullPage } from '${join(ROOT, 'pwa/sync/pull-apply.ts')}';

const FACTS = new Set(['payment', 'promise', 'agreement', 'visit']);
let n = 0;

export async function applier(pages) {
  const db = createDb({ name: 'quita-bench-' + ++n });
  await db.open();
  await db.device.put({ key: 'device', cursor: null, epoch: null });
  for (const page of pages) await applyPullPage(db, page, { now: new Date().toISOString() });
  const count = (await db.debtors.count()) + (await db.facts.count());
  db.close();
  return count;
}

function open(name) {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name, 1);
    req.onupgradeneeded = () => {
      const db = req.result;
      db.createObjectStore('device', { keyPath: 'key' });
      db.createObjectStore('debtors', { keyPath: 'id' });
      db.createObjectStore('facts', { keyPath: 'id' }).createIndex('debtor_id', 'debtor_id');
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

export async function raw(pages) {
  const db = await open('raw-bench-' + ++n);
  for (const page of pages) {
    await new Promise((resolve, reject) => {
      const tx = db.transaction(['debtors', 'facts', 'device'], 'readwrite', { durability: 'strict' });
      const debtors = tx.objectStore('debtors');
      const facts = tx.objectStore('facts');
      for (const c of page.changes) {
        const version = c.data.version;
        if (c.entity === 'debtor') debtors.put({ id: c.id, version, data: c.data });
        else if (FACTS.has(c.entity))
          facts.put({ id: c.id, debtor_id: c.data.debtorId, type: c.entity, version, data: c.data });
      }
      tx.objectStore('device').put({ key: 'device', cursor: page.cursor, epoch: String(page.epoch) });
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
  }
  const count = await new Promise((resolve) => {
    const tx = db.transaction(['debtors', 'facts']);
    let total = 0;
    const a = tx.objectStore('debtors').count();
    const b = tx.objectStore('facts').count();
    a.onsuccess = () => (total += a.result);
    b.onsuccess = () => (total += b.result);
    tx.oncomplete = () => resolve(total);
  });
  db.close();
  return count;
}
`;

async function indexedDbBench(): Promise<BenchResult | undefined> {
  if (!existsSync(CHROMIUM)) {
    console.error(
      `bench sync: IndexedDB figure skipped (no Chromium at ${CHROMIUM}; set CHROME_BIN)`,
    );
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'quita-sync-bench-'));
  try {
    const entry = join(dir, 'entry.ts');
    writeFileSync(entry, PAGE_ENTRY);
    const script = await bundleForPage(entry, 'syncBench');
    const html = `<!doctype html><meta charset="utf-8"><script>${script}</script>`;
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.evaluate((pages) => {
        (globalThis as unknown as { benchPages: unknown }).benchPages = pages;
      }, snapshotPages());
      const expected = IDB_DEBTORS + IDB_FACTS;
      const inPage = (fn: 'applier' | 'raw') => async () => {
        const stored = await page.evaluate(
          (name) =>
            (
              globalThis as unknown as {
                syncBench: Record<string, (pages: unknown) => Promise<number>>;
                benchPages: unknown;
              }
            ).syncBench[name]?.((globalThis as unknown as { benchPages: unknown }).benchPages),
          fn,
        );
        if (stored !== expected) throw new Error(`bench sync: ${fn} stored ${stored}/${expected}`);
      };
      return await compare(
        'sync initial pull into IndexedDB (Chromium)',
        `${IDB_DEBTORS.toLocaleString('en')} debtors + ${IDB_FACTS.toLocaleString('en')} facts, ${Math.ceil(expected / IDB_PAGE)} pages of ${IDB_PAGE}`,
        { name: 'applyPullPage into Dexie (pwa/sync/pull-apply.ts)', run: inPage('applier') },
        { name: 'raw IndexedDB put, one tx per page', run: inPage('raw') },
        IDB_ROUNDS,
      );
    } finally {
      await context.close();
      server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  if (process.env['QUITA_BENCH_SYNC_ONLY_IDB'] === undefined) results.push(...(await serverRuns()));
  const idb = ONLY_FIRST || ONLY_PUSH ? undefined : await indexedDbBench();
  if (idb) results.push(idb);
  for (const r of results) if (r.extra) console.error(`bench sync: ${r.group}:`, r.extra);
  return results;
}

async function serverRuns(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];

  const admin = process.env['QUITA_BENCH_DATABASE_URL'] ?? process.env['QUITA_TEST_DATABASE_URL'];
  if (!ONLY_FIRST) {
    if (ONLY_PUSH !== 'postgres') results.push(...(await pushBench('pglite', undefined)));
    if (admin && ONLY_PUSH !== 'pglite') results.push(...(await pushBench('postgres', admin)));
  }
  if (ONLY_PUSH) return results;

  const pglite = await openPglite();
  try {
    await migrate(pglite);
    results.push(await firstSyncBench('PGlite', pglite));
  } finally {
    await pglite.close();
  }

  if (admin) {
    const name = `quita_bench_${randomBytes(4).toString('hex')}`;
    await adminQuery(admin, `CREATE DATABASE ${name}`);
    const url = new URL(admin);
    url.pathname = `/${name}`;
    const db = openPostgres(url.toString(), { max: 10 });
    try {
      await migrate(db);
      results.push(await firstSyncBench('PostgreSQL', db));
    } finally {
      await db.close();
      await adminQuery(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  } else {
    console.error(
      'bench sync: PostgreSQL skipped (set QUITA_BENCH_DATABASE_URL or QUITA_TEST_DATABASE_URL)',
    );
  }
  return results;
}
