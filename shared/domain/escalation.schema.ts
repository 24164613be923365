/**
 * The last-resort steps: negativação (credit bureau listing), protesto (notary) and judicial
 * collection, each an explicit logged request. After full payment the creditor must have a
 * listing removed within 5 business days (STJ Súmula 548); `removalDueBy` tracks that deadline.
 */
import * as v from 'valibot';
import type { HolidayCalendar } from '../time/holidays';
import { addBusinessDays } from '../time/business-days';
import { type CalendarDate } from '../time/calendar-date';
import { CalendarDateSchema } from '../time/calendar-date.schema';
import { entity, note, text, VersionSchema } from './common.schema';
import { IdSchema } from './id';

export const EscalationKinds = ['negativacao', 'protesto', 'judicial'] as const;
export const EscalationKindSchema = v.picklist(
  EscalationKinds,
  'o tipo deve ser negativacao, protesto ou judicial',
);
export type EscalationKind = v.InferOutput<typeof EscalationKindSchema>;

export const EscalationStatuses = [
  'requested',
  'listed',
  'removal_pending',
  'removed',
  'cancelled',
] as const;
export const EscalationStatusSchema = v.picklist(
  EscalationStatuses,
  'a situação deve ser requested, listed, removal_pending, removed ou cancelled',
);
export type EscalationStatus = v.InferOutput<typeof EscalationStatusSchema>;

/** Business days the creditor has to remove a listing after full payment (Súmula 548). */
export const REMOVAL_BUSINESS_DAYS = 5;

/** The last day to remove a listing for a debt fully paid on `paidOn`. */
export function listingRemovalDueBy(
  paidOn: CalendarDate,
  calendar: HolidayCalendar = {},
): CalendarDate {
  return addBusinessDays(paidOn, REMOVAL_BUSINESS_DAYS, calendar);
}

const escalationFields = {
  debtId: IdSchema,
  debtorId: IdSchema,
  kind: EscalationKindSchema,
  /** Serasa, SPC, Boa Vista, the notary's office or the court. */
  agency: v.optional(text('o órgão', 120)),
  /** The written notice that preceded it; required for negativação and protesto. */
  noticeId: v.optional(IdSchema),
  requestedOn: CalendarDateSchema,
  requestedBy: IdSchema,
  note: v.optional(note('a observação', 1000)),
};

function needsNotice(e: { kind: EscalationKind; noticeId?: string | undefined }): boolean {
  return e.kind === 'judicial' || e.noticeId !== undefined;
}

const NOTICE_MESSAGE =
  'informe o comunicado: negativação e protesto exigem comunicado prévio por escrito';

/** An escalation as stored and returned. */
export const EscalationSchema = v.pipe(
  entity({
    id: IdSchema,
    ...escalationFields,
    status: EscalationStatusSchema,
    listedOn: v.optional(CalendarDateSchema),
    /** The day the debt was fully paid; starts the removal deadline. */
    paidOn: v.optional(CalendarDateSchema),
    removalDueBy: v.optional(CalendarDateSchema),
    removedOn: v.optional(CalendarDateSchema),
    version: VersionSchema,
  }),
  v.forward(
    v.check((e) => needsNotice(e), NOTICE_MESSAGE),
    ['noticeId'],
  ),
  v.forward(
    v.check(
      (e) => e.listedOn !== undefined || (e.status !== 'listed' && e.status !== 'removal_pending'),
      'informe a data do registro quando a dívida já está registrada',
    ),
    ['listedOn'],
  ),
  v.forward(
    v.check(
      (e) => e.listedOn === undefined || e.requestedOn <= e.listedOn,
      'a data do registro não pode ser anterior à solicitação (requestedOn)',
    ),
    ['listedOn'],
  ),
  v.forward(
    v.check(
      (e) => (e.paidOn === undefined) === (e.removalDueBy === undefined),
      'o prazo de baixa deve ser informado quando, e somente quando, há data de pagamento (paidOn)',
    ),
    ['removalDueBy'],
  ),
  v.forward(
    v.check(
      (e) => e.paidOn === undefined || e.removalDueBy === undefined || e.paidOn < e.removalDueBy,
      'o prazo de baixa deve ser posterior ao pagamento (paidOn)',
    ),
    ['removalDueBy'],
  ),
  v.forward(
    v.check(
      (e) => e.status !== 'removal_pending' || e.paidOn !== undefined,
      'informe a data do pagamento enquanto a baixa estiver pendente',
    ),
    ['paidOn'],
  ),
  v.forward(
    v.check(
      (e) => (e.status === 'removed') === (e.removedOn !== undefined),
      'a data da baixa deve ser informada quando, e somente quando, o registro foi baixado (removed)',
    ),
    ['removedOn'],
  ),
  v.forward(
    v.check(
      (e) => e.removedOn === undefined || e.listedOn === undefined || e.listedOn <= e.removedOn,
      'a data da baixa não pode ser anterior ao registro (listedOn)',
    ),
    ['removedOn'],
  ),
);
export type Escalation = v.InferOutput<typeof EscalationSchema>;

/** A new escalation request; it starts requested. */
export const NewEscalationSchema = v.pipe(
  entity({ id: v.optional(IdSchema), ...escalationFields }),
  v.forward(
    v.check((e) => needsNotice(e), NOTICE_MESSAGE),
    ['noticeId'],
  ),
);
export type NewEscalation = v.InferOutput<typeof NewEscalationSchema>;
