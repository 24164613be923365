import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Role } from '#shared/auth/user.schema';
import { portfolioCsvPath } from '#test/portfolio';
import { createApp } from '../app';
import type { Db } from '../db/db';
import type { ImportReport } from '../import/import-debtors';
import { forEachDb, openTestDb } from '#test/helpers/test-db';
import { seedUser, type SeededUser } from '#test/helpers/auth';
import { expectProblem } from '#test/helpers/http';
import { cpf } from '#test/helpers/ledger';

const HEADER =
  'external_id,name,document,email,phone,address,city,state,debt_id,description,amount,due_date';
const CPF = '181.590.830-09';
// An alphanumeric CNPJ (Receita Federal, from July 2026) that no portfolio debtor has.
const NEW_CNPJ = 'Q1.W2E.3R4/T5Y6-09';
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n') + '\n';

async function count(db: Db, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params);
  return row?.n ?? -1;
}

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  const users = {} as Record<Role, SeededUser>;
  const portfolio = readFileSync(portfolioCsvPath(), 'utf8');
  const post = (
    body: string | Uint8Array<ArrayBuffer>,
    options: { role?: Role; query?: string; headers?: Record<string, string> } = {},
  ) =>
    app.request(`/api/import/debtors${options.query ?? ''}`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'text/csv',
        ...users[options.role ?? 'staff'].headers,
        ...options.headers,
      },
    });
  const importCsv = async (
    body: string | Uint8Array<ArrayBuffer>,
    options: Parameters<typeof post>[1] = {},
  ) => {
    const res = await post(body, options);
    expect(res.status).toBe(200);
    return (await res.json()) as ImportReport;
  };

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test' });
    for (const role of ['owner', 'staff', 'collector'] as const)
      users[role] = await seedUser(db, role);
  });
  afterAll(async () => {
    await db.close();
  });

  describe('the shared 5k portfolio', () => {
    test('imports every row, feeds the change log and audits the import', async () => {
      const report = await importCsv(portfolio, { role: 'owner' });
      expect(report).toMatchObject({
        dryRun: false,
        rows: 10_090,
        debtors: { created: 5000, updated: 0, unchanged: 0 },
        debts: { created: 10_090, updated: 0, unchanged: 0 },
        errors: [],
        errorCount: 0,
        complete: true,
      });
      expect(await count(db, 'debtors')).toBe(5000);
      expect(await count(db, 'debts')).toBe(10_090);
      const points = await count(db, 'contact_points');
      expect(points).toBe(10_000);
      // The feed: nothing for a debtor created by the import, nor for the contact points and debts
      // written with it (nobody can have been assigned it; assigning sends it whole). Only a debt
      // of a debtor created by an earlier chunk (its rows straddle a chunk's end) has its row.
      const fed = await db.query<{ entity: string; siblings: number }>(
        `SELECT c.entity, (SELECT count(*)::int FROM debts s WHERE s.debtor_id = c.debtor_id) AS siblings
         FROM changes c WHERE c.op = 'insert' AND c.entity <> 'user'`,
      );
      // At most one straddling debtor per chunk boundary: PGlite's chunks are at least 20 rows.
      expect(fed.length).toBeLessThan(10_090 / 20);
      for (const row of fed) expect(row).toMatchObject({ entity: 'debt' });
      for (const row of fed) expect(row.siblings).toBeGreaterThanOrEqual(2);
      const [debtor] = await db.query<Record<string, unknown>>(
        `SELECT d.kind, d.document, d.state, d.city, d.address_line,
                (SELECT value FROM contact_points WHERE debtor_id = d.id AND kind = 'phone') AS phone,
                (SELECT value FROM contact_points WHERE debtor_id = d.id AND kind = 'email') AS email,
                (SELECT count(*)::int FROM contact_point_keys WHERE debtor_id = d.id) AS keys
         FROM debtors d WHERE external_id = 'C000001'`,
      );
      expect(debtor).toEqual({
        kind: 'person',
        document: '18159083009',
        state: 'RJ',
        city: 'Niterói',
        address_line: 'Avenida Paulista, 372',
        phone: '+5521977121144',
        email: 'leandro.souza1@example.com',
        keys: 3,
      });
      const [debt] = await db.query(
        `SELECT principal_cents, due_on, description FROM debts WHERE external_id = 'T0000001'`,
      );
      expect(debt).toEqual({
        principal_cents: 10_220,
        due_on: '2026-06-24',
        description: 'Compra a prazo',
      });
      const [entry] = await db.query<{ actor_id: string; detail: Record<string, unknown> }>(
        `SELECT actor_id, detail FROM audit_log WHERE action = 'debtors.import'`,
      );
      expect(entry?.actor_id).toBe(users.owner.user.id);
      expect(entry?.detail).toMatchObject({ source: 'api', rows: 10_090, errorCount: 0 });
    }, 120_000);

    test('importing the same file again changes nothing', async () => {
      const changesBefore = await count(db, 'changes');
      const report = await importCsv(portfolio);
      expect(report.debtors).toEqual({ created: 0, updated: 0, unchanged: 5000 });
      expect(report.debts).toEqual({ created: 0, updated: 0, unchanged: 10_090 });
      expect(await count(db, 'changes')).toBe(changesBefore);
    });

    test('a changed row is an update with a new version in the feed', async () => {
      const lines = portfolio.split('\n');
      // Line 2: debtor C000001's first debt; a new amount. Line 4: C000002's name differs on
      // both of its rows (they must agree), so only its rows are taken.
      const changed = [
        lines[0],
        lines[1]?.replace(',102.20,', ',"1.102,20",'),
        lines[3]?.replace('Oliveira & Araújo', 'Oliveira & Araujo'),
        lines[4]?.replace('Oliveira & Araújo', 'Oliveira & Araujo'),
      ].join('\n');
      const report = await importCsv(changed);
      expect(report.errors).toEqual([]);
      expect(report.debts).toEqual({ created: 0, updated: 1, unchanged: 2 });
      expect(report.debtors).toEqual({ created: 0, updated: 1, unchanged: 1 });
      const [debt] = await db.query<{ principal_cents: number; version: number }>(
        `SELECT principal_cents, version FROM debts WHERE external_id = 'T0000001'`,
      );
      expect(debt).toEqual({ principal_cents: 110_220, version: 2 });
      const updates = await db.query<{ entity: string; version: number }>(
        `SELECT entity, version FROM changes WHERE op = 'update' ORDER BY id`,
      );
      expect(updates).toEqual([
        { entity: 'debtor', version: 2 },
        { entity: 'debt', version: 2 },
      ]);
    });
  });

  test('a dry run counts without writing', async () => {
    const before = await count(db, 'changes');
    const report = await importCsv(
      csv(
        `D-1,Ana Dry,${cpf(9001)},ana@example.com,11987654321,,,SP,DT-1,Mensalidade,10.00,2026-01-10`,
        `D-1,Ana Dry,${cpf(9001)},ana@example.com,11987654321,,,SP,DT-2,Mensalidade,10.00,2026-02-10`,
        `C000001,Leandro Campos Souza,${CPF},leandro.souza1@example.com,(21) 97712-1144,"Avenida Paulista, 372",Niterói,RJ,T0000002,Conserto,999.99,2026-06-08`,
      ),
      { query: '?dry_run=1' },
    );
    expect(report).toMatchObject({
      dryRun: true,
      rows: 3,
      debtors: { created: 1, updated: 0, unchanged: 1 },
      debts: { created: 2, updated: 1, unchanged: 0 },
      errors: [],
    });
    expect(await count(db, 'changes')).toBe(before);
    expect(await count(db, `debtors WHERE external_id = 'D-1'`)).toBe(0);
    expect(await count(db, `audit_log WHERE action = 'debtors.import'`)).toBe(3);
  });

  test('malformed rows are reported with line and column while the good rows land', async () => {
    const head = new TextEncoder().encode(
      csv(
        `M-1,Good Person,${cpf(9101)},good@example.com,(11) 98765-4321,"Rua A, 1",São Paulo,sp,M-T1,Plano,"1.234,56",31/01/2026`,
        `M-2,Bad Cpf,181.590.830-00,,,,,,M-T2,Plano,10.00,2026-01-10`,
        `M-3,Bad Date,${CPF},,,,,,M-T3,Plano,10.00,31/02/2026`,
        `M-4,Negative,${CPF},,,,,,M-T4,Plano,-10.00,2026-01-10`,
        `M-5,Ambiguous,${CPF},,,,,,M-T5,Plano,1.234,2026-01-10`,
        `M-6,Unknown Uf,${CPF},,,,,XX,M-T6,Plano,10.00,2026-01-10`,
        `M-7,,${CPF},,,,,,M-T7,Plano,10.00,2026-01-10`,
        `M-8,Good Company,${NEW_CNPJ},,,,,,M-T8,Plano,10,2026-01-10`,
        `M-9,Too many,${CPF},,,Rua B, 2,,,M-T9,Plano,10.00,2026-01-10`,
        `M-10,Bad Phone,${CPF},not-an-email,(00) 1234,,,,M-T10,Plano,0,2026-01-10`,
        `M-8,Good Company,${NEW_CNPJ},,,,,,M-T8,Plano,10,2026-01-10`,
        `M-1,Other Name,${cpf(9101)},good@example.com,(11) 98765-4321,"Rua A, 1",São Paulo,SP,M-T11,Plano,1,2026-01-10`,
      ),
    );
    // Line 14: "São" in Latin-1 (0xE3) in a file that is UTF-8 up to there (line 2): the
    // encoding is decided once, so the mixed line is reported, not misread.
    const latin1 = Uint8Array.from([
      ...new TextEncoder().encode(`M-12,Jo`),
      0xe3,
      ...new TextEncoder().encode(`o,${CPF},,,,,,M-T12,Plano,10.00,2026-01-10\n`),
    ]);
    const report = await importCsv(new Uint8Array([...head, ...latin1]));
    const errors = report.errors.map(({ line, column }) => ({ line, column }));
    expect(errors).toEqual([
      { line: 3, column: 'document' },
      { line: 4, column: 'due_date' },
      { line: 5, column: 'amount' },
      { line: 6, column: 'amount' },
      { line: 7, column: 'state' },
      { line: 8, column: 'name' },
      { line: 10, column: null },
      { line: 11, column: 'email' },
      { line: 11, column: 'phone' },
      { line: 11, column: 'amount' },
      { line: 12, column: 'debt_id' },
      { line: 13, column: 'name' },
      { line: 14, column: 'name' },
    ]);
    // Messages are pt-BR and leave the column's name to `column`.
    expect(report.errors[1]?.message).toMatch(/^a data "31\/02\/2026" não existe/);
    expect(report.errors[2]?.message).toMatch(/^o valor "-10\.00" é negativo/);
    expect(report.errors[3]?.message).toMatch(/^o valor "1\.234" é ambíguo/);
    expect(report.errors[4]?.message).toBe(
      'a UF "XX" não é a sigla de um estado brasileiro, como SP ou RJ',
    );
    expect(report.errors[6]?.message).toMatch(/^a linha tem 13 campos, mas o cabeçalho tem 12/);
    expect(report.errors[9]?.message).toBe('o valor deve ser maior que zero');
    expect(report.errors[11]?.message).toMatch(
      /^o nome difere da linha 2 para o mesmo devedor "M-1"/,
    );
    expect(report.errors[12]?.message).toMatch(/não puderam ser lidos/);
    expect(report.debtors.created).toBe(2);
    expect(report.debts.created).toBe(2);
    const landed = await db.query<{ external_id: string; state: string | null }>(
      `SELECT external_id, state FROM debtors WHERE external_id LIKE 'M-%' ORDER BY external_id`,
    );
    expect(landed).toEqual([
      { external_id: 'M-1', state: 'SP' },
      { external_id: 'M-8', state: null },
    ]);
    const [amount] = await db.query(
      `SELECT principal_cents, due_on FROM debts WHERE external_id = 'M-T1'`,
    );
    expect(amount).toEqual({ principal_cents: 123_456, due_on: '2026-01-31' });
  });

  test('a missing column refuses the file before any write, naming the column', async () => {
    const before = await count(db, 'changes');
    const res = await post(
      'External_ID,Name,Document,Email,Phone,Address,City,State,Debt_ID,Description,Due_Date\n' +
        `X-1,Ana,${CPF},,,,,,X-T1,Plano,2026-01-10\n`,
    );
    expect(res.status).toBe(422);
    const body = { status: res.status, headers: res.headers, body: await res.json() };
    expectProblem(body, 422, 'missing-columns', 'amount');
    expect(await count(db, 'changes')).toBe(before);
  });

  test('a UTF-16 file with its BOM (Excel "Texto Unicode", tab-separated) is read', async () => {
    const text =
      'external_id\tname\tdocument\tdebt_id\tamount\tdue_date\r\n' +
      `U-1\tÚrsula Unicode\t${cpf(9301)}\tU-T1\t"1.000,00"\t10/01/2026\r\n`;
    const bytes = new Uint8Array([0xff, 0xfe, ...new Uint8Array(Buffer.from(text, 'utf16le'))]);
    const report = await importCsv(bytes);
    expect(report.errors).toEqual([]);
    expect(report.file).toEqual({ encoding: 'utf-16le', delimiter: '\t', mapped: false });
    const [row] = await db.query(`SELECT name FROM debtors WHERE external_id = 'U-1'`);
    expect(row).toEqual({ name: 'Úrsula Unicode' });
  });

  test('Excel pt-BR style: BOM, semicolons, CRLF, header in capitals, extra columns ignored', async () => {
    const text =
      '\uFEFFEXTERNAL_ID;Name;Document;Email;Phone;Address;City;State;Debt_Id;Description;Amount;Due_Date;Obs\r\n' +
      `E-1;José Excel;${cpf(9201)};JOSE@Example.com;+55 11 8765-4321;Rua C, 3;Santos;SP;E-T1;Plano;1.234,56;05/03/2026;x\r\n`;
    const report = await importCsv(text);
    expect(report.errors).toEqual([]);
    const [debtor] = await db.query(
      `SELECT name, (SELECT array_agg(value ORDER BY kind) FROM contact_points WHERE debtor_id = d.id) AS points
       FROM debtors d WHERE external_id = 'E-1'`,
    );
    expect(debtor).toEqual({ name: 'José Excel', points: ['jose@example.com', '+5511987654321'] });
  });

  test('Accept: application/x-ndjson streams progress then the result', async () => {
    const rows = Array.from(
      { length: 1200 },
      (_, i) => `N-${i},Nd Person,${cpf(20_000 + i)},,,,,,N-T${i},Plano,10.00,2026-01-10`,
    );
    // A browser sends Accept-Encoding: the progress stream must still not be compressed (gzip
    // would hold lines back until a block fills).
    const res = await post(csv(...rows), {
      headers: { accept: 'application/x-ndjson', 'accept-encoding': 'gzip, deflate' },
    });
    expect(res.headers.get('content-type')).toMatch(/application\/x-ndjson/);
    expect(res.headers.get('content-encoding')).toBeNull();
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; rows: number });
    // One progress line per chunk written (chunk sizes differ by database: PostgreSQL writes
    // large ones, PGlite sizes them by time), each counting the rows read up to its end.
    const progress = lines.slice(0, -1);
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(new Set(progress.map((l) => l.type))).toEqual(new Set(['progress']));
    expect(lines.at(-1)?.type).toBe('result');
    const counts = progress.map((l) => l.rows);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(new Set(counts).size).toBe(counts.length);
    expect(counts.at(-1)).toBe(1200);
    expect(lines.at(-1)).toMatchObject({ debtors: { created: 1200 }, errorCount: 0 });
  });

  describe('refusals', () => {
    test.each(['collector'] as const)('%s → 403', async (role) => {
      const res = await post(csv(), { role });
      expectProblem(
        { status: res.status, headers: res.headers, body: await res.json() },
        403,
        'forbidden',
      );
    });

    test('without a token → 401', async () => {
      const res = await app.request('/api/import/debtors', {
        method: 'POST',
        body: csv(),
        headers: { 'content-type': 'text/csv' },
      });
      expect(res.status).toBe(401);
    });

    test('JSON instead of CSV → 415; a charset we do not read → 415', async () => {
      expect((await post('{}', { headers: { 'content-type': 'application/json' } })).status).toBe(
        415,
      );
      const res = await post(csv(), {
        headers: { 'content-type': 'text/csv; charset=Shift_JIS' },
      });
      expect(res.status).toBe(415);
      expect(((await res.json()) as { detail: string }).detail).toMatch(/Windows-1252/);
    });

    test('a declared length over the limit → 413 before reading', async () => {
      const res = await post(csv(), { headers: { 'content-length': String(300 * 1024 * 1024) } });
      expect(res.status).toBe(413);
    });
  });
});
