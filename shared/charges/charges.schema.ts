/**
 * Schemas for the late charges of one debt (título): the contract terms, the payments received and
 * the itemised breakdown `balanceOn` produces. The breakdown is what every screen, message and API
 * response shows, so it carries its own schema (SP Lei 14.953/2013 wants every addition itemised).
 */
import * as v from 'valibot';
import { safeText, visibleText } from '../text/safe-text';
import { cents } from '../money/money';
import { CentsSchema } from '../money/cents.schema';
import { CalendarDateSchema } from '../time/calendar-date.schema';

/** CDC art. 52 §1: a consumer's late fine may not exceed 2% of the installment. */
export const CONSUMER_FINE_CAP_BPS = 200;

/**
 * Juros de mora above 1% a month on a consumer debt are warned about, not cut: STJ Súmula 379
 * allows agreed moratory interest "até o limite de 1% ao mês", and 1% a.m. (12% a.a.) is the
 * ceiling courts and Procon read into consumer contracts (Código Civil art. 406, Lei de Usura,
 * Decreto 22.626/1933, art. 1º); Lei 14.905/2024 moved the legal rate, so the calculator applies
 * the contract and says so instead of guessing a cap (reference/collections.md §c).
 */
export const CONSUMER_USUAL_INTEREST_BPS = 100;

/** 'consumer' debts get the CDC caps; 'business' (B2B) debts follow the contract. */
export const DebtKinds = ['consumer', 'business'] as const;
export const DebtKindSchema = v.picklist(
  DebtKinds,
  'o tipo de dívida deve ser consumer (consumo) ou business (entre empresas)',
);
export type DebtKind = v.InferOutput<typeof DebtKindSchema>;

const BpsSchema = v.pipe(
  v.number('a taxa deve ser um número de pontos-base'),
  v.safeInteger('a taxa deve ser um número inteiro de pontos-base'),
  v.minValue(0, 'a taxa não pode ser menor que zero'),
  v.maxValue(10_000, 'a taxa não pode passar de 100% (10000 pontos-base)'),
);

const PositiveCentsSchema = v.pipe(
  CentsSchema,
  v.minValue(cents(1), 'o valor deve ser maior que zero'),
);

/** A collection cost added to the debt on a date (boleto fee, notification postage…). */
export const FeeSchema = v.object({
  description: v.pipe(
    v.string('a descrição da tarifa deve ser um texto'),
    safeText('a descrição da tarifa'),
    v.trim(),
    v.minLength(1, 'informe a descrição da tarifa'),
    visibleText('a descrição da tarifa'),
  ),
  amount: PositiveCentsSchema,
  date: CalendarDateSchema,
});
export type Fee = v.InferOutput<typeof FeeSchema>;

/**
 * The terms of one debt. `fineBps` above 2% on a consumer debt is accepted and clamped by
 * `balanceOn` (with a warning) rather than rejected: contracts imported from legacy systems often
 * carry 10% fines, and the law voids only the excess, so the debt stays collectable at the cap.
 */
export const DebtTermsSchema = v.pipe(
  v.object({
    principal: PositiveCentsSchema,
    issueDate: CalendarDateSchema,
    dueDate: CalendarDateSchema,
    kind: DebtKindSchema,
    /** Multa de mora, once, on the principal still open when the grace window closes. */
    fineBps: v.optional(BpsSchema, 200),
    /** Juros de mora, simple, pro rata die over a 30-day month. */
    monthlyInterestBps: v.optional(BpsSchema, 100),
    fees: v.optional(v.array(FeeSchema, 'as tarifas devem ser uma lista'), () => []),
    /** Desconto de pontualidade on the principal, earned by settling on or before the due date. */
    punctualityDiscountBps: v.exactOptional(BpsSchema),
    /** Days after the due date in which a payment still counts as made on the due date. */
    graceDays: v.optional(
      v.pipe(
        v.number('a carência deve ser um número de dias'),
        v.safeInteger('a carência deve ser um número inteiro de dias'),
        v.minValue(0, 'a carência não pode ser menor que zero'),
        v.maxValue(365, 'a carência pode ser de no máximo 365 dias'),
      ),
      0,
    ),
  }),
  v.forward(
    v.partialCheck(
      [['issueDate'], ['dueDate']],
      (t) => t.issueDate <= t.dueDate,
      'o vencimento não pode ser anterior à emissão (issueDate)',
    ),
    ['dueDate'],
  ),
);
export type DebtTermsInput = v.InferInput<typeof DebtTermsSchema>;
export type DebtTerms = v.InferOutput<typeof DebtTermsSchema>;

