/**
 * Merging two records of one person (the duplicates that predate the one-document rule), in ONE
 * transaction: every fact of the duplicate moves to the debtor kept (debts, payments, promises,
 * agreements and their installments and concessions, disputes, visits, contacts, notices,
 * escalations, automatic-send tasks, field conflicts, contact points and their lookup keys), each
 * entity row through the change feed with a new version, so every phone converges: a collector
 * who held the duplicate gets its removal (its assignment ends) and, when the kept debtor is
 * theirs, the moved facts under it. The duplicate stays as a tombstone (`merged_into`) without
 * document, address or contact points; the audit entry keeps what it was.
 *
 * Rules: both versions must be the ones read (409 otherwise); two different documents are two
 * people (422); the kept debtor's own data wins, blanks are filled from the duplicate; a contact
 * point both have is kept once (verified beats wrong beats unverified; WhatsApp and do-not-contact
 * flags are OR-ed; contacts logged to the duplicate's point point to the kept one); the kept
 * debtor's collector stays, else the duplicate's collector takes it.
 */
import { uuidv7 } from 'uuidv7';
import type { Tx } from '../db/db';
import {
  deferChanges,
  deleteEntity,
  ENTITY_TABLES,
  flushChanges,
  insertEntity,
  recordChange,
  updateEntity,
  type Entity,
} from '../db/write';
import { conflict, notFound, ruleProblem } from '../ledger/http';
import type { ContactPointRow, DebtorRow } from '../ledger/rows';

/** Entity tables whose rows carry `debtor_id` and move as they are (with a new version). */
const MOVED: readonly Entity[] = [
  'debt',
  'payment',
  'promise',
  'agreement',
  'installment',
  'dispute',
  'visit',
  'contact',
  'notice',
  'escalation',
];

/** Plain tables with `debtor_id` (not in the feed). */
const MOVED_PLAIN = ['concessions', 'cadence_tasks', 'sync_conflicts'] as const;

const RANK = { verified: 2, wrong: 1, unverified: 0 } as const;

type Row = DebtorRow & {
  merged_into: string | null;
  address_line: string | null;
  district: string | null;
  city: string | null;
  postal_code: string | null;
};

export interface MergeResult {
  keptId: string;
  duplicateId: string;
  moved: Record<string, number>;
  contactPointsFolded: number;
  collectorId: string | null;
}

async function movePoints(
  tx: Tx,
  keep: string,
  dup: string,
): Promise<{ moved: number; folded: number }> {
  const points = await tx.query<ContactPointRow & { debtor_id: string }>(
    'SELECT * FROM contact_points WHERE debtor_id = ANY($1::uuid[]) ORDER BY created_at, id',
    [[keep, dup]],
  );
  const kept = new Map(
    points.filter((p) => p.debtor_id === keep).map((p) => [`${p.kind}:${p.value}`, p]),
  );
  let moved = 0;
  let folded = 0;
  for (const p of points.filter((x) => x.debtor_id === dup)) {
    const same = kept.get(`${p.kind}:${p.value}`);
    if (!same) {
      await updateEntity(tx, 'contact_point', p.id, { debtor_id: keep });
      await tx.query('UPDATE contact_point_keys SET debtor_id = $1 WHERE contact_point_id = $2', [
        keep,
        p.id,
      ]);
      moved++;
      continue;
    }
    const a = same.verification ?? 'unverified';
    const b = p.verification ?? 'unverified';
    const best = RANK[b] > RANK[a] ? p : same;
    await updateEntity(tx, 'contact_point', same.id, {
      label: same.label ?? p.label,
      is_whatsapp: same.is_whatsapp || p.is_whatsapp,
      do_not_contact: same.do_not_contact || p.do_not_contact,
      verification: best.verification ?? 'unverified',
      verification_source: best.verification_source ?? null,
      verification_at: best.verification_at ?? null,
    });
    await tx.query('UPDATE contact_log SET contact_point_id = $1 WHERE contact_point_id = $2', [
      same.id,
      p.id,
    ]);
    await tx.query('DELETE FROM contact_point_keys WHERE contact_point_id = $1', [p.id]);
    await deleteEntity(tx, 'contact_point', p.id);
    folded++;
  }
  return { moved, folded };
}

/** Moves every row of `entity` from `dup` to `keep`, one statement, each row into the feed. */
async function moveEntity(tx: Tx, entity: Entity, keep: string, dup: string): Promise<number> {
  const rows = await tx.query<{ id: string; version: number }>(
    `UPDATE ${ENTITY_TABLES[entity]} SET debtor_id = $1, version = version + 1, updated_at = now()
      WHERE debtor_id = $2 RETURNING id, version`,
    [keep, dup],
  );
  for (const r of rows)
    await recordChange(tx, {
      entity,
      entityId: r.id,
      debtorId: keep,
      op: 'update',
      version: r.version,
    });
  return rows.length;
}

const union = <T>(a: readonly T[], b: readonly T[]) => [...new Set([...a, ...b])];

