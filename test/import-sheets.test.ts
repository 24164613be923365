/**
 * Spreadsheets as Brazilian offices have them, through the real API on both databases: a file
 * saved by Excel as "CSV (separado por vírgulas)" (Windows-1252 bytes, `;`, CRLF, pt-BR amounts
 * and dates, curly quotes and dashes from the 0x80–0x9F range, a quoted `;`), Portuguese headers,
 * headers of another system mapped once and remembered, the WhatsApp column, a CPF that already
 * belongs to a debtor, an alphanumeric CNPJ, and the downloadable template imported back.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../server/app';
import type { Db } from '../server/db/db';
import { encodeWindows1252 } from '../server/import/decode';
import type { ImportReport } from '../server/import/import-debtors';
import { forEachDb, openTestDb } from './helpers/test-db';
import { seedUser, type SeededUser } from './helpers/auth';
import { call, expectProblem } from './helpers/http';
import { cpf, createDebtor } from './helpers/ledger';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'import', 'excel-windows-1252.csv');

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  let owner: SeededUser;
  let staff: SeededUser;

  const post = (body: string | Uint8Array, path = '/api/import/debtors', headers = {}) =>
    app.request(path, {
      method: 'POST',
      body: body as BodyInit,
      headers: { 'content-type': 'text/csv', ...staff.headers, ...headers },
    });
  const importFile = async (body: string | Uint8Array): Promise<ImportReport> => {
    const res = await post(body);
    const json = (await res.json()) as ImportReport;
    expect(res.status, JSON.stringify(json)).toBe(200);
    return json;
  };

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test' });
    owner = await seedUser(db, 'owner');
    staff = await seedUser(db, 'staff');
  });
  afterAll(async () => {
    await db.close();
  });

  describe('a file Excel saved as Windows-1252 with ; and Portuguese headers', () => {
    const bytes = new Uint8Array(readFileSync(FIXTURE));

    test('the fixture really is Windows-1252 (not valid UTF-8, curly quotes at 0x93/0x94)', () => {
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
      expect([...bytes].filter((b) => b >= 0x80 && b <= 0x9f).length).toBeGreaterThan(4);
      expect(bytes.slice(0, 3)).not.toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
    });

    test('the preview reads its encoding, separator and headers', async () => {
      const res = await post(bytes.slice(0, 300), '/api/import/preview?partial=1');
      const body = (await res.json()) as {
        encoding: string;
        delimiter: string;
        headers: string[];
        ready: boolean;
        source: string;
        sample: string[][];
      };
      expect(res.status).toBe(200);
      expect(body).toMatchObject({ encoding: 'windows-1252', delimiter: ';', ready: true });
      expect(body.source).toBe('names');
      expect(body.headers.slice(0, 3)).toEqual(['Código do Cliente', 'Nome', 'CPF/CNPJ']);
      expect(body.headers).toContain('Endereço');
      // The slice ends inside row 2: that row is not shown half.
      expect(body.sample).toHaveLength(0);
    });

    test('imports every row with accents, quotes, dashes, € and pt-BR numbers intact', async () => {
      const report = await importFile(bytes);
      expect(report.errors).toEqual([]);
      expect(report.file).toEqual({ encoding: 'windows-1252', delimiter: ';', mapped: false });
      expect(report.debtors).toEqual({ created: 3, updated: 0, unchanged: 0 });
      expect(report.debts).toEqual({ created: 4, updated: 0, unchanged: 0 });
      const debtors = await db.query(
        `SELECT external_id, name, document, kind, address_line, city, state
           FROM debtors WHERE external_id LIKE 'XL-%' ORDER BY external_id`,
      );
      expect(debtors).toEqual([
        {
          external_id: 'XL-001',
          name: 'José Antônio Conceição',
          document: '98765432100',
          kind: 'person',
          address_line: 'Rua São João, 45',
          city: 'São Paulo',
          state: 'SP',
        },
        {
          external_id: 'XL-002',
          name: 'Ivânia Gonçalves Müller',
          document: '11144477735',
          kind: 'person',
          address_line: 'Travessa Açaí; fundos',
          city: 'Maceió',
          state: 'AL',
        },
        {
          external_id: 'XL-003',
          name: 'Padaria Pão de Açúcar Ltda',
          document: 'ABCDEFGHIJKL80',
          kind: 'company',
          address_line: 'Av. Sete de Setembro, 1000',
          city: 'Salvador',
          state: 'BA',
        },
      ]);
      const debts = await db.query(
        `SELECT external_id, description, principal_cents, due_on FROM debts
          WHERE external_id LIKE 'XL-%' ORDER BY external_id`,
      );
      expect(debts).toEqual([
        {
          external_id: 'XL-T001',
          description: 'Mensalidade “março” – plano família',
          principal_cents: 123_456,
          due_on: '2026-03-10',
        },
        {
          external_id: 'XL-T002',
          description: 'Conserto — peça à parte € 40',
          principal_cents: 8_990,
          due_on: '2026-02-05',
        },
        {
          external_id: 'XL-T003',
          description: 'Fornecimento de farinha ‘especial’',
          principal_cents: 1_250_000,
          due_on: '2026-02-28',
        },
        {
          external_id: 'XL-T004',
          description: 'Fornecimento de fermento',
          principal_cents: 98_010,
          due_on: '2026-03-15',
        },
      ]);
    });

    test('the WhatsApp column sets the flag; an empty cell leaves the mobile presumption', async () => {
      const phones = await db.query(
        `SELECT d.external_id, p.value, p.is_whatsapp FROM contact_points p
           JOIN debtors d ON d.id = p.debtor_id
          WHERE d.external_id LIKE 'XL-%' AND p.kind = 'phone' ORDER BY d.external_id`,
      );
      expect(phones).toEqual([
        { external_id: 'XL-001', value: '+5511987654321', is_whatsapp: true },
        { external_id: 'XL-002', value: '+558232214455', is_whatsapp: false },
        { external_id: 'XL-003', value: '+5571998765432', is_whatsapp: true },
      ]);
    });

    test('importing it again changes nothing', async () => {
      const report = await importFile(bytes);
      expect(report.debtors).toEqual({ created: 0, updated: 0, unchanged: 3 });
      expect(report.debts).toEqual({ created: 0, updated: 0, unchanged: 4 });
      expect(report.warnings).toEqual([]);
    });
  });

  test('a WhatsApp value that is not sim/não is refused naming the column', async () => {
    const report = await importFile(
      'codigo_cliente;nome;cpf_cnpj;telefone;whatsapp;codigo_divida;valor;vencimento\r\n' +
        `W-1;Wesley;${cpf(7101)};11 98888-1111;talvez;W-T1;10,00;01/02/2026\r\n` +
        `W-2;Wanda;${cpf(7102)};11 3333-1111;SIM;W-T2;10,00;01/02/2026\r\n` +
        `W-3;Walter;${cpf(7103)};11 97777-1111;não;W-T3;10,00;01/02/2026\r\n`,
    );
    expect(report.errors.map((e) => [e.line, e.column])).toEqual([[2, 'whatsapp']]);
    expect(report.errors[0]?.message).toMatch(/use sim ou não/);
    const flags = await db.query(
      `SELECT d.external_id, p.is_whatsapp FROM contact_points p JOIN debtors d ON d.id = p.debtor_id
        WHERE d.external_id IN ('W-2', 'W-3') ORDER BY 1`,
    );
    expect(flags).toEqual([
      { external_id: 'W-2', is_whatsapp: true },
      { external_id: 'W-3', is_whatsapp: false },
    ]);
  });

  describe('headers of another system: mapped once, remembered', () => {
    const header = 'ID Cliente;Razão;Doc.;Fone;Total R$;Data Venc.;Fatura;Obs';
    const file = (n: number) =>
      `${header}\r\n` +
      `ERP-${n};Cliente ERP ${n};${cpf(7200 + n)};(31) 99999-00${10 + n};"1.500,00";20/04/2026;FAT-${n};x\r\n`;

    test('the first file is refused with its header, naming the columns to map', async () => {
      const res = await post(file(1));
      const body = (await res.json()) as { header: string[]; signature: string };
      expectProblem({ status: res.status, headers: res.headers, body }, 422, 'missing-columns');
      expect(body.header).toEqual(header.split(';'));
      expect(body.signature).toMatch(/^[0-9a-f]{32}$/);
      expect(await db.query(`SELECT 1 FROM debtors WHERE external_id = 'ERP-1'`)).toEqual([]);
    });

    test('a map with a column twice or a required column missing is refused, nothing saved', async () => {
      const res = await call(app, 'PUT', '/api/import/mappings', {
        headers: staff.headers,
        json: {
          headers: header.split(';'),
          columns: { external_id: 0, name: 0, document: 2, amount: 4, due_date: 5 },
        },
      });
      expectProblem(res, 422, 'validation', 'columns.name');
      expect(JSON.stringify(res.body)).toContain('columns.debt_id');
      expect(await db.query('SELECT 1 FROM import_column_maps')).toEqual([]);
    });

    test('after the owner maps it, that file and the next ones with the same headers import', async () => {
      const saved = await call<{ signature: string; columns: Record<string, string> }>(
        app,
        'PUT',
        '/api/import/mappings',
        {
          headers: owner.headers,
          json: {
            headers: header.split(';'),
            columns: {
              external_id: 0,
              name: 1,
              document: 2,
              phone: 3,
              amount: 4,
              due_date: 5,
              debt_id: 6,
              email: null,
            },
          },
        },
      );
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      expect(saved.body.columns).toEqual({
        external_id: 'id_cliente',
        name: 'razao',
        document: 'doc',
        phone: 'fone',
        amount: 'total_r',
        due_date: 'data_venc',
        debt_id: 'fatura',
      });
      const preview = await post(file(2), '/api/import/preview');
      expect(await preview.json()).toMatchObject({ ready: true, source: 'saved' });
      for (const n of [1, 2]) {
        const report = await importFile(file(n));
        expect(report.errors).toEqual([]);
        expect(report.file.mapped).toBe(true);
        expect(report.debts.created).toBe(1);
      }
      const rows = await db.query(
        `SELECT d.name, t.principal_cents, t.due_on FROM debts t JOIN debtors d ON d.id = t.debtor_id
          WHERE t.external_id IN ('FAT-1', 'FAT-2') ORDER BY t.external_id`,
      );
      expect(rows).toEqual([
        { name: 'Cliente ERP 1', principal_cents: 150_000, due_on: '2026-04-20' },
        { name: 'Cliente ERP 2', principal_cents: 150_000, due_on: '2026-04-20' },
      ]);
      const listed = await call<{ items: { signature: string }[] }>(
        app,
        'GET',
        '/api/import/mappings',
        { headers: staff.headers },
      );
      expect(listed.body.items.map((i) => i.signature)).toEqual([saved.body.signature]);
      const [audited] = await db.query(
        `SELECT actor_id FROM audit_log WHERE action = 'import.mapping.save'`,
      );
      expect(audited).toEqual({ actor_id: owner.user.id });
    });

    test('a forgotten map makes the next file ask again', async () => {
      const { body } = await call<{ items: { signature: string }[] }>(
        app,
        'GET',
        '/api/import/mappings',
        { headers: staff.headers },
      );
      const signature = body.items[0]?.signature ?? '';
      const res = await call(app, 'DELETE', `/api/import/mappings/${signature}`, {
        headers: staff.headers,
      });
      expect(res.status).toBe(204);
      expect((await post(file(3))).status).toBe(422);
    });
  });

  describe('one CPF/CNPJ is one person', () => {
    test('a row whose CPF belongs to a debtor is attached to it, the name kept, with a warning naming both', async () => {
      const existing = await createDebtor(app, owner, {
        name: 'Maria Aparecida Souza',
        document: cpf(7301),
      });
      const report = await importFile(
        'codigo_cliente;nome;cpf_cnpj;email;telefone;codigo_divida;valor;vencimento\n' +
          `NEW-9;MARIA A SOUZA;${cpf(7301)};maria@exemplo.com;11 96666-5555;DUP-T1;250,00;10/05/2026\n` +
          `NEW-9;MARIA A SOUZA;${cpf(7301)};maria@exemplo.com;11 96666-5555;DUP-T2;100,00;10/06/2026\n`,
      );
      expect(report.errors).toEqual([]);
      expect(report.debtors).toEqual({ created: 0, updated: 1, unchanged: 0 });
      expect(report.debts.created).toBe(2);
      expect(report.warningCount).toBe(1);
      expect(report.warnings[0]).toMatchObject({ line: 2, column: 'document' });
      expect(report.warnings[0]?.message).toContain('"Maria Aparecida Souza"');
      expect(report.warnings[0]?.message).toContain('"MARIA A SOUZA"');
      const [row] = await db.query<{
        name: string;
        external_id: string;
        n: number;
        points: number;
      }>(
        `SELECT name, external_id,
                (SELECT count(*)::int FROM debts WHERE debtor_id = d.id) AS n,
                (SELECT count(*)::int FROM contact_points WHERE debtor_id = d.id) AS points
           FROM debtors d WHERE id = $1`,
        [existing],
      );
      expect(row).toEqual({
        name: 'Maria Aparecida Souza',
        external_id: 'NEW-9',
        n: 2,
        points: 2,
      });
      expect(
        await db.query(`SELECT count(*)::int AS n FROM debtors WHERE document = $1`, [cpf(7301)]),
      ).toEqual([{ n: 1 }]);
      // The code is now the debtor's: the same file again is quiet.
      const again = await importFile(
        'codigo_cliente;nome;cpf_cnpj;codigo_divida;valor;vencimento\n' +
          `NEW-9;Maria Aparecida Souza;${cpf(7301)};DUP-T1;250,00;10/05/2026\n`,
      );
      expect(again.warnings).toEqual([]);
      expect(again.debts).toEqual({ created: 0, updated: 0, unchanged: 1 });
    });

    test('two codes with one CPF in the same file become one debtor, with a warning', async () => {
      const report = await importFile(
        'external_id,name,document,debt_id,amount,due_date\n' +
          `TWIN-1,Carlos Pereira,${cpf(7401)},TWIN-T1,10.00,2026-01-10\n` +
          `TWIN-2,Carlos P. Pereira,${cpf(7401)},TWIN-T2,20.00,2026-01-10\n`,
      );
      expect(report.errors).toEqual([]);
      expect(report.debtors.created).toBe(1);
      expect(report.warnings).toHaveLength(1);
      expect(report.warnings[0]?.message).toMatch(
        /"Carlos Pereira" \(código TWIN-1\).*"Carlos P\. Pereira"/,
      );
      const rows = await db.query(
        `SELECT d.external_id, count(t.id)::int AS debts FROM debtors d JOIN debts t ON t.debtor_id = d.id
          WHERE d.document = $1 GROUP BY d.external_id`,
        [cpf(7401)],
      );
      expect(rows).toEqual([{ external_id: 'TWIN-1', debts: 2 }]);
    });

    test("a row whose code is one debtor's and CPF another's is refused, nothing moved", async () => {
      await createDebtor(app, owner, { name: 'Dona do CPF', document: cpf(7501) });
      await importFile(
        `external_id,name,document,debt_id,amount,due_date\nOWN-1,Dono do Código,${cpf(7502)},OWN-T1,10.00,2026-01-10\n`,
      );
      const report = await importFile(
        `external_id,name,document,debt_id,amount,due_date\nOWN-1,Dono do Código,${cpf(7501)},OWN-T2,10.00,2026-01-10\n`,
      );
      expect(report.errors.map((e) => e.column)).toEqual(['document']);
      expect(report.errors[0]?.message).toMatch(/"Dona do CPF".*"Dono do Código"/);
      expect(await db.query(`SELECT 1 FROM debts WHERE external_id = 'OWN-T2'`)).toEqual([]);
    });
  });

  test('the template downloads as Excel opens it and imports back as it is', async () => {
    const res = await app.request('/api/import/template.csv', { headers: staff.headers });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename=".+\.csv"/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(Array.from(bytes.subarray(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    // TextDecoder drops the BOM, as Excel does.
    const parsed = Papa.parse<string[]>(text.trim(), { delimiter: ';' });
    expect(parsed.data[0]).toEqual([
      'codigo_cliente',
      'nome',
      'cpf_cnpj',
      'email',
      'telefone',
      'whatsapp',
      'endereco',
      'cidade',
      'uf',
      'codigo_divida',
      'descricao',
      'valor',
      'vencimento',
    ]);
    const report = await importFile(bytes);
    expect(report.errors).toEqual([]);
    expect(report.debtors.created).toBe(2);
    const [company] = await db.query(
      `SELECT kind, document FROM debtors WHERE external_id = 'CLI-0002'`,
    );
    expect(company).toEqual({ kind: 'company', document: '12ABC34501DE35' });
  });

  test('a Windows-1252 file declared by its charset reads the same, and UTF-8 with BOM too', async () => {
    const text =
      'codigo_cliente;nome;cpf_cnpj;codigo_divida;valor;vencimento\r\n' +
      `CS-1;Conceição Araújo;${cpf(7601)};CS-T1;"2.000,00";01/03/2026\r\n`;
    const declared = await post(encodeWindows1252(text), '/api/import/debtors?dry_run=1', {
      'content-type': 'text/csv; charset=windows-1252',
    });
    expect(((await declared.json()) as ImportReport).errors).toEqual([]);
    const bom = await importFile(new TextEncoder().encode(`\uFEFF${text}`));
    expect(bom.file).toEqual({ encoding: 'utf-8', delimiter: ';', mapped: false });
    const [row] = await db.query(`SELECT name FROM debtors WHERE external_id = 'CS-1'`);
    expect(row).toEqual({ name: 'Conceição Araújo' });
  });
});
