-- Ledger API (issue 3): the columns the shared/ domain schemas carry that 0001 did not, the
-- phone/e-mail match keys for the extension's lookup, and the concession log of agreements.

-- Debtors: the structured address (CDC art. 42-A needs it whole on notices), tags, and the
-- "never at work" flag of DoNotContactSchema.
ALTER TABLE debtors ADD COLUMN address jsonb;
ALTER TABLE debtors ADD COLUMN tags jsonb NOT NULL DEFAULT '[]';
ALTER TABLE debtors ADD COLUMN do_not_contact_at_work boolean NOT NULL DEFAULT false;
-- Keyset pagination of the debtor list walks (lower(name), id).
CREATE INDEX debtors_name_id_idx ON debtors (lower(name), id);

-- Every key a contact point answers to: the E.164 number and, for an old-style mobile, the
-- number without its 9th digit (shared/identity phoneMatchKeys); the normalised e-mail. A lookup
-- computes the keys of what it was given and meets any of them here, through the index.
CREATE TABLE contact_point_keys (
  contact_point_id uuid NOT NULL REFERENCES contact_points (id) ON DELETE CASCADE,
  debtor_id uuid NOT NULL REFERENCES debtors (id),
  kind text NOT NULL CHECK (kind IN ('phone', 'email')),
  key text NOT NULL,
  PRIMARY KEY (contact_point_id, key)
);
CREATE INDEX contact_point_keys_key_idx ON contact_point_keys (kind, key);

-- Debts: the remaining DebtTerms fields balanceOn reads, and why a debt was cancelled.
ALTER TABLE debts ADD COLUMN fees jsonb NOT NULL DEFAULT '[]';
ALTER TABLE debts ADD COLUMN punctuality_discount_bps integer CHECK (punctuality_discount_bps BETWEEN 0 AND 10000);
ALTER TABLE debts ADD COLUMN grace_days integer NOT NULL DEFAULT 0 CHECK (grace_days BETWEEN 0 AND 365);
ALTER TABLE debts ADD COLUMN cancel_reason text;

-- Payments: field reports carry a receipt number (unique per collector) and the device time.
ALTER TABLE payments ADD COLUMN receipt_number text;
ALTER TABLE payments ADD COLUMN reported_at timestamptz;
ALTER TABLE payments ADD COLUMN pix_txid text;
ALTER TABLE payments ADD COLUMN visit_id uuid;
ALTER TABLE payments ADD COLUMN agreement_id uuid REFERENCES agreements (id);
CREATE UNIQUE INDEX payments_receipt_key ON payments (reported_by, receipt_number) WHERE receipt_number IS NOT NULL;

-- Promises cover several debts (DebtIdsSchema); debt_id keeps the first for the old index.
ALTER TABLE promises ADD COLUMN debt_ids jsonb NOT NULL DEFAULT '[]';
ALTER TABLE promises ADD COLUMN made_on date;
ALTER TABLE promises ADD COLUMN channel text CHECK (channel IN ('whatsapp', 'sms', 'email', 'phone', 'visit', 'letter'));
ALTER TABLE promises ADD COLUMN note text;
ALTER TABLE promises ADD COLUMN visit_id uuid;

ALTER TABLE agreements ADD COLUMN note text;
ALTER TABLE agreements ADD COLUMN rejection_reason text;

ALTER TABLE disputes ADD COLUMN description text;
ALTER TABLE disputes ADD COLUMN opened_on date;

-- Notices: the method as NoticeSchema names it (channel keeps the coarse medium), the waiting
-- period in force when it was sent, and the amount the document stated.
ALTER TABLE notices ADD COLUMN method text CHECK (method IN ('letter', 'registered_letter', 'email', 'bureau_letter'));
ALTER TABLE notices ADD COLUMN waiting_days integer CHECK (waiting_days >= 1);
ALTER TABLE notices ADD COLUMN amount_stated_cents bigint CHECK (amount_stated_cents > 0);
ALTER TABLE notices ADD COLUMN template_id text;

ALTER TABLE escalations ADD COLUMN agency text;
ALTER TABLE escalations ADD COLUMN note text;
ALTER TABLE escalations ADD COLUMN requested_on date;
-- The day the debt was fully paid: starts the Súmula 548 removal deadline (removal_due_on).
ALTER TABLE escalations ADD COLUMN paid_on date;
CREATE INDEX escalations_debt_idx ON escalations (debt_id);

-- Each concession of an agreement (discount, waived multa, waived juros) as its own row, so the
-- owner's report of what was given up never has to be reconstructed from agreement totals.
CREATE TABLE concessions (
  id uuid PRIMARY KEY,
  agreement_id uuid NOT NULL REFERENCES agreements (id),
  debtor_id uuid NOT NULL REFERENCES debtors (id),
  kind text NOT NULL CHECK (kind IN ('discount', 'waive_fine', 'waive_interest', 'waive_fees')),
  amount_cents bigint NOT NULL CHECK (amount_cents > 0),
  granted_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX concessions_agreement_idx ON concessions (agreement_id);
