import { existsSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadMigrations } from '../db/migrate';
import { openPglite } from '../db/pglite';
import {
  availableDbKinds,
  createPostgresDatabase,
  databaseEnvFor,
  forEachDb,
} from '#test/helpers/test-db';
import { runQuita, startQuitaServer, type CliRun } from '#test/helpers/cli';
import { main } from './main';

// Each test spawns several processes that load tsx and a database: seconds each on a busy machine.
const SPAWN_TIMEOUT_MS = 120_000;

describe('quita (no database needed)', () => {
  function io() {
    const out = { stdout: '', stderr: '' };
    return {
      out,
      io: {
        stdout: (text: string) => void (out.stdout += text),
        stderr: (text: string) => void (out.stderr += text),
        env: {},
        cwd: process.cwd(),
      },
    };
  }

  test.each([
    { args: [], code: 2, out: /Usage: quita <command>/, err: /^$/ },
    { args: ['--help'], code: 0, out: /user add +create a user/, err: /^$/ },
    {
      args: ['frobnicate'],
      code: 2,
      out: /^$/,
      err: /^quita: comando desconhecido 'frobnicate'; veja 'quita --help'\n$/,
    },
    { args: ['user'], code: 2, out: /^$/, err: /tente: quita user add/ },
    { args: ['user', 'add', '--help'], code: 0, out: /Usage: quita user add --email/, err: /^$/ },
    { args: ['serve', '--help'], code: 0, out: /SIGTERM/, err: /^$/ },
    { args: ['migrate', '--help'], code: 0, out: /advisory lock/, err: /^$/ },
    {
      args: ['user', 'add', '--email', 'a@example.com', '--name', 'A', '--password', '0123456789'],
      code: 2,
      out: /^$/,
      err: /^quita user add: falta --role\n$/,
    },
    {
      args: [
        'user',
        'add',
        '--email',
        'nope',
        '--name',
        'A',
        '--role',
        'staff',
        '--password',
        '0123456789',
      ],
      code: 2,
      out: /^$/,
      err: /^quita user add: --email: e-mail inválido\n$/,
    },
    {
      args: [
        'user',
        'add',
        '--email',
        'a@example.com',
        '--name',
        'A',
        '--role',
        'staff',
        '--password',
        '0123456789',
      ],
      code: 2,
      out: /^$/,
      err: /^quita user add: --password: senha fraca: [^\n]+\n$/,
    },
    {
      args: ['user', 'add', '--wat'],
      code: 2,
      out: /^$/,
      err: /^quita user add: opção desconhecida: --wat\n$/,
    },
    {
      args: ['user', 'add', 'extra'],
      code: 2,
      out: /^$/,
      err: /^quita user add: argumento inesperado: extra\n$/,
    },
    {
      args: ['serve', '--port', 'eighty'],
      code: 2,
      out: /^$/,
      err: /^quita serve: --port: esperado um número de porta; recebido "eighty"\n$/,
    },
  ])('quita $args → exit $code', async ({ args, code, out, err }) => {
    const { io: cliIo, out: captured } = io();
    expect(await main(args, cliIo)).toBe(code);
    expect(captured.stdout).toMatch(out);
    expect(captured.stderr).toMatch(err);
  });

  test(
    'the real binary reports bad input with exit 2 and one line',
    async () => {
      const run = await runQuita([
        'user',
        'add',
        '--email',
        'a@example.com',
        '--name',
        'A',
        '--role',
        'boss',
        '--password',
        '0123456789',
      ]);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^quita user add: --role: papel inválido[^\n]*\n$/);
      expect(run.code).toBe(2);
    },
    SPAWN_TIMEOUT_MS,
  );
});

