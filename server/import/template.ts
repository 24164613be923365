/**
 * The import template (`GET /api/import/template.csv`): the columns with their Portuguese
 * headers, in the form Excel in Brazil opens by double-click (UTF-8 with a BOM, `;`), and two
 * example rows written the way an office writes them: pt-BR amounts and dates, a CPF and an
 * alphanumeric CNPJ with punctuation, a WhatsApp "sim".
 */
import { IMPORT_COLUMNS, type ImportColumn } from './debtor-row';
import { PT_HEADERS } from './columns';

const EXAMPLES: readonly Readonly<Record<ImportColumn, string>>[] = [
  {
    external_id: 'CLI-0001',
    name: 'Maria da Conceição Souza',
    document: '529.982.247-25',
    email: 'maria.souza@exemplo.com.br',
    phone: '(11) 98765-4321',
    whatsapp: 'sim',
    address: 'Rua das Flores, 120, apto 31',
    city: 'São Paulo',
    state: 'SP',
    debt_id: 'NF-2026-0457',
    description: 'Mensalidade de novembro',
    amount: '1.234,56',
    due_date: '10/11/2026',
  },
  {
    external_id: 'CLI-0002',
    name: 'Padaria Pão de Ouro Ltda',
    document: '12.ABC.345/01DE-35',
    email: 'financeiro@paodeouro.com.br',
    phone: '(21) 3333-4444',
    whatsapp: 'não',
    address: 'Av. Atlântica, 2000',
    city: 'Rio de Janeiro',
    state: 'RJ',
    debt_id: 'NF-2026-0458',
    description: 'Fornecimento de outubro',
    amount: '8.500,00',
    due_date: '05/11/2026',
  },
];

/** The template's text, BOM included. */
export function importTemplateCsv(): string {
  const line = (cells: readonly string[]) => `${cells.join(';')}\r\n`;
  return `\uFEFF${line(IMPORT_COLUMNS.map((c) => PT_HEADERS[c]))}${EXAMPLES.map((row) =>
    line(IMPORT_COLUMNS.map((c) => row[c])),
  ).join('')}`;
}
