-- debtors_name_idx (lower(name)) is a prefix of debtors_name_id_idx (lower(name), id): every
-- lookup it serves the second serves too, and each debtor written (an import writes thousands)
-- paid for both (issue 17).
DROP INDEX IF EXISTS debtors_name_idx;
