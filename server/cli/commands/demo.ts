import { seedDemo } from '../../demo/seed-demo';
import { DEMO_PREFIX } from '../../demo/demo-portfolio';
import {
  parseCommandArgs,
  printJson,
  withDb,
  EXIT_FAILURE,
  EXIT_OK,
  type Command,
} from '../command';

/** `quita demo`: seed a realistic demo portfolio (idempotent). */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'seed a realistic demo portfolio (users, ~2,000 debtors, promises, agreements…)',
  help: `Usage: quita demo [--force]

Seeds the configured database with a demo portfolio: an owner and a staff user when the
organisation has none, three collectors, ~2,000 debtors with valid CPFs/CNPJs and Brazilian
addresses, debts at every stage (preventive, due, late, 60+ days), assignments, contacts,
visits, promises (open, kept, broken), agreements, disputes and field payments to reconcile.
Prints a JSON summary with the credentials of the users it created (shown only once).
Running it again adds nothing.
  --force   seed even when the database already holds debtors that are not demo data

Exit codes: 0 seeded, 1 the database holds real debtors (without --force) or seeding failed.
`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { force: { type: 'boolean' } });
    if (values.help) {
      io.stdout(this.help);
      return EXIT_OK;
    }
    return withDb(io, async (db) => {
      const [real] = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM debtors WHERE external_id IS NULL OR external_id NOT LIKE $1`,
        [`${DEMO_PREFIX}%`],
      );
      if ((real?.n ?? 0) > 0 && !values.force) {
        io.stderr(
          `quita demo: o banco já tem ${real?.n} devedores que não são de demonstração; use --force para gerar os dados mesmo assim\n`,
        );
        return EXIT_FAILURE;
      }
      const summary = await seedDemo(db, {
        now: new Date(),
        log: (line) => io.stderr(`${line}\n`),
      });
      printJson(io, summary);
      return EXIT_OK;
    });
  },
};
