-- Settings and the automatic-send outbox (issue 3, settings/cadence).
--
-- Organisation: the creditor identity the API edits as a structured document (CDC art. 42-A needs
-- name, CPF/CNPJ and address on every message). `creditor_address` stays as the one-line form
-- other readers use; `address` keeps the fields. The CNPJ may be alphanumeric from July 2026
-- (12 characters of 0-9/A-Z, 2 check digits), so the document check admits it.
ALTER TABLE organisation DROP CONSTRAINT IF EXISTS organisation_creditor_document_check;
ALTER TABLE organisation ADD CONSTRAINT organisation_creditor_document_check
  CHECK (creditor_document ~ '^([0-9]{11}|[0-9A-Z]{12}[0-9]{2})?$');
ALTER TABLE organisation
  ADD COLUMN trade_name text,
  ADD COLUMN address jsonb,
  ADD COLUMN phone text,
  ADD COLUMN pix_key_type text CHECK (pix_key_type IN ('email', 'cpf', 'cnpj', 'phone', 'evp')),
  ADD COLUMN payment_link_template text,
  ADD COLUMN retention_days integer NOT NULL DEFAULT 1825 CHECK (retention_days >= 0),
  ADD COLUMN updated_by uuid;

-- One row per automatic step the server itself sends (e-mail through SMTP). The unique key makes
-- a step of a debt cycle claimable once, whichever process or restart sees it first; the lease
-- (`claimed_until`) lets a worker hold a row while it talks to the SMTP server. A row whose lease
-- ran out while 'sending' is never re-sent automatically ('uncertain'): the message may have left,
-- and at most once beats at least once for a collection message.
CREATE TABLE cadence_tasks (
  id uuid PRIMARY KEY,
  debtor_id uuid NOT NULL REFERENCES debtors (id),
  debt_id uuid NOT NULL REFERENCES debts (id),
  -- The carrying debt's due date when the task was made: a new due date is a new cycle.
  cycle_due_on date NOT NULL,
  step_id text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('email')),
  template_id text NOT NULL,
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'uncertain', 'cancelled')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  claimed_by text,
  claimed_until timestamptz,
  recipient text,
  contact_log_id uuid REFERENCES contact_log (id),
  message_id text,
  last_error text,
  sent_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX cadence_tasks_step_key ON cadence_tasks (debtor_id, debt_id, cycle_due_on, step_id);
CREATE INDEX cadence_tasks_due_idx ON cadence_tasks (next_attempt_at) WHERE status = 'pending';
CREATE INDEX cadence_tasks_sending_idx ON cadence_tasks (claimed_until) WHERE status = 'sending';

-- The queue loads the recent contact log and the step history of a page of debtors.
CREATE INDEX contact_log_step_idx ON contact_log (debtor_id) WHERE cadence_step IS NOT NULL;
CREATE INDEX debts_open_debtor_idx ON debts (debtor_id, due_on) WHERE status = 'open';
