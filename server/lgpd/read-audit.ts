/**
 * The read audit (LGPD art. 37: a record of the processing; DESIGN: "every lookup and view by
 * staff is audit-logged"): every way debtor data leaves the server writes who received which
 * debtors, ONE row per page or chunk, never one per debtor: the ids go in `detail.debtorIds`
 * (indexed, migration 0132), which the data-subject report searches.
 *
 * Ways out and their actions: `debtor.view`/`debtor.timeline`/`debtor.search`/`debtor.lookup`
 * (the debtor routes), `debtor.list` (any list filtered by one debtor: debts, payments…,
 * ./list-audit.ts), `sync.pull` (a page of a collector's feed), `cadence.queue` (a page of the
 * day's queue), `debtor.export` (a chunk of a CSV export), `debtor.subject_report` (the LGPD
 * report itself).
 */
import type { Queryable } from '../db/db';

export interface DebtorReadEntry {
  actor: string | null;
  ip?: string | null;
  action: string;
  debtorIds: readonly string[];
  detail?: Record<string, unknown>;
}

/** Writes one audit row naming every debtor in `entry` (nothing when there are none). */
export async function recordDebtorRead(q: Queryable, entry: DebtorReadEntry): Promise<void> {
  if (entry.debtorIds.length === 0) return;
  const ids = [...new Set(entry.debtorIds)];
  await q.query(
    `INSERT INTO audit_log (actor_id, ip, action, entity, entity_id, detail)
     VALUES ($1, $2, $3, 'debtor', $4, $5)`,
    [
      entry.actor,
      entry.ip ?? null,
      entry.action,
      ids.length === 1 ? ids[0] : null,
      JSON.stringify({ ...entry.detail, debtorIds: ids, count: ids.length }),
    ],
  );
}

/** The audit entry of a sync pull page: the debtors its `put`s carry data of. */
export function pullReadEntry(
  page: { changes: readonly { op: string; entity: string; id: string; data?: unknown }[] },
  actor: string,
  ip: string,
  deviceId: string,
): DebtorReadEntry {
  const ids = new Set<string>();
  for (const change of page.changes) {
    if (change.op !== 'put') continue;
    if (change.entity === 'debtor') ids.add(change.id);
    else {
      const debtorId = (change.data as { debtorId?: unknown } | undefined)?.debtorId;
      if (typeof debtorId === 'string') ids.add(debtorId);
    }
  }
  return { actor, ip, action: 'sync.pull', debtorIds: [...ids], detail: { deviceId } };
}
