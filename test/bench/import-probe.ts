/**
 * A quick in-process probe of the importer (not a benchmark: figures of record come from
 * `npm run bench -- import`): imports a generated portfolio into an in-memory PGlite (or the
 * PostgreSQL database at PGURL), then imports the same file again, printing each duration.
 * Run under `node --cpu-prof --import tsx test/bench/import-probe.ts [debtors]` to see where the
 * time goes. PROBE_REIMPORT_ONLY=1 profiles only the second pass (the first runs before the
 * profiler starts).
 *
 * PROBE_FLOOR=1 (PGlite only) also times, on the same database after the passes: a bare `COPY` of
 * the file into a table without indexes (the bench's baseline), and the floor of any set-based
 * design: `COPY` into a staging table, then one INSERT…SELECT per real table (debtors, contact
 * points, their match keys, debts) with no checks, no feed and no import state.
 */
import { createReadStream } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import type { Db, TransactionOptions, Tx } from '../../server/db/db';
import { migrate } from '../../server/db/migrate';
import { openPglite } from '../../server/db/pglite';
import { openPostgres } from '../../server/db/postgres';
import { openDebtorImport } from '../../server/import/import-debtors';
import { portfolioCsvPath } from '../portfolio';

const path = portfolioCsvPath(Number(process.argv[2] ?? '5000'));
const url = process.env['PGURL'];
const raw = url ? openPostgres(url, { max: 2 }) : await openPglite();
await migrate(raw);
/** PROBE_SQL=1: time per statement (first 60 characters) over both passes, printed at the end. */
const perSql = new Map<string, { n: number; ms: number }>();
const timedTx = (tx: Tx): Tx => ({
  ...tx,
  kind: tx.kind,
  afterCommit: (fn) => tx.afterCommit(fn),
  exec: (sql) => tx.exec(sql),
  query: async <T extends object>(sql: string, params?: readonly unknown[]) => {
    const t = performance.now();
    try {
      return await tx.query<T>(sql, params);
    } finally {
      const key = sql.replace(/\s+/g, ' ').trim().slice(0, 60);
      const e = perSql.get(key) ?? { n: 0, ms: 0 };
      e.n += 1;
      e.ms += performance.now() - t;
      perSql.set(key, e);
    }
  },
});
const db: Db =
  process.env['PROBE_SQL'] === '1'
    ? Object.assign(Object.create(raw) as Db, {
        transaction: <T>(fn: (tx: Tx) => Promise<T>, options?: TransactionOptions) =>
          raw.transaction((tx) => fn(timedTx(tx)), options),
      })
    : raw;
const pass = async (label: string) => {
  const t = performance.now();
  const importer = await openDebtorImport(db, createReadStream(path), {
    actor: null,
    source: 'cli',
    ...(process.env['PROBE_BATCH'] ? { batchSize: Number(process.env['PROBE_BATCH']) } : {}),
  });
  const report = await importer.run();
  console.log(
    `${label}: ${Math.round(performance.now() - t)} ms, ${report.rows} rows, ${report.errorCount} errors`,
  );
};
await pass('import');
const profile = process.env['PROBE_PROFILE'];
const session = profile ? new Session() : undefined;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
await pass('re-import');
if (session && profile) {
  const { profile: result } = await session.post('Profiler.stop');
  writeFileSync(profile, JSON.stringify(result));
}
if (process.env['PROBE_FLOOR'] === '1' && raw.kind === 'pglite') {
  const { readFileSync } = await import('node:fs');
  const { floorPglite, floorRunPglite, STAGING_COLUMNS } = await import('./import-floor');
  const pglite = await floorPglite();
  // PROBE_FLOOR_DROP=fk|indexes|both: the floor again without the foreign keys and/or the
  // secondary indexes of the four tables, to attribute its cost.
  const drop = process.env['PROBE_FLOOR_DROP'] ?? '';
  const tables = `'debtors', 'debts', 'contact_points', 'contact_point_keys'`;
  if (drop === 'fk' || drop === 'both')
    for (const { sql } of (
      await pglite.query<{ sql: string }>(
        `SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname) AS sql
         FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text IN (${tables})`,
      )
    ).rows)
      await pglite.exec(sql);
  if (drop === 'indexes' || drop === 'both')
    for (const { sql } of (
      await pglite.query<{ sql: string }>(
        `SELECT format('DROP INDEX %I', indexrelid::regclass) AS sql FROM pg_index
         WHERE indrelid::regclass::text IN (${tables}) AND NOT indisprimary`,
      )
    ).rows)
      await pglite.exec(sql);
  const bytes = readFileSync(path);
  await pglite.exec(`CREATE TABLE bare (${STAGING_COLUMNS})`);
  let t = performance.now();
  await pglite.query(`COPY bare FROM '/dev/blob' WITH (FORMAT csv, HEADER true)`, [], {
    blob: new Blob([bytes]),
  });
  const copyMs = performance.now() - t;
  t = performance.now();
  await floorRunPglite(pglite, new Blob([bytes]));
  const floorMs = performance.now() - t;
  console.log(
    `bare COPY: ${Math.round(copyMs)} ms; set-based floor (COPY + INSERT…SELECT per table): ${Math.round(floorMs)} ms = ${(floorMs / copyMs).toFixed(1)}× the COPY`,
  );
  await pglite.close();
}
for (const [sql, e] of [...perSql].sort((a, b) => b[1].ms - a[1].ms).slice(0, 20))
  console.log(`${(e.ms / e.n).toFixed(2).padStart(8)} ms × ${String(e.n).padStart(5)}  ${sql}`);
await raw.close();
