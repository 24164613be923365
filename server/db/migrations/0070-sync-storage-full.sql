-- A phone that ran out of space writing data (reference/sync.md §5.10 B15) says so in its health
-- block; the owner sees it red until a later sync reports it cleared.
ALTER TABLE sync_devices ADD COLUMN storage_full boolean NOT NULL DEFAULT false;
