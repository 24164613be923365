/**
 * "May this user see this debtor?" Owners and staff see every debtor; a collector sees only the
 * debtors currently assigned to them. Anything a collector may not see answers 404, exactly like
 * a debtor that does not exist, so ids cannot be probed for existence (LGPD necessity).
 */
import type { Queryable } from '../db/db';
import type { AuthUser } from '../auth/tokens.repo';
import { problem, problemError } from './problem';

/** The 404 every hidden or missing debtor answers with. */
export function debtorNotFound(): Error {
  return problemError(problem(404, 'not-found', 'devedor não encontrado'));
}

/** True when `user` may read and act on the debtor (which must exist). */
export async function canAccessDebtor(
  q: Queryable,
  user: Pick<AuthUser, 'id' | 'role'>,
  debtorId: string,
): Promise<boolean> {
  const rows =
    user.role === 'collector'
      ? await q.query(
          `SELECT 1 FROM debtors d JOIN assignments a ON a.debtor_id = d.id AND a.ended_at IS NULL
           WHERE d.id = $1 AND a.collector_id = $2`,
          [debtorId, user.id],
        )
      : await q.query('SELECT 1 FROM debtors WHERE id = $1', [debtorId]);
  return rows.length > 0;
}

/** Throws the debtor 404 unless `user` may access it. */
export async function assertDebtorAccess(
  q: Queryable,
  user: Pick<AuthUser, 'id' | 'role'>,
  debtorId: string,
): Promise<void> {
  if (!(await canAccessDebtor(q, user, debtorId))) throw debtorNotFound();
}

/**
 * The SQL condition restricting a list to what `user` may see: `column` is the debtor id column
 * of the listed rows; the condition uses parameter `$n` (the collector id) when it needs one.
 * Returns the condition and the parameters to append.
 */
export function debtorScope(
  user: Pick<AuthUser, 'id' | 'role'>,
  column: string,
  paramIndex: number,
): { sql: string; params: unknown[] } {
  if (user.role !== 'collector') return { sql: 'TRUE', params: [] };
  return {
    sql: `EXISTS (SELECT 1 FROM assignments sa WHERE sa.debtor_id = ${column} AND sa.ended_at IS NULL AND sa.collector_id = $${paramIndex})`,
    params: [user.id],
  };
}

/**
 * Resolves the debtor of a row of `table` (debts, payments, promises, …) and checks access in one
 * step; a row the user may not see is a 404 naming `what`.
 */
export async function debtorOfRow(
  q: Queryable,
  user: Pick<AuthUser, 'id' | 'role'>,
  table: 'debts' | 'payments' | 'promises' | 'agreements' | 'disputes' | 'notices' | 'escalations',
  id: string,
  what: string,
): Promise<string> {
  const [row] = await q.query<{ debtor_id: string }>(
    `SELECT debtor_id FROM ${table} WHERE id = $1`,
    [id],
  );
  if (!row || !(await canAccessDebtor(q, user, row.debtor_id)))
    throw problemError(problem(404, 'not-found', `${what} não encontrado`));
  return row.debtor_id;
}
