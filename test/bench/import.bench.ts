/**
 * CSV import of ~100,000 rows (50,000 debtors from the reference generator) through the real
 * importer (streamed parse, full row checks, batched writes with the change feed), beside a plain
 * `COPY` of the same file into a bare 12-text-column staging table: the floor of what the engine
 * can load. Each subject run starts from empty debtor tables (a TRUNCATE, timed with the run, as
 * the baseline's TRUNCATE is), so every round imports 100k new rows rather than 100k unchanged.
 *
 * PGlite: the import runs on an in-memory PGlite with every migration; the COPY runs on a second
 * bare in-memory PGlite (`COPY … FROM '/dev/blob'`), since the Db interface does not expose COPY.
 * PostgreSQL: set QUITA_BENCH_DATABASE_URL or QUITA_TEST_DATABASE_URL (an admin URL able to
 * CREATE DATABASE); the baseline is a server-side `COPY FROM 'file'`, which needs a superuser on
 * the same machine. Without a URL the PostgreSQL figures are skipped with a note.
 * Rounds: QUITA_BENCH_IMPORT_ROUNDS (default 1) after one warm-up, so a run stays within minutes.
 *
 * A third row per database puts the schema's own floor beside the same COPY (import-floor.ts:
 * COPY into staging, then one INSERT…SELECT per real table, no checks, no feed): what any
 * set-based importer must pay at least, so the import's ratio can be split into the schema's
 * price and the importer's.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Db } from '../../server/db/db';
import { migrate } from '../../server/db/migrate';
import { openPglite } from '../../server/db/pglite';
import { openPostgres } from '../../server/db/postgres';
import { csvRecords, decodeUtf8 } from '../../server/import/csv-records';
import { openDebtorImport } from '../../server/import/import-debtors';
import { portfolioCsvPath } from '../portfolio';
import {
  FLOOR_RESET,
  FLOOR_SQL,
  STAGING_COLUMNS,
  floorPglite,
  floorRunPglite,
} from './import-floor';
import { compare, verdict, type BenchResult } from './harness';
import { readsDuringImportBench } from './import-server';

const DEBTORS = Number(process.env['QUITA_BENCH_IMPORT_DEBTORS'] ?? '50000');
/** QUITA_BENCH_IMPORT_ONLY=pglite|postgres|reads: one part only (profiling runs). */
const ONLY = process.env['QUITA_BENCH_IMPORT_ONLY'];
const STAGING = `CREATE TABLE staging (external_id text, name text, document text, email text, phone text,
  address text, city text, state text, debt_id text, description text, amount text, due_date text)`;
const RESET =
  'TRUNCATE debtors, contact_points, contact_point_keys, debts, debt_import_state, changes CASCADE';

async function importFile(db: Db, path: string, fresh = true): Promise<number> {
  if (fresh) await db.exec(RESET);
  const importer = await openDebtorImport(db, createReadStream(path), {
    actor: null,
    source: 'cli',
  });
  const report = await importer.run();
  if (report.errorCount > 0)
    throw new Error(`bench import had ${report.errorCount} errors: ${report.errors[0]?.message}`);
  if (!fresh && (report.debts.created > 0 || report.debts.updated > 0))
    throw new Error(`bench re-import changed rows: ${JSON.stringify(report.debts)}`);
  return report.rows;
}

/**
 * The re-import baseline: what any re-import of the file must do at least, done plainly: the
 * file through the same streamed CSV reader (no checks), and one SELECT of the stored debts it
 * names joined with their debtors.
 */
async function plainScan(db: Db, path: string): Promise<number> {
  const keys: string[] = [];
  let header = true;
  for await (const record of csvRecords(decodeUtf8(createReadStream(path)))) {
    if (header) header = false;
    else keys.push(record.fields[8] ?? '');
  }
  const rows = await db.query(
    `SELECT d.external_id, d.name, d.document, d.address_line, d.city, d.state,
            t.external_id AS debt_id, t.description, t.principal_cents, t.due_on
     FROM debts t JOIN debtors d ON d.id = t.debtor_id WHERE t.external_id = ANY($1::text[])`,
    [keys],
  );
  if (rows.length !== keys.length)
    throw new Error(`bench plain scan: ${rows.length} stored rows for ${keys.length} keys`);
  return rows.length;
}

