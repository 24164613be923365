-- The portfolio reads debtor_summaries alone (server/ledger/portfolio.repo.ts): each row also
-- carries whether its debtor is live (not merged into another) and its current collector, both
-- as of the row's derivation (assignments and debtors are in 0440's trigger list, so a change to
-- either marks the row stale). Every debtor gets a row, those written before 0440 too (stale,
-- derived by the first reader or the summary job).
ALTER TABLE debtor_summaries
  ADD COLUMN live boolean NOT NULL DEFAULT true,
  ADD COLUMN collector_id uuid;
INSERT INTO debtor_summaries (debtor_id) SELECT id FROM debtors ON CONFLICT (debtor_id) DO NOTHING;
