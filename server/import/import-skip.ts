/**
 * Re-importing an unchanged file: a row is skipped, before it is checked, when
 * - the hash of its raw fields (with the column layout they were read with) is the one stored for
 *   its debt by the import that last wrote it (debt_import_state, migration 0400), and
 * - the debt and its debtor still have the versions that import left them with (any edit since —
 *   by the office, a collector's sync, a merge, an anonymisation — bumps one of them), and
 * - every contact point that row stood for still exists (removing one does not bump the debtor).
 * Anything else goes through the full checks and is applied as before; a skipped row counts as
 * unchanged. The state is written by each chunk that applies rows (apply-chunk.ts).
 */
import { createHash } from 'node:crypto';
import type { Queryable, Tx } from '../db/db';
import { CURRENT_ORG_SQL } from '../db/org';
import type { ColumnIndex } from './columns';

/** Bumped when the rules that turn a row into stored facts change: every stored hash then misses. */
const RULES_VERSION = '1';

/** The part of every row hash that depends on the file's layout, not on the row. */
export function layoutKey(index: ColumnIndex): string {
  return `${RULES_VERSION}\u0002${JSON.stringify(index)}\u0002`;
}

/** The hash of one raw CSV row read with `layout` (`layoutKey`). */
export function rowHash(layout: string, fields: readonly string[]): string {
  return createHash('sha256').update(layout).update(fields.join('\u0001')).digest('base64');
}

/** What the last import of a debt left, when nothing changed it since. */
export interface UnchangedDebt {
  hash: string;
  /** The debtor the debt belongs to (for a code attached to another debtor, that one). */
  debtorId: string;
  /** The contact points the row stood for. */
  contacts: string[];
}

/**
 * The lookup of `unchangedDebts` ($1: the debt codes). Each step a lookup by a unique key, kept
 * that way (LATERAL … LIMIT 1 is never flattened): right after a first import the planner has no
 * statistics on these tables yet, and a plan it picks from guesses (a scan of the whole state
 * table per code) took seconds per group. The organisation is named so the unique
 * (org_id, external_id) index is descended, not walked whole, on a connection that skips the
 * policy (db/org.ts CURRENT_ORG_SQL; test/import-indexes.test.ts).
 */
export const UNCHANGED_DEBTS_SQL = `SELECT k.code AS external_id, s.row_hash, t.debtor_id, s.contact_point_ids
     FROM unnest($1::text[]) AS k(code)
     CROSS JOIN LATERAL (SELECT id, debtor_id, version FROM debts
                         WHERE org_id = ${CURRENT_ORG_SQL} AND external_id = k.code LIMIT 1) t
     CROSS JOIN LATERAL (SELECT * FROM debt_import_state WHERE debt_id = t.id LIMIT 1) s
     CROSS JOIN LATERAL (SELECT version FROM debtors WHERE id = t.debtor_id LIMIT 1) d
     WHERE s.debt_version = t.version AND d.version = s.debtor_version
       AND cardinality(s.contact_point_ids) =
           (SELECT count(*) FROM contact_points c WHERE c.id = ANY(s.contact_point_ids))`;

/**
 * For each of `debtCodes` (debt external ids as the file spells them, trimmed) whose debt and
 * debtor are unchanged since the import that wrote its state: that state. One statement.
 */
export async function unchangedDebts(
  db: Queryable,
  debtCodes: readonly string[],
): Promise<Map<string, UnchangedDebt>> {
  if (debtCodes.length === 0) return new Map();
  const rows = await db.query<{
    external_id: string;
    row_hash: string;
    debtor_id: string;
    contact_point_ids: string[];
  }>(UNCHANGED_DEBTS_SQL, [debtCodes]);
  return new Map(
    rows.map((r) => [
      r.external_id,
      { hash: r.row_hash, debtorId: r.debtor_id, contacts: r.contact_point_ids },
    ]),
  );
}

export interface ImportStateRow {
  debtId: string;
  hash: string;
  contacts: readonly string[];
}

/**
 * Records, for each debt a chunk applied (written or found unchanged), the row's hash and the
 * versions of the debt and its debtor as the chunk leaves them (read in the same statement).
 */
export async function writeImportState(tx: Tx, rows: readonly ImportStateRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO debt_import_state AS s (debt_id, row_hash, debt_version, debtor_version, contact_point_ids)
     SELECT t.id, u.row_hash, t.version, d.version, u.contacts::uuid[]
     FROM unnest($1::uuid[], $2::text[], $3::text[]) AS u(debt_id, row_hash, contacts)
     JOIN debts t ON t.id = u.debt_id
     JOIN debtors d ON d.id = t.debtor_id
     ON CONFLICT (debt_id) DO UPDATE SET row_hash = excluded.row_hash,
       debt_version = excluded.debt_version, debtor_version = excluded.debtor_version,
       contact_point_ids = excluded.contact_point_ids`,
    [
      rows.map((r) => r.debtId),
      rows.map((r) => r.hash),
      rows.map((r) => `{${r.contacts.join(',')}}`),
    ],
  );
}
