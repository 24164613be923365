-- Offline sync (issue 4, reference/sync.md §5): devices, the per-mutation dedupe records, the
-- feed epoch, field-edit conflicts for owner review, and the visit columns field facts carry.

-- One row per app install. Pushes lock this row (SELECT … FOR UPDATE) so two concurrent pushes
-- from one device apply each mutation once; last_seq is the gapless device_seq applied so far.
CREATE TABLE sync_devices (
  id uuid PRIMARY KEY,
  collector_id uuid NOT NULL REFERENCES users (id),
  last_seq bigint NOT NULL DEFAULT 0,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz,
  last_push_ok_at timestamptz,
  last_pull_ok_at timestamptz,
  -- The last cursor the device pulled with (what it has acknowledged applying).
  acked_cursor text,
  app_version text,
  schema_version integer,
  clock_offset_ms bigint,
  persisted boolean,
  storage_usage bigint,
  storage_quota bigint,
  outbox_pending integer NOT NULL DEFAULT 0,
  outbox_oldest_pending_at timestamptz,
  outbox_rejected integer NOT NULL DEFAULT 0,
  installed boolean NOT NULL DEFAULT false,
  display_mode text,
  last_error text,
  user_agent text,
  -- Set on an older device of the same collector when a new device registers while this one
  -- last reported pending items (possible eviction or data loss: shown red to the owner).
  replaced_with_pending_at timestamptz
);
CREATE INDEX sync_devices_collector_idx ON sync_devices (collector_id);

-- Every mutation ever received, kept forever (a phone may come back after weeks): the stored
-- outcome answers duplicates, the hash catches a reused id with other content, and deferred
-- mutations (unknown type/version) keep their payload for reprocessing after an upgrade.
CREATE TABLE sync_mutations (
  mutation_id uuid PRIMARY KEY,
  device_id uuid NOT NULL REFERENCES sync_devices (id),
  device_seq bigint NOT NULL,
  collector_id uuid NOT NULL REFERENCES users (id),
  type text NOT NULL,
  type_version integer NOT NULL,
  debtor_id uuid,
  payload_hash text NOT NULL,
  mutation jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('applied', 'rejected', 'conflict', 'deferred')),
  reason text,
  occurred_at text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  clock_offset_ms bigint,
  UNIQUE (device_id, device_seq)
);
CREATE INDEX sync_mutations_deferred_idx ON sync_mutations (received_at) WHERE status = 'deferred';
CREATE INDEX sync_mutations_debtor_idx ON sync_mutations (debtor_id);

-- The feed epoch: bumped after a restore from backup or a feed compaction; a cursor from another
-- epoch answers reset_required. Single row.
CREATE TABLE sync_state (
  id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  epoch integer NOT NULL DEFAULT 1
);
INSERT INTO sync_state (id, epoch) VALUES (1, 1);

-- A collector's field edit applied over a version they had not seen (LWW in server-receive
-- order), kept for the owner to review.
CREATE TABLE sync_conflicts (
  id uuid PRIMARY KEY,
  mutation_id uuid NOT NULL REFERENCES sync_mutations (mutation_id),
  debtor_id uuid NOT NULL REFERENCES debtors (id),
  field text NOT NULL,
  base_version integer NOT NULL,
  current_version integer NOT NULL,
  old_value jsonb,
  new_value jsonb,
  collector_id uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz,
  resolved_by uuid REFERENCES users (id)
);
CREATE INDEX sync_conflicts_open_idx ON sync_conflicts (created_at) WHERE resolved_at IS NULL;

-- Visits as shared/domain/visit.schema.ts records them.
ALTER TABLE visits DROP CONSTRAINT IF EXISTS visits_outcome_check;
ALTER TABLE visits ADD CONSTRAINT visits_outcome_check CHECK (outcome IN
  ('not_home', 'promise', 'paid', 'partial', 'refused', 'wrong_address', 'moved', 'promised', 'other'));
ALTER TABLE visits ADD COLUMN geolocation jsonb;
ALTER TABLE visits ADD COLUMN promise_id uuid;
ALTER TABLE visits ADD COLUMN reported_payment_id uuid;
-- Facts about a debtor no longer assigned to the collector when received (§5.5).
ALTER TABLE visits ADD COLUMN recorded_while_unassigned boolean NOT NULL DEFAULT false;
ALTER TABLE payments ADD COLUMN recorded_while_unassigned boolean NOT NULL DEFAULT false;
ALTER TABLE promises ADD COLUMN recorded_while_unassigned boolean NOT NULL DEFAULT false;

-- The collector's pin of where the debtor really is.
ALTER TABLE debtors ADD COLUMN geo_pin jsonb;
