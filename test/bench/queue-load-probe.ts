/**
 * Per-table cost of loading one 5,000-debtor queue page on PostgreSQL (client CPU of parsing
 * each result set, and wall time), beside the plain join: which of the page's reads weigh.
 * `QUITA_BENCH_DATABASE_URL=… node --import tsx test/bench/queue-load-probe.ts`. Not part of
 * `npm run bench`.
 */
import pg from 'pg';
import { openPostgres } from '../../server/db/postgres';
import { seed } from './reads.bench';

const admin = process.env['QUITA_BENCH_DATABASE_URL'];
if (!admin) throw new Error('QUITA_BENCH_DATABASE_URL is required');
const scratch = `quita_lprobe_${process.pid}`;
const adminClient = new pg.Client(admin);
await adminClient.connect();
await adminClient.query(`CREATE DATABASE ${scratch}`);
const url = new URL(admin);
url.pathname = `/${scratch}`;
const db = openPostgres(url.toString());
try {
  await seed(db);
  const [mid] = await db.query<{ id: string }>(
    `SELECT id FROM debtors ORDER BY id OFFSET 100 LIMIT 1`,
  );
  const [last] = await db.query<{ id: string }>(
    `SELECT id FROM debtors WHERE id > $1 ORDER BY id OFFSET 4999 LIMIT 1`,
    [mid?.id],
  );
  const range = [mid?.id, last?.id];
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const statements: Record<string, [string, unknown[]]> = {
    join: [
      `SELECT d.*, t.* FROM debtors d JOIN debts t ON t.debtor_id = d.id AND t.status = 'open'
        WHERE d.id > $1 ORDER BY d.id LIMIT 5000`,
      [mid?.id],
    ],
    debtors: [`SELECT d.* FROM debtors d WHERE d.id > $1 AND d.id <= $2 ORDER BY d.id`, range],
    debts: [
      `SELECT * FROM debts WHERE debtor_id > $1 AND debtor_id <= $2 AND status = 'open'`,
      range,
    ],
    points: [`SELECT * FROM contact_points WHERE debtor_id > $1 AND debtor_id <= $2`, range],
    payments: [`SELECT * FROM payments WHERE debtor_id > $1 AND debtor_id <= $2`, range],
    promises: [`SELECT * FROM promises WHERE debtor_id > $1 AND debtor_id <= $2`, range],
    assignments: [
      `SELECT a.id, a.debtor_id, a.collector_id, u.name AS collector_name, a.started_at
         FROM assignments a JOIN users u ON u.id = a.collector_id
         WHERE a.debtor_id > $1 AND a.debtor_id <= $2 AND a.ended_at IS NULL`,
      range,
    ],
  };
  for (const [name, [sql, params]] of Object.entries(statements)) {
    const cpus: number[] = [];
    const walls: number[] = [];
    let rows = 0;
    for (let r = 0; r < 8; r++) {
      const c = cpu();
      const t = performance.now();
      rows = (await db.query(sql, params)).length;
      cpus.push(cpu() - c);
      walls.push(performance.now() - t);
    }
    const min = (xs: number[]) => Math.min(...xs.slice(2)).toFixed(1);
    console.log(`${name}: ${rows} rows, cpu min ${min(cpus)} ms, wall min ${min(walls)} ms`);
  }
} finally {
  await db.close();
  await adminClient.query(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
  await adminClient.end();
}
