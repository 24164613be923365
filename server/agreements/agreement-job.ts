/**
 * The daily agreement job: writes 'broken' on every active agreement with an installment still
 * (partly) unpaid after its last day to pay (due date + the agreement's `break_after_days`), or
 * paid only after it. One UPDATE over all agreements (set-based, no loop per agreement), its change
 * feed rows and audit entries written by two more statements, in one transaction. Readers do not
 * wait for it (the shared ledger already reads such an agreement as broken); the job makes the
 * verdict visible to SQL, to the phones (sync feed) and to the owner's lists. Idempotent: running
 * it twice, or from two processes, breaks nothing twice.
 *
 * Installment allocations it reads (`paid_on`) are kept by ../ledger/refresh.ts whenever money
 * changes. The clock is injected (`now`), so tests drive it.
 */
import type { CalendarDate } from '#shared/time/calendar-date';
import type { Db } from '../db/db';
import { recordChanges } from '../db/write';
import { loadLedgerSettings, todayFor } from '../ledger/settings';
import { startPeriodic } from '../ops/periodic';

export interface SweepResult {
  today: CalendarDate;
  broken: { id: string; debtorId: string; brokenOn: CalendarDate }[];
}

/** One pass at `now`: breaks the agreements whose installment was missed. */
export async function sweepAgreements(db: Db, now: Date): Promise<SweepResult> {
  return db.transaction(async (tx) => {
    const settings = await loadLedgerSettings(tx);
    const today = todayFor(settings, now);
    const broken = await tx.query<{
      id: string;
      debtor_id: string;
      broken_on: string;
      version: number;
    }>(
      `WITH missed AS (
         SELECT i.agreement_id, min(i.due_on + a.break_after_days + 1) AS broken_on
         FROM installments i
         JOIN agreements a ON a.id = i.agreement_id AND a.status = 'active'
         WHERE i.due_on + a.break_after_days < $1::date
           AND (i.paid_on IS NULL OR i.paid_on > i.due_on + a.break_after_days)
         GROUP BY i.agreement_id
       )
       UPDATE agreements a
          SET status = 'broken', broken_on = m.broken_on, version = a.version + 1, updated_at = $2
         FROM missed m
        WHERE a.id = m.agreement_id AND a.status = 'active'
       RETURNING a.id, a.debtor_id, m.broken_on, a.version`,
      [today, now],
    );
    if (broken.length > 0) {
      const ids = broken.map((b) => b.id);
      const days = broken.map((b) => b.broken_on);
      // One INSERT for the feed rows (write.ts: no lock; pulls number them after the commit).
      await recordChanges(
        tx,
        broken.map((b) => ({
          entity: 'agreement' as const,
          entityId: b.id,
          debtorId: b.debtor_id,
          op: 'update' as const,
          version: b.version,
        })),
      );
      await tx.query(
        `INSERT INTO audit_log (actor_id, action, entity, entity_id, detail)
         SELECT NULL, 'agreement.break', 'agreement', u.id::text,
                jsonb_build_object('brokenOn', u.broken_on, 'by', 'agreement-job')
         FROM unnest($1::uuid[], $2::date[]) AS u(id, broken_on)`,
        [ids, days],
      );
    }
    return {
      today,
      broken: broken.map((b) => ({
        id: b.id,
        debtorId: b.debtor_id,
        brokenOn: b.broken_on as CalendarDate,
      })),
    };
  });
}

/** Runs `sweepAgreements` now and then every `intervalMs` (default hourly); `stop` waits for it. */
export function startAgreementJob(
  deps: { db: Db; now: () => Date; log?: (line: string) => void },
  intervalMs = 3_600_000,
): { stop(): Promise<void> } {
  return startPeriodic(
    async () => {
      const r = await sweepAgreements(deps.db, deps.now());
      if (r.broken.length > 0)
        deps.log?.(`agreements: ${r.broken.length} agreement(s) broken (missed installment)`);
    },
    intervalMs,
    {
      onError: (error) =>
        deps.log?.(
          `agreements: sweep failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
    },
  );
}