/** Money received against the debt (or a credit that counts like it, named by `label`). */
export const PaymentSchema = v.object({
  id: v.exactOptional(v.string()),
  date: CalendarDateSchema,
  amount: PositiveCentsSchema,
  /** The breakdown line's text; "Pagamento recebido" when absent. */
  label: v.exactOptional(v.string()),
});
export type Payment = v.InferOutput<typeof PaymentSchema>;

/** What a display line stands for. */
export const BreakdownLineKinds = [
  'principal',
  'fee',
  'fine',
  'interest',
  'payment',
  'discount',
] as const;

/** One display line: charges are positive, payments and discounts negative. */
export const BreakdownLineSchema = v.object({
  kind: v.picklist(BreakdownLineKinds),
  /** pt-BR text for the debtor and the collector. */
  label: v.string(),
  amount: CentsSchema,
  date: CalendarDateSchema,
  /** Interest lines: the accrual period (first and last day) and the principal it ran on. */
  periodStart: v.exactOptional(CalendarDateSchema),
  days: v.exactOptional(v.number()),
  base: v.exactOptional(CentsSchema),
});
export type BreakdownLine = v.InferOutput<typeof BreakdownLineSchema>;

/** How one payment was split (CC art. 354 order: interest, fine, fees, then principal). */
export const ImputationSchema = v.object({
  paymentId: v.exactOptional(v.string()),
  date: CalendarDateSchema,
  amount: CentsSchema,
  toInterest: CentsSchema,
  toFine: CentsSchema,
  toFees: CentsSchema,
  toPrincipal: CentsSchema,
  /** Left over after every charge was paid: part of the breakdown's `credit`. */
  unapplied: CentsSchema,
});
export type Imputation = v.InferOutput<typeof ImputationSchema>;

/** Terms the calculator had to correct or that need a look; each comes with a pt-BR message. */
export const ChargeWarningCodes = [
  'consumer-fine-capped',
  'consumer-interest-above-usual',
] as const;
export const ChargeWarningSchema = v.object({
  code: v.picklist(ChargeWarningCodes),
  message: v.string(),
});
export type ChargeWarning = v.InferOutput<typeof ChargeWarningSchema>;

/**
 * none: no punctuality discount in the terms; offered: still available on `asOf` and deducted from
 * `totalDue`; granted: the debt was settled on time with it; expired: the due date passed unsettled.
 */
export const DiscountStatuses = ['none', 'offered', 'granted', 'expired'] as const;

const OpenChargesSchema = v.object({
  principal: CentsSchema,
  fine: CentsSchema,
  interest: CentsSchema,
  fees: CentsSchema,
});

/** The itemised balance of one debt on `asOf`: totalDue = principal + fine + interest + fees − paid − discount, or `credit` when that is negative. */
export const BreakdownSchema = v.object({
  asOf: CalendarDateSchema,
  dueDate: CalendarDateSchema,
  kind: DebtKindSchema,
  principal: CentsSchema,
  fine: CentsSchema,
  /** The rate actually applied, after the consumer cap. */
  fineBps: v.number(),
  interest: CentsSchema,
  monthlyInterestBps: v.number(),
  fees: CentsSchema,
  paid: CentsSchema,
  discount: CentsSchema,
  discountStatus: v.picklist(DiscountStatuses),
  totalDue: CentsSchema,
  credit: CentsSchema,
  /** Calendar days past the due date while something is still owed; 0 once settled. */
  daysOverdue: v.number(),
  /** What is still owed per component after imputing payments (before the offered discount). */
  open: OpenChargesSchema,
  lines: v.array(BreakdownLineSchema),
  imputations: v.array(ImputationSchema),
  warnings: v.array(ChargeWarningSchema),
});
export type Breakdown = v.InferOutput<typeof BreakdownSchema>;
