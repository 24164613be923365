-- Each debtor's derived figures as of a day (server/ledger/summaries.ts), so the owner's portfolio
-- is one grouped query and a search page one statement without deriving every row's state.
--
-- The values are computed in Node by the shared rules (balanceOn, promise status, the régua's
-- plan; one rule, one place) and only trusted when the row is fresh: `stale` false, `as_of` the
-- reader's day. Every write to a table the derivation reads marks its debtors stale and bumps
-- `gen` (statement-level triggers below: every writer, whatever its path — API, sync push,
-- import, reconciliation, anonymisation, merge, raw SQL); a settings change marks every row.
-- A refresher reads `gen` in the same statement as the facts and writes back only while `gen`
-- is unchanged, so a write committed meanwhile leaves the row stale instead of wrongly fresh.
CREATE TABLE debtor_summaries (
  debtor_id uuid PRIMARY KEY,
  gen bigint NOT NULL DEFAULT 1,
  stale boolean NOT NULL DEFAULT true,
  as_of date,
  status text,
  stage text,
  total_due bigint NOT NULL DEFAULT 0,
  days_overdue integer NOT NULL DEFAULT 0,
  -- Open debts past their due date that still owe: their sum, and by aging bucket
  -- (0-30, 31-60, 61-90, 90+ days): amounts and how many debts.
  overdue_cents bigint NOT NULL DEFAULT 0,
  aging_cents bigint[] NOT NULL DEFAULT '{0,0,0,0}',
  aging_debts integer[] NOT NULL DEFAULT '{0,0,0,0}',
  promises_kept integer NOT NULL DEFAULT 0,
  promises_broken integer NOT NULL DEFAULT 0,
  promises_active integer NOT NULL DEFAULT 0,
  refreshed_at timestamptz
);
CREATE INDEX debtor_summaries_stale_idx ON debtor_summaries (debtor_id) WHERE stale;

-- Marks debtors stale (a row is created for a debtor not summarised yet).
CREATE FUNCTION quita_summary_mark(ids uuid[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO debtor_summaries (debtor_id)
  SELECT DISTINCT x FROM unnest(ids) AS x WHERE x IS NOT NULL ORDER BY 1
  ON CONFLICT (debtor_id) DO UPDATE SET gen = debtor_summaries.gen + 1, stale = true
$$;

-- Statement-level: one upsert per statement, whatever its row count. TG_ARGV[0] says where the
-- debtor is: 'id' (debtors), 'agreement' (agreement_debts, through its agreement), else debtor_id.
CREATE FUNCTION quita_summary_touch() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
BEGIN
  IF TG_ARGV[0] = 'id' THEN
    IF TG_OP = 'INSERT' THEN
      ids := ARRAY(SELECT id FROM n);
    ELSIF TG_OP = 'DELETE' THEN
      ids := ARRAY(SELECT id FROM o);
    ELSE
      ids := ARRAY(SELECT id FROM n UNION SELECT id FROM o);
    END IF;
  ELSIF TG_ARGV[0] = 'agreement' THEN
    IF TG_OP = 'INSERT' THEN
      ids := ARRAY(SELECT a.debtor_id FROM n JOIN agreements a ON a.id = n.agreement_id);
    ELSIF TG_OP = 'DELETE' THEN
      ids := ARRAY(SELECT a.debtor_id FROM o JOIN agreements a ON a.id = o.agreement_id);
    ELSE
      ids := ARRAY(SELECT a.debtor_id FROM n JOIN agreements a ON a.id = n.agreement_id
                   UNION SELECT a.debtor_id FROM o JOIN agreements a ON a.id = o.agreement_id);
    END IF;
  ELSE
    IF TG_OP = 'INSERT' THEN
      ids := ARRAY(SELECT debtor_id FROM n);
    ELSIF TG_OP = 'DELETE' THEN
      ids := ARRAY(SELECT debtor_id FROM o);
    ELSE
      ids := ARRAY(SELECT debtor_id FROM n UNION SELECT debtor_id FROM o);
    END IF;
  END IF;
  IF cardinality(ids) > 0 THEN
    PERFORM quita_summary_mark(ids);
  END IF;
  RETURN NULL;
END
$$;

-- Every table the derived state reads (server/ledger/debtor-state.ts debtorState), one trigger
-- per event (a trigger with transition tables takes one event).
DO $$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT * FROM (VALUES
      ('debtors', 'id'), ('debts', 'debtor_id'), ('payments', 'debtor_id'),
      ('promises', 'debtor_id'), ('agreements', 'debtor_id'), ('installments', 'debtor_id'),
      ('agreement_debts', 'agreement'), ('disputes', 'debtor_id'), ('notices', 'debtor_id'),
      ('escalations', 'debtor_id'), ('contact_log', 'debtor_id'), ('assignments', 'debtor_id')
    ) AS v(tbl, arg)
  LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS n
                    FOR EACH STATEMENT EXECUTE FUNCTION quita_summary_touch(%L)',
                   t.tbl || '_summary_ins', t.tbl, t.arg);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS o NEW TABLE AS n
                    FOR EACH STATEMENT EXECUTE FUNCTION quita_summary_touch(%L)',
                   t.tbl || '_summary_upd', t.tbl, t.arg);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS o
                    FOR EACH STATEMENT EXECUTE FUNCTION quita_summary_touch(%L)',
                   t.tbl || '_summary_del', t.tbl, t.arg);
  END LOOP;
END
$$;

-- The régua, fines, interest, holidays and the organisation's zone and state change every
-- debtor's derivation: every row goes stale.
CREATE FUNCTION quita_summary_touch_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE debtor_summaries SET gen = gen + 1, stale = true;
  RETURN NULL;
END
$$;
CREATE TRIGGER settings_summary_all AFTER INSERT OR UPDATE OR DELETE ON settings
  FOR EACH STATEMENT EXECUTE FUNCTION quita_summary_touch_all();
CREATE TRIGGER organisation_summary_all AFTER INSERT OR UPDATE OR DELETE ON organisation
  FOR EACH STATEMENT EXECUTE FUNCTION quita_summary_touch_all();
