-- Closing the loop from reminder to reconciled money (issue 12 §2–§4): PIX txids the database
-- derives, bank statements and their credits, agreements that complete or break, and payments
-- that are reversed, merged or carry a credit to return.

-- PIX txids (shared/pix/pix-txid.ts): 'Q' + kind letter + the first 23 hex digits of
-- md5('quita:<kind>:<id>[:<number>]'), upper case. Generated here so every row, however it was
-- written (API, import, sync, the debtor's page), has the same txid the phone derives offline,
-- and a statement is matched with one indexed join. A test compares these with the shared
-- function on both databases.
ALTER TABLE debts ADD COLUMN pix_txid text
  GENERATED ALWAYS AS ('QD' || upper(left(md5('quita:debt:' || id::text), 23))) STORED;
CREATE UNIQUE INDEX debts_pix_txid_key ON debts (pix_txid);
ALTER TABLE debtors ADD COLUMN pix_txid text
  GENERATED ALWAYS AS ('QC' || upper(left(md5('quita:debtor:' || id::text), 23))) STORED;
CREATE UNIQUE INDEX debtors_pix_txid_key ON debtors (pix_txid);
ALTER TABLE installments ADD COLUMN pix_txid text
  GENERATED ALWAYS AS (
    'QP' || upper(left(md5('quita:installment:' || agreement_id::text || ':' || seq::text), 23))
  ) STORED;
CREATE UNIQUE INDEX installments_pix_txid_key ON installments (pix_txid);

-- Agreements that live (shared/negotiation/agreement-rules.ts). The break rule in force when the
-- agreement was made is copied onto it; the stored verdicts (completed_on, broken_on) are written
-- by payments and by the daily job (server/agreements/agreement-job.ts).
ALTER TABLE agreements
  ADD COLUMN break_after_days integer CHECK (break_after_days BETWEEN 1 AND 90),
  ADD COLUMN concessions_on_break text CHECK (concessions_on_break IN ('lost', 'kept')),
  ADD COLUMN completed_on date,
  ADD COLUMN broken_on date;

-- Whoever inserts an agreement (office, phone sync, the debtor's page) gets the organisation's
-- current rule unless it names one; the fallbacks are DEFAULT_AGREEMENT_RULES.
CREATE FUNCTION quita_agreement_rules() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  policy jsonb;
BEGIN
  SELECT value INTO policy FROM settings WHERE key = 'negotiation_policy';
  IF NEW.break_after_days IS NULL THEN
    NEW.break_after_days := CASE
      WHEN jsonb_typeof(policy -> 'breakAfterDays') = 'number'
        AND (policy ->> 'breakAfterDays') ~ '^[0-9]{1,2}$'
        AND (policy ->> 'breakAfterDays')::int BETWEEN 1 AND 90
      THEN (policy ->> 'breakAfterDays')::int ELSE 5 END;
  END IF;
  IF NEW.concessions_on_break IS NULL THEN
    NEW.concessions_on_break := CASE
      WHEN policy ->> 'concessionsOnBreak' IN ('lost', 'kept')
      THEN policy ->> 'concessionsOnBreak' ELSE 'lost' END;
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER agreements_rules BEFORE INSERT ON agreements
  FOR EACH ROW EXECUTE FUNCTION quita_agreement_rules();
UPDATE agreements SET break_after_days = 5 WHERE break_after_days IS NULL;
UPDATE agreements SET concessions_on_break = 'lost' WHERE concessions_on_break IS NULL;
ALTER TABLE agreements
  ALTER COLUMN break_after_days SET NOT NULL,
  ALTER COLUMN concessions_on_break SET NOT NULL;

-- Money allocated to each installment, in order (shared/ledger allocateInstallments), kept beside
-- it so the sync feed carries allocations to the phone and the break job is one SQL statement.
ALTER TABLE installments
  ADD COLUMN paid_cents bigint NOT NULL DEFAULT 0,
  ADD COLUMN paid_on date,
  ADD CONSTRAINT installments_paid_range CHECK (paid_cents >= 0 AND paid_cents <= amount_cents),
  ADD CONSTRAINT installments_paid_on CHECK ((paid_on IS NULL) = (paid_cents < amount_cents));
CREATE INDEX installments_unpaid_due_idx ON installments (due_on) WHERE paid_on IS NULL;
CREATE INDEX agreements_active_idx ON agreements (id) WHERE status = 'active';

-- One uploaded statement (OFX or a bank's CSV export). Rows are written only when the file
-- brought at least one credit not seen before: the same statement twice changes nothing.
CREATE TABLE bank_statements (
  id uuid PRIMARY KEY,
  format text NOT NULL CHECK (format IN ('ofx', 'csv-nubank', 'csv-inter')),
  -- bank:branch:account as the file names it; a bank's FITID is unique only within an account.
  account_key text NOT NULL,
  period_start date,
  period_end date,
  file_sha256 text NOT NULL CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
  uploaded_by uuid NOT NULL REFERENCES users (id),
  uploaded_at timestamptz NOT NULL,
  credits integer NOT NULL CHECK (credits >= 0),
  new_credits integer NOT NULL CHECK (new_credits >= 0)
);

-- Each credit (money in) of a statement, once per account and FITID, and what became of it.
-- auto_confirmed: its txid named something and the amount settled it; confirmed: a person
-- confirmed a suggestion (or picked the target); suggested: candidates wait in Revisão;
-- unmatched: nothing fits (listed); ignored: a person said it is not collection money.
CREATE TABLE bank_credits (
  id uuid PRIMARY KEY,
  statement_id uuid NOT NULL REFERENCES bank_statements (id),
  account_key text NOT NULL,
  fitid text NOT NULL CHECK (btrim(fitid) <> '' AND char_length(fitid) <= 255),
  posted_on date NOT NULL,
  amount_cents bigint NOT NULL CHECK (amount_cents > 0),
  payer_name text,
  payer_document text CHECK (payer_document ~ '^([0-9]{11}|[0-9A-Z]{12}[0-9]{2})$'),
  memo text,
  txid text CHECK (txid ~ '^Q[DPC][0-9A-F]{23}$'),
  status text NOT NULL
    CHECK (status IN ('auto_confirmed', 'confirmed', 'suggested', 'unmatched', 'ignored')),
  debtor_id uuid REFERENCES debtors (id),
  -- What a confirmed credit paid, as it was targeted.
  target_kind text CHECK (target_kind IN ('debt', 'installment', 'debtor')),
  target_debt_id uuid REFERENCES debts (id),
  target_agreement_id uuid REFERENCES agreements (id),
  target_installment integer,
  -- Money beyond what was open, recorded to be returned to the payer.
  refund_due_cents bigint NOT NULL DEFAULT 0 CHECK (refund_due_cents >= 0),
  decided_by uuid REFERENCES users (id),
  decided_at timestamptz,
  -- The last undo of a confirmation (the credit went back to review).
  undone_at timestamptz,
  undone_by uuid REFERENCES users (id),
  note text CHECK (char_length(note) <= 500),
  created_at timestamptz NOT NULL,
  UNIQUE (account_key, fitid),
  CHECK ((status IN ('auto_confirmed', 'confirmed')) = (target_kind IS NOT NULL))
);
CREATE INDEX bank_credits_statement_idx ON bank_credits (statement_id);
CREATE INDEX bank_credits_review_idx ON bank_credits (posted_on, id)
  WHERE status IN ('suggested', 'unmatched');
CREATE INDEX bank_credits_confirmed_idx ON bank_credits (decided_at, id)
  WHERE status IN ('auto_confirmed', 'confirmed');

-- Ranked candidates for a credit that could not be confirmed alone, for one-tap confirmation.
CREATE TABLE bank_credit_suggestions (
  credit_id uuid NOT NULL REFERENCES bank_credits (id) ON DELETE CASCADE,
  rank smallint NOT NULL CHECK (rank >= 1),
  debtor_id uuid NOT NULL REFERENCES debtors (id),
  target_kind text NOT NULL CHECK (target_kind IN ('debt', 'installment', 'debtor')),
  target_debt_id uuid REFERENCES debts (id),
  target_agreement_id uuid REFERENCES agreements (id),
  target_installment integer,
  -- A pending field report this credit would confirm instead of recording new money.
  report_payment_id uuid,
  owed_cents bigint NOT NULL CHECK (owed_cents >= 0),
  score integer NOT NULL,
  reasons text[] NOT NULL,
  PRIMARY KEY (credit_id, rank)
);
CREATE INDEX bank_credit_suggestions_debtor_idx ON bank_credit_suggestions (debtor_id);

-- Payments: the credit that brought the money; 'reversed' (an undone bank confirmation) and
-- 'merged' (a second record of money already recorded, kept for the history but never counted);
-- a surplus recorded as a credit to return, and when it was returned.
ALTER TABLE payments ADD COLUMN bank_credit_id uuid REFERENCES bank_credits (id);
ALTER TABLE payments ADD COLUMN merged_into uuid REFERENCES payments (id);
ALTER TABLE payments ADD COLUMN refund_due_cents bigint NOT NULL DEFAULT 0
  CHECK (refund_due_cents >= 0 AND refund_due_cents <= amount_cents);
ALTER TABLE payments ADD COLUMN refunded_at timestamptz;
ALTER TABLE payments ADD COLUMN refunded_by uuid REFERENCES users (id);
ALTER TABLE payments DROP CONSTRAINT IF EXISTS payments_status_check;
ALTER TABLE payments ADD CONSTRAINT payments_status_check
  CHECK (status IN ('pending', 'confirmed', 'rejected', 'reversed', 'merged'));
ALTER TABLE payments ADD CONSTRAINT payments_merged_consistent
  CHECK ((status = 'merged') = (merged_into IS NOT NULL));
CREATE INDEX payments_bank_credit_idx ON payments (bank_credit_id) WHERE bank_credit_id IS NOT NULL;
CREATE INDEX payments_agreement_idx ON payments (agreement_id) WHERE agreement_id IS NOT NULL;
CREATE INDEX payments_refund_due_idx ON payments (created_at)
  WHERE refund_due_cents > 0 AND refunded_at IS NULL;

-- Candidate search for credits without a txid: payer document, payer name (accent- and
-- case-folded, as shared/reconciliation/payer.ts folds the statement's name), open amounts.
ALTER TABLE debtors ADD COLUMN name_key text GENERATED ALWAYS AS (
  btrim(regexp_replace(
    translate(lower(name),
      'áàâãäåéèêëíìîïóòôõöúùûüçñýÿ',
      'aaaaaaeeeeiiiiooooouuuucnyy'),
    '[^a-z0-9]+', ' ', 'g'))
) STORED;
CREATE INDEX debtors_name_key_idx ON debtors (name_key text_pattern_ops);
CREATE INDEX debts_open_principal_idx ON debts (principal_cents) WHERE status = 'open';
