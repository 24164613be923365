/**
 * Owner review of field-edit conflicts (issue 4 §5.1, issue 5). push.ts records one row per field
 * edit applied over a debtor version the phone had not seen: `old_value` is what the field held at
 * `current_version` (the version the edit overwrote), `new_value` what the phone wrote; the edit
 * itself produced version `current_version + 1`. Resolving never re-decides the push: keeping
 * closes the row, restoring writes `old_value` back through server/db/write.ts (a new debtor
 * version and a feed row, so every phone holding the debtor gets it), refusing with 409 when the
 * debtor moved on since, rather than silently undoing a later edit.
 */
import * as v from 'valibot';
import type { Conflict, ConflictResolution } from '#shared/sync/conflict.schema';
import { FieldUpdateSchemas, type EditableField } from '#shared/sync/facts.schema';
import { audit } from '../db/audit';
import type { Db, Queryable, Tx } from '../db/db';
import { updateEntity } from '../db/write';
import { problem, problemError } from '../http/problem';
import { conflict as conflictProblem, ruleProblem } from '../ledger/http';
import { replaceContactPoints } from '../ledger/ledger.repo';
import type { ContactPointRow } from '../ledger/rows';

interface ConflictRow {
  id: string;
  mutation_id: string;
  debtor_id: string;
  debtor_name: string;
  field: EditableField;
  base_version: number;
  current_version: number;
  old_value: unknown;
  new_value: unknown;
  collector_id: string;
  collector_name: string;
  created_at: Date;
  resolved_at: Date | null;
  resolved_by: string | null;
  resolver_name: string | null;
  resolution: ConflictResolution | null;
  restored_version: number | null;
}

const SELECT = `SELECT k.*, d.name AS debtor_name, u.name AS collector_name, r.name AS resolver_name
  FROM sync_conflicts k JOIN debtors d ON d.id = k.debtor_id JOIN users u ON u.id = k.collector_id
  LEFT JOIN users r ON r.id = k.resolved_by`;

function conflictJson(r: ConflictRow): Conflict {
  return {
    id: r.id,
    mutationId: r.mutation_id,
    debtor: { id: r.debtor_id, name: r.debtor_name },
    collector: { id: r.collector_id, name: r.collector_name },
    field: r.field,
    baseVersion: r.base_version,
    currentVersion: r.current_version,
    previousValue: r.old_value,
    appliedValue: r.new_value,
    at: r.created_at.toISOString(),
    resolution: r.resolution,
    resolvedAt: r.resolved_at === null ? null : r.resolved_at.toISOString(),
    resolvedBy: r.resolved_by === null ? null : { id: r.resolved_by, name: r.resolver_name ?? '' },
    restoredVersion: r.restored_version,
  };
}

/** Open conflicts, newest first; or the 500 most recently resolved. */
export async function listConflicts(
  db: Queryable,
  state: 'open' | 'resolved',
): Promise<Conflict[]> {
  const rows = await db.query<ConflictRow>(
    state === 'open'
      ? `${SELECT} WHERE k.resolved_at IS NULL ORDER BY k.created_at DESC LIMIT 500`
      : `${SELECT} WHERE k.resolved_at IS NOT NULL ORDER BY k.resolved_at DESC LIMIT 500`,
  );
  return rows.map(conflictJson);
}

async function readConflict(q: Queryable, id: string): Promise<ConflictRow | undefined> {
  const [row] = await q.query<ConflictRow>(`${SELECT} WHERE k.id = $1`, [id]);
  return row;
}

/** The debtor columns that hold `value` for `field` (the same mapping apply.ts writes). */
function fieldColumns(field: Exclude<EditableField, 'contactPoints'>, value: unknown) {
  const json = (x: unknown) => (x === null ? null : JSON.stringify(x));
  switch (field) {
    case 'address': {
      const a = value as v.InferOutput<(typeof FieldUpdateSchemas)['address']>;
      return {
        address: json(a),
        address_line:
          a === null ? null : [a.street, a.number, a.complement].filter(Boolean).join(', '),
        district: a?.district ?? null,
        city: a?.city ?? null,
        state: a?.state ?? null,
        postal_code: a?.postalCode ?? null,
      };
    }
    case 'preferredChannel':
      return { preferred_channel: value };
    case 'preferredHours':
      return { preferred_hours: json(value) };
    case 'geoPin':
      return { geo_pin: json(value) };
  }
}

/**
 * The stored previous contact points hold only kind and value: a point still present keeps its
 * current label and flags, one the phone removed comes back with the defaults.
 */
