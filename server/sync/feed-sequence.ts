/**
 * The change feed's read order (migration 0300). Writers insert feed rows with `seq` NULL and no
 * lock, so pushes from every phone commit side by side and PostgreSQL flushes their commits
 * together. A pull first runs `sequenceFeed`: in its own short READ COMMITTED transaction, under
 * one advisory lock held until that transaction's commit, every committed row still without a seq
 * gets the next numbers of one sequence. Then it reads by seq in a new snapshot.
 *
 * Why a pull never skips a row: whoever numbers rows holds the lock until its COMMIT (a sequencer
 * run, or a bulk writer such as an import chunk numbering its own rows at the end:
 * write.ts `flushChanges(tx, { numbered: true })`), and takes its numbers from the sequence while
 * holding it. Holders follow one another: a later one starts after the earlier one committed, so
 * every number it takes is higher than every number already visible, and its rows become
 * visible all at once. A sequencer run numbers only rows committed before its UPDATE's snapshot
 * (taken after the lock); rows committed later are numbered by a later run, higher. A reader
 * that sees seq N therefore sees every seq below N, and rows without a seq are never read (the
 * next pull numbers them).
 *
 * Why an ack is never visible without its effects: the device's last_seq is read first, in an
 * earlier statement than the numbering: a push visible to that read (its facts, feed rows and
 * last_seq commit together) is visible to the UPDATE after it, so its rows are numbered by the
 * time the pull answers `acked_through_seq` with that value.
 */
import type { Db, Tx } from '../db/db';
import { FEED_LOCK_KEY } from '../db/write';
import { READ_COMMITTED } from './devices';

/**
 * Numbers the committed feed rows that have no seq yet; answers `deviceId`'s last_seq as read
 * before the numbering (0 for an unknown device). Takes the lock only when there is work.
 * PostgreSQL only: answers null on PGlite.
 */
export async function sequenceFeed(
  db: Db,
  deviceId: string,
): Promise<{ ackedThroughSeq: number } | null> {
  // PGlite's writers number their rows as they write them (write.ts); the page's own transaction
  // numbers any other (`numberUnsequenced`) and reads last_seq in its snapshot.
  if (db.kind === 'pglite') return null;
  return db.transaction(async (tx) => {
    const [device] = await tx.query<{ last_seq: number }>(
      'SELECT last_seq FROM sync_devices WHERE id = $1',
      [deviceId],
    );
    const ackedThroughSeq = Number(device?.last_seq ?? 0);
    await numberUnsequenced(tx, true);
    return { ackedThroughSeq };
  }, READ_COMMITTED);
}

/**
 * Numbers the rows without a seq, in id order, if there are any. On PostgreSQL `lock` must be
 * true (see the module comment). On PGlite it runs inside the pull's page transaction: its one
 * connection runs transactions one at a time, so no lock is needed. There the only such rows are
 * those a migration wrote (write.ts numbers the others as it writes them).
 */
export async function numberUnsequenced(tx: Tx, lock: boolean): Promise<void> {
  const [pending] = await tx.query('SELECT 1 FROM changes WHERE seq IS NULL LIMIT 1');
  if (!pending) return;
  if (lock) await tx.query('SELECT pg_advisory_xact_lock($1)', [FEED_LOCK_KEY]);
  await tx.query(
    `UPDATE changes c SET seq = n.seq
     FROM (SELECT id, nextval('changes_feed_seq') AS seq
           FROM (SELECT id FROM changes WHERE seq IS NULL ORDER BY id) p) n
     WHERE c.id = n.id`,
  );
}
