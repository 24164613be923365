/**
 * Negotiation limits an owner sets and the proposals a collector makes inside them (DESIGN.md
 * "Negotiation policy"; collections.md §b.7): discount by days overdue and only as a last resort,
 * installments, minimum installment and down payment, owner approval above a threshold, and
 * waiving multa/juros as separate, logged concessions.
 */
import * as v from 'valibot';
import { cents } from '../money/money';
import { CentsSchema } from '../money/cents.schema';
import { CalendarDateSchema } from '../time/calendar-date.schema';
import { IdSchema } from '../domain/id';
import {
  BreakAfterDaysSchema,
  ConcessionsOnBreakSchema,
  DEFAULT_AGREEMENT_RULES,
  type AgreementRules,
} from './agreement-rules';

const BpsSchema = v.pipe(
  v.number('a taxa deve ser um número de pontos-base'),
  v.safeInteger('a taxa deve ser um número inteiro de pontos-base'),
  v.minValue(0, 'a taxa não pode ser menor que zero'),
  v.maxValue(10_000, 'a taxa não pode passar de 100% (10000 pontos-base)'),
);
const WholeSchema = v.pipe(
  v.number('deve ser um número'),
  v.safeInteger('deve ser um número inteiro'),
  v.minValue(0, 'não pode ser menor que zero'),
);
const NonNegativeCentsSchema = v.pipe(
  CentsSchema,
  v.minValue(cents(0), 'o valor não pode ser menor que zero'),
);

/** From `minDaysOverdue` on (until the next band), a discount of up to `maxDiscountBps`. */
export const DiscountBandSchema = v.object({
  minDaysOverdue: WholeSchema,
  maxDiscountBps: BpsSchema,
});
export type DiscountBand = v.InferOutput<typeof DiscountBandSchema>;

/**
 * What a collector may agree without asking. Discounts also need the cadence step to allow them
 * (`discountUnlocked` in the validation context): the bands say how much, the régua says when.
 */
export const NegotiationPolicySchema = v.object({
  discountBands: v.pipe(
    v.array(DiscountBandSchema, 'as faixas de desconto devem ser uma lista'),
    v.check(
      (bands) =>
        bands.every((b, i) => i === 0 || b.minDaysOverdue > (bands[i - 1]?.minDaysOverdue ?? -1)),
      'as faixas de desconto devem estar em ordem crescente de dias de atraso (minDaysOverdue)',
    ),
  ),
  maxInstallments: v.pipe(WholeSchema, v.minValue(1, 'o máximo de parcelas deve ser pelo menos 1')),
  minInstallment: NonNegativeCentsSchema,
  /** Of the agreed total; applies whenever the agreement has more than one payment. */
  minDownPaymentBps: BpsSchema,
  /** Concessions (discount + waived fine + waived interest) above this share of the balance need the owner. */
  approvalThresholdBps: v.exactOptional(BpsSchema),
  /** Agreements whose agreed total is above this need the owner. */
  approvalAboveTotal: v.exactOptional(NonNegativeCentsSchema),
  /** Latest first payment, in calendar days from today. */
  maxFirstDueDays: WholeSchema,
  waiverAllowed: v.object({
    fine: v.boolean('deve ser true ou false'),
    interest: v.boolean('deve ser true ou false'),
  }),
  /**
   * Days after an installment's due date it may still be paid; the day after, the agreement is
   * broken (./agreement-rules.ts). Copied onto each agreement when it is made.
   */
  breakAfterDays: v.optional(BreakAfterDaysSchema, DEFAULT_AGREEMENT_RULES.breakAfterDays),
  /** Whether a broken agreement's concessions are lost (default) or kept (./agreement-rules.ts). */
  concessionsOnBreak: v.optional(
    ConcessionsOnBreakSchema,
    DEFAULT_AGREEMENT_RULES.concessionsOnBreak,
  ),
});
export type NegotiationPolicy = v.InferOutput<typeof NegotiationPolicySchema>;

/**
 * Defaults for a small business: no discount in the first month (the debtor may simply have
 * forgotten), 10% from 31 days and 20% from 61 (the debt is ageing into a loss), up to 12 monthly
 * installments of at least R$ 50,00, a 10% down payment, first payment within 10 days, multa may
 * be waived (the classic "isenção de multa") but juros — the creditor's compensation for time —
 * only by the owner; concessions above 15% of the balance or agreements above R$ 10.000,00 go to
 * the owner, so the top 20% band is reachable only with approval. An installment unpaid 5 days
 * after its due date breaks the agreement, and its concessions are lost (./agreement-rules.ts).
 */
