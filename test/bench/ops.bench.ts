/**
 * Operations: backups of a 100,000-debtor portfolio and the server's memory.
 *
 * Backups (each as a separate process, as an owner or cron runs it):
 * - PGlite: `quita backup FILE` (opens the directory, CHECKPOINT, dump under the transaction
 *   lock, fsync'd atomic write, a row in ops_backups) beside a bare node process that opens the
 *   same directory with PGlite and writes `dumpDataDir('gzip')` — the floor of a PGlite copy.
 *   Then, once, the same command while `quita serve` holds the directory (through its admin
 *   socket: the snapshot a running server makes).
 * - PostgreSQL (fsync on): `quita backup FILE` (pg_dump custom format + the record) beside a
 *   bare `pg_dump --format=custom` of the same database.
 * File sizes are printed with each row.
 *
 * Memory: resident set (VmRSS) of `quita serve` once it listens — on a new PGlite directory (first
 * start), on an existing one (restart), and on PostgreSQL — beside a bare node process doing
 * only the database part with PGlite's defaults (initdb in process, shared_buffers 128MB) or a
 * `pg` pool.
 *
 * QUITA_BENCH_OPS_DEBTORS (default 100000) and QUITA_BENCH_OPS_ROUNDS (default 3).
 */
import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import type { Db } from '../../server/db/db';
import { migrate } from '../../server/db/migrate';
import { openPglite } from '../../server/db/pglite';
import { openPostgres } from '../../server/db/postgres';
import { openDebtorImport } from '../../server/import/import-debtors';
import { QUITA_BIN } from '../helpers/cli';
import { portfolioCsvPath } from '../portfolio';
import { compare, type BenchResult } from './harness';

const PGLITE_ENTRY = pathToFileURL(
  createRequire(import.meta.url).resolve('@electric-sql/pglite'),
).href;

function exec(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  execFileSync(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
}

function quitaEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|QUITA_.*|PORT|HOST)$/.test(k)),
  );
  return { ...base, QUITA_PWA: '0', QUITA_BACKUP_AT: 'off', QUITA_LOG_LEVEL: 'info', ...extra };
}

async function importPortfolio(db: Db, path: string): Promise<number> {
  const importer = await openDebtorImport(db, createReadStream(path), {
    actor: null,
    source: 'cli',
  });
  const report = await importer.run();
  if (report.errorCount > 0) throw new Error(`import errors: ${report.errors[0]?.message}`);
  return report.rows;
}

const size = (file: string) => `${(statSync(file).size / 1e6).toFixed(1)} MB`;

/** VmRSS of `pid` in MiB. */
function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** Starts a node process, waits for `ready` in its output, then 2 s, and returns its RSS. */
async function rssOf(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<number> {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let seen = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not ready: ${seen}`)), 180_000);
      const on = (d: Buffer) => {
        seen += d.toString();
        if (ready.test(seen)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', on);
      child.stderr.on('data', on);
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${seen}`)));
    });
    await new Promise((r) => setTimeout(r, 2000));
    return rssMiB(child.pid as number);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('close', r));
  }
}

const BARE_PGLITE = `
const { PGlite } = await import(process.argv[1]);
const pg = await PGlite.create({ dataDir: process.argv[2] });
await pg.query('SELECT 1');
console.log('ready');
setInterval(() => {}, 1000);
process.on('SIGTERM', async () => { await pg.close(); process.exit(0); });
`;

const BARE_PG = `
const pg = (await import('pg')).default;
const pool = new pg.Pool({ connectionString: process.argv[1], max: 10 });
await pool.query('SELECT 1');
console.log('ready');
setInterval(() => {}, 1000);
process.on('SIGTERM', async () => { await pool.end(); process.exit(0); });
`;

const BARE_DUMP = `
const { PGlite } = await import(process.argv[1]);
const { writeFileSync } = await import('node:fs');
const pg = await PGlite.create({ dataDir: process.argv[2] });
const blob = await pg.dumpDataDir('gzip');
writeFileSync(process.argv[3], Buffer.from(await blob.arrayBuffer()));
await pg.close();
`;

