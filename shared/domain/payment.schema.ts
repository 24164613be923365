/**
 * Money received. A `Payment` is confirmed money that reduces the balance; a `ReportedPayment` is
 * what a collector says they received in the field (cash, PIX to the business, transfer), which
 * changes nothing until the office confirms it, so a typo or a fraud never silently settles a debt.
 * A confirmed `Payment` has the `date`/`amount` shape `balanceOn` (shared/charges) reads.
 */
import * as v from 'valibot';
import { CalendarDateSchema } from '../time/calendar-date.schema';
import { entity, InstantSchema, note, positiveCents, text } from './common.schema';
import { IdSchema } from './id';

export const PaymentMethods = ['cash', 'pix', 'transfer', 'boleto', 'card'] as const;
export const PaymentMethodSchema = v.picklist(
  PaymentMethods,
  'a forma de pagamento deve ser cash, pix, transfer, boleto ou card',
);
export type PaymentMethod = v.InferOutput<typeof PaymentMethodSchema>;

/** Methods a collector can receive by in the field. */
export const FieldPaymentMethods = ['cash', 'pix', 'transfer'] as const;
export const FieldPaymentMethodSchema = v.picklist(
  FieldPaymentMethods,
  'a forma de pagamento deve ser cash, pix ou transfer',
);
export type FieldPaymentMethod = v.InferOutput<typeof FieldPaymentMethodSchema>;

const TxidSchema = v.pipe(
  v.string('o txid do PIX deve ser um texto'),
  v.regex(/^[A-Za-z0-9]{1,35}$/, 'o txid do PIX deve ter de 1 a 35 letras ou dígitos'),
);

const paymentFields = {
  debtId: IdSchema,
  /** The day the money was received, in the organisation's time zone. */
  date: CalendarDateSchema,
  amount: positiveCents('o valor'),
  method: PaymentMethodSchema,
  /** The BR Code txid the payer's bank reported, for PIX reconciliation. */
  pixTxid: v.optional(TxidSchema),
  /** Bank or boleto reference. */
  reference: v.optional(text('a referência', 80)),
  /** The installment of an agreement this pays, when it pays one. */
  agreementId: v.optional(IdSchema),
  installmentNumber: v.optional(
    v.pipe(
      v.number('o número da parcela deve ser um número'),
      v.safeInteger('o número da parcela deve ser um número inteiro'),
      v.minValue(1, 'o número da parcela começa em 1'),
    ),
  ),
  /** The field report this payment confirms, if it came from one. */
  reportedPaymentId: v.optional(IdSchema),
};

/** A confirmed payment, as stored and returned. */
export const PaymentSchema = entity({
  id: IdSchema,
  ...paymentFields,
  recordedBy: IdSchema,
  recordedAt: InstantSchema,
});
export type Payment = v.InferOutput<typeof PaymentSchema>;

/**
 * Whether the office accepts money beyond what is open as a credit to return to the payer
 * (shared/ledger/plan-payment.ts); without it such a payment is refused with the reason.
 */
export const CreditToReturnSchema = v.optional(
  v.boolean('o crédito a devolver (creditToReturn) deve ser true ou false'),
  false,
);

/** The body of a request recording a confirmed payment (office staff, import, PIX statement). */
export const NewPaymentSchema = entity({
  id: v.optional(IdSchema),
  ...paymentFields,
  creditToReturn: CreditToReturnSchema,
});
export type NewPayment = v.InferOutput<typeof NewPaymentSchema>;

export const ReportedPaymentStatuses = ['pending', 'confirmed', 'rejected'] as const;
export const ReportedPaymentStatusSchema = v.picklist(
  ReportedPaymentStatuses,
  'a situação deve ser pending, confirmed ou rejected',
);
export type ReportedPaymentStatus = v.InferOutput<typeof ReportedPaymentStatusSchema>;

/** The number printed on the receipt the collector hands over, unique per collector device. */
export const ReceiptNumberSchema = v.pipe(
  v.string('o número do recibo deve ser um texto'),
  v.trim(),
  v.regex(
    /^[A-Za-z0-9][A-Za-z0-9./-]{0,31}$/,
    'o número do recibo deve ter de 1 a 32 letras, dígitos, pontos, barras ou hífens',
  ),
);

const reportFields = {
  debtId: IdSchema,
  date: CalendarDateSchema,
  amount: positiveCents('o valor'),
  method: FieldPaymentMethodSchema,
  receiptNumber: ReceiptNumberSchema,
  /** The collector (user id). */
  reportedBy: IdSchema,
  /** Device time of the report; the server keeps its own receive time beside it. */
  reportedAt: InstantSchema,
  visitId: v.optional(IdSchema),
  note: v.optional(note('a observação', 500)),
};

/** A field-reported payment awaiting (or past) the office's reconciliation, as stored. */
export const ReportedPaymentSchema = v.pipe(
  entity({
    id: IdSchema,
    ...reportFields,
    status: ReportedPaymentStatusSchema,
    reviewedBy: v.optional(IdSchema),
    reviewedAt: v.optional(InstantSchema),
    rejectionReason: v.optional(text('o motivo da recusa', 500)),
    /** The confirmed payment created from this report. */
    paymentId: v.optional(IdSchema),
    receivedAt: InstantSchema,
  }),
  v.forward(
    v.check(
      (r) => (r.status === 'pending') === (r.reviewedBy === undefined),
      'quem revisou deve ser informado quando, e somente quando, o informe está confirmado ou recusado',
    ),
    ['reviewedBy'],
  ),
  v.forward(
    v.check(
      (r) => (r.status === 'pending') === (r.reviewedAt === undefined),
      'a data da revisão deve ser informada quando, e somente quando, o informe está confirmado ou recusado',
    ),
    ['reviewedAt'],
  ),
  v.forward(
    v.check(
      (r) => (r.status === 'confirmed') === (r.paymentId !== undefined),
      'o pagamento deve ser informado quando, e somente quando, o informe está confirmado',
    ),
    ['paymentId'],
  ),
  v.forward(
    v.check(
      (r) => (r.status === 'rejected') === (r.rejectionReason !== undefined),
      'o motivo da recusa deve ser informado quando, e somente quando, o informe está recusado',
    ),
    ['rejectionReason'],
  ),
);
export type ReportedPayment = v.InferOutput<typeof ReportedPaymentSchema>;

/** What the collector's device sends; it starts pending. */
export const NewReportedPaymentSchema = entity({ id: v.optional(IdSchema), ...reportFields });
export type NewReportedPayment = v.InferOutput<typeof NewReportedPaymentSchema>;
