import { todayIn } from '#shared/time/calendar-date';
import { anonymiseEligible, eligibleForAnonymisation } from '../../lgpd/anonymise';
import { loadLedgerSettings } from '../../ledger/settings';
import { parseCommandArgs, printJson, usageError, withDb, EXIT_OK, type Command } from '../command';

/** `quita lgpd anonymise [--dry-run]`: the retention rule, for a daily cron. */
export const lgpdAnonymiseCommand: Command = {
  name: 'lgpd anonymise',
  summary: 'anonymise debtors whose debts are settled and whose retention period has passed',
  help: `Usage: quita lgpd anonymise [--dry-run] [--limit N]

Anonymises every debtor whose debts are all settled or cancelled, with nothing pending (open
dispute, agreement, payment to reconcile, negativação or protesto not removed) and whose last debt
closed at least the organisation's retention period ago (Ajustes; 1825 days = 5 years by default).
Names, documents, addresses, phones, e-mails and free texts are erased; amounts and dates stay, so
every ledger total is the same. Meant for a daily cron. Prints {retentionDays, anonymised:[ids]}
(or, with --dry-run, the eligible debtors) as JSON.
  --dry-run   list who would be anonymised, change nothing
  --limit N   at most N debtors in this run (default 500)
Environment: DATABASE_URL or QUITA_DATA_DIR, as for 'quita serve'.
Exit codes: 0 ok, 2 bad usage.
`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      'dry-run': { type: 'boolean' },
      limit: { type: 'string' },
    });
    if (values.help) {
      io.stdout(this.help);
      return EXIT_OK;
    }
    const limit = values.limit === undefined ? 500 : Number(values.limit);
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > 100_000)
      throw usageError(`--limit: esperado um número inteiro de 1 a 100000`);
    return withDb(io, async (db) => {
      const now = new Date();
      const today = todayIn(now.getTime(), (await loadLedgerSettings(db)).timeZone);
      if (values['dry-run']) printJson(io, await eligibleForAnonymisation(db, today, limit));
      else
        printJson(io, await anonymiseEligible(db, { today, now, actor: null, ip: 'cli', limit }));
      return EXIT_OK;
    });
  },
};
