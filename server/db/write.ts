/**
 * Write helpers for synced entities. Every insert/update/delete of an entity row goes through
 * them so that the same transaction appends one row to `changes` (the feed sync pulls from) and
 * bumps the row's `version`. The first change in a transaction takes an advisory lock held until
 * commit: change ids are then allocated in commit order, so paging the feed by id is gap-safe.
 */
import type { Queryable, Row, Tx } from './db';

export const ENTITY_TABLES = {
  user: 'users',
  debtor: 'debtors',
  contact_point: 'contact_points',
  debt: 'debts',
  agreement: 'agreements',
  installment: 'installments',
  payment: 'payments',
  promise: 'promises',
  dispute: 'disputes',
  visit: 'visits',
  contact: 'contact_log',
  notice: 'notices',
  escalation: 'escalations',
  assignment: 'assignments',
} as const;
export type Entity = keyof typeof ENTITY_TABLES;

export const CHANGE_OPS = ['insert', 'update', 'delete'] as const;
export type ChangeOp = (typeof CHANGE_OPS)[number];

/** One row of the change feed. */
export interface Change {
  id: number;
  entity: Entity;
  entityId: string;
  debtorId: string | null;
  op: ChangeOp;
  version: number;
  at: Date;
}

const CHANGES_LOCK_KEY = 7_201_540_444;
const COLUMN_RE = /^[a-z_][a-z0-9_]*$/;
const locked = new WeakSet<Tx>();

function columns(row: Row): string[] {
  const keys = Object.keys(row);
  for (const key of keys) if (!COLUMN_RE.test(key)) throw new Error(`not a column name: ${key}`);
  return keys;
}

function debtorIdOf(entity: Entity, row: Row): string | null {
  if (entity === 'debtor') return String(row['id']);
  const id = row['debtor_id'];
  return typeof id === 'string' ? id : null;
}

/** Appends one change to the feed; use it directly only for writes the helpers below can't express. */
export async function recordChange(
  tx: Tx,
  change: {
    entity: Entity;
    entityId: string;
    debtorId: string | null;
    op: ChangeOp;
    version: number;
  },
): Promise<void> {
  if (!locked.has(tx)) {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [CHANGES_LOCK_KEY]);
    locked.add(tx);
  }
  await tx.query(
    'INSERT INTO changes (entity, entity_id, debtor_id, op, version) VALUES ($1, $2, $3, $4, $5)',
    [change.entity, change.entityId, change.debtorId, change.op, change.version],
  );
}

/** Inserts a row (which must carry its `id`), records the change, returns the stored row. */
export async function insertEntity<T extends object = Row>(
  tx: Tx,
  entity: Entity,
  row: Row,
): Promise<T> {
  const cols = columns(row);
  const [inserted] = await tx.query<Row>(
    `INSERT INTO ${ENTITY_TABLES[entity]} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING *`,
    cols.map((c) => row[c]),
  );
  if (!inserted) throw new Error(`insert into ${entity} returned no row`);
  await recordChange(tx, {
    entity,
    entityId: String(inserted['id']),
    debtorId: debtorIdOf(entity, inserted),
    op: 'insert',
    version: Number(inserted['version']),
  });
  return inserted as T;
}

/**
 * Updates columns of one row, bumping `version` and `updated_at`; with `expectedVersion` the
 * update only happens if nobody wrote in between. Returns the new row, or null (missing/stale).
 */
export async function updateEntity<T extends object = Row>(
  tx: Tx,
  entity: Entity,
  id: string,
  patch: Row,
  options: { expectedVersion?: number } = {},
): Promise<T | null> {
  const cols = columns(patch).filter((c) => c !== 'id' && c !== 'version' && c !== 'updated_at');
  const sets = [
    ...cols.map((c, i) => `${c} = $${i + 2}`),
    'version = version + 1',
    'updated_at = now()',
  ];
  const params: unknown[] = [id, ...cols.map((c) => patch[c])];
  let where = 'id = $1';
  if (options.expectedVersion !== undefined) {
    params.push(options.expectedVersion);
    where += ` AND version = $${params.length}`;
  }
  const [updated] = await tx.query<Row>(
    `UPDATE ${ENTITY_TABLES[entity]} SET ${sets.join(', ')} WHERE ${where} RETURNING *`,
    params,
  );
  if (!updated) return null;
  await recordChange(tx, {
    entity,
    entityId: id,
    debtorId: debtorIdOf(entity, updated),
    op: 'update',
    version: Number(updated['version']),
  });
  return updated as T;
}

/** Deletes one row and records a 'delete' change; false when it did not exist. */
export async function deleteEntity(tx: Tx, entity: Entity, id: string): Promise<boolean> {
  const [deleted] = await tx.query<Row>(
    `DELETE FROM ${ENTITY_TABLES[entity]} WHERE id = $1 RETURNING *`,
    [id],
  );
  if (!deleted) return false;
  await recordChange(tx, {
    entity,
    entityId: id,
    debtorId: debtorIdOf(entity, deleted),
    op: 'delete',
    version: Number(deleted['version']) + 1,
  });
  return true;
}

/** Reads the feed after `afterId`, oldest first. */
export async function readChanges(
  db: Queryable,
  afterId: number,
  limit: number,
): Promise<Change[]> {
  const rows = await db.query<{
    id: number;
    entity: Entity;
    entity_id: string;
    debtor_id: string | null;
    op: ChangeOp;
    version: number;
    at: Date;
  }>(
    'SELECT id, entity, entity_id, debtor_id, op, version, at FROM changes WHERE id > $1 ORDER BY id LIMIT $2',
    [afterId, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    entity: r.entity,
    entityId: r.entity_id,
    debtorId: r.debtor_id,
    op: r.op,
    version: r.version,
    at: r.at,
  }));
}
