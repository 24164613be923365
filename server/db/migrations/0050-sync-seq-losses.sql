-- Device sequence ranges the server will never receive (issue 4, re-base after a restore): the
-- server was restored from a backup older than what the device had already had acknowledged and
-- dropped, so those facts exist nowhere any more. One row per re-base, kept for the owner (the
-- device shows red while a loss is recent) and for the record.
CREATE TABLE sync_seq_losses (
  id uuid PRIMARY KEY,
  device_id uuid NOT NULL REFERENCES sync_devices (id),
  collector_id uuid NOT NULL REFERENCES users (id),
  from_seq bigint NOT NULL,
  to_seq bigint NOT NULL,
  detected_at timestamptz NOT NULL,
  CHECK (from_seq >= 1 AND to_seq >= from_seq)
);
CREATE INDEX sync_seq_losses_device_idx ON sync_seq_losses (device_id, detected_at);
