/** The OpenAPI entries of spreadsheets in and out and of LGPD (issue 13 §4–5). */
import { ColumnMapRequestSchema } from '#shared/api/import.schema';
import { AnonymiseRequestSchema, SubjectReportQuerySchema } from '#shared/api/lgpd.schema';
import type { OperationDoc } from './document';

const OFFICE = ['owner', 'staff'] as const;
const OWNER = ['owner'] as const;

export const SHEETS_OPERATIONS: Record<string, OperationDoc> = {
  'POST /api/import/debtors': {
    summary:
      'Importar devedores e dívidas de uma planilha CSV (UTF-8, Windows-1252 ou UTF-16; `,` `;` ou tab; colunas em português ou inglês; `?dry_run=1` só confere; `Accept: application/x-ndjson` mostra o progresso)',
    roles: OFFICE,
    bodyType: 'text/csv',
  },
  'POST /api/import/preview': {
    summary:
      'Ler o começo de uma planilha: codificação, separador, cabeçalho, primeiras linhas e a associação de colunas sugerida ou salva',
    roles: OFFICE,
    bodyType: 'text/csv',
  },
  'GET /api/import/template.csv': {
    summary: 'Planilha modelo (UTF-8 com BOM, `;`, cabeçalho em português, dois exemplos)',
    roles: OFFICE,
  },
  'GET /api/import/mappings': {
    summary: 'Associações de colunas salvas (uma por formato de cabeçalho)',
    roles: OFFICE,
  },
  'PUT /api/import/mappings': {
    summary: 'Salvar a associação de colunas de um formato de cabeçalho',
    roles: OFFICE,
    body: ColumnMapRequestSchema,
  },
  'DELETE /api/import/mappings/:signature': {
    summary: 'Esquecer a associação de colunas de um formato de cabeçalho',
    roles: OFFICE,
  },
  'GET /api/export/portfolio.csv': {
    summary:
      'Carteira em CSV para o Excel (uma linha por dívida, saldo detalhado de hoje; UTF-8 com BOM, `;`, enviada aos poucos)',
    roles: OFFICE,
  },
  'GET /api/export/queue.csv': {
    summary: 'Fila de hoje em CSV para o Excel, com a mensagem de cada passo',
    roles: OFFICE,
  },
  'GET /api/lgpd/report': {
    summary:
      'Relatório do titular (LGPD): tudo o que se guarda sobre um CPF/CNPJ e quem viu ou alterou',
    roles: OWNER,
    query: SubjectReportQuerySchema,
  },
  'GET /api/lgpd/anonymisation': {
    summary:
      'Devedores que já podem ser anonimizados (dívidas encerradas e prazo de guarda vencido)',
    roles: OWNER,
  },
  'POST /api/lgpd/anonymisation': {
    summary: 'Anonimizar devedores elegíveis (os totais do razão não mudam)',
    roles: OWNER,
    body: AnonymiseRequestSchema,
  },
};