/** Merges `duplicateId` into `keepId`; see the module comment for the rules. */
export async function mergeDebtors(
  tx: Tx,
  input: {
    keepId: string;
    duplicateId: string;
    version: number;
    duplicateVersion: number;
    actorId: string;
    now: Date;
  },
): Promise<{ result: MergeResult; duplicate: Row }> {
  const { keepId, duplicateId, now } = input;
  if (keepId === duplicateId)
    throw ruleProblem(
      'merge-same',
      'escolha outro cadastro: não dá para juntar um devedor com ele mesmo',
    );
  const rows = await tx.query<Row>(
    'SELECT * FROM debtors WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE',
    [[keepId, duplicateId]],
  );
  const keep = rows.find((r) => r.id === keepId);
  const dup = rows.find((r) => r.id === duplicateId);
  if (!keep) throw notFound('devedor');
  if (!dup) throw notFound('devedor duplicado');
  if (keep.merged_into !== null || dup.merged_into !== null)
    throw conflict('already-merged', 'um dos cadastros já foi juntado a outro');
  if (keep.version !== input.version || dup.version !== input.duplicateVersion)
    throw conflict(
      'stale-version',
      'um dos cadastros foi alterado por outra pessoa; recarregue e tente de novo',
      {
        currentVersion: keep.version,
        currentDuplicateVersion: dup.version,
      },
    );
  if (keep.document !== null && dup.document !== null && keep.document !== dup.document)
    throw ruleProblem(
      'different-documents',
      'os dois cadastros têm CPF/CNPJ diferentes: são pessoas diferentes e não podem ser juntados',
    );
  deferChanges(tx);
  const points = await movePoints(tx, keepId, duplicateId);
  const moved: Record<string, number> = { contact_point: points.moved };
  for (const entity of MOVED) moved[entity] = await moveEntity(tx, entity, keepId, duplicateId);
  for (const table of MOVED_PLAIN) {
    const r = await tx.query(
      `UPDATE ${table} SET debtor_id = $1 WHERE debtor_id = $2 RETURNING 1`,
      [keepId, duplicateId],
    );
    moved[table] = r.length;
  }

  // Assignments: the kept debtor's collector stays; the duplicate's current one ends (its phones
  // get the removal) and, when the kept debtor had nobody, that collector takes it over.
  const current = await tx.query<{ id: string; debtor_id: string; collector_id: string }>(
    'SELECT id, debtor_id, collector_id FROM assignments WHERE debtor_id = ANY($1::uuid[]) AND ended_at IS NULL',
    [[keepId, duplicateId]],
  );
  const keepAssignment = current.find((a) => a.debtor_id === keepId);
  const dupAssignment = current.find((a) => a.debtor_id === duplicateId);
  if (dupAssignment) await updateEntity(tx, 'assignment', dupAssignment.id, { ended_at: now });
  let collectorId = keepAssignment?.collector_id ?? null;
  if (!keepAssignment && dupAssignment) {
    await insertEntity(tx, 'assignment', {
      id: uuidv7(),
      debtor_id: keepId,
      collector_id: dupAssignment.collector_id,
      assigned_by: input.actorId,
      started_at: now,
    });
    collectorId = dupAssignment.collector_id;
  }

  // The tombstone first (its external id may move to the kept debtor: the index is unique).
  await updateEntity(tx, 'debtor', duplicateId, {
    merged_into: keepId,
    merged_at: now,
    document: null,
    external_id: null,
    address: null,
    address_line: null,
    district: null,
    city: null,
    state: null,
    postal_code: null,
    notes: null,
    tags: '[]',
    geo_pin: null,
  });
  const noAddress =
    keep.address === null &&
    keep.address_line === null &&
    keep.city === null &&
    keep.state === null;
  await updateEntity(tx, 'debtor', keepId, {
    document: keep.document ?? dup.document,
    external_id: keep.external_id ?? dup.external_id,
    ...(noAddress
      ? {
          address: dup.address === null ? null : JSON.stringify(dup.address),
          address_line: dup.address_line,
          district: dup.district,
          city: dup.city,
          state: dup.state,
          postal_code: dup.postal_code,
        }
      : {}),
    preferred_channel: keep.preferred_channel ?? dup.preferred_channel,
    preferred_hours:
      keep.preferred_hours === null
        ? dup.preferred_hours === null
          ? null
          : JSON.stringify(dup.preferred_hours)
        : JSON.stringify(keep.preferred_hours),
    do_not_contact: keep.do_not_contact || dup.do_not_contact,
    blocked_channels: union(keep.blocked_channels, dup.blocked_channels),
    do_not_contact_at_work: keep.do_not_contact_at_work || dup.do_not_contact_at_work,
    tags: JSON.stringify(union(keep.tags, dup.tags)),
    notes: [keep.notes, dup.notes].filter((n) => n !== null && n !== '').join('\n\n') || null,
  });
  await flushChanges(tx);
  return {
    result: { keptId: keepId, duplicateId, moved, contactPointsFolded: points.folded, collectorId },
    duplicate: dup,
  };
}
