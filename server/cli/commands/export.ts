import { createWriteStream, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { once } from 'node:events';
import { portfolioCsv } from '../../export/portfolio-export';
import { queueCsv } from '../../export/queue-export';
import { parseCommandArgs, usageError, withDb, EXIT_OK, type Command } from '../command';

const WHAT = ['portfolio', 'queue'] as const;

/** `quita export portfolio|queue [--out FILE]`: the same CSV files as GET /api/export/*.csv. */
export const exportCommand: Command = {
  name: 'export',
  summary: "the portfolio or today's queue as a CSV for Excel (same as the app's export)",
  help: `Usage: quita export portfolio|queue [--out FILE]

Writes the CSV the owner's app downloads: UTF-8 with BOM, ';' between cells, amounts as 1234,56
and dates as DD/MM/AAAA, cells that could run as a spreadsheet formula neutralised.
  portfolio  one line per debt with its debtor and the itemised balance as of today; the first
             columns are the import's, so the file can be edited and imported back
  queue      today's queue as the owner sees it (steps, channels, messages, PIX)
Streams in chunks (a 100,000-debtor portfolio is not held in memory). Every chunk is written to
the audit log as read by the system (LGPD).
  --out FILE  write to FILE instead of standard output
Environment: DATABASE_URL or QUITA_DATA_DIR, as for 'quita serve'.
Exit codes: 0 written, 1 failed, 2 bad usage.
`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { out: { type: 'string' } }, true);
    if (values.help) {
      io.stdout(this.help);
      return EXIT_OK;
    }
    const what = positionals[0];
    if (positionals.length !== 1 || !WHAT.includes(what as (typeof WHAT)[number]))
      throw usageError('informe o que exportar: portfolio ou queue');
    const out = values.out === undefined ? undefined : resolve(io.cwd, values.out);
    if (out !== undefined && (!existsSync(dirname(out)) || !statSync(dirname(out)).isDirectory()))
      throw usageError(`--out: a pasta ${dirname(out)} não existe`);
    return withDb(io, async (db) => {
      const now = new Date();
      const chunks =
        what === 'portfolio'
          ? portfolioCsv(db, { now, actor: null, ip: 'cli' })
          : queueCsv(db, { now, role: 'owner', actor: null, ip: 'cli' });
      if (out === undefined) {
        for await (const chunk of chunks) io.stdout(chunk);
        return EXIT_OK;
      }
      const file = createWriteStream(out);
      for await (const chunk of chunks) if (!file.write(chunk)) await once(file, 'drain');
      file.end();
      await once(file, 'finish');
      return EXIT_OK;
    });
  },
};
