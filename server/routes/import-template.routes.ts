/**
 * `GET /api/import/template.csv` (owner, staff): the import file to fill, as Brazilian Excel opens
 * and saves it — UTF-8 with a BOM (so accents survive a double-click), `;` between columns, CRLF
 * line ends — with every column the importer needs (server/import/debtor-row.ts) and two example
 * rows (a person with a CPF, a company with a CNPJ; amounts and dates written the Brazilian way)
 * to be replaced by the real portfolio. The template, sent back as it is, imports cleanly.
 */
import { Hono } from 'hono';
import type { Deps } from '../app';
import { requireRole, type AppEnv } from '../http/auth';
import { IMPORT_COLUMNS, type ImportColumn } from '../import/debtor-row';

const EXAMPLES: Record<ImportColumn, string>[] = [
  {
    external_id: 'CLI-0001',
    name: 'Maria Aparecida da Silva',
    document: '529.982.247-25',
    email: 'maria.silva@example.com.br',
    phone: '(19) 99876-5432',
    address: 'Rua das Flores, 123 - Centro',
    city: 'Campinas',
    state: 'SP',
    debt_id: 'NF-1001',
    description: 'Compra a prazo - nota 1001',
    amount: '1.250,00',
    due_date: '10/03/2026',
  },
  {
    external_id: 'CLI-0002',
    name: 'Mercadinho Bom Preço Ltda',
    document: '11.222.333/0001-81',
    email: '',
    phone: '(19) 3232-1000',
    address: 'Av. Brasil, 2000',
    city: 'Campinas',
    state: 'SP',
    debt_id: 'NF-1002',
    description: 'Boleto em aberto - nota 1002',
    amount: '389,90',
    due_date: '15/04/2026',
  },
];

/** The template's text (without the BOM). */
export function importTemplateCsv(): string {
  const cell = (value: string) =>
    /[;"\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  const lines = [
    IMPORT_COLUMNS.join(';'),
    ...EXAMPLES.map((row) => IMPORT_COLUMNS.map((column) => cell(row[column])).join(';')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/** `/api/import/template.csv`. */
export function importTemplateRoutes(_deps: Deps) {
  return new Hono<AppEnv>().get('/template.csv', requireRole('owner', 'staff'), (c) =>
    c.body(`\uFEFF${importTemplateCsv()}`, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="modelo-importacao-quita.csv"',
      'cache-control': 'no-store',
    }),
  );
}
