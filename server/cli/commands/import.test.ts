import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { databaseEnvFor, forEachDb } from '#test/helpers/test-db';
import { main } from '../main';

const HEADER =
  'external_id,name,document,email,phone,address,city,state,debt_id,description,amount,due_date';
const GOOD = 'K-1,Ana Cli,181.590.830-09,,,,,,K-T1,Plano,10.00,2026-01-10';
const BAD = 'K-2,Bea Cli,181.590.830-00,,,,,,K-T2,Plano,10.00,2026-01-10';

forEachDb((kind) => {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  const dir = mkdtempSync(join(tmpdir(), 'quita-import-'));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
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

  test('a clean file imports with exit 0, again as unchanged; a dry run writes nothing', async () => {
    const path = file('good.csv', `${HEADER}\n${GOOD}\n`);
    const dry = await quita('import', 'debtors', path, '--dry-run');
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, debts: { created: 1 } });
    const first = await quita('import', 'debtors', 'good.csv');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      dryRun: false,
      debts: { created: 1 },
      errors: [],
    });
    const again = await quita('import', 'debtors', path);
    expect(JSON.parse(again.stdout)).toMatchObject({
      debtors: { unchanged: 1 },
      debts: { unchanged: 1 },
    });
  });

  test('a row error prints the report and exits 1', async () => {
    const res = await quita('import', 'debtors', file('bad.csv', `${HEADER}\n${GOOD}\n${BAD}\n`));
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stdout)).toMatchObject({
      errors: [{ line: 3, column: 'document' }],
      errorCount: 1,
    });
  });

  test('a missing column exits 1 naming it', async () => {
    const res = await quita('import', 'debtors', file('cols.csv', 'external_id,name\nK-9,X\n'));
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(
      /faltam as colunas cpf_cnpj \(document\), codigo_divida \(debt_id\)/,
    );
  });

  test.each([
    [['import', 'debtors'], /informe exatamente um ARQUIVO\.csv/],
    [['import', 'debtors', 'nope.csv'], /arquivo não encontrado/],
    [['import', 'debtors', 'a.csv', '--frob'], /opção desconhecida: --frob/],
  ])('usage error %j exits 2', async (args, message) => {
    const res = await quita(...args);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(message);
  });
});
