-- Two indexes that every imported row paid for and no query reads (issue 17; each checked with
-- EXPLAIN, test/import-indexes.test.ts):
-- - debtors_name_id_idx (lower(name), id): the debtor list it was made for (0010) now pages by
--   (quita_fold(name), id) through debtors_fold_name_id_idx (0110, the search); the one query left
--   ordering by lower(name), the assignments list, orders by collector first and sorts its page.
-- - contact_points_match_idx (kind, match_key): lookups by phone or e-mail go through
--   contact_point_keys (0010: every key of a value, contact_point_keys_key_idx); nothing filters
--   on contact_points.match_key. The column stays (written as before; an unindexed text column).
-- No constraint is dropped: neither index was unique.
DROP INDEX IF EXISTS debtors_name_id_idx;
DROP INDEX IF EXISTS contact_points_match_idx;
