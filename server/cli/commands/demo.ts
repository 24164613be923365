import { DEMO_DEBTORS_DEFAULT } from '#shared/onboarding/onboarding.schema';
import { seedDemo } from '../../demo/seed-demo';
import { DEMO_PREFIX } from '../../demo/demo-portfolio';
import { callAdminSocket } from '../../ops/backup/admin-socket';
import {
  envOf,
  parseCommandArgs,
  printJson,
  usageError,
  withDb,
  EXIT_FAILURE,
  EXIT_OK,
  type CliIo,
  type Command,
} from '../command';
import { pgliteLockHolder } from './backup';

const AFTER =
  'quita demo: pronto. No app, como proprietário, cada cobrador de exemplo tem um QR para entrar no celular (Pessoas ou Primeiros passos).\n';

/** Loads the demo through the server that holds the embedded database (its admin socket). */
async function throughServer(
  io: CliIo,
  dataDir: string,
  pid: number,
  body: { debtors?: number; force?: boolean },
): Promise<number> {
  io.stderr(
    `quita demo: o servidor (processo ${pid}) está usando ${dataDir}; carregando os dados por ele…\n`,
  );
  try {
    printJson(io, await callAdminSocket(dataDir, '/demo', body));
  } catch (error) {
    io.stderr(`quita demo: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILURE;
  }
  io.stderr(AFTER);
  return EXIT_OK;
}

/** `quita demo`: seed a realistic demo portfolio (idempotent). */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'seed a realistic demo portfolio (users, ~2,000 debtors, promises, agreements…)',
  help: `Usage: quita demo [--force] [--debtors N]

Seeds a demo portfolio: the creditor identity and a test PIX key (pix@quita.demo, a key no bank
can hold) when they are unset, an owner and a staff user when the organisation has none, three
collectors, ~2,000 debtors with valid CPFs/CNPJs and Brazilian addresses, debts at every stage
(preventive, due, late, 60+ days), assignments, contacts, visits, promises (open, kept, broken),
agreements, disputes and field payments to reconcile.

Works with the server running: when a server holds the embedded database (QUITA_DATA_DIR), the
demo is loaded through it; otherwise the database is opened directly. Prints a JSON summary with
the passwords of the users it created (only here); in the app the owner signs each collector's
phone in by QR code. Running it again adds nothing.
  --force        seed even when the database already holds debtors that are not demo data
  --debtors N    how many demo debtors (10–5000; default QUITA_DEMO_DEBTORS or 2000)

Exit codes: 0 seeded, 1 the database holds real debtors (without --force) or seeding failed.
`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      force: { type: 'boolean' },
      debtors: { type: 'string' },
    });
    if (values.help) {
      io.stdout(this.help);
      return EXIT_OK;
    }
    let debtors: number | undefined;
    if (values.debtors !== undefined) {
      debtors = Number(values.debtors);
      if (!/^\d{2,4}$/.test(values.debtors) || debtors < 10 || debtors > 5000)
        throw usageError(
          `--debtors: esperado um número de 10 a 5000; recebido ${JSON.stringify(values.debtors)}`,
        );
    }
    const env = envOf(io);
    const holder = env.databaseUrl ? null : pgliteLockHolder(env.dataDir);
    if (holder !== null)
      return throughServer(io, env.dataDir, holder, {
        ...(debtors === undefined ? {} : { debtors }),
        ...(values.force ? { force: true } : {}),
      });
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
        debtors: debtors ?? env.demoDebtors ?? DEMO_DEBTORS_DEFAULT,
        log: (line) => io.stderr(`${line}\n`),
      });
      printJson(io, summary);
      io.stderr(AFTER);
      return EXIT_OK;
    });
  },
};
