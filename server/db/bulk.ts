/**
 * Set-based inserts: many rows in ONE statement whose text does not depend on the row count.
 * The rows travel as one JSON array parameter, unpacked by `json_populate_recordset` against the
 * table's own row type, so every value is converted by the column's type exactly as a parameter
 * would be (uuid, timestamptz, date, bigint, boolean…) on PostgreSQL and on PGlite alike.
 *
 * Values: strings, numbers, booleans, null, Date (sent as its ISO instant), and for json/jsonb
 * columns the value itself (an object or array), never its JSON text (which would be stored as a
 * JSON string). Columns not named by the rows take their defaults.
 */
import type { Row, Tx } from './db';

const NAME_RE = /^[a-z_][a-z0-9_]*$/;

function checkName(name: string): string {
  if (!NAME_RE.test(name)) throw new Error(`not a column or table name: ${name}`);
  return name;
}

/** Every row must carry the same columns (a missing one would silently become NULL). */
function columnsOf(rows: readonly Row[]): string[] {
  const first = rows[0];
  if (!first) return [];
  const cols = Object.keys(first).map(checkName);
  for (const row of rows) {
    const keys = Object.keys(row);
    if (keys.length !== cols.length || cols.some((c) => !(c in row)))
      throw new Error(`bulk insert: rows must carry the same columns (${cols.join(', ')})`);
  }
  return cols;
}

export interface BulkInsertOptions {
  /** `ON CONFLICT DO NOTHING`: rows hitting any unique constraint are skipped, not an error. */
  skipConflicts?: boolean;
  /** Columns to return for each inserted row (default: none). */
  returning?: readonly string[];
}

/** Inserts `rows` into `table` in one statement; answers the RETURNING rows (match them by key). */
export async function insertRows<T extends object = Row>(
  tx: Tx,
  table: string,
  rows: readonly Row[],
  options: BulkInsertOptions = {},
): Promise<T[]> {
  if (rows.length === 0) return [];
  const cols = columnsOf(rows).join(', ');
  const returning = options.returning?.map(checkName).join(', ');
  return tx.query<T>(
    `INSERT INTO ${checkName(table)} (${cols})
     SELECT ${cols} FROM json_populate_recordset(NULL::${table}, $1::json)${
       options.skipConflicts ? ' ON CONFLICT DO NOTHING' : ''
     }${returning ? ` RETURNING ${returning}` : ''}`,
    [JSON.stringify(rows)],
  );
}