export const DEFAULT_NEGOTIATION_POLICY: NegotiationPolicy = v.parse(NegotiationPolicySchema, {
  discountBands: [
    { minDaysOverdue: 0, maxDiscountBps: 0 },
    { minDaysOverdue: 31, maxDiscountBps: 1_000 },
    { minDaysOverdue: 61, maxDiscountBps: 2_000 },
  ],
  maxInstallments: 12,
  minInstallment: 5_000,
  minDownPaymentBps: 1_000,
  approvalThresholdBps: 1_500,
  approvalAboveTotal: 1_000_000,
  maxFirstDueDays: 10,
  waiverAllowed: { fine: true, interest: false },
});

/** The break rule a new agreement made under `policy` carries. */
export function agreementRulesOf(policy: NegotiationPolicy): AgreementRules {
  return { breakAfterDays: policy.breakAfterDays, concessionsOnBreak: policy.concessionsOnBreak };
}

/** Installment spacing; only monthly for now. */
export const Intervals = ['monthly'] as const;

/**
 * A collector's offer. `installments` counts the payments after the down payment; 0 with the
 * down payment equal to the agreed total is a settlement in one payment. The discount is given
 * either as a rate or as an amount, taken from the balance left after the waivers.
 */
export const ProposalSchema = v.pipe(
  v.object({
    debtIds: v.pipe(
      v.array(IdSchema, 'as dívidas devem ser uma lista'),
      v.minLength(1, 'a proposta deve incluir pelo menos uma dívida'),
    ),
    discountBps: v.exactOptional(BpsSchema),
    discountAmount: v.exactOptional(NonNegativeCentsSchema),
    waiveFine: v.optional(v.boolean('a dispensa da multa deve ser true ou false'), false),
    waiveInterest: v.optional(v.boolean('a dispensa dos juros deve ser true ou false'), false),
    downPayment: v.optional(NonNegativeCentsSchema, cents(0)),
    installments: v.pipe(WholeSchema, v.maxValue(360, 'no máximo 360 parcelas')),
    firstDueDate: CalendarDateSchema,
    interval: v.optional(v.picklist(Intervals, 'a periodicidade deve ser monthly'), 'monthly'),
  }),
  v.check(
    (p) => p.discountBps === undefined || p.discountAmount === undefined,
    'informe o desconto como taxa (discountBps) ou como valor (discountAmount), não os dois',
  ),
);
export type ProposalInput = v.InferInput<typeof ProposalSchema>;
export type Proposal = v.InferOutput<typeof ProposalSchema>;

/** Every rule a proposal or a promise can break or need approval for, named in findings. */
export const NegotiationRules = [
  'unknown-debt',
  'duplicate-debt',
  'debt-already-settled',
  'discount-locked',
  'discount-above-limit',
  'fine-waiver-not-allowed',
  'interest-waiver-not-allowed',
  'nothing-to-pay',
  'too-many-installments',
  'installment-below-minimum',
  'down-payment-below-minimum',
  'down-payment-covers-total',
  'down-payment-must-equal-total',
  'first-due-date-in-past',
  'first-due-date-too-far',
  'concession-above-threshold',
  'total-above-limit',
  'promise-date-in-past',
  'promise-date-too-far',
  'promise-below-minimum',
  'nothing-owed',
  'too-many-broken-promises',
] as const;
export type NegotiationRule = (typeof NegotiationRules)[number];

/** What `limit` and `actual` count, so a screen can format them. */
export const RuleUnits = ['bps', 'cents', 'days', 'count'] as const;

/** One broken rule or approval reason: `message` is pt-BR for the collector's screen. */
export const RuleFindingSchema = v.object({
  rule: v.picklist(NegotiationRules),
  message: v.string(),
  limit: v.exactOptional(v.number()),
  actual: v.exactOptional(v.number()),
  unit: v.exactOptional(v.picklist(RuleUnits)),
});
export type RuleFinding = v.InferOutput<typeof RuleFindingSchema>;

/** One payment of an agreement; number 0 is the down payment. */
export const ScheduleEntrySchema = v.object({
  number: v.number(),
  dueDate: CalendarDateSchema,
  amount: CentsSchema,
});
export type ScheduleEntry = v.InferOutput<typeof ScheduleEntrySchema>;

/** The verdict on a proposal: `ok` means no rule broken; `needsApproval` may still be true. */
export const ProposalResultSchema = v.object({
  ok: v.boolean(),
  violations: v.array(RuleFindingSchema),
  needsApproval: v.boolean(),
  approvalReasons: v.array(RuleFindingSchema),
  /** Σ totalDue of the covered debts before any concession. */
  balance: CentsSchema,
  agreedTotal: CentsSchema,
  concessions: v.object({
    discount: CentsSchema,
    fineWaived: CentsSchema,
    interestWaived: CentsSchema,
  }),
  daysOverdue: v.number(),
  maxDiscountBps: v.number(),
  /** Empty when the amounts cannot form a schedule (see the violations). */
  schedule: v.array(ScheduleEntrySchema),
});
export type ProposalResult = v.InferOutput<typeof ProposalResultSchema>;
