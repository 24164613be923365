/**
 * Operator actions on the sync state: re-running deferred mutations after a server upgrade taught
 * it their type (Actual's "messages_pending" idea: keep, never drop), and bumping the feed epoch
 * after a restore from backup or a feed compaction so every device resets (keeping its outbox).
 */
import * as v from 'valibot';
import { MutationSchema } from '#shared/sync/envelope.schema';
import { parseMutationPayload } from '#shared/sync/facts.schema';
import type { Db } from '../db/db';
import { applyMutation } from './apply';
import { permanentReason } from './push';

/** Bumps the epoch; every cursor issued before answers reset_required. Returns the new epoch. */
export async function bumpEpoch(db: Db): Promise<number> {
  const [row] = await db.query<{ epoch: number }>(
    'UPDATE sync_state SET epoch = epoch + 1 WHERE id = 1 RETURNING epoch',
  );
  return Number(row?.epoch);
}

export interface ReprocessReport {
  applied: number;
  conflict: number;
  rejected: number;
  stillDeferred: number;
}

/**
 * Applies every deferred mutation this build now understands, in device order. Each runs under
 * its device's row lock (like a push), so it never interleaves with that device's pushes; the
 * stored outcome is updated, and a later duplicate push answers the new one.
 */
export async function reprocessDeferred(db: Db, now: Date): Promise<ReprocessReport> {
  const report: ReprocessReport = { applied: 0, conflict: 0, rejected: 0, stillDeferred: 0 };
  const rows = await db.query<{ mutation_id: string; device_id: string }>(
    `SELECT mutation_id, device_id FROM sync_mutations WHERE status = 'deferred'
     ORDER BY device_id, device_seq`,
  );
  for (const { mutation_id: id, device_id: deviceId } of rows) {
    const outcome = await db.transaction(
      async (tx) => {
        await tx.query('SELECT 1 FROM sync_devices WHERE id = $1 FOR UPDATE', [deviceId]);
        const [row] = await tx.query<{ mutation: unknown; status: string; collector_id: string }>(
          'SELECT mutation, status, collector_id FROM sync_mutations WHERE mutation_id = $1',
          [id],
        );
        if (row?.status !== 'deferred') return null;
        const envelope = v.safeParse(MutationSchema, row.mutation);
        const payload = envelope.success ? parseMutationPayload(envelope.output) : null;
        if (!envelope.success || payload === null || payload.kind === 'unknown')
          return 'stillDeferred' as const;
        let status: 'applied' | 'conflict' | 'rejected';
        let reason: string | null = null;
        if (payload.kind === 'invalid') {
          status = 'rejected';
          reason = `invalid_payload: ${payload.message}`;
        } else {
          await tx.query('SAVEPOINT sync_reprocess');
          try {
            const result = await applyMutation(
              tx,
              {
                mutationId: id,
                deviceId,
                collectorId: row.collector_id,
                debtorId: envelope.output.debtor_id,
                baseVersion: envelope.output.base_version,
                occurredAt: new Date(Date.parse(envelope.output.occurred_at)),
                now,
              },
              payload.value,
            );
            await tx.query('RELEASE SAVEPOINT sync_reprocess');
            status = result.status;
            reason = result.reason ?? null;
          } catch (error) {
            const permanent = permanentReason(error);
            if (permanent === null) throw error;
            await tx.query('ROLLBACK TO SAVEPOINT sync_reprocess');
            status = 'rejected';
            reason = permanent;
          }
        }
        await tx.query(
          'UPDATE sync_mutations SET status = $2, reason = $3 WHERE mutation_id = $1',
          [id, status, reason],
        );
        return status;
      },
      { isolation: 'read committed' },
    );
    if (outcome !== null) report[outcome]++;
  }
  return report;
}
