-- What the importer last wrote for each debt (issue 17): the hash of the raw CSV row it came from
-- (with the column layout it was read with), the versions of the debt and of its debtor right
-- after that import, and the contact points the row stood for. A re-import skips a row, before
-- checking it, when its raw hash is the same and none of these changed since (import-skip.ts).
--
-- No foreign key: the row is only ever read joined to its debt (a debt deleted or re-created
-- with a new id simply has no state, so its row is applied in full), and each import writes one
-- state row per debt, where a foreign key check per row is a cost the issue measured.
CREATE TABLE debt_import_state (
  debt_id uuid PRIMARY KEY,
  row_hash text NOT NULL,
  debt_version integer NOT NULL,
  debtor_version integer NOT NULL,
  contact_point_ids uuid[] NOT NULL DEFAULT '{}'
);

-- Under its organisation like every table (migration 0480): on a fresh database 0480 runs after
-- this file and scopes the table itself; on one that already has 0480 this file runs after it.
DO $$
BEGIN
  IF to_regprocedure('quita_org_scope(regclass)') IS NOT NULL THEN
    PERFORM quita_org_scope('debt_import_state');
  END IF;
END
$$;
