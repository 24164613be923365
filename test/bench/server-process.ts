/**
 * Servers for the out-of-process benchmarks: the real `quita serve` (test/helpers/cli.ts) and the
 * bare Hono baseline (./bare-server.ts), each a separate Node process reached over loopback HTTP,
 * with their CPU time read from /proc so a figure can say whether the server or the database was
 * busy. `QUITA_BENCH_PROFILE=1` starts `quita serve` under `--cpu-prof` (profile written when it
 * stops; summarised by ./cpu-profile.ts).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startQuitaServer } from '../helpers/cli';

export interface BenchServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const TICKS_PER_SECOND = 100;

/** User + system CPU time of a process so far (ms), from /proc; 0 when unreadable. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at state (field 3).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

export const PROFILE = process.env['QUITA_BENCH_PROFILE'] === '1';

/** `quita serve` on the given database environment (QUITA_DATA_DIR or DATABASE_URL). */
export async function startQuita(
  env: Record<string, string>,
  profileDir?: string,
): Promise<BenchServer> {
  const server = await startQuitaServer(
    env,
    120_000,
    profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  );
  return {
    url: server.url,
    pid: server.pid,
    stop: async () => {
      const run = await server.stop('SIGTERM');
      if (run.code !== 0) throw new Error(`quita serve exited with ${run.code}:\n${run.stderr}`);
    },
  };
}

/** The bare Hono baseline process. */
export async function startBare(): Promise<BenchServer> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'bare-server.ts')],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`bare server did not start: ${seen}`)), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(seen);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bare server exited with ${code}`));
    });
  });
  return {
    url,
    pid: child.pid ?? 0,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
