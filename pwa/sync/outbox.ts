/**
 * The outbox's push-side transitions (batch, results) and its restore safety (reference/sync.md
 * §5.3, issue 4).
 *
 * A fact the server acked and a pull delivered back is not deleted: it moves to `retained` with
 * the same bytes and hash, and is pruned only after `RETENTION_DAYS` (or beyond the newest
 * `RETAIN_MAX`). If the server is then restored from a backup that predates it, the server's
 * `acked_through_seq` falls behind what the device sends next; the engine rewinds from
 * `acked_through_seq + 1`, resending retained and acked rows as they were (the server applies the
 * ones it lost and answers `duplicate` for the rest). Every push also says from which seq the
 * device still holds every fact (`retained_from_seq`), so a server that lost more than the device
 * kept re-bases past the hole instead of waiting forever.
 */
import type { PushResult } from '#shared/sync/push.schema';
import { retainedTable, type OutboxRow, type QuitaDb, type RetainedRow } from '../db/db';

export const RETENTION_DAYS = 30;
/** ~3 months of a busy collector's facts; bounds the storage kept for restores. */
export const RETAIN_MAX = 5_000;

const DAY_MS = 86_400_000;

/**
 * The next rows to push, in `device_seq` order, frozen (`sending`): from here on they are resent
 * byte-for-byte until the server answers.
 */
export async function takeBatch(db: QuitaDb, limit: number): Promise<OutboxRow[]> {
  const batch = await db.outbox
    .orderBy('device_seq')
    .filter((row) => row.state === 'pending' || row.state === 'sending')
    .limit(limit)
    .toArray();
  if (batch.length === 0) return batch;
  await db.transaction('rw', db.outbox, async () => {
    for (const row of batch)
      await db.outbox.update(row.mutation_id, {
        state: 'sending',
        attempts: (row.attempts ?? 0) + 1,
      });
  });
  return batch;
}

/**
 * Applies a push's per-row results to the batch, with the device's last push time, in one
 * transaction. Returns how many rows got an answer and the rejects to report.
 */
export async function recordPushResults(
  db: QuitaDb,
  batch: readonly OutboxRow[],
  results: PushResult['results'],
  at: string,
): Promise<{ progressed: number; rejected: { mutationId: string; reason: string }[] }> {
  const byId = new Map(results.map((r) => [r.mutation_id, r]));
  let progressed = 0;
  const rejected: { mutationId: string; reason: string }[] = [];
  await db.transaction('rw', db.outbox, db.device, async () => {
    for (const row of batch) {
      const r = byId.get(row.mutation_id);
      // No result: outcome unknown (even if within acked_through_seq, it may have been
      // rejected), so the row stays frozen and is resent; the server answers its stored result.
      if (!r) continue;
      // A duplicate carries the outcome stored the first time: a reject stays a reject.
      const status = r.status === 'duplicate' && r.original ? r.original.status : r.status;
      const reason = r.status === 'duplicate' && r.original ? r.original.reason : r.reason;
      if (status === 'rejected') {
        const why = reason ?? 'rejected';
        await db.outbox.update(row.mutation_id, {
          state: 'rejected',
          result_status: status,
          reason: why,
        });
        rejected.push({ mutationId: row.mutation_id, reason: why });
      } else
        await db.outbox.update(row.mutation_id, {
          state: 'acked',
          result_status: status,
          ...(reason === undefined ? {} : { reason }),
        });
      progressed++;
    }
    await db.device.update('device', { last_push_ok_at: at, last_error: null });
  });
  return { progressed, rejected };
}

/**
 * Moves delivered outbox rows to `retained` (inside the caller's transaction, which must include
 * the outbox and `retained`). Without the table (an older declared schema) they are deleted.
 */
export async function retainDelivered(
  db: QuitaDb,
  rows: readonly OutboxRow[],
  deliveredAt: string,
): Promise<void> {
  if (rows.length === 0) return;
  const retained = retainedTable(db);
  await retained?.bulkPut(rows.map((row) => ({ ...row, delivered_at: deliveredAt })));
  await db.outbox.bulkDelete(rows.map((row) => row.mutation_id));
}