forEachDb((kind) => {
  // One database per kind, used in order: serve (creates the owner) → user add → a newer schema.
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ env, cleanup } = await databaseEnvFor(kind));
  });
  afterAll(async () => {
    await cleanup();
  }, SPAWN_TIMEOUT_MS);

  test(
    'serve boots, answers over HTTP, and on SIGTERM finishes the in-flight request and exits 0',
    async () => {
      const server = await startQuitaServer({
        ...env,
        QUITA_OWNER_EMAIL: 'dona@example.com',
        QUITA_OWNER_PASSWORD: 'owner passphrase 1',
      });
      let stopped: Promise<CliRun> | undefined;
      try {
        const health = await fetch(`${server.url}/api/health`);
        expect(await health.json()).toMatchObject({ status: 'ok', database: kind });
        // Login spends ~100 ms in scrypt: SIGTERM arrives while it is in flight.
        const login = fetch(`${server.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'dona@example.com', password: 'owner passphrase 1' }),
        });
        await new Promise((resolve) => setTimeout(resolve, 30));
        stopped = server.stop('SIGTERM');
        expect((await login).status).toBe(200);
        const run = await stopped;
        // JSON log lines, without the owner's e-mail (no personal data in logs).
        const lines = run.stdout
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as { msg: string });
        expect(lines.map((l) => l.msg)).toContain('created the owner from QUITA_OWNER_EMAIL');
        expect(run.stdout).not.toContain('dona@example.com');
        const msgs = lines.map((l) => l.msg);
        // The in-flight login's request line may come between the two.
        expect(msgs.indexOf('shutting down')).toBeGreaterThan(-1);
        expect(msgs.at(-1)).toBe('stopped');
        expect(msgs.indexOf('shutting down')).toBeLessThan(msgs.length - 1);
        expect(run.code).toBe(0);
      } finally {
        if (!stopped) await server.stop('SIGKILL');
      }
      if (kind === 'pglite') expect(existsSync(`${env['QUITA_DATA_DIR']}.lock`)).toBe(false);
      expect(await countLogins(kind, env)).toBe(1);
    },
    SPAWN_TIMEOUT_MS,
  );

  test(
    'user add creates a user once, then refuses the duplicate with exit 1',
    async () => {
      const args = [
        'user',
        'add',
        '--email',
        'Cobra@Example.com',
        '--name',
        'Cobradora',
        '--role',
        'collector',
        '--password',
        'uma senha longa',
      ];
      const first = await runQuita(args, env);
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(JSON.parse(first.stdout)).toMatchObject({
        email: 'cobra@example.com',
        role: 'collector',
        active: true,
      });
      const again = await runQuita(args, env);
      expect(again.code).toBe(1);
      expect(again.stderr).toBe(
        'quita user add: já existe um usuário com o e-mail cobra@example.com\n',
      );
      const migrate = await runQuita(['migrate'], env);
      expect(JSON.parse(migrate.stdout)).toEqual({
        database: kind,
        applied: [],
        current: loadMigrations().at(-1)?.version,
      });
    },
    SPAWN_TIMEOUT_MS,
  );

  test(
    'refuses to start on a database migrated by a newer Quita',
    async () => {
      await execSql(
        kind,
        env,
        `INSERT INTO schema_migrations (version, name, checksum) VALUES (9999, '9999-from-the-future', 'x')`,
      );
      const run = await runQuita(['serve', '--port', '0'], env);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /^quita serve: the database is at migration 9999-from-the-future, newer than this version of Quita knows/,
      );
    },
    SPAWN_TIMEOUT_MS,
  );
});

describe.runIf(availableDbKinds().includes('postgres'))('two processes on one PostgreSQL', () => {
  test(
    'migrate the empty database exactly once between them',
    async () => {
      const { url, drop } = await createPostgresDatabase();
      try {
        const runs = await Promise.all([
          runQuita(['migrate'], { DATABASE_URL: url }),
          runQuita(['migrate'], { DATABASE_URL: url }),
        ]);
        expect(runs.map((r) => r.code)).toEqual([0, 0]);
        const applied = runs.flatMap(
          (r) => (JSON.parse(r.stdout) as { applied: string[] }).applied,
        );
        expect(applied.sort()).toEqual(loadMigrations().map((m) => m.name));
      } finally {
        await drop();
      }
    },
    SPAWN_TIMEOUT_MS,
  );
});

async function execSql(
  kind: string,
  env: Record<string, string>,
  sql: string,
): Promise<Record<string, unknown>[]> {
  if (kind === 'pglite') {
    const db = await openPglite({ dataDir: env['QUITA_DATA_DIR'] ?? '' });
    try {
      return await db.query(sql);
    } finally {
      await db.close();
    }
  }
  const client = new pg.Client(env['DATABASE_URL']);
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

async function countLogins(kind: string, env: Record<string, string>): Promise<number> {
  const rows = await execSql(
    kind,
    env,
    `SELECT count(*)::int AS n FROM audit_log WHERE action = 'auth.login' AND ip = '127.0.0.1'`,
  );
  return Number(rows[0]?.['n']);
}