async function restoreContactPoints(tx: Tx, debtorId: string, previous: unknown): Promise<void> {
  const rows = await tx.query<ContactPointRow>(
    'SELECT * FROM contact_points WHERE debtor_id = $1',
    [debtorId],
  );
  const current = new Map(rows.map((r) => [`${r.kind}:${r.value}`, r]));
  const list = (Array.isArray(previous) ? previous : []).map((p: Record<string, unknown>) => {
    const row = current.get(`${String(p['kind'])}:${String(p['value'])}`);
    if (!row) return p;
    return {
      kind: row.kind,
      value: row.value,
      verified: row.verified,
      ...(row.label === null ? {} : { label: row.label }),
      ...(row.kind === 'phone' ? { isWhatsapp: row.is_whatsapp } : {}),
    };
  });
  const parsed = v.safeParse(FieldUpdateSchemas.contactPoints, list);
  if (!parsed.success) throw unrestorable('contactPoints', parsed.issues[0].message);
  await replaceContactPoints(tx, debtorId, parsed.output);
}

function unrestorable(field: string, message: string): Error {
  return ruleProblem(
    'previous-value-invalid',
    `${field}: o valor anterior não é mais válido (${message}); corrija o cadastro à mão`,
    { field, errors: [{ field, message }] },
  );
}

/** Writes `old_value` back at `expected`; answers the debtor version it produced. */
async function restorePrevious(tx: Tx, k: ConflictRow, expected: number): Promise<number> {
  const [debtor] = await tx.query<{ version: number }>(
    'SELECT version FROM debtors WHERE id = $1 FOR UPDATE',
    [k.debtor_id],
  );
  if (!debtor || debtor.version !== expected)
    throw conflictProblem(
      'stale-version',
      `${k.field}: o devedor foi alterado depois desta correção (versão ${debtor?.version ?? '?'}, esperada ${expected}); confira o cadastro antes de restaurar`,
      { field: k.field, expectedVersion: expected, currentVersion: debtor?.version ?? null },
    );
  let patch: Record<string, unknown> = {};
  if (k.field === 'contactPoints') await restoreContactPoints(tx, k.debtor_id, k.old_value);
  else {
    const parsed = v.safeParse(FieldUpdateSchemas[k.field], k.old_value);
    if (!parsed.success) throw unrestorable(k.field, parsed.issues[0].message);
    patch = fieldColumns(k.field, parsed.output);
  }
  // Contact points are rows of their own; the debtor still gets a new version so a phone that
  // edits from the old one is detected as stale, as apply.ts does for the phone's own edit.
  const updated = await updateEntity<{ version: number }>(tx, 'debtor', k.debtor_id, patch, {
    expectedVersion: expected,
  });
  if (!updated) throw new Error('debtor row vanished under its lock');
  return updated.version;
}

/**
 * Resolves conflict `id`. Idempotent: a conflict already resolved the same way answers its stored
 * outcome; resolved another way is a 409. Unknown id: 404.
 */
export async function resolveConflict(
  db: Db,
  input: {
    id: string;
    resolution: ConflictResolution;
    version: number | undefined;
    actor: string;
    ip: string | null;
    now: Date;
  },
): Promise<Conflict> {
  const row = await db.transaction(async (tx) => {
    const [k] = await tx.query<ConflictRow>(
      'SELECT * FROM sync_conflicts WHERE id = $1 FOR UPDATE',
      [input.id],
    );
    if (!k) throw problemError(problem(404, 'not-found', 'conflito não encontrado'));
    if (k.resolved_at !== null) {
      if (k.resolution === input.resolution) return k;
      throw conflictProblem(
        'conflict-already-resolved',
        `resolution: este conflito já foi resolvido como ${k.resolution ?? '?'}`,
        {
          resolution: k.resolution,
          errors: [{ field: 'resolution', message: `already resolved as ${k.resolution ?? '?'}` }],
        },
      );
    }
    const restoredVersion =
      input.resolution === 'restore_previous'
        ? await restorePrevious(tx, k, input.version ?? k.current_version + 1)
        : null;
    await tx.query(
      `UPDATE sync_conflicts SET resolved_at = $2, resolved_by = $3, resolution = $4,
         restored_version = $5 WHERE id = $1`,
      [k.id, input.now, input.actor, input.resolution, restoredVersion],
    );
    await audit(tx, {
      actor: input.actor,
      ip: input.ip,
      action: 'sync.conflict_resolved',
      entity: 'sync_conflict',
      entityId: k.id,
      detail: {
        debtorId: k.debtor_id,
        field: k.field,
        resolution: input.resolution,
        collectorId: k.collector_id,
        ...(restoredVersion === null ? {} : { restoredVersion }),
      },
    });
    return k;
  });
  const stored = await readConflict(db, row.id);
  if (!stored) throw new Error('conflict vanished after resolving');
  return conflictJson(stored);
}
