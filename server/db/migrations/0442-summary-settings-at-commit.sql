-- A settings or organisation change marks every debtor summary stale (0440), which locks every
-- summary row. Done at the statement, those locks were held for the rest of the saving
-- transaction, and every writer touching any debtor (a contact, a payment, a push) waited for the
-- owner's save to commit. As deferred constraint triggers the marking runs at the save's commit,
-- still inside its transaction (the new settings and the stale marks commit together), so writers
-- no longer wait on an open save: they wait, if at all, only for the commit's own UPDATE.
DROP TRIGGER settings_summary_all ON settings;
DROP TRIGGER organisation_summary_all ON organisation;
CREATE CONSTRAINT TRIGGER settings_summary_all AFTER INSERT OR UPDATE OR DELETE ON settings
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION quita_summary_touch_all();
CREATE CONSTRAINT TRIGGER organisation_summary_all AFTER INSERT OR UPDATE OR DELETE ON organisation
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION quita_summary_touch_all();
