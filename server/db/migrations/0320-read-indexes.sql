-- Indexes for the office's set-based reads (server/ledger/portfolio.repo.ts, the cadence queue):
-- money received in a month, confirmed payments by the debt they pay (balances of overdue debts,
-- the queue's "payments of open debts"), and promises still open.
CREATE INDEX payments_confirmed_paid_on_idx ON payments (paid_on) WHERE status = 'confirmed';
CREATE INDEX payments_confirmed_debt_idx ON payments (debt_id) WHERE status = 'confirmed';
CREATE INDEX promises_open_debtor_idx ON promises (debtor_id) WHERE status = 'open';
