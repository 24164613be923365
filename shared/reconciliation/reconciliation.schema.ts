/**
 * The reconciliation API's messages (`/api/reconciliation`): the outcome of a statement, a credit
 * as Revisão shows it, and the requests that confirm, undo or ignore one. The reasons a
 * suggestion carries are codes; `SUGGESTION_REASON_TEXT` is their pt-BR text for every screen.
 */
import * as v from 'valibot';
import { IdSchema } from '../domain/id';
import { text } from '../domain/common.schema';
import { CreditToReturnSchema } from '../domain/payment.schema';

/** What a credit pays: a debt, an installment of an agreement, or the debtor's whole balance. */
export const PaymentTargetSchema = v.variant(
  'kind',
  [
    v.object({ kind: v.literal('debt'), debtId: IdSchema }),
    v.object({
      kind: v.literal('installment'),
      agreementId: IdSchema,
      number: v.pipe(
        v.number('o número da parcela deve ser um número'),
        v.safeInteger('o número da parcela deve ser inteiro'),
        v.minValue(0, 'o número da parcela começa em 0 (entrada)'),
        v.maxValue(999, 'o número da parcela vai até 999'),
      ),
    }),
    v.object({ kind: v.literal('debtor') }),
  ],
  'o destino deve ser debt, installment ou debtor',
);

/** `POST /api/reconciliation/credits/:id/confirm`. */
export const ConfirmCreditRequestSchema = v.object({
  debtorId: IdSchema,
  target: PaymentTargetSchema,
  reportPaymentId: v.optional(IdSchema),
  creditToReturn: CreditToReturnSchema,
});
export type ConfirmCreditRequest = v.InferOutput<typeof ConfirmCreditRequestSchema>;

export const CreditStatuses = [
  'auto_confirmed',
  'confirmed',
  'suggested',
  'unmatched',
  'ignored',
] as const;

/** `GET /api/reconciliation/credits?status=suggested,unmatched&statementId=&after=&limit=`. */
export const CreditListQuerySchema = v.object({
  status: v.optional(
    v.pipe(
      v.string(),
      v.transform((s) => s.split(',').map((x) => x.trim())),
      v.check(
        (list) => list.every((x) => (CreditStatuses as readonly string[]).includes(x)),
        `a situação deve ser uma lista de: ${CreditStatuses.join(', ')}`,
      ),
    ),
  ),
  statementId: v.optional(IdSchema),
  after: v.optional(IdSchema),
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,4}$/, 'o limite deve ser um número de 1 a 1000'),
      v.transform(Number),
      v.minValue(1, 'o limite deve ser pelo menos 1'),
      v.maxValue(1000, 'o limite pode ser no máximo 1000'),
    ),
  ),
});

/** `POST …/undo` and `…/ignore`: why, for the audit log. */
export const CreditReasonRequestSchema = v.object({ reason: text('o motivo', 500) });

/** `POST /api/reconciliation/statements` answers this. */
export const ReconcileSummarySchema = v.object({
  statementId: v.nullable(v.string()),
  format: v.picklist(['ofx', 'csv-nubank', 'csv-inter']),
  accounts: v.array(v.string()),
  credits: v.number(),
  autoConfirmed: v.number(),
  suggested: v.number(),
  unmatched: v.number(),
  alreadySeen: v.number(),
  debits: v.number(),
});
export type ReconcileSummary = v.InferOutput<typeof ReconcileSummarySchema>;

/** The pt-BR text of each reason a suggestion can carry. */
export const SUGGESTION_REASON_TEXT: Readonly<Record<string, string>> = {
  txid: 'o PIX identifica a cobrança',
  cpf: 'CPF/CNPJ do pagador',
  nome: 'nome do pagador',
  nome_parcial: 'nome do pagador (abreviado pelo banco)',
  valor: 'valor exato do que estava em aberto',
  informe: 'pagamento informado pelo cobrador',
  parcela: 'perto do vencimento de uma parcela',
  promessa: 'perto da data prometida',
  parcial: 'valor menor que o aberto (pagamento parcial)',
  acima: 'valor acima do aberto',
  acordo_inativo: 'o acordo não está mais ativo',
  desfeito: 'a conciliação foi desfeita; confira antes de confirmar de novo',
};
