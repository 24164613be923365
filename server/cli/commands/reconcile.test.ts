import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { txidForDebt } from '#shared/pix/pix-txid';
import { databaseEnvFor, forEachDb } from '#test/helpers/test-db';
import { ofxFile } from '#test/helpers/ofx';
import { openDb } from '../../db/open-db';
import { main } from '../main';

const HEADER =
  'external_id,name,document,email,phone,address,city,state,debt_id,description,amount,due_date';

forEachDb((kind) => {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  const dir = mkdtempSync(join(tmpdir(), 'quita-reconcile-'));
  const file = (name: string, bytes: Uint8Array | string) => {
    writeFileSync(join(dir, name), bytes);
    return join(dir, name);
  };
  async function quita(...args: string[]) {
    const out = { stdout: '', stderr: '' };
    const code = await main(args, {
      stdout: (t) => void (out.stdout += t),
      stderr: (t) => void (out.stderr += t),
      env,
      cwd: dir,
    });
    return { code, ...out };
  }

  beforeAll(async () => {
    ({ env, cleanup } = await databaseEnvFor(kind));
  });
  afterAll(async () => {
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  test('without an owner the CLI says who to create', async () => {
    const res = await quita('reconcile', file('empty.ofx', ofxFile([])));
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/não há proprietário cadastrado/);
  });

  test('reconciles, says what happened, and the same file again changes nothing', async () => {
    expect(
      (
        await quita(
          'user',
          'add',
          '--email',
          'dona@example.com',
          '--name',
          'Dona',
          '--role',
          'owner',
          '--password',
          'sabiá laranjeira 1987 cantou',
        )
      ).code,
    ).toBe(0);
    const imported = await quita(
      'import',
      'debtors',
      file('d.csv', `${HEADER}\nR-1,Rita Reis,181.590.830-09,,,,,,R-T1,Plano,124.17,2099-01-10\n`),
    );
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    // The debt's id is what the txid derives from; the import made it.
    const db = await openDb({
      databaseUrl: env['DATABASE_URL'],
      dataDir: env['QUITA_DATA_DIR'] ?? join(dir, 'unused'),
    });
    const [row] = await db.query<{ id: string }>(`SELECT id FROM debts WHERE external_id = 'R-T1'`);
    await db.close();
    const debtId = row?.id ?? '';
    const statement = file(
      'extrato.ofx',
      ofxFile([
        {
          fitid: 'C1',
          date: '2026-03-10',
          amount: 12_417,
          memo: `PIX RECEBIDO ${txidForDebt(debtId)}`,
        },
        { fitid: 'C2', date: '2026-03-10', amount: 5_000, memo: 'TED DE TERCEIRO' },
        { fitid: 'D1', date: '2026-03-10', amount: -300, memo: 'TARIFA' },
      ]),
    );
    const first = await quita('reconcile', statement, '--list');
    expect(first.code, first.stderr).toBe(0);
    const summary = JSON.parse(first.stdout) as Record<string, unknown> & {
      review: { fitid: string; status: string }[];
    };
    expect(summary).toMatchObject({
      format: 'ofx',
      credits: 2,
      autoConfirmed: 1,
      unmatched: 1,
      alreadySeen: 0,
      debits: 1,
    });
    expect(summary.review.map((c) => [c.fitid, c.status])).toEqual([['C2', 'unmatched']]);
    const again = await quita('reconcile', statement);
    expect(JSON.parse(again.stdout)).toMatchObject({
      statementId: null,
      alreadySeen: 2,
      autoConfirmed: 0,
    });
  });

  test('a malformed file exits 1 with the reason in one line', async () => {
    const res = await quita(
      'reconcile',
      file('bad.ofx', 'OFXHEADER:100\r\n\r\n<OFX><BANKMSGSRSV1>'),
    );
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/^quita reconcile: o extrato OFX está malformado/);
  });

  test.each([
    [['reconcile'], /informe exatamente um ARQUIVO/],
    [['reconcile', 'nao-existe.ofx'], /arquivo não encontrado/],
    [['reconcile', 'x.ofx', '--as'], /precisa de um valor/],
  ])('%j is bad usage', async (argv, reason) => {
    const res = await quita(...argv);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(reason);
  });
});
