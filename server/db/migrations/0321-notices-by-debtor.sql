-- The cadence queue and a debtor's facts read notices by debtor (server/cadence/queue.ts,
-- server/debtors/story.repo.ts); only debt_id was indexed, so each page scanned the table.
CREATE INDEX notices_debtor_idx ON notices (debtor_id, sent_on);
