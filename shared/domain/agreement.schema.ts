/**
 * An installment agreement (acordo de parcelamento): the debts it replaces, the schedule, and every
 * concession (discount, waived multa/juros/fees) as a separate, logged item. The schedule must add
 * up to the agreed total to the centavo. The schedule has the shape of shared/negotiation's
 * `ScheduleEntry` (number 0 = down payment), so a validated proposal's schedule is stored as is.
 */
import * as v from 'valibot';
import { CalendarDateSchema } from '../time/calendar-date.schema';
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
  'a situação deve ser proposed, pending_approval, active, broken, completed ou rejected',
);
export type AgreementStatus = v.InferOutput<typeof AgreementStatusSchema>;

export const InstallmentSchema = entity({
  /** Position in the schedule; 0 is the down payment (entrada), as in shared/negotiation. */
  number: v.pipe(
    v.number('o número da parcela deve ser um número'),
    v.safeInteger('o número da parcela deve ser um número inteiro'),
    v.minValue(0, 'o número da parcela não pode ser menor que zero'),
  ),
  dueDate: CalendarDateSchema,
  amount: positiveCents('o valor da parcela'),
});
export type Installment = v.InferOutput<typeof InstallmentSchema>;

export const ConcessionKinds = ['discount', 'waive_fine', 'waive_interest', 'waive_fees'] as const;
export const ConcessionKindSchema = v.picklist(
  ConcessionKinds,
  'o tipo de concessão deve ser discount, waive_fine, waive_interest ou waive_fees',
);

/** One thing given up by the creditor, with its value and why. */
export const ConcessionSchema = entity({
  kind: ConcessionKindSchema,
  amount: positiveCents('o valor da concessão'),
  reason: text('o motivo', 300),
});
export type Concession = v.InferOutput<typeof ConcessionSchema>;

const InstallmentsSchema = v.pipe(
  v.array(InstallmentSchema, 'as parcelas devem ser uma lista'),
  v.nonEmpty('informe pelo menos uma parcela'),
  v.maxLength(120, 'no máximo 120 parcelas'),
  v.check((list) => {
    const start = list[0]?.number ?? 0;
    return start <= 1 && list.every((item, i) => item.number === start + i);
  }, 'as parcelas devem ser numeradas em ordem: 0 (entrada), 1, 2… ou 1, 2, 3…'),
  v.check(
    (list) => list.every((item, i) => i === 0 || (list[i - 1]?.dueDate ?? '') < item.dueDate),
    'os vencimentos das parcelas devem ser crescentes',
  ),
);

const agreementFields = {
  debtorId: IdSchema,
  debtIds: DebtIdsSchema,
  /** The balance of the debts on the day of the proposal, before concessions. */
  originalTotal: positiveCents('o total original'),
  /** What the debtor agrees to pay; the installments add up to it exactly. */
  total: positiveCents('o total do acordo'),
  installments: InstallmentsSchema,
  concessions: v.optional(
    v.pipe(
      v.array(ConcessionSchema, 'as concessões devem ser uma lista'),
      v.maxLength(10, 'no máximo 10 concessões'),
    ),
    () => [],
  ),
  note: v.optional(note('a observação', 1000)),
};

interface Scheduled {
  total: number;
  installments: readonly { amount: number }[];
}

function scheduleAddsUp(a: Scheduled): boolean {
  return a.installments.reduce((sum, i) => sum + i.amount, 0) === a.total;
}

const SCHEDULE_MESSAGE = 'a soma das parcelas deve ser exatamente o total do acordo (total)';

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
    rejectionReason: v.optional(text('o motivo da recusa', 500)),
    version: VersionSchema,
  }),
  v.forward(
    v.check((a) => scheduleAddsUp(a), SCHEDULE_MESSAGE),
    ['installments'],
  ),
  v.forward(
    v.check(
      (a) => (a.approvedBy === undefined) === (a.approvedAt === undefined),
      'a data da aprovação e quem aprovou (approvedBy) devem vir juntos',
    ),
    ['approvedAt'],
  ),
  v.forward(
    v.check(
      (a) => (a.status === 'rejected') === (a.rejectionReason !== undefined),
      'o motivo da recusa deve ser informado quando, e somente quando, o acordo é recusado (rejected)',
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
