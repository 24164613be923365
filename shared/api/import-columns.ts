/**
 * The columns of a debtor import, by their internal (English) key, apart from the schemas so the
 * owner's import screen can list them without bundling the schema library. Which header names
 * each answers to is the server's (server/import/columns.ts).
 */
export const ImportColumns = [
  'external_id',
  'name',
  'document',
  'email',
  'phone',
  'whatsapp',
  'address',
  'city',
  'state',
  'debt_id',
  'description',
  'amount',
  'due_date',
] as const;
export type ImportColumn = (typeof ImportColumns)[number];

/** The columns a file must have (by name or by a saved column map). */
export const RequiredImportColumns: readonly ImportColumn[] = [
  'external_id',
  'name',
  'document',
  'debt_id',
  'amount',
  'due_date',
];

/** The Portuguese header of each column, as the template writes it. */
export const ImportHeadersPtBR: Readonly<Record<ImportColumn, string>> = {
  external_id: 'codigo_cliente',
  name: 'nome',
  document: 'cpf_cnpj',
  email: 'email',
  phone: 'telefone',
  whatsapp: 'whatsapp',
  address: 'endereco',
  city: 'cidade',
  state: 'uf',
  debt_id: 'codigo_divida',
  description: 'descricao',
  amount: 'valor',
  due_date: 'vencimento',
};
