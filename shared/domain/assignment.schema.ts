/**
 * Which collector works which debtor. A collector's device holds only the debtors assigned to it
 * (LGPD necessity); revoking an assignment removes the debtor from that device on the next pull.
 */
import * as v from 'valibot';
import { count, entity, InstantSchema } from './common.schema';
import { IdSchema } from './id';

const assignmentFields = {
  debtorId: IdSchema,
  collectorId: IdSchema,
  /** Position in the collector's route; lower first. */
  routeOrder: v.optional(count('a ordem na rota', 100_000)),
};

/** An assignment as stored; it is active until `revokedAt`. */
export const AssignmentSchema = v.pipe(
  entity({
    id: IdSchema,
    ...assignmentFields,
    assignedBy: IdSchema,
    assignedAt: InstantSchema,
    revokedBy: v.optional(IdSchema),
    revokedAt: v.optional(InstantSchema),
  }),
  v.forward(
    v.check(
      (a) => (a.revokedBy === undefined) === (a.revokedAt === undefined),
      'a data da revogação e quem revogou (revokedBy) devem vir juntos',
    ),
    ['revokedAt'],
  ),
  v.forward(
    v.check(
      (a) => a.revokedAt === undefined || a.assignedAt <= a.revokedAt,
      'a revogação não pode ser anterior à atribuição (assignedAt)',
    ),
    ['revokedAt'],
  ),
);
export type Assignment = v.InferOutput<typeof AssignmentSchema>;

/** The body of a request assigning a debtor to a collector. */
export const NewAssignmentSchema = entity({ id: v.optional(IdSchema), ...assignmentFields });
export type NewAssignment = v.InferOutput<typeof NewAssignmentSchema>;
