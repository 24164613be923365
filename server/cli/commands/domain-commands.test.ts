import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { CliIo } from '../command';
import { parsePixPayload } from '#shared/pix/pix-payload';
import { txidForDebt, txidForDebtor, txidForInstallment } from '#shared/pix/pix-txid';
import { main } from '../main';

async function cli(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: {},
    cwd: process.cwd(),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

const BCB_EXAMPLE =
  '00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D';

const DEBT = '0192d6a0-7c3e-7b2a-9f10-3c4d5e6f7a8b';
const AGREEMENT = '0192d6a0-7c3e-7b2a-9f10-3c4d5e6f7a8c';

describe('quita pix', () => {
  test('prints the BCB manual example with the debt’s txid through the real binary', () => {
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'quita.js');
    const out = execFileSync(
      process.execPath,
      [
        bin,
        'pix',
        '--key',
        '123e4567-e12b-12d1-a456-426655440000',
        '--name',
        'Fulano de Tal',
        '--city',
        'BRASILIA',
        '--open-amount',
        '--debt',
        DEBT,
      ],
      { encoding: 'utf8' },
    ).trim();
    // The manual's example, with field 62 carrying the txid instead of "***" and the CRC redone.
    const body = BCB_EXAMPLE.slice(0, BCB_EXAMPLE.indexOf('6207'));
    expect(out.startsWith(`${body}62290525${txidForDebt(DEBT)}6304`)).toBe(true);
    const parsed = parsePixPayload(out);
    expect(parsed.ok && parsed.value.txid).toBe(txidForDebt(DEBT));
    expect(out).not.toContain('***');
  });

  test('a name over 25 characters exits 2 with a one-line reason', () => {
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'quita.js');
    const res = spawnSync(
      process.execPath,
      [
        bin,
        'pix',
        '--key',
        'fulano@example.com',
        '--name',
        'Comércio de Roupas e Calçados Ltda',
        '--city',
        'Recife',
        '--amount',
        '10,00',
        '--debt',
        DEBT,
      ],
      { encoding: 'utf8' },
    );
    expect(res.status).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/--name: o nome passa de 25 caracteres/);
  });

  const base = ['pix', '--key', 'x@y.com', '--name', 'A', '--city', 'B'];
  test.each([
    [['pix', '--name', 'A', '--city', 'B', '--open-amount', '--debt', DEBT], /falta --key/],
    [[...base, '--amount', '1.234', '--debt', DEBT], /--amount: o valor "1\.234" é ambíguo/],
    [
      [...base, '--amount', '0', '--debt', DEBT],
      /--amount: o valor deve ser maior que zero.*--open-amount/,
    ],
    [[...base, '--amount', '0,00', '--debt', DEBT], /maior que zero/],
    [[...base, '--debt', DEBT], /falta --amount \(ou --open-amount/],
    [[...base, '--amount', '1,00', '--open-amount', '--debt', DEBT], /não os dois/],
    [[...base, '--amount', '1,00'], /informe --debt, --debtor, --installment ou --txid/],
    [[...base, '--amount', '1,00', '--txid', '***'], /--txid: "\*\*\*"/],
    [[...base, '--amount', '1,00', '--debt', DEBT, '--txid', 'X1'], /só uma destas opções/],
    [[...base, '--amount', '1,00', '--debt', 'debt-1'], /--debt: o identificador deve ser um UUID/],
    [[...base, '--amount', '1,00', '--installment', AGREEMENT], /--installment: use ACORDO:N/],
    [[...base, '--amount', '1,00', '--txid', 'has space'], /--txid/],
    [
      ['pix', '--key', '123', '--name', 'A', '--city', 'B', '--open-amount', '--debt', DEBT],
      /--key/,
    ],
    [['pix', '--parse', `${BCB_EXAMPLE.slice(0, -4)}0000`], /CRC/i],
    [['pix', '--bogus'], /opção desconhecida: --bogus/],
  ])('%j is refused', async (argv, reason) => {
    const res = await cli(argv);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(reason);
  });

  test.each([
    { flags: ['--debt', DEBT], txid: txidForDebt(DEBT) },
    { flags: ['--debtor', DEBT], txid: txidForDebtor(DEBT) },
    { flags: ['--installment', `${AGREEMENT}:2`], txid: txidForInstallment(AGREEMENT, 2) },
    { flags: ['--txid', 'T0000001'], txid: 'T0000001' },
  ])('$flags names the txid $txid', async ({ flags, txid }) => {
    const built = await cli([...base, '--amount', '12,34', ...flags, '--json']);
    expect(built.code).toBe(0);
    expect(JSON.parse(built.stdout)).toMatchObject({ txid });
    const payload = (JSON.parse(built.stdout) as { payload: string }).payload;
    expect(parsePixPayload(payload)).toMatchObject({ ok: true, value: { txid, amount: 1234 } });
  });

  test('"Loja 1º de Maio" is folded, not refused', async () => {
    const built = await cli([
      'pix',
      '--key',
      'loja@example.com',
      '--name',
      'Loja 1º de Maio',
      '--city',
      '2ª Vila',
      '--amount',
      '5,00',
      '--debt',
      DEBT,
    ]);
    expect(built.code).toBe(0);
    expect(built.stdout).toContain('5915Loja 1o de Maio60072a Vila');
  });

  test('amount and txid go into the payload; --json and --parse round-trip', async () => {
    const built = await cli([
      'pix',
      '--key',
      'loja@example.com',
      '--name',
      'Padaria São José',
      '--city',
      'São Paulo',
      '--amount',
      '1.234,56',
      '--txid',
      'T0000001',
      '--json',
    ]);
    expect(built.code).toBe(0);
    const { payload, crc } = JSON.parse(built.stdout) as { payload: string; crc: string };
    expect(payload).toContain('54071234.56');
    expect(payload).toContain('5916Padaria Sao Jose');
    expect(payload).toContain('6009Sao Paulo');
    expect(payload).toContain('0508T0000001');
    const parsed = await cli(['pix', '--parse', payload]);
    expect(parsed.code).toBe(0);
    expect(JSON.parse(parsed.stdout)).toMatchObject({ amount: 123456, txid: 'T0000001', crc });
  });

  test('an open amount is explicit and leaves field 54 out', async () => {
    const built = await cli([...base, '--open-amount', '--debt', DEBT, '--json']);
    expect(built.code).toBe(0);
    const { payload } = JSON.parse(built.stdout) as { payload: string };
    expect(payload).toContain('53039865802BR');
  });
});

