/**
 * An installment agreement (acordo de parcelamento): the debts it replaces, the schedule, and every
 * concession (discount, waived multa/juros/fees) as a separate, logged item. The schedule must add
 * up to the agreed total to the centavo. The schedule has the shape of shared/negotiation's
 * `ScheduleEntry` (number 0 = down payment), so a validated proposal's schedule is stored as is.
 */
import * as v from 'valibot';
import { CalendarDateSchema } from '../time/calendar-date';
import { entity, InstantSchema, note, positiveCents, text, VersionSchema } from './common.schema';
import { IdSchema } from './id';
import { DebtIdsSchema } from './promise.schema';

export const AgreementStatuses = [
  'proposed',
  'pending_approval',
  'active',
  'broken',
  'completed',
  'rejected',
] as const;
export const AgreementStatusSchema = v.picklist(
  AgreementStatuses,
  'status must be one of proposed, pending_approval, active, broken, completed, rejected',
);
export type AgreementStatus = v.InferOutput<typeof AgreementStatusSchema>;

export const InstallmentSchema = entity({
  /** Position in the schedule; 0 is the down payment (entrada), as in shared/negotiation. */
  number: v.pipe(
    v.number('number must be a number'),
    v.safeInteger('number must be a whole number'),
    v.minValue(0, 'number cannot be negative'),
  ),
  dueDate: CalendarDateSchema,
  amount: positiveCents('amount'),
});
export type Installment = v.InferOutput<typeof InstallmentSchema>;

export const ConcessionKinds = ['discount', 'waive_fine', 'waive_interest', 'waive_fees'] as const;
export const ConcessionKindSchema = v.picklist(
  ConcessionKinds,
  'kind must be one of discount, waive_fine, waive_interest, waive_fees',
);

/** One thing given up by the creditor, with its value and why. */
export const ConcessionSchema = entity({
  kind: ConcessionKindSchema,
  amount: positiveCents('amount'),
  reason: text('reason', 300),
});
export type Concession = v.InferOutput<typeof ConcessionSchema>;

const InstallmentsSchema = v.pipe(
  v.array(InstallmentSchema, 'installments must be a list'),
  v.nonEmpty('installments needs at least one installment'),
  v.maxLength(120, 'at most 120 installments'),
  v.check((list) => {
    const start = list[0]?.number ?? 0;
    return start <= 1 && list.every((item, i) => item.number === start + i);
  }, 'installments must be numbered 0 (down payment), 1, 2… or 1, 2, 3… in order'),
  v.check(
    (list) => list.every((item, i) => i === 0 || (list[i - 1]?.dueDate ?? '') < item.dueDate),
    'installment due dates must increase',
  ),
);

const agreementFields = {
  debtorId: IdSchema,
  debtIds: DebtIdsSchema,
  /** The balance of the debts on the day of the proposal, before concessions. */
  originalTotal: positiveCents('originalTotal'),
  /** What the debtor agrees to pay; the installments add up to it exactly. */
  total: positiveCents('total'),
  installments: InstallmentsSchema,
  concessions: v.optional(
    v.pipe(
      v.array(ConcessionSchema, 'concessions must be a list'),
      v.maxLength(10, 'at most 10 concessions'),
    ),
    () => [],
  ),
  note: v.optional(note('note', 1000)),
};

interface Scheduled {
  total: number;
  installments: readonly { amount: number }[];
}

function scheduleAddsUp(a: Scheduled): boolean {
  return a.installments.reduce((sum, i) => sum + i.amount, 0) === a.total;
}

const SCHEDULE_MESSAGE = 'installment amounts must add up to total exactly';

/** An agreement as stored and returned. */
export const AgreementSchema = v.pipe(
  entity({
    id: IdSchema,
    ...agreementFields,
    status: AgreementStatusSchema,
    proposedBy: IdSchema,
    proposedAt: InstantSchema,
    /** Who approved terms beyond the policy limits (absent when none were needed). */
    approvedBy: v.optional(IdSchema),
    approvedAt: v.optional(InstantSchema),
    rejectionReason: v.optional(text('rejectionReason', 500)),
    version: VersionSchema,
  }),
  v.forward(
    v.check((a) => scheduleAddsUp(a), SCHEDULE_MESSAGE),
    ['installments'],
  ),
  v.forward(
    v.check(
      (a) => (a.approvedBy === undefined) === (a.approvedAt === undefined),
      'approvedAt and approvedBy go together',
    ),
    ['approvedAt'],
  ),
  v.forward(
    v.check(
      (a) => (a.status === 'rejected') === (a.rejectionReason !== undefined),
      'rejectionReason is required when the agreement is rejected, and only then',
    ),
    ['rejectionReason'],
  ),
);
export type Agreement = v.InferOutput<typeof AgreementSchema>;

/** A proposal: the server sets the status from the negotiation policy. */
export const NewAgreementSchema = v.pipe(
  entity({ id: v.optional(IdSchema), ...agreementFields }),
  v.forward(
    v.check((a) => scheduleAddsUp(a), SCHEDULE_MESSAGE),
    ['installments'],
  ),
);
export type NewAgreement = v.InferOutput<typeof NewAgreementSchema>;
