import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { databaseEnvFor, forEachDb } from '#test/helpers/test-db';
import { PORTFOLIO_HEADERS } from '../../export/portfolio-export';
import { main } from '../main';

const FILE =
  'codigo_cliente;nome;cpf_cnpj;codigo_divida;valor;vencimento\r\n' +
  'X-1;=Cliente Fórmula;529.982.247-25;X-T1;1.234,56;10/01/2026\r\n' +
  'X-2;Empresa Nova;12.ABC.345/01DE-35;X-T2;10,00;10/01/2019\r\n';

forEachDb((kind) => {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  const dir = mkdtempSync(join(tmpdir(), 'quita-export-'));
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
    writeFileSync(join(dir, 'in.csv'), FILE);
    expect((await quita('import', 'debtors', 'in.csv')).code).toBe(0);
  });
  afterAll(async () => {
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  test('quita export portfolio --out writes the Excel CSV; to stdout without --out', async () => {
    const res = await quita('export', 'portfolio', '--out', 'carteira.csv');
    expect(res.code, res.stderr).toBe(0);
    const text = readFileSync(join(dir, 'carteira.csv'), 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const rows = Papa.parse<string[]>(text.slice(1).trim(), { delimiter: ';' }).data;
    expect(rows[0]).toEqual([...PORTFOLIO_HEADERS]);
    expect(rows.find((r) => r[0] === 'X-1')?.slice(1, 3)).toEqual([
      "'=Cliente Fórmula",
      '529.982.247-25',
    ]);
    expect(rows.find((r) => r[0] === 'X-2')?.[2]).toBe('12.ABC.345/01DE-35');
    const out = await quita('export', 'portfolio');
    expect(out.stdout).toBe(text);
  });

  test('quita export queue prints its header; a bad target is a usage error', async () => {
    const res = await quita('export', 'queue');
    expect(res.code).toBe(0);
    expect(res.stdout.split('\r\n')[0]).toMatch(/^\uFEFFdevedor;uf;cobrador;etapa/);
    expect((await quita('export', 'everything')).code).toBe(2);
    expect((await quita('export', 'portfolio', '--out', 'nope/x.csv')).code).toBe(2);
  });

  test('quita lgpd anonymise --dry-run lists nobody while debts are open', async () => {
    const res = await quita('lgpd', 'anonymise', '--dry-run');
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({ retentionDays: 1825, items: [] });
    expect((await quita('lgpd', 'anonymise', '--limit', '0')).code).toBe(2);
  });
});