describe('quita charges', () => {
  test('itemises multa, juros and a payment imputed to interest first', async () => {
    // R$ 1.000,00 due 2026-10-01, 30 days late on 2026-10-31: multa 2% = 20,00; juros 1% a.m. × 30/30 = 10,00.
    const res = await cli([
      'charges',
      '--principal',
      '1.000,00',
      '--due',
      '01/10/2026',
      '--as-of',
      '2026-10-31',
    ]);
    expect(res.code).toBe(0);
    const b = JSON.parse(res.stdout) as Record<string, number>;
    expect(b).toMatchObject({
      principal: 100000,
      fine: 2000,
      interest: 1000,
      totalDue: 103000,
      daysOverdue: 30,
    });
    const paid = await cli([
      'charges',
      '--principal',
      '1000.00',
      '--due',
      '2026-10-01',
      '--as-of',
      '2026-10-31',
      '--payment',
      '2026-10-31:15,00',
    ]);
    const p = JSON.parse(paid.stdout) as { open: Record<string, number>; totalDue: number };
    expect(p.totalDue).toBe(101500);
    expect(p.open.interest).toBe(0); // 10,00 of interest paid first…
    expect(p.open.fine).toBe(1500); // …then 5,00 of the fine
    expect(p.open.principal).toBe(100000);
  });

  test('a consumer multa above 2% is capped with a warning', async () => {
    const res = await cli([
      'charges',
      '--principal',
      '100,00',
      '--due',
      '2026-10-01',
      '--as-of',
      '2026-10-02',
      '--fine-bps',
      '1000',
    ]);
    const b = JSON.parse(res.stdout) as { fine: number; warnings: { code: string }[] };
    expect(b.fine).toBe(200);
    expect(b.warnings.map((w) => w.code)).toEqual(['consumer-fine-capped']);
  });

  test.each([
    [['charges', '--due', '2026-10-01', '--as-of', '2026-10-02'], /falta --principal/],
    [
      ['charges', '--principal', 'abc', '--due', '2026-10-01', '--as-of', '2026-10-02'],
      /--principal/,
    ],
    [['charges', '--principal', '10,00', '--due', '31/02/2026', '--as-of', '2026-10-02'], /--due/],
    [
      [
        'charges',
        '--principal',
        '10,00',
        '--due',
        '2026-10-01',
        '--as-of',
        '2026-10-02',
        '--kind',
        'x',
      ],
      /--kind/,
    ],
    [
      [
        'charges',
        '--principal',
        '10,00',
        '--due',
        '2026-10-01',
        '--as-of',
        '2026-10-02',
        '--issue',
        '2026-11-01',
      ],
      /--due: o vencimento não pode ser anterior à emissão/,
    ],
    [
      [
        'charges',
        '--principal',
        '10,00',
        '--due',
        '2026-10-01',
        '--as-of',
        '2026-10-02',
        '--payment',
        '2026-10-01',
      ],
      /--payment/,
    ],
  ])('%j is refused', async (argv, reason) => {
    const res = await cli(argv);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(reason);
  });
});
