/**
 * The written notice that must precede a negativação or protesto (CDC art. 43 §2, STJ Súmula 359;
 * Súmula 404: no delivery receipt needed). Escalation is allowed only `waitingDays` after it was
 * sent; the period depends on the debtor's state (reference/collections.md §(c)).
 */
import * as v from 'valibot';
import { DEFAULT_CADENCE_POLICY } from '../cadence/cadence.schema';
import type { UF } from '../identity/uf';
import { addDays, type CalendarDate } from '../time/calendar-date';
import { CalendarDateSchema } from '../time/calendar-date.schema';
import { TemplateIdSchema } from '../templates/template.schema';
import { count, entity, InstantSchema, positiveCents, text } from './common.schema';
import { IdSchema } from './id';

/** Written notices precede these escalations; judicial collection needs none. */
export const NoticePurposes = ['negativacao', 'protesto'] as const;
export const NoticePurposeSchema = v.picklist(
  NoticePurposes,
  'a finalidade deve ser negativacao ou protesto',
);
export type NoticePurpose = v.InferOutput<typeof NoticePurposeSchema>;

export const NoticeMethods = ['letter', 'registered_letter', 'email', 'bureau_letter'] as const;
export const NoticeMethodSchema = v.picklist(
  NoticeMethods,
  'o meio de envio deve ser letter, registered_letter, email ou bureau_letter',
);
export type NoticeMethod = v.InferOutput<typeof NoticeMethodSchema>;

/**
 * The waiting period for a debtor living in `uf`, from the default régua's table (bureau practice
 * reported by Asaas: MT 45, SP/PE 20, PI 15, others 10). An organisation's own cadence policy may
 * change it; use `noticeDaysFor(policy, uf)` from shared/cadence where the policy is at hand.
 */
export function noticeWaitingDays(uf: UF | undefined): number {
  const { noticeDays } = DEFAULT_CADENCE_POLICY;
  return (uf && noticeDays.byState[uf]) ?? noticeDays.default;
}

const noticeFields = {
  debtId: IdSchema,
  debtorId: IdSchema,
  purpose: NoticePurposeSchema,
  method: NoticeMethodSchema,
  /** The postal address or e-mail the notice went to, as sent. */
  sentTo: text('o destino do envio', 300),
  sentOn: CalendarDateSchema,
  waitingDays: v.pipe(
    count('o prazo em dias', 90),
    v.minValue(1, 'o prazo deve ser de pelo menos 1 dia'),
  ),
  /** The amount the notice stated, itemised in the document itself. */
  amountStated: positiveCents('o valor informado no comunicado'),
  templateId: v.optional(TemplateIdSchema),
  /** The stored copy of the document sent. */
  documentId: v.optional(IdSchema),
  sentBy: IdSchema,
};

/** A notice as stored and returned. */
export const NoticeSchema = entity({ id: IdSchema, ...noticeFields, createdAt: InstantSchema });
export type Notice = v.InferOutput<typeof NoticeSchema>;

/** A notice being logged. */
export const NewNoticeSchema = entity({ id: v.optional(IdSchema), ...noticeFields });
export type NewNotice = v.InferOutput<typeof NewNoticeSchema>;

/** The first day the escalation the notice announced may be requested. */
export function noticeExpiresOn(notice: {
  sentOn: CalendarDate;
  waitingDays: number;
}): CalendarDate {
  return addDays(notice.sentOn, notice.waitingDays);
}
