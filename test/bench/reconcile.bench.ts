/**
 * Bank reconciliation at size: a 10,000-credit OFX statement (SGML, Windows-1252) against 100,000
 * open debts (one per debtor, 1–80 days late, so every amount carries multa and juros), uploaded
 * over HTTP to `quita serve` running as a SEPARATE PROCESS (`POST /api/reconciliation/statements`,
 * the whole path: parse, idempotency check, txid join, candidate search, decisions, payments,
 * feed, audit, refreshed verdicts, one transaction), beside a plain SQL join of the same credits
 * to the same debts in the same run (the credits staged with `unnest` into a temporary table and
 * joined to `debts` on the txid, amounts compared): the floor of just matching.
 *
 * The statement mixes what a month brings: 80% PIX credits whose txid names the debt and whose
 * amount is its balance on the day (confirmed alone), 10% the same without a txid (found by amount,
 * to Revisão), 5% partial (txid, less than the balance) and 5% nobody's. Every round uploads a new
 * statement over debts no earlier round touched, so each round does the full work (the same file
 * twice would only be recognised as already seen).
 *
 * PGlite: the server owns the data directory, so the baseline runs on an in-memory copy of the
 * same seeded database (its dump). PostgreSQL: a throwaway cluster started here WITH fsync on
 * (durable commits, as production), the baseline on the server's own database through `pg`.
 * Sizes: QUITA_BENCH_RECON_DEBTS (100000), QUITA_BENCH_RECON_CREDITS (10000); rounds:
 * QUITA_BENCH_RECON_ROUNDS (1) after one warm-up (each round is minutes long). Skip PostgreSQL with QUITA_BENCH_RECON_PG=0.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { balanceOn } from '#shared/charges/balance';
import { cents } from '#shared/money/money';
import type { CalendarDate } from '#shared/time/calendar-date';
import type { Db } from '../../server/db/db';
import { migrate } from '../../server/db/migrate';
import { openPglite } from '../../server/db/pglite';
import { openPostgres } from '../../server/db/postgres';
import { seedUser } from '../helpers/auth';
import { startQuitaServer } from '../helpers/cli';
import { ofxFile, type OfxLine } from '../helpers/ofx';
import { PG_BIN, startCluster } from '../helpers/postgres-cluster';
import { compare, type BenchResult } from './harness';

const DEBTS = Number(process.env['QUITA_BENCH_RECON_DEBTS'] ?? '100000');
const CREDITS = Number(process.env['QUITA_BENCH_RECON_CREDITS'] ?? '10000');
const ROUNDS = Number(process.env['QUITA_BENCH_RECON_ROUNDS'] ?? '1');
const STATEMENT_DAY = '2025-03-20';

export async function seed(db: Db): Promise<void> {
  await migrate(db);
  await db.exec(`
    INSERT INTO debtors (id, kind, name, state)
      SELECT md5('debtor' || i)::uuid, 'person', 'Cliente ' || i || ' da Silva', 'SP'
      FROM generate_series(1, ${DEBTS}) AS i;
    INSERT INTO debts (id, debtor_id, description, principal_cents, issued_on, due_on)
      SELECT md5('debt' || i)::uuid, md5('debtor' || i)::uuid, 'compra ' || i, 5000 + (i * 7919) % 500000,
             date '2025-01-01' + (i % 78), date '2025-01-01' + (i % 78)
      FROM generate_series(1, ${DEBTS}) AS i;
    ANALYZE;
  `);
}

interface DebtFact {
  id: string;
  txid: string;
  principal: number;
  due: string;
}

/** The debts in a stable order (rounds take disjoint slices). */
export async function debts(db: Db): Promise<DebtFact[]> {
  const rows = await db.query<{
    id: string;
    pix_txid: string;
    principal_cents: number;
    due_on: string;
  }>(`SELECT id, pix_txid, principal_cents, due_on FROM debts ORDER BY id LIMIT $1`, [
    CREDITS * (ROUNDS + 1),
  ]);
  return rows.map((r) => ({
    id: r.id,
    txid: r.pix_txid,
    principal: r.principal_cents,
    due: r.due_on,
  }));
}

function owed(d: DebtFact): number {
  return balanceOn(
    {
      principal: cents(d.principal),
      issueDate: d.due as CalendarDate,
      dueDate: d.due as CalendarDate,
      kind: 'consumer',
      fineBps: 200,
      monthlyInterestBps: 100,
      fees: [],
      graceDays: 0,
    },
    [],
    STATEMENT_DAY as CalendarDate,
  ).totalDue;
}

/** Round `r`'s statement: its own slice of debts, its own FITIDs. */
export function statement(
  all: readonly DebtFact[],
  r: number,
): { lines: OfxLine[]; bytes: Uint8Array<ArrayBuffer> } {
  const slice = all.slice(r * CREDITS, (r + 1) * CREDITS);
  const lines = slice.map((d, i): OfxLine => {
    const fitid = `R${r}-${i}`;
    const bucket = i % 20;
    if (bucket < 16)
      return {
        fitid,
        date: STATEMENT_DAY,
        amount: owed(d),
        memo: `PIX RECEBIDO ${d.txid} CLIENTE`,
      };
    if (bucket < 18)
      return { fitid, date: STATEMENT_DAY, amount: owed(d), memo: 'TED RECEBIDA 001' };
    if (bucket < 19)
      return { fitid, date: STATEMENT_DAY, amount: Math.floor(owed(d) / 2), memo: `PIX ${d.txid}` };
    return { fitid, date: STATEMENT_DAY, amount: 123_456_78 + i, memo: 'RESGATE APLICACAO' };
  });
  return { lines, bytes: ofxFile(lines) };
}

