/**
 * A throwaway PostgreSQL 15 cluster in a temp dir (initdb as the `postgres` user when running as
 * root, since initdb refuses root), listening on loopback only. Used by the test run's global
 * setup and by `npm run bench` when no PostgreSQL URL is given. For tests durability is switched
 * off (fsync, synchronous_commit): these clusters hold only disposable test data. The bench asks
 * for a `durable` cluster (PostgreSQL's defaults: fsync, synchronous_commit and full-page writes
 * on), because a commit's fsync is part of what a real server pays, and may preload
 * `pg_stat_statements` to count the statements a request issues.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PG_BIN = '/usr/lib/postgresql/15/bin';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

function quote(arg: string): string {
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

export interface ClusterOptions {
  /** Keep PostgreSQL's durability defaults (fsync on); default false (test data only). */
  durable?: boolean;
  /** Libraries for shared_preload_libraries, e.g. ['pg_stat_statements']. */
  preload?: readonly string[];
}

export async function startCluster(
  options: ClusterOptions = {},
): Promise<{ url: string; stop: () => void }> {
  const isRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'quita-pg-'));
  const run = (args: string[]) => {
    const command = args.map(quote).join(' ');
    return isRoot
      ? execFileSync('su', ['postgres', '-s', '/bin/bash', '-c', command], { stdio: 'pipe' })
      : execFileSync('/bin/bash', ['-c', command], { stdio: 'pipe' });
  };
  const data = join(dir, 'data');
  try {
    if (isRoot) execFileSync('chown', ['postgres:postgres', dir]);
    run([
      `${PG_BIN}/initdb`,
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    const port = await freePort();
    const durability = options.durable
      ? ''
      : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off';
    const preload =
      options.preload && options.preload.length > 0
        ? ` -c shared_preload_libraries=${options.preload.join(',')}`
        : '';
    run([
      `${PG_BIN}/pg_ctl`,
      '-D',
      data,
      '-l',
      join(dir, 'server.log'),
      '-w',
      '-t',
      '30',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200${durability}${preload}`,
      'start',
    ]);
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      stop: () => {
        try {
          run([`${PG_BIN}/pg_ctl`, '-D', data, '-m', 'fast', '-w', 'stop']);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    const log = existsSync(join(dir, 'server.log'))
      ? readFileSync(join(dir, 'server.log'), 'utf8')
      : '';
    rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(
      `could not start a throwaway PostgreSQL cluster: ${(error as Error).message}\n${stderr}\n${log}`,
    );
  }
}
