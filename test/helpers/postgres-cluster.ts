/**
 * A throwaway PostgreSQL 15 cluster in a temp dir (initdb as the `postgres` user when running as
 * root, since initdb refuses root), listening on loopback only. Used by the test run's global
 * setup and by `npm run bench` when no PostgreSQL URL is given. Durability is switched off
 * (fsync, synchronous_commit): these clusters hold only disposable test data.
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

/**
 * `durable`: keep PostgreSQL's defaults (fsync, synchronous_commit and full-page writes on), for
 * benchmarks that must pay for durability as production does.
 */
export async function startCluster(
  options: { durable?: boolean } = {},
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
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 ${options.durable ? '-c fsync=on -c synchronous_commit=on -c full_page_writes=on' : '-c fsync=off -c synchronous_commit=off -c full_page_writes=off'} -c max_connections=200`,
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
