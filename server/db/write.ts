/**
 * Write helpers for synced entities. Every insert/update/delete of an entity row goes through
 * them so that the same transaction appends one row to `changes` (the feed sync pulls from) and
 * bumps the row's `version`. The first change in a transaction takes an advisory lock held until
 * commit: change ids are then allocated in commit order, so paging the feed by id is gap-safe.
 */
import { insertRows } from './bulk';
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
/**
 * What a feed row can be about: an entity row, or an organisation settings section ('setting',
 * id = section name, no debtor: every collector's pull reads it; server/sync/settings-feed.ts).
 */
export type FeedEntity = Entity | 'setting';

export const CHANGE_OPS = ['insert', 'update', 'delete'] as const;
export type ChangeOp = (typeof CHANGE_OPS)[number];

/** One row of the change feed. */
export interface Change {
  id: number;
  entity: FeedEntity;
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

/**
 * Takes the feed lock now (idempotent per transaction). A transaction that writes changes inside
 * savepoints it may roll back must call this first, outside them: a lock taken in a rolled-back
 * savepoint is released, and later changes of the transaction would then skip it.
 */
export async function lockChangeFeed(tx: Tx): Promise<void> {
  if (locked.has(tx)) return;
  await tx.query('SELECT pg_advisory_xact_lock($1)', [CHANGES_LOCK_KEY]);
  locked.add(tx);
}

type PendingChange = Parameters<typeof recordChange>[1];
const deferred = new WeakMap<Tx, PendingChange[]>();

/**
 * From now on this transaction's feed rows are buffered and written by `flushChanges`, which
 * takes the feed lock only then: a long transaction (a sync push batch) then holds the lock that
 * serialises every writer for one statement and its COMMIT, not for its whole duration.
 * `flushChanges` must run last, just before the commit.
 */
export function deferChanges(tx: Tx): void {
  if (!deferred.has(tx)) deferred.set(tx, []);
}

/** The buffer position, to drop what a rolled-back savepoint recorded (`discardChangesSince`). */
export function changeMark(tx: Tx): number {
  return deferred.get(tx)?.length ?? 0;
}

export function discardChangesSince(tx: Tx, mark: number): void {
  deferred.get(tx)?.splice(mark);
}

/** Takes the feed lock and writes the buffered rows, in the order they were recorded. */
export async function flushChanges(tx: Tx): Promise<void> {
  const list = deferred.get(tx) ?? [];
  deferred.delete(tx);
  await writeChanges(tx, list);
}

/** Feed rows in multi-row INSERTs under the feed lock. */
async function writeChanges(tx: Tx, list: readonly PendingChange[]): Promise<void> {
  if (list.length === 0) return;
  await lockChangeFeed(tx);
  for (let start = 0; start < list.length; start += 1000) {
    const chunk = list.slice(start, start + 1000);
    await tx.query(
      `INSERT INTO changes (entity, entity_id, debtor_id, op, version) VALUES ${chunk
        .map(
          (_, i) => `($${i * 5 + 1}, $${i * 5 + 2}, $${i * 5 + 3}, $${i * 5 + 4}, $${i * 5 + 5})`,
        )
        .join(', ')}`,
      chunk.flatMap((c) => [c.entity, c.entityId, c.debtorId, c.op, c.version]),
    );
  }
}

/** Appends changes to the feed (buffered under `deferChanges`, else written now in one INSERT). */
export async function recordChanges(tx: Tx, changes: readonly PendingChange[]): Promise<void> {
  const buffer = deferred.get(tx);
  if (buffer) buffer.push(...changes);
  else await writeChanges(tx, changes);
}

/** Appends one change to the feed; use it directly only for writes the helpers below can't express. */
export async function recordChange(
  tx: Tx,
  change: {
    entity: FeedEntity;
    entityId: string;
    debtorId: string | null;
    op: ChangeOp;
    version: number;
  },
): Promise<void> {
  const buffer = deferred.get(tx);
  if (buffer) {
    buffer.push(change);
    return;
  }
  await lockChangeFeed(tx);
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
 * Inserts many rows of one entity in ONE statement (server/db/bulk.ts: json/jsonb columns take the
 * value itself, not its JSON text) and records one change per inserted row, in input order. With
 * `skipConflicts`, rows hitting a unique constraint are skipped: no row, no change. Answers the
 * ids that were inserted.
 */
export async function insertEntities(
  tx: Tx,
  entity: Entity,
  rows: readonly Row[],
  options: { skipConflicts?: boolean } = {},
): Promise<Set<string>> {
  const inserted = await insertRows<{ id: string; version: number }>(
    tx,
    ENTITY_TABLES[entity],
    rows,
    { ...options, returning: ['id', 'version'] },
  );
  const versions = new Map(inserted.map((r) => [String(r.id), Number(r.version)]));
  const changes: PendingChange[] = [];
  for (const row of rows) {
    const id = String(row['id']);
    const version = versions.get(id);
    if (version !== undefined)
      changes.push({
        entity,
        entityId: id,
        debtorId: debtorIdOf(entity, row),
        op: 'insert',
        version,
      });
  }
  await recordChanges(tx, changes);
  return new Set(versions.keys());
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
    entity: FeedEntity;
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