/**
 * The lowest seq from which this device holds EVERY fact up to `next_seq − 1` (outbox, any state,
 * and retained), or `next_seq` when it holds none. Contiguous on purpose: a rejected row kept
 * below a pruned stretch can be shown but not used to fill a server's gap.
 */
export async function retainedFromSeq(db: QuitaDb, nextSeq: number): Promise<number> {
  const retained = retainedTable(db);
  const held = new Set<number>([
    ...((await db.outbox.orderBy('device_seq').keys()) as number[]),
    ...(retained ? ((await retained.orderBy('device_seq').keys()) as number[]) : []),
  ]);
  let from = nextSeq;
  while (held.has(from - 1)) from--;
  return from;
}

/**
 * The server answered a push with `acked_through_seq` below the first seq sent − 1: it lost
 * facts (restore). Every fact from `fromSeq` on goes back to `sending` in the outbox, frozen, in
 * one transaction: retained rows move back (same id and hash), acked and rejected rows are resent
 * (the restored server answers again; a `duplicate` keeps the stored outcome). Returns how many
 * rows will be resent that were not already waiting.
 */
export async function rewindFrom(db: QuitaDb, fromSeq: number): Promise<number> {
  const retained = retainedTable(db);
  return db.transaction('rw', [db.outbox, ...(retained ? [retained] : [])], async () => {
    let moved = 0;
    if (retained) {
      const back = await retained.where('device_seq').aboveOrEqual(fromSeq).toArray();
      const rows = back.map(({ delivered_at: _delivered, ...row }) => toSending(row));
      await db.outbox.bulkPut(rows);
      await retained.bulkDelete(back.map((row) => row.mutation_id));
      moved += rows.length;
    }
    moved += await db.outbox
      .where('device_seq')
      .aboveOrEqual(fromSeq)
      .filter((row) => row.state === 'acked' || row.state === 'rejected')
      .modify((row) => {
        row.state = 'sending';
        delete row.result_status;
        delete row.reason;
      });
    return moved;
  });
}

function toSending(row: OutboxRow): OutboxRow {
  const { result_status: _status, reason: _reason, ...rest } = row;
  return { ...rest, state: 'sending' };
}

/**
 * Drops retained rows older than the retention or beyond the newest `max`, lowest seq first and
 * stopping at the first one kept, so what remains is still one contiguous run up to the outbox.
 */
export async function pruneRetained(
  db: QuitaDb,
  now: Date,
  limits: { days?: number; max?: number } = {},
): Promise<number> {
  const retained = retainedTable(db);
  if (!retained) return 0;
  const cutoff = new Date(now.getTime() - (limits.days ?? RETENTION_DAYS) * DAY_MS).toISOString();
  const max = limits.max ?? RETAIN_MAX;
  return db.transaction('rw', retained, async () => {
    const excess = (await retained.count()) - max;
    const doomed: string[] = [];
    // A value cursor (`each`), not `primaryKeys()`: a key cursor gives `until` no row to read.
    await retained
      .orderBy('device_seq')
      .until((row: RetainedRow) => !(doomed.length < excess || row.delivered_at < cutoff))
      .each((row) => {
        doomed.push(row.mutation_id);
      });
    await retained.bulkDelete(doomed);
    return doomed.length;
  });
}

/**
 * A pull says how far the server has this device (`acked_through_seq`). Below a fact it once
 * acked, the server was restored: rewind so the next push resends from there. Returns the rows
 * rewound (0 when the server is where it should be).
 */
export async function rewindIfBehind(db: QuitaDb, ackedThroughSeq: number): Promise<number> {
  const retained = retainedTable(db);
  const lastRetained = retained ? await retained.orderBy('device_seq').last() : undefined;
  // Few rows: acked ones leave the outbox with the next pull, rejects are rare. (The `state` index
  // exists in every schema version; `[state+device_seq]` only from v2.)
  const answered = await db.outbox.where('state').anyOf('acked', 'rejected').toArray();
  const highest = answered.reduce(
    (max, row) => Math.max(max, row.device_seq),
    lastRetained?.device_seq ?? 0,
  );
  if (ackedThroughSeq >= highest) return 0;
  return rewindFrom(db, ackedThroughSeq + 1);
}
