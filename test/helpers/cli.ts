/** Runs the real `quita` CLI (server/bin/quita.js) in a child process, as a user would. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const QUITA_BIN = join(import.meta.dirname, '../../server/bin/quita.js');

/** What a finished CLI run produced. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

// Variables from the developer's shell must not leak into a test's database choice.
const SCRUBBED = /^(DATABASE_URL|PORT|HOST|QUITA_.*)$/;

function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !SCRUBBED.test(key)),
  );
  // Spawned servers serve the API only unless a test asks for the PWA: parallel test files must
  // not race to rebuild dist/pwa.
  return { ...base, QUITA_PWA: '0', ...env };
}

function collect(child: ChildProcess): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Runs `quita ...args` to completion. */
export function runQuita(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return collect(
    spawn(process.execPath, [QUITA_BIN, ...args], {
      env: childEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}

/**
 * Starts `quita serve` on a free port and resolves once it prints its URL; `nodeArgs` go to the
 * node binary (e.g. --cpu-prof, which NODE_OPTIONS refuses).
 */
export async function startQuitaServer(
  env: Record<string, string>,
  timeoutMs = 60_000,
  nodeArgs: readonly string[] = [],
): Promise<{
  url: string;
  /** The server process id (benchmarks read its CPU time from /proc). */
  pid: number;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<CliRun>;
}> {
  const child = spawn(process.execPath, [...nodeArgs, QUITA_BIN, 'serve', '--port', '0'], {
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const done = collect(child);
  let seen = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`quita serve did not start:\n${seen}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /listening on (https?:\/\/[^\s"]+)/.exec(seen);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void done.then((run) => {
      clearTimeout(timer);
      reject(new Error(`quita serve exited with ${run.code}:\n${run.stdout}${run.stderr}`));
    });
  });
  return {
    url,
    pid: child.pid ?? 0,
    output: () => seen,
    stop: (signal = 'SIGTERM') => {
      child.kill(signal);
      return done;
    },
  };
}
