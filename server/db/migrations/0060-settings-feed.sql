-- Organisation settings travel through the sync feed (issues 4/5): a collector's phone holds the
-- creditor identity, policies and templates it needs offline, kept current by its pull.
--
-- A settings section is keyed by name ('organisation', 'cadence', …), not by a UUID, so the feed's
-- entity id becomes text. Its feed rows have no debtor: every collector's pull reads them.

-- Same lock as server/db/write.ts: feed ids stay allocated in commit order even if an older
-- server process is still writing while this migration runs.
SELECT pg_advisory_xact_lock(7201540444);

ALTER TABLE changes ALTER COLUMN entity_id TYPE text;

-- Incremental pulls read org-wide rows past the cursor besides their debtors' rows.
CREATE INDEX changes_setting_idx ON changes (id) WHERE entity = 'setting';

-- Devices that synced before this migration hold a cursor past every settings save: one row per
-- section sends each of them the current settings on their next pull. A database no device has
-- pulled from yet needs none (a first sync carries every section).
INSERT INTO changes (entity, entity_id, debtor_id, op, version)
SELECT 'setting', s.key, NULL, 'update', 0
FROM unnest(ARRAY['organisation', 'cadence', 'negotiation', 'promise', 'holidays', 'templates'])
  WITH ORDINALITY AS s(key, n)
WHERE EXISTS (SELECT 1 FROM sync_devices)
ORDER BY s.n;
