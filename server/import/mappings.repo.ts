/**
 * Saved column maps (migration 0131): one per header layout, applied by ./source.ts when a
 * file's header names are not enough. Saving a map for a layout replaces the previous one.
 */
import type { ImportColumn } from '#shared/api/import.schema';
import type { Queryable } from '../db/db';
import { foldHeader, headerSignature, type ColumnMap } from './columns';

/** A saved map as the API shows it. */
export interface SavedColumnMap {
  signature: string;
  headers: string[];
  columns: ColumnMap;
  updatedAt: string;
  updatedBy: string | null;
}

interface MapRow {
  signature: string;
  headers: string[];
  columns: ColumnMap;
  updated_at: Date;
  updated_by: string | null;
}

const toJson = (row: MapRow): SavedColumnMap => ({
  signature: row.signature,
  headers: row.headers,
  columns: row.columns,
  updatedAt: row.updated_at.toISOString(),
  updatedBy: row.updated_by,
});

/** The map saved for a header layout, if any. */
export async function findColumnMap(
  q: Queryable,
  signature: string,
): Promise<ColumnMap | undefined> {
  const [row] = await q.query<{ columns: ColumnMap }>(
    'SELECT columns FROM import_column_maps WHERE signature = $1',
    [signature],
  );
  return row?.columns;
}

/** Every saved map, newest first. */
export async function listColumnMaps(q: Queryable): Promise<SavedColumnMap[]> {
  const rows = await q.query<MapRow>(
    'SELECT * FROM import_column_maps ORDER BY updated_at DESC, signature LIMIT 200',
  );
  return rows.map(toJson);
}

/**
 * Saves the map of `headers` (column → header position, null for absent) and answers it.
 * Positions past the header are the caller's to refuse first.
 */
export async function saveColumnMap(
  q: Queryable,
  input: {
    headers: readonly string[];
    positions: Partial<Record<ImportColumn, number | null>>;
    by: string | null;
    now: Date;
  },
): Promise<SavedColumnMap> {
  const columns: ColumnMap = {};
  for (const [column, position] of Object.entries(input.positions)) {
    if (position === null || position === undefined) continue;
    const header = input.headers[position];
    if (header !== undefined) columns[column as ImportColumn] = foldHeader(header);
  }
  const signature = headerSignature(input.headers);
  const [row] = await q.query<MapRow>(
    `INSERT INTO import_column_maps (signature, headers, columns, updated_at, updated_by)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (org_id, signature) DO UPDATE
       SET headers = EXCLUDED.headers, columns = EXCLUDED.columns,
           updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by
     RETURNING *`,
    [signature, JSON.stringify(input.headers), JSON.stringify(columns), input.now, input.by],
  );
  if (!row) throw new Error('the column map was not saved');
  return toJson(row);
}

/** Forgets the map of a layout; true when there was one. */
export async function deleteColumnMap(q: Queryable, signature: string): Promise<boolean> {
  const rows = await q.query('DELETE FROM import_column_maps WHERE signature = $1 RETURNING 1', [
    signature,
  ]);
  return rows.length > 0;
}
