/**
 * The README's quick start, run as written: its command block is parsed from README.md and every
 * command in it is executed by the shell on a fresh data directory — except `npm ci`, which would
 * replace the node_modules this very test runs from; that one is the command CI runs on its clean
 * clone before the tests (asserted against .ci/run). The terminal lines the README shows must
 * appear (times, port and token aside); the app and the setup link answer; the demo command, run
 * as written beside the running server, loads through it and a second run adds nothing; Ctrl-C
 * stops the server cleanly. The pictures the README shows exist and are ones the browser test
 * (test/pwa-first-hour.test.ts) produces.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensurePwaBuilt } from '../server/pwa-build';

const ROOT = join(import.meta.dirname, '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The fenced block right after the `<!-- quick-start:NAME ... -->` marker. */
function block(name: string): string {
  const at = README.indexOf(`<!-- quick-start:${name}`);
  expect(at, `README marker quick-start:${name}`).toBeGreaterThanOrEqual(0);
  const match = /```[a-z]*\n([\s\S]*?)```/.exec(README.slice(at));
  return match?.[1]?.trim() ?? '';
}

/** Shell commands of a block: one per line, `a && b` split, comments dropped. */
function commands(name: string): string[] {
  return block(name)
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line !== '')
    .flatMap((line) => line.split('&&').map((c) => c.trim()));
}

/** A README output line as a pattern: HH:MM:SS any time, … anything, 8787 any port. */
function linePattern(line: string): RegExp {
  const escaped = line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(
    escaped
      .replace('HH:MM:SS', '\\d\\d:\\d\\d:\\d\\d')
      .replace(/…/g, '.+')
      .replace(/8787/g, '\\d+'),
  );
}

// Variables from the developer's shell must not leak into the run.
const SCRUBBED = /^(DATABASE_URL|PORT|HOST|QUITA_.*)$/;

describe('README quick start, as written', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let server: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    // The app is built here once, so `npm start` finds it fresh (a real first start builds it).
    expect(await ensurePwaBuilt(() => undefined)).toBeDefined();
    dir = mkdtempSync(join(tmpdir(), 'quita-readme-'));
    env = {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !SCRUBBED.test(k))),
      // A fresh ./data of its own, any free port (8787 may be taken), lines as a terminal shows
      // them, and a small demo so the check stays quick.
      QUITA_DATA_DIR: join(dir, 'data'),
      PORT: '0',
      QUITA_LOG_FORMAT: 'pretty',
      QUITA_DEMO_DEBTORS: '30',
    };
  }, 180_000);

  afterAll(async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      const closed = new Promise((done) => server?.once('close', done));
      process.kill(-(server.pid ?? 0), 'SIGINT');
      await closed;
    }
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  test(
    'the commands, what appears, the demo beside the running server',
    { timeout: 240_000 },
    async () => {
      const steps = commands('commands');
      expect(steps).toEqual(['npm ci', 'npm start']);
      // `npm ci` is what CI runs on its clean clone before `npm test`.
      expect(readFileSync(join(ROOT, '.ci/run'), 'utf8')).toMatch(/&& npm ci[ \n]/);

      // `npm start`, as written, in its own process group (Ctrl-C reaches npm and the server).
      const start = steps[1] ?? '';
      server = spawn('sh', ['-c', start], {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      server.stdout?.on('data', (c: Buffer) => (output += c.toString()));
      server.stderr?.on('data', (c: Buffer) => (output += c.toString()));
      const shown = block('output').split('\n');
      expect(shown.length).toBeGreaterThanOrEqual(2);
      await expect
        .poll(() => shown.every((line) => linePattern(line).test(output)), {
          timeout: 180_000,
          interval: 500,
        })
        .toBe(true);
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1] ?? '';
      const setupLink = /^ +(http:\/\/\S+\/setup\?token=\S+)$/m.exec(output)?.[1] ?? '';
      expect(setupLink.startsWith(`${url}/setup?token=`)).toBe(true);
      const page = await fetch(setupLink);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>Quita');

      // `npx quita demo`, as written, while the server runs: through it; again, nothing new.
      const demo = commands('demo');
      expect(demo).toEqual(['npx quita demo']);
      const run = () =>
        new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
          const child = spawn('sh', ['-c', demo[0] ?? ''], { cwd: ROOT, env });
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
          child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
          child.once('close', (code) => resolve({ code, stdout, stderr }));
        });
      const first = await run();
      expect(first.code, first.stderr).toBe(0);
      expect(first.stderr).toContain('carregando os dados por ele');
      expect(JSON.parse(first.stdout)).toMatchObject({
        organisation: { creditor: 'filled', pix: 'filled' },
        import: { debtors: { created: 30 } },
      });
      const second = await run();
      expect(second.code, second.stderr).toBe(0);
      const again = JSON.parse(second.stdout) as { inserted: Record<string, number> };
      expect(Object.values(again.inserted).every((n) => n === 0)).toBe(true);

      // Ctrl-C: SIGINT to the whole foreground group, as a terminal sends it.
      const closed = new Promise<void>((done) => server?.once('close', () => done()));
      process.kill(-(server.pid ?? 0), 'SIGINT');
      await closed;
      expect(output).toMatch(/info {2}stopped/);
      expect(existsSync(join(dir, 'data.lock'))).toBe(false);
    },
  );

  test('the pictures it shows exist and come from the browser test', () => {
    const pictures = [...README.matchAll(/\]\((test\/quick-start\/([\w-]+)\.png)\)/g)];
    expect(pictures.length).toBeGreaterThanOrEqual(6);
    const browserTest = readFileSync(join(ROOT, 'test/pwa-first-hour.test.ts'), 'utf8');
    for (const [, path, name] of pictures) {
      expect(existsSync(join(ROOT, path ?? '')), path).toBe(true);
      expect(browserTest, name).toContain(`'${name}', '${name}'`);
    }
  });
});
