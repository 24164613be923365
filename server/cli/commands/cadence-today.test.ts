import { afterAll, beforeAll, expect, test } from 'vitest';
import { openDb } from '../../db/open-db';
import { configureTestOrganisation, seedDebtor } from '../../cadence/testing';
import { databaseEnvFor, forEachDb } from '#test/helpers/test-db';
import { main } from '../main';

async function quita(args: string[], env: Record<string, string>) {
  const out = { stdout: '', stderr: '' };
  const code = await main(args, {
    stdout: (t) => void (out.stdout += t),
    stderr: (t) => void (out.stderr += t),
    env,
    cwd: process.cwd(),
  });
  return { code, ...out };
}

forEachDb((kind) => {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ env, cleanup } = await databaseEnvFor(kind));
    const db = await openDb({
      databaseUrl: env['DATABASE_URL'],
      dataDir: env['QUITA_DATA_DIR'] ?? '',
    });
    try {
      await configureTestOrganisation(db);
      for (let i = 0; i < 3; i++)
        await seedDebtor(db, {
          name: `Cliente ${i}`,
          email: `c${i}@example.com`,
          debts: [{ principal: 10_000, dueOn: '2025-03-05' }],
        });
      await seedDebtor(db, { name: 'Em dia', debts: [{ principal: 10_000, dueOn: '2025-04-30' }] });
    } finally {
      await db.close();
    }
  });
  afterAll(async () => {
    await cleanup();
  });

  test('prints the owner view of the whole day as JSON, walking every page', async () => {
    const run = await quita(['cadence', 'today', '--now', '2025-03-10T12:00:00Z'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as {
      date: string;
      items: { step: { id: string }; delivery: string; message: { body: string } }[];
      escalations: unknown[];
      scanned: number;
      nextCursor: null;
    };
    expect(out).toMatchObject({
      date: '2025-03-10',
      scanned: 4,
      nextCursor: null,
      escalations: [],
    });
    expect(out.items).toHaveLength(3);
    expect(out.items.every((i) => i.step.id === 'd+5' && i.delivery === 'smtp')).toBe(true);
    expect(out.items[0]?.message.body).toContain('CNPJ 11.222.333/0001-81');
  });

  test('--limit shows the first page only, with the cursor to continue', async () => {
    const run = await quita(
      ['cadence', 'today', '--now', '2025-03-10T12:00:00Z', '--limit', '2'],
      env,
    );
    const out = JSON.parse(run.stdout) as { scanned: number; nextCursor: string | null };
    expect(out.scanned).toBe(2);
    expect(out.nextCursor).not.toBeNull();
  });

  test.each([
    [['--channel', 'fax'], /--channel: esperado sms, whatsapp, email ou visit/],
    [['--limit', '0'], /--limit: esperado um número inteiro/],
    [['--now', 'yesterday'], /--now: esperado um instante ISO/],
  ])('%j → exit 2 with the reason', async (args, err) => {
    const run = await quita(['cadence', 'today', ...args], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(err);
  });
});

test('quita cadence today --help', async () => {
  const run = await quita(['cadence', 'today', '--help'], {});
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/Usage: quita cadence today/);
});