async function memory(pgUrl: string | undefined): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'quita-mem-'));
  try {
    const rows: string[] = [];
    const serve = [QUITA_BIN, 'serve', '--port', '0'];
    const first = await rssOf(serve, quitaEnv({ QUITA_DATA_DIR: join(dir, 'q') }), /listening on/);
    const bareFirst = await rssOf(
      ['--input-type=module', '-e', BARE_PGLITE, PGLITE_ENTRY, join(dir, 'b')],
      process.env,
      /ready/,
    );
    rows.push(
      `| first start, new PGlite directory | ${first} MiB | bare PGlite.create (initdb in process, defaults): ${bareFirst} MiB |`,
    );
    const again = await rssOf(serve, quitaEnv({ QUITA_DATA_DIR: join(dir, 'q') }), /listening on/);
    const bareAgain = await rssOf(
      ['--input-type=module', '-e', BARE_PGLITE, PGLITE_ENTRY, join(dir, 'b')],
      process.env,
      /ready/,
    );
    rows.push(
      `| restart, existing PGlite directory | ${again} MiB | bare PGlite.create (defaults): ${bareAgain} MiB |`,
    );
    const untuned = await rssOf(
      serve,
      quitaEnv({ QUITA_DATA_DIR: join(dir, 'q'), QUITA_PGLITE_SHARED_BUFFERS: '128MB' }),
      /listening on/,
    );
    rows.push(
      `| restart with QUITA_PGLITE_SHARED_BUFFERS=128MB (PGlite's default) | ${untuned} MiB | — |`,
    );
    if (pgUrl) {
      const onPg = await rssOf(serve, quitaEnv({ DATABASE_URL: pgUrl }), /listening on/);
      const barePg = await rssOf(
        ['--input-type=module', '-e', BARE_PG, pgUrl],
        process.env,
        /ready/,
      );
      rows.push(`| start on PostgreSQL | ${onPg} MiB | bare node + pg pool: ${barePg} MiB |`);
    }
    console.log(
      [
        '\n### memory (VmRSS once listening)\n',
        '| server | Quita | baseline (same run) |',
        '|---|---:|---|',
        ...rows,
      ].join('\n'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchResult[]> {
  const debtors = Number(process.env['QUITA_BENCH_OPS_DEBTORS'] ?? '100000');
  const rounds = Number(process.env['QUITA_BENCH_OPS_ROUNDS'] ?? '3');
  const pgUrl = process.env['QUITA_BENCH_DATABASE_URL'] ?? process.env['QUITA_TEST_DATABASE_URL'];
  const csv = portfolioCsvPath(debtors);
  const unit = `${debtors.toLocaleString('en')} debtors`;
  const results: BenchResult[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'quita-bench-ops-'));
  try {
    // PGlite on disk, the portfolio imported.
    const dataDir = join(dir, 'data');
    const db = await openPglite({ dataDir, sharedBuffers: '32MB' });
    await migrate(db);
    const imported = await importPortfolio(db, csv);
    console.error(`bench ops: PGlite holds ${imported} imported rows`);
    await db.close();

    const cli = await compare(
      'backup PGlite, as a command',
      unit,
      {
        name: '`quita backup FILE` (no server running)',
        run: () =>
          exec(
            process.execPath,
            [QUITA_BIN, 'backup', join(dir, 'cli.pglite.tar.gz')],
            quitaEnv({ QUITA_DATA_DIR: dataDir }),
          ),
      },
      {
        name: 'node: PGlite.create + dumpDataDir(gzip) + write',
        run: () =>
          exec(process.execPath, [
            '--input-type=module',
            '-e',
            BARE_DUMP,
            PGLITE_ENTRY,
            dataDir,
            join(dir, 'bare.tar.gz'),
          ]),
      },
      rounds,
    );
    cli.extra = {
      'quita file': size(join(dir, 'cli.pglite.tar.gz')),
      'bare file': size(join(dir, 'bare.tar.gz')),
    };
    results.push(cli);

    // Once more while a server holds the directory: the backup goes through its admin socket.
    const server = spawn(process.execPath, [QUITA_BIN, 'serve', '--port', '0'], {
      env: quitaEnv({ QUITA_DATA_DIR: dataDir, QUITA_LOG_LEVEL: 'info' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let seen = '';
      await new Promise<void>((resolve, reject) => {
        server.stdout.on('data', (d: Buffer) => {
          seen += d.toString();
          if (seen.includes('listening on')) resolve();
        });
        server.once('exit', (code) => reject(new Error(`serve exited ${code}: ${seen}`)));
      });
      const times: number[] = [];
      for (let i = 0; i < rounds; i++) {
        const t = performance.now();
        exec(
          process.execPath,
          [QUITA_BIN, 'backup', join(dir, 'live.pglite.tar.gz')],
          quitaEnv({ QUITA_DATA_DIR: dataDir }),
        );
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      console.log(
        `backup PGlite while serving (admin socket): median ${times[Math.floor(times.length / 2)]?.toFixed(0)} ms over ${rounds}, file ${size(join(dir, 'live.pglite.tar.gz'))}`,
      );
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('close', r));
    }

    if (pgUrl) {
      const name = `quita_bench_ops_${process.pid}`;
      const admin = new pg.Client(pgUrl);
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const url = new URL(pgUrl);
      url.pathname = `/${name}`;
      const pgDb = openPostgres(url.toString(), { max: 4 });
      try {
        await migrate(pgDb);
        await importPortfolio(pgDb, csv);
        await pgDb.query('CHECKPOINT').catch(() => undefined);
      } finally {
        await pgDb.close();
      }
      const r = await compare(
        'backup PostgreSQL, as a command',
        unit,
        {
          name: '`quita backup FILE` (pg_dump -Fc + record)',
          run: () =>
            exec(
              process.execPath,
              [QUITA_BIN, 'backup', join(dir, 'q.pgdump')],
              quitaEnv({ DATABASE_URL: url.toString() }),
            ),
        },
        {
          name: 'pg_dump --format=custom',
          run: () =>
            exec('pg_dump', [
              '--format=custom',
              `--file=${join(dir, 'b.pgdump')}`,
              `--dbname=${url.toString()}`,
            ]),
        },
        rounds,
      );
      r.extra = {
        'quita file': size(join(dir, 'q.pgdump')),
        'bare file': size(join(dir, 'b.pgdump')),
      };
      results.push(r);
      const drop = new pg.Client(pgUrl);
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end();
    } else console.error('bench ops: no PostgreSQL URL; PostgreSQL rows skipped');
    for (const r of results)
      console.log(
        `${r.group}: ${Object.entries(r.extra ?? {})
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
      );
    await memory(pgUrl);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
