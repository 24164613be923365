import * as v from 'valibot';
import { ChannelSchema } from '#shared/templates/template.schema';
import { cadenceToday, type TodayPage } from '../../cadence/today';
import { MAX_PAGE_DEBTORS } from '../../cadence/queue-page';
import { loadSettings } from '../../settings/settings.repo';
import { parseCommandArgs, printJson, usageError, withDb, EXIT_OK, type Command } from '../command';

/** `quita cadence today`: the owner's view of today's queue, as `GET /api/cadence/today` computes it. */
export const cadenceTodayCommand: Command = {
  name: 'cadence today',
  summary: "today's work queue (owner view: messages, visits, automatic e-mails, escalations)",
  help: `Usage: quita cadence today [--channel CHANNEL] [--limit N] [--now ISO]

Prints the day's queue as JSON, as GET /api/cadence/today answers an owner, with each item's
message and PIX code rendered as GET /api/cadence/today/:debtorId renders them: every step due
today, the send-time guard's verdict, outbox task status for automatic e-mails, and the
escalations awaiting a decision. Walks every page unless --limit is given.

Options:
  --channel CHANNEL  only sms, whatsapp, email or visit
  --limit N          only the first N debtors with open debts (1–${MAX_PAGE_DEBTORS})
  --now ISO          compute as of this instant instead of now (what-if)
Environment: DATABASE_URL or QUITA_DATA_DIR, as for 'quita serve'.
Exit codes: 0 ok, 2 bad option.
`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      channel: { type: 'string' },
      limit: { type: 'string' },
      now: { type: 'string' },
    });
    if (values.help) {
      io.stdout(this.help);
      return EXIT_OK;
    }
    const channel =
      values.channel === undefined ? undefined : v.safeParse(ChannelSchema, values.channel);
    if (channel && !channel.success)
      throw usageError(
        `--channel: esperado sms, whatsapp, email ou visit; recebido ${JSON.stringify(values.channel)}`,
      );
    let limit: number | undefined;
    if (values.limit !== undefined) {
      limit = Number(values.limit);
      if (!/^\d+$/.test(values.limit) || limit < 1 || limit > MAX_PAGE_DEBTORS)
        throw usageError(
          `--limit: esperado um número inteiro de 1 a ${MAX_PAGE_DEBTORS}; recebido ${JSON.stringify(values.limit)}`,
        );
    }
    const now = values.now === undefined ? new Date() : new Date(values.now);
    if (
      Number.isNaN(now.getTime()) ||
      (values.now !== undefined && !/^\d{4}-\d{2}-\d{2}T/.test(values.now))
    )
      throw usageError(
        `--now: esperado um instante ISO, como 2025-03-10T12:00:00Z; recebido ${JSON.stringify(values.now)}`,
      );
    return withDb(io, async (db) => {
      const settings = await loadSettings(db);
      const base = {
        role: 'owner' as const,
        userId: null,
        settings,
        withMessages: true,
        ...(channel?.success ? { channel: channel.output } : {}),
      };
      const first = await cadenceToday(db, now, { ...base, limit: limit ?? 1000 });
      const out: TodayPage = { ...first };
      let cursor = limit === undefined ? first.nextCursor : null;
      while (cursor !== null) {
        const page = await cadenceToday(db, now, { ...base, limit: 1000, cursor });
        out.items.push(...page.items);
        out.scanned += page.scanned;
        cursor = page.nextCursor;
      }
      out.nextCursor = limit === undefined ? null : first.nextCursor;
      printJson(io, out);
      return EXIT_OK;
    });
  },
};
