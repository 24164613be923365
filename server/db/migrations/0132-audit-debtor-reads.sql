-- LGPD read audit (issue 13 §5): pages of the sync feed, of the day's queue, of lists and of CSV
-- exports are audited with one row per page whose `detail.debtorIds` names every debtor in it
-- (server/lgpd/read-audit.ts). The data-subject report finds the rows that name one debtor
-- through this index (jsonb `?` on the array), besides the rows about it by `entity_id`.
CREATE INDEX audit_log_debtor_ids_idx ON audit_log USING gin ((detail -> 'debtorIds'));
-- Older read rows name their debtors in `results` (search) and `matches` (lookup).
CREATE INDEX audit_log_results_idx ON audit_log USING gin ((detail -> 'results'));
CREATE INDEX audit_log_matches_idx ON audit_log USING gin ((detail -> 'matches'));
