-- Owner review of field-edit conflicts (issue 5): how each one was closed. `keep_applied` leaves
-- the collector's value (already applied at push time); `restore_previous` wrote the overwritten
-- value back, producing debtor version `restored_version`. Stored so a repeated request answers
-- the same outcome and a contradicting one is refused.
ALTER TABLE sync_conflicts
  ADD COLUMN resolution text CHECK (resolution IN ('keep_applied', 'restore_previous')),
  ADD COLUMN restored_version integer,
  ADD CONSTRAINT sync_conflicts_resolved_consistent CHECK (
    (resolved_at IS NULL) = (resolution IS NULL)
    AND (restored_version IS NULL OR resolution = 'restore_previous')
  );
CREATE INDEX sync_conflicts_resolved_idx ON sync_conflicts (resolved_at) WHERE resolved_at IS NOT NULL;
