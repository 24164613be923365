-- Backups and restores made by the server or the CLI (server/ops/backup/): what the owner's
-- Dispositivos page shows as "last backup" and /metrics reports. A restore is recorded in the
-- restored database, after the swap.
CREATE TABLE ops_backups (
  id uuid PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('scheduled', 'manual', 'restore')),
  database text NOT NULL CHECK (database IN ('pglite', 'postgres')),
  file text NOT NULL,
  bytes bigint CHECK (bytes IS NULL OR bytes >= 0),
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  ok boolean NOT NULL,
  error text,
  host text NOT NULL
);
CREATE INDEX ops_backups_started_idx ON ops_backups (started_at DESC);

-- One scheduled backup per local day even with several server processes on one PostgreSQL: the
-- process that inserts the day's row makes the backup.
CREATE TABLE ops_backup_schedule (
  day date PRIMARY KEY,
  claimed_by text NOT NULL,
  claimed_at timestamptz NOT NULL
);
