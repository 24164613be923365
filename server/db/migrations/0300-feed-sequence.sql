-- The change feed's read order is assigned after commit (issue 17, server/sync/feed-sequence.ts).
--
-- Until now every writer took one advisory lock before its first feed row and held it until its
-- COMMIT returned, so that row ids became visible in id order and a pull paging by id could never
-- skip a late commit. With fsync on, that lock was held across every commit's WAL flush: all
-- writers of the server (every push of every phone) queued behind one disk flush at a time.
--
-- Now writers insert feed rows with `seq` NULL and take no lock. Before reading, a pull runs the
-- sequencer: under that same lock, in its own short transaction, it numbers every committed row
-- without a seq from one sequence. A later run only sees rows committed after the earlier run's
-- snapshot and numbers them higher, so paging by seq is gap-safe; the lock is now held by one
-- sequencer at a time for one UPDATE and its commit, however many pushes it numbers at once.
--
-- Rows already in the feed keep their id as their seq, so the cursors phones hold stay valid.

SELECT pg_advisory_xact_lock(7201540444);

ALTER TABLE changes ADD COLUMN seq bigint;
UPDATE changes SET seq = id;

CREATE SEQUENCE changes_feed_seq;
SELECT setval('changes_feed_seq', COALESCE((SELECT max(id) FROM changes), 0) + 1, false);

-- Pulls page by seq (NULLs, not yet numbered, are never read); the sequencer finds its rows here.
CREATE UNIQUE INDEX changes_seq_idx ON changes (seq);
CREATE INDEX changes_unsequenced_idx ON changes (id) WHERE seq IS NULL;
-- The per-debtor and settings indexes follow the read order.
CREATE INDEX changes_debtor_seq_idx ON changes (debtor_id, seq);
CREATE INDEX changes_setting_seq_idx ON changes (seq) WHERE entity = 'setting';
DROP INDEX IF EXISTS changes_debtor_idx;
DROP INDEX IF EXISTS changes_setting_idx;
