import { migrate } from '../../db/migrate';
import { openDb } from '../../db/open-db';
import { envOf, parseCommandArgs, printJson, EXIT_OK, type Command } from '../command';

/** `quita migrate`: apply pending migrations and exit. */
export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'apply pending database migrations',
  help: `Usage: quita migrate

Applies pending migrations to the configured database (DATABASE_URL, or PGlite in QUITA_DATA_DIR,
default ./data) and prints {"database", "applied", "current"} as JSON. Safe to run while other
Quita processes start: an advisory lock makes them migrate one at a time. Fails if the database
was migrated by a newer version of Quita.
`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {});
    if (values.help) {
      io.stdout(this.help);
      return EXIT_OK;
    }
    const env = envOf(io);
    const db = await openDb({ databaseUrl: env.databaseUrl, dataDir: env.dataDir });
    try {
      const result = await migrate(db);
      printJson(io, { database: db.kind, ...result });
    } finally {
      await db.close();
    }
    return EXIT_OK;
  },
};
