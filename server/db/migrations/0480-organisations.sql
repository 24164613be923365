-- Many organisations in one database (issue 17, server/db/README.md): every row carries the
-- organisation it belongs to, and PostgreSQL's row-level security keeps each connection to the
-- organisation it set (`quita.org_id`), whatever a query forgets to filter.
--
-- Rules:
-- - `organisations` is the registry of tenants. Today's single-business deployments have one, the
--   default organisation 1, and every existing row belongs to it.
-- - Every table of schema public has `org_id bigint NOT NULL`, defaulting to the connection's
--   organisation, and the policy `org_isolation`: a row is seen, updated, deleted and written only
--   when its org_id is the connection's. RLS is FORCEd, so the role owning the tables is subject
--   too; only superusers and BYPASSRLS roles skip it, and the server must run as neither.
-- - The exceptions are named in test/org-isolation.test.ts with their reason (the migrations'
--   bookkeeping, the deployment's backup records).
-- - A connection without `quita.org_id` cannot read or write any of these tables: the setting is
--   required (current_setting without missing_ok raises), it never falls back to a default.
-- - Keys a business chooses (settings keys, e-mails, external ids, FITIDs, chat keys, column maps,
--   onboarding steps, the singleton rows) become unique per organisation here. Generated ids
--   (uuid primary keys, token hashes, PIX txids) stay unique across the database until the Citus
--   step widens every key and foreign key with org_id.
-- - A table created by a later migration calls `SELECT quita_org_scope('the_table')`.

CREATE TABLE organisations (
  id bigint PRIMARY KEY CHECK (id > 0),
  name text NOT NULL CHECK (btrim(name) <> ''),
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO organisations (id, name) VALUES (1, 'Organização padrão');

-- The registry answers each organisation only about itself.
ALTER TABLE organisations ENABLE ROW LEVEL SECURITY;
ALTER TABLE organisations FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON organisations
  USING (id = current_setting('quita.org_id')::bigint)
  WITH CHECK (id = current_setting('quita.org_id')::bigint);

-- Puts a table under its organisation: the column (existing rows: the default organisation; a
-- constant default adds the column without rewriting the table), the connection's organisation
-- as the default for new rows, and the forced policy. Idempotent.
CREATE FUNCTION quita_org_scope(t regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ADD COLUMN IF NOT EXISTS org_id bigint NOT NULL DEFAULT 1', t);
  EXECUTE format(
    'ALTER TABLE %s ALTER COLUMN org_id SET DEFAULT current_setting(''quita.org_id'')::bigint', t);
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', t);
  EXECUTE format('DROP POLICY IF EXISTS org_isolation ON %s', t);
  EXECUTE format(
    'CREATE POLICY org_isolation ON %s
       USING (org_id = current_setting(''quita.org_id'')::bigint)
       WITH CHECK (org_id = current_setting(''quita.org_id'')::bigint)', t);
END
$$;

DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT c.oid::regclass AS t FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
             AND c.relname NOT IN ('schema_migrations', 'organisations',
                                   'ops_backups', 'ops_backup_schedule')
           ORDER BY c.relname
  LOOP
    PERFORM quita_org_scope(r.t);
  END LOOP;
END
$$;

-- Singleton rows become one per organisation.
ALTER TABLE organisation DROP CONSTRAINT organisation_pkey;
ALTER TABLE organisation ADD PRIMARY KEY (org_id);
ALTER TABLE sync_state DROP CONSTRAINT sync_state_pkey;
ALTER TABLE sync_state ADD PRIMARY KEY (org_id);

-- Keys a business chooses are unique within its organisation.
ALTER TABLE settings DROP CONSTRAINT settings_pkey;
ALTER TABLE settings ADD PRIMARY KEY (org_id, key);
ALTER TABLE onboarding_steps DROP CONSTRAINT onboarding_steps_pkey;
ALTER TABLE onboarding_steps ADD PRIMARY KEY (org_id, step);
ALTER TABLE import_column_maps DROP CONSTRAINT import_column_maps_pkey;
ALTER TABLE import_column_maps ADD PRIMARY KEY (org_id, signature);
ALTER TABLE bank_credits DROP CONSTRAINT bank_credits_account_key_fitid_key;
ALTER TABLE bank_credits ADD CONSTRAINT bank_credits_account_key_fitid_key
  UNIQUE (org_id, account_key, fitid);
DROP INDEX users_email_key;
CREATE UNIQUE INDEX users_email_key ON users (org_id, email);
DROP INDEX debtors_external_id_key;
CREATE UNIQUE INDEX debtors_external_id_key ON debtors (org_id, external_id)
  WHERE external_id IS NOT NULL;
DROP INDEX debts_external_id_key;
CREATE UNIQUE INDEX debts_external_id_key ON debts (org_id, external_id)
  WHERE external_id IS NOT NULL;
DROP INDEX chat_identities_live_key;
CREATE UNIQUE INDEX chat_identities_live_key ON chat_identities (org_id, chat_key_hash)
  WHERE revoked_at IS NULL;