const JOIN = `
  CREATE TEMP TABLE IF NOT EXISTS bench_credits (fitid text, txid text, amount bigint);
  TRUNCATE bench_credits;`;
const MATCH = `
  SELECT count(*) FILTER (WHERE d.id IS NOT NULL) AS named,
         count(*) FILTER (WHERE d.principal_cents <= c.amount) AS plausible
  FROM bench_credits c LEFT JOIN debts d ON d.pix_txid = c.txid AND d.status = 'open'`;

function txidOf(line: OfxLine): string | null {
  return /Q[DPC][0-9A-F]{23}/.exec(line.memo ?? '')?.[0] ?? null;
}

async function plainJoin(
  query: (sql: string, params?: unknown[]) => Promise<unknown>,
  exec: (sql: string) => Promise<unknown>,
  lines: readonly OfxLine[],
): Promise<void> {
  await exec(JOIN);
  await query(
    `INSERT INTO bench_credits SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])`,
    [lines.map((l) => l.fitid), lines.map(txidOf), lines.map((l) => l.amount)],
  );
  await query(MATCH);
}

/**
 * POSTs the statement with node:http: an upload this size can take longer than fetch's 300 s
 * headers timeout on a loaded machine, and the figure must be measured, not cut off.
 */
async function upload(url: string, token: string, bytes: Uint8Array<ArrayBuffer>) {
  const { status, text } = await new Promise<{ status: number; text: string }>(
    (resolve, reject) => {
      const req = request(
        `${url}/api/reconciliation/statements`,
        {
          method: 'POST',
          // A fresh connection each time: a kept-alive socket the server closed while the
          // baseline ran would fail the next upload (EPIPE).
          agent: false,
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/x-ofx',
            'content-length': bytes.byteLength,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      req.setTimeout(0);
      req.on('error', reject);
      req.on('socket', (socket) => socket.on('error', reject));
      req.end(bytes);
    },
  );
  if (status !== 200) throw new Error(`reconcile answered ${status}: ${text}`);
  return JSON.parse(text) as Record<string, number>;
}

async function measure(
  group: string,
  server: { url: string; output: () => string },
  token: string,
  all: readonly DebtFact[],
  baseline: (lines: readonly OfxLine[]) => Promise<void>,
): Promise<BenchResult> {
  let round = 0;
  let last: Record<string, number> = {};
  let lines: OfxLine[] = [];
  const result = await compare(
    group,
    `${CREDITS.toLocaleString('en')} credits vs ${DEBTS.toLocaleString('en')} open debts`,
    {
      name: 'POST /api/reconciliation/statements (separate process)',
      run: async () => {
        const s = statement(all, round);
        lines = s.lines;
        round += 1;
        const started = Date.now();
        try {
          last = await upload(server.url, token, s.bytes);
        } catch (error) {
          // What the server said before the connection ended is the explanation.
          console.error(`bench reconcile: upload failed; server output:\n${server.output()}`);
          throw error;
        }
        console.error(`bench reconcile: ${group} round ${round}: ${Date.now() - started} ms`);
      },
    },
    { name: 'plain SQL: stage credits + join debts on txid', run: () => baseline(lines) },
    ROUNDS,
  );
  result.extra = {
    autoConfirmed: last['autoConfirmed'] ?? 0,
    suggested: last['suggested'] ?? 0,
    unmatched: last['unmatched'] ?? 0,
    'credits/s': Math.round((CREDITS * 1000) / result.subject.medianMs),
  };
  return result;
}

async function pgliteBench(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'quita-recon-bench-'));
  const dataDir = join(dir, 'data');
  try {
    const db = await openPglite({ dataDir });
    await seed(db);
    console.error(`bench reconcile: seeded ${DEBTS} debts`);
    const owner = await seedUser(db, 'owner');
    const all = await debts(db);
    await db.close();
    const copy = await openPglite({ dataDir });
    const dump = await copy.dump();
    await copy.close();
    const bare = await PGlite.create({ loadDataDir: dump });
    const server = await startQuitaServer({ QUITA_DATA_DIR: dataDir, QUITA_PWA: '0' });
    try {
      return await measure('reconcile (PGlite)', server, owner.token, all, (lines) =>
        plainJoin(
          (sql, params) => bare.query(sql, params),
          (sql) => bare.exec(sql),
          lines,
        ),
      );
    } finally {
      await server.stop();
      await bare.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresBench(): Promise<BenchResult | null> {
  if (process.env['QUITA_BENCH_RECON_PG'] === '0' || !existsSync(`${PG_BIN}/initdb`)) {
    console.error('bench reconcile: PostgreSQL skipped');
    return null;
  }
  const cluster = await startCluster({ durable: true });
  try {
    const db = openPostgres(cluster.url, { max: 2 });
    const [fsync] = await db.query<{ fsync: string }>('SHOW fsync');
    if (fsync?.fsync !== 'on') throw new Error('bench reconcile: fsync must be on');
    await seed(db);
    console.error(`bench reconcile: seeded ${DEBTS} debts`);
    const owner = await seedUser(db, 'owner');
    const all = await debts(db);
    await db.close();
    const client = new pg.Client(cluster.url);
    await client.connect();
    const server = await startQuitaServer({ DATABASE_URL: cluster.url, QUITA_PWA: '0' });
    try {
      return await measure('reconcile (PostgreSQL, fsync on)', server, owner.token, all, (lines) =>
        plainJoin(
          (sql, params) => client.query(sql, params),
          (sql) => client.query(sql),
          lines,
        ),
      );
    } finally {
      await server.stop();
      await client.end();
    }
  } finally {
    cluster.stop();
  }
}

export async function run(): Promise<BenchResult[]> {
  const results = [await pgliteBench()];
  const pgResult = await postgresBench();
  if (pgResult) results.push(pgResult);
  return results;
}