/** Issue 17's import targets, judged on a fresh import and a re-import row. */
function judged(fresh: BenchResult, again: BenchResult, db: string): BenchResult[] {
  const ratio = (r: BenchResult) => r.subject.medianMs / r.baseline.medianMs;
  fresh.verdicts = [
    verdict({
      target: `import ≤ 5× a plain COPY (${db})`,
      value: ratio(fresh),
      limit: 5,
      better: 'lower',
      unit: '×',
    }),
  ];
  again.verdicts = [
    verdict({
      target: `re-import of an unchanged file ≤ 2× a plain scan (${db})`,
      value: ratio(again),
      limit: 2,
      better: 'lower',
      unit: '×',
    }),
  ];
  return [fresh, again];
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function run(): Promise<BenchResult[]> {
  const path = portfolioCsvPath(DEBTORS);
  const bytes = readFileSync(path);
  const rows = bytes.toString('utf8').trimEnd().split('\n').length - 1;
  const unit = `${rows.toLocaleString('en')} CSV rows`;
  const rounds = Number(process.env['QUITA_BENCH_IMPORT_ROUNDS'] ?? '1');
  const results: BenchResult[] = [];

  if (ONLY === undefined || ONLY === 'reads')
    results.push(...(await readsDuringImportBench(path, unit)));
  if (ONLY === undefined || ONLY === 'pglite') {
    const db = await openPglite();
    await migrate(db);
    const bare = await PGlite.create();
    await bare.exec(STAGING);
    try {
      const result = await compare(
        'import (PGlite)',
        unit,
        { name: 'POST /api/import/debtors core', run: () => importFile(db, path) },
        {
          name: 'COPY into staging table',
          run: async () => {
            await bare.exec('TRUNCATE staging');
            await bare.query(`COPY staging FROM '/dev/blob' WITH (FORMAT csv, HEADER true)`, [], {
              blob: new Blob([bytes]),
            });
          },
        },
        rounds,
      );
      const again = await compare(
        're-import (PGlite)',
        unit,
        { name: 'the same file again (all unchanged)', run: () => importFile(db, path, false) },
        { name: 'CSV read + SELECT of the stored rows', run: () => plainScan(db, path) },
        rounds,
      );
      results.push(...judged(result, again, 'PGlite'));
      const floorDb = await floorPglite();
      try {
        results.push(
          await compare(
            'import floor (PGlite)',
            unit,
            {
              name: 'COPY into staging + one INSERT…SELECT per table (no checks)',
              run: () => floorRunPglite(floorDb, new Blob([bytes])),
            },
            {
              name: 'COPY into staging table',
              run: async () => {
                await bare.exec('TRUNCATE staging');
                await bare.query(
                  `COPY staging FROM '/dev/blob' WITH (FORMAT csv, HEADER true)`,
                  [],
                  { blob: new Blob([bytes]) },
                );
              },
            },
            rounds,
          ),
        );
      } finally {
        await floorDb.close();
      }
    } finally {
      await db.close();
      await bare.close();
    }
  }

  const adminUrl =
    process.env['QUITA_BENCH_DATABASE_URL'] ?? process.env['QUITA_TEST_DATABASE_URL'];
  if (ONLY !== undefined && ONLY !== 'postgres') return results;
  if (!adminUrl) {
    console.error(
      'bench import: PostgreSQL skipped (set QUITA_BENCH_DATABASE_URL or QUITA_TEST_DATABASE_URL)',
    );
    return results;
  }
  const name = `quita_bench_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = openPostgres(url.toString(), { max: 2 });
  try {
    await migrate(db);
    await db.exec(STAGING);
    try {
      await db.exec(
        `COPY staging FROM '${path.replaceAll("'", "''")}' WITH (FORMAT csv, HEADER true)`,
      );
    } catch (error) {
      console.error(
        `bench import: PostgreSQL skipped: server-side COPY FROM file failed (needs a local superuser): ${error instanceof Error ? error.message : String(error)}`,
      );
      return results;
    }
    const fresh = await compare(
      'import (PostgreSQL)',
      unit,
      { name: 'POST /api/import/debtors core', run: () => importFile(db, path) },
      {
        name: 'COPY into staging table',
        run: () =>
          db.exec(
            `TRUNCATE staging; COPY staging FROM '${path.replaceAll("'", "''")}' WITH (FORMAT csv, HEADER true)`,
          ),
      },
      rounds,
    );
    const again = await compare(
      're-import (PostgreSQL)',
      unit,
      { name: 'the same file again (all unchanged)', run: () => importFile(db, path, false) },
      { name: 'CSV read + SELECT of the stored rows', run: () => plainScan(db, path) },
      rounds,
    );
    results.push(...judged(fresh, again, 'PostgreSQL'));
    await db.exec(`CREATE UNLOGGED TABLE floor_staging (${STAGING_COLUMNS})`);
    results.push(
      await compare(
        'import floor (PostgreSQL)',
        unit,
        {
          name: 'COPY into staging + one INSERT…SELECT per table (no checks)',
          run: () =>
            db.exec(
              `${FLOOR_RESET}; COPY floor_staging FROM '${path.replaceAll("'", "''")}' WITH (FORMAT csv, HEADER true); ${FLOOR_SQL}`,
            ),
        },
        {
          name: 'COPY into staging table',
          run: () =>
            db.exec(
              `TRUNCATE staging; COPY staging FROM '${path.replaceAll("'", "''")}' WITH (FORMAT csv, HEADER true)`,
            ),
        },
        rounds,
      ),
    );
  } finally {
    await db.close();
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
  return results;
}
