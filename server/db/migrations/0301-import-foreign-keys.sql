-- contact_point_keys.debtor_id repeats the debtor of its contact point (contact_point_id, which
-- keeps its foreign key and cascade): every key row an import writes paid a second foreign-key
-- check for a fact the first one already implies (issue 17). The writers (the ledger's contact
-- point helpers and the importer) copy debtor_id from the contact point row they insert.
ALTER TABLE contact_point_keys DROP CONSTRAINT IF EXISTS contact_point_keys_debtor_id_fkey;
