-- How a confirmed bank credit entered the ledger, so an undo takes back exactly that:
-- 'record' (new payment rows, reversed on undo), 'report' (a collector's pending report confirmed
-- with the credit, back to pending on undo), 'link' (a payment the office had already recorded,
-- only unlinked on undo).
ALTER TABLE bank_credits ADD COLUMN confirmed_as text CHECK (confirmed_as IN ('record', 'report', 'link'));
ALTER TABLE bank_credits ADD CONSTRAINT bank_credits_confirmed_as_consistent
  CHECK ((status IN ('auto_confirmed', 'confirmed')) = (confirmed_as IS NOT NULL));
