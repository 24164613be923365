/**
 * A debtor's contestation of a debt. An open dispute pauses the cadence and blocks escalation for
 * that debt until it is resolved or withdrawn.
 */
import * as v from 'valibot';
import { CalendarDateSchema } from '../time/calendar-date.schema';
import { entity, note, text, VersionSchema } from './common.schema';
import { IdSchema } from './id';

export const DisputeReasons = [
  'not_recognised',
  'already_paid',
  'wrong_amount',
  'product_or_service',
  'other',
] as const;
export const DisputeReasonSchema = v.picklist(
  DisputeReasons,
  'o motivo deve ser not_recognised, already_paid, wrong_amount, product_or_service ou other',
);
export type DisputeReason = v.InferOutput<typeof DisputeReasonSchema>;

export const DisputeStatuses = ['open', 'resolved', 'withdrawn'] as const;
export const DisputeStatusSchema = v.picklist(
  DisputeStatuses,
  'a situação deve ser open, resolved ou withdrawn',
);
export type DisputeStatus = v.InferOutput<typeof DisputeStatusSchema>;

/** How a dispute ended: upheld (the debtor was right) or rejected (collection resumes). */
export const DisputeResolutionSchema = entity({
  outcome: v.picklist(
    ['upheld', 'rejected'],
    'o resultado deve ser upheld (procedente) ou rejected (improcedente)',
  ),
  note: text('a observação', 2000),
  resolvedOn: CalendarDateSchema,
  resolvedBy: IdSchema,
});
export type DisputeResolution = v.InferOutput<typeof DisputeResolutionSchema>;

const disputeFields = {
  debtId: IdSchema,
  debtorId: IdSchema,
  reason: DisputeReasonSchema,
  description: v.optional(note('a descrição', 2000)),
  openedOn: CalendarDateSchema,
  openedBy: IdSchema,
};

/** A dispute as stored and returned. */
export const DisputeSchema = v.pipe(
  entity({
    id: IdSchema,
    ...disputeFields,
    status: DisputeStatusSchema,
    resolution: v.optional(DisputeResolutionSchema),
    version: VersionSchema,
  }),
  v.forward(
    v.check(
      (d) => (d.status === 'resolved') === (d.resolution !== undefined),
      'a resolução deve ser informada quando, e somente quando, a contestação está resolvida (resolved)',
    ),
    ['resolution'],
  ),
  v.forward(
    v.check(
      (d) => d.resolution === undefined || d.openedOn <= d.resolution.resolvedOn,
      'a data da resolução não pode ser anterior à abertura (openedOn)',
    ),
    ['resolution', 'resolvedOn'],
  ),
);
export type Dispute = v.InferOutput<typeof DisputeSchema>;

/** A new dispute; it starts open. */
export const NewDisputeSchema = entity({ id: v.optional(IdSchema), ...disputeFields });
export type NewDispute = v.InferOutput<typeof NewDisputeSchema>;
