/**
 * Batched equivalents of write.ts's `insertEntity`/`updateEntity` for imports and seeding: one
 * statement per batch (unnest of typed arrays) instead of one per row, and the change-feed rows
 * appended in one statement too (`recordChanges`: buffered when the transaction defers its feed
 * rows, as an import chunk does, else written at once).
 */
import type { Row, Tx } from '../db/db';
import { ENTITY_TABLES, recordChanges, type ChangeOp, type Entity } from '../db/write';

/** SQL type of each column, for the array casts (`$1::uuid[]`). */
export type ColumnType =
  | 'uuid'
  | 'text'
  | 'bigint'
  | 'integer'
  | 'date'
  | 'boolean'
  | 'jsonb'
  | 'timestamptz';
export type ColumnTypes = Readonly<Record<string, ColumnType>>;

const COLUMN_RE = /^[a-z_][a-z0-9_]*$/;

function columnList(types: ColumnTypes): string[] {
  const names = Object.keys(types);
  for (const name of names)
    if (!COLUMN_RE.test(name)) throw new Error(`not a column name: ${name}`);
  return names;
}

function arrays(names: readonly string[], types: ColumnTypes, rows: readonly Row[]): unknown[] {
  return names.map((name) =>
    rows.map((row) => {
      const value = row[name];
      if (value === undefined) return null;
      return types[name] === 'jsonb' && value !== null ? JSON.stringify(value) : value;
    }),
  );
}

function unnest(names: readonly string[], types: ColumnTypes): string {
  return `unnest(${names.map((n, i) => `$${i + 1}::${types[n]}[]`).join(', ')}) AS u(${names.join(', ')})`;
}

interface Written {
  id: string;
  version: number;
  debtor_id?: string | null;
}

async function appendChanges(
  tx: Tx,
  entity: Entity,
  op: ChangeOp,
  written: readonly Written[],
): Promise<void> {
  await recordChanges(
    tx,
    written.map((w) => ({
      entity,
      entityId: w.id,
      debtorId: entity === 'debtor' ? w.id : (w.debtor_id ?? null),
      op,
      version: w.version,
    })),
  );
}

// Every entity table but these two carries debtor_id, which the feed routes changes by.
function returning(entity: Entity): string {
  return entity === 'debtor' || entity === 'user'
    ? 'RETURNING t.id, t.version'
    : 'RETURNING t.id, t.version, t.debtor_id';
}

/**
 * Inserts rows (each with its `id`) of one entity and appends an 'insert' change per row, except
 * for rows of `unreadDebtors`: debtors inserted earlier in this same transaction. No collector can
 * have been assigned such a debtor (it is invisible to every other transaction until the commit),
 * and the feed is only ever read for assigned debtors; the assignment's own change later sends the
 * debtor whole, with everything it has (server/sync/pull.ts). Their feed rows would never be read.
 */
export async function insertEntities(
  tx: Tx,
  entity: Entity,
  types: ColumnTypes,
  rows: readonly Row[],
  options: { unreadDebtors?: ReadonlySet<string> } = {},
): Promise<void> {
  if (rows.length === 0) return;
  const names = columnList(types);
  const unread = options.unreadDebtors;
  const fed = unread === undefined ? rows : rows.filter((r) => !unread.has(debtorOfRow(entity, r)));
  // Rows of debtors created in this same transaction have no feed reader (see `unreadDebtors`):
  // no RETURNING, no feed row.
  if (fed.length < rows.length)
    await tx.query(
      `INSERT INTO ${ENTITY_TABLES[entity]} AS t (${names.join(', ')})
       SELECT ${names.map((n) => `u.${n}`).join(', ')} FROM ${unnest(names, types)}`,
      arrays(
        names,
        types,
        rows.filter((r) => unread?.has(debtorOfRow(entity, r))),
      ),
    );
  if (fed.length === 0) return;
  const written = await tx.query<Written>(
    `INSERT INTO ${ENTITY_TABLES[entity]} AS t (${names.join(', ')})
     SELECT ${names.map((n) => `u.${n}`).join(', ')} FROM ${unnest(names, types)}
     ${returning(entity)}`,
    arrays(names, types, fed),
  );
  await appendChanges(tx, entity, 'insert', written);
}

function debtorOfRow(entity: Entity, row: Row): string {
  return String(entity === 'debtor' ? row['id'] : row['debtor_id']);
}

/**
 * Updates rows by `id` (which `types` must include): sets the other listed columns, bumps
 * `version` and `updated_at`, and appends an 'update' change per row.
 */
export async function updateEntities(
  tx: Tx,
  entity: Entity,
  types: ColumnTypes,
  rows: readonly Row[],
): Promise<void> {
  if (rows.length === 0) return;
  const names = columnList(types);
  if (!names.includes('id')) throw new Error('updateEntities needs the id column');
  const sets = names
    .filter((n) => n !== 'id' && n !== 'version' && n !== 'updated_at')
    .map((n) => `${n} = u.${n}`);
  const written = await tx.query<Written>(
    `UPDATE ${ENTITY_TABLES[entity]} AS t
     SET ${[...sets, 'version = t.version + 1', 'updated_at = now()'].join(', ')}
     FROM ${unnest(names, types)}
     WHERE t.id = u.id
     ${returning(entity)}`,
    arrays(names, types, rows),
  );
  await appendChanges(tx, entity, 'update', written);
}
