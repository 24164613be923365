/**
 * Owner review of field-edit conflicts (issue 4 §5.1, issue 5): a collector's correction pushed
 * over a debtor version the phone had not seen is APPLIED at push time (last writer in server
 * order wins) and kept for review. Review closes it one of two ways: keep what the phone applied,
 * or write the value it overwrote back through the versioned write path (so phones receive it).
 */
import * as v from 'valibot';
import { entity, VersionSchema } from '../domain/common.schema';
import { EDITABLE_FIELDS } from './facts.schema';

/**
 * `keep_applied`: the phone's value stays (it already is the stored one); the conflict is closed.
 * `restore_previous`: the value the phone overwrote is written back as a new debtor version.
 * Named after the listing's `appliedValue` / `previousValue`.
 */
export const ConflictResolutions = ['keep_applied', 'restore_previous'] as const;
export const ConflictResolutionSchema = v.picklist(
  ConflictResolutions,
  'resolution must be keep_applied or restore_previous',
);
export type ConflictResolution = v.InferOutput<typeof ConflictResolutionSchema>;

/** `POST /api/status/conflicts/:id/resolve` body. */
export const ResolveConflictRequestSchema = entity({
  resolution: ConflictResolutionSchema,
  /**
   * restore_previous only: the debtor version the caller has seen and accepts to overwrite. Left
   * out, the restore happens only while the debtor is still at the version the phone's edit
   * produced (nothing changed since); any other version answers 409.
   */
  version: v.optional(VersionSchema),
});
export type ResolveConflictRequest = v.InferOutput<typeof ResolveConflictRequestSchema>;

/** `GET /api/status/conflicts` query: open ones (default) or the most recently resolved. */
export const ConflictListQuerySchema = entity({
  state: v.optional(v.picklist(['open', 'resolved'], 'state must be open or resolved'), 'open'),
});

const PersonRefSchema = v.object({ id: v.string(), name: v.string() });

/** One conflict as the review API answers it (values are the field's stored JSON shape). */
export const ConflictSchema = v.object({
  id: v.string(),
  mutationId: v.string(),
  debtor: PersonRefSchema,
  collector: PersonRefSchema,
  field: v.picklist(EDITABLE_FIELDS),
  /** The debtor version the phone edited from. */
  baseVersion: v.number(),
  /** The debtor version the phone's edit overwrote (it then produced currentVersion + 1). */
  currentVersion: v.number(),
  /** What the field held before the phone's edit. */
  previousValue: v.unknown(),
  /** What the phone wrote (and the server applied). */
  appliedValue: v.unknown(),
  at: v.string(),
  resolution: v.nullable(ConflictResolutionSchema),
  resolvedAt: v.nullable(v.string()),
  resolvedBy: v.nullable(PersonRefSchema),
  /** The debtor version the restore produced (restore_previous only). */
  restoredVersion: v.nullable(v.number()),
});
export type Conflict = v.InferOutput<typeof ConflictSchema>;
