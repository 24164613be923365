/**
 * Write helpers for synced entities. Every insert/update/delete of an entity row goes through
 * them so that the same transaction appends one row to `changes` (the feed sync pulls from) and
 * bumps the row's `version`. Feed rows are written without any lock and without a read position
 * (`seq` NULL): the pull numbers committed rows in commit order before reading
 * (server/sync/feed-sequence.ts), so writers never queue behind each other's commits.
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

const COLUMN_RE = /^[a-z_][a-z0-9_]*$/;

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

type PendingChange = Parameters<typeof recordChange>[1];
const deferred = new WeakMap<Tx, PendingChange[]>();

/**
 * From now on this transaction's feed rows are buffered and written by `flushChanges` in one
 * multi-row INSERT (a sync push batch writes its whole feed in one statement). `flushChanges` must
 * run before the commit.
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

/**
 * The advisory lock of the feed's read order (server/sync/feed-sequence.ts): whoever numbers feed
 * rows (`seq`) holds it until its transaction commits.
 */
export const FEED_LOCK_KEY = 7_201_540_444;

/**
 * Writes the buffered rows, in the order they were recorded. `numbered`: give them their read
 * position now, under the feed lock held until this transaction commits, instead of leaving them to
 * the pull's sequencer. For bulk writers (an import chunk writes thousands of feed rows): a later
 * UPDATE of every one of them would double their cost. The lock is taken here, at the end, so it
 * is held for this statement and the COMMIT only; a phone's push never takes it.
 */
export async function flushChanges(tx: Tx, options: { numbered?: boolean } = {}): Promise<void> {
  const list = deferred.get(tx) ?? [];
  deferred.delete(tx);
  const numbered = options.numbered === true && tx.kind === 'postgres';
  if (numbered && list.length > 0)
    await tx.query('SELECT pg_advisory_xact_lock($1)', [FEED_LOCK_KEY]);
  await writeChanges(tx, list, numbered);
}

/**
 * Feed rows in one INSERT (typed arrays, whatever their number). On PGlite they are always
 * numbered at once: its one connection runs transactions one after the other, so numbers taken
 * in a transaction are above every committed one and become visible before any later one is
 * taken; the pull's sequencer is not needed there (server/sync/feed-sequence.ts).
 */
async function writeChanges(
  tx: Tx,
  list: readonly PendingChange[],
  lockedForNumbering = false,
): Promise<void> {
  if (list.length === 0) return;
  const numbered = lockedForNumbering || tx.kind === 'pglite';
  await tx.query(
    `INSERT INTO changes (entity, entity_id, debtor_id, op, version${numbered ? ', seq' : ''})
     SELECT u.entity, u.entity_id, u.debtor_id, u.op, u.version${numbered ? ", nextval('changes_feed_seq')" : ''}
     FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::integer[])
       WITH ORDINALITY AS u(entity, entity_id, debtor_id, op, version, n)
     ORDER BY u.n`,
    [
      list.map((c) => c.entity),
      list.map((c) => c.entityId),
      list.map((c) => c.debtorId),
      list.map((c) => c.op),
      list.map((c) => c.version),
    ],
  );
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
  await tx.query(
    `INSERT INTO changes (entity, entity_id, debtor_id, op, version, seq)
     VALUES ($1, $2, $3, $4, $5, ${tx.kind === 'pglite' ? "nextval('changes_feed_seq')" : 'NULL'})`,
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
