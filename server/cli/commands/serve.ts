import { startServer } from '../../main';
import { envOf, parseCommandArgs, usageError, EXIT_OK, type Command } from '../command';

/** `quita serve`: run the server until SIGTERM/SIGINT. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'start the server (API under /api) on the configured database',
  help: `Usage: quita serve [--port N] [--host ADDRESS]

Starts Quita: applies pending migrations, creates the first owner from QUITA_OWNER_EMAIL and
QUITA_OWNER_PASSWORD (or prints a one-time setup link) and serves HTTP until SIGTERM or Ctrl-C,
then finishes in-flight requests and closes the database.

Options:
  --port N          port to listen on (default: PORT or 8787; 0 picks a free port)
  --host ADDRESS    address to bind (default: HOST or 127.0.0.1; 0.0.0.0 for the local network)

Environment: DATABASE_URL (PostgreSQL; otherwise embedded PGlite in QUITA_DATA_DIR, default ./data),
PORT, HOST, QUITA_OWNER_EMAIL, QUITA_OWNER_PASSWORD, QUITA_OWNER_NAME, QUITA_PUBLIC_URL,
QUITA_TRUST_PROXY=1 (behind a reverse proxy).
`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      port: { type: 'string' },
      host: { type: 'string' },
    });
    if (values.help) {
      io.stdout(this.help);
      return EXIT_OK;
    }
    const env = envOf(io);
    if (values.port !== undefined) {
      if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65_535)
        throw usageError(
          `--port: esperado um número de porta; recebido ${JSON.stringify(values.port)}`,
        );
      env.port = Number(values.port);
    }
    if (values.host !== undefined) env.host = values.host;
    const server = await startServer(env, (line) => io.stdout(`${line}\n`));
    await new Promise<void>((resolve) => {
      process.once('SIGTERM', resolve);
      process.once('SIGINT', resolve);
    });
    io.stdout('quita: shutting down\n');
    await server.close();
    io.stdout('quita: stopped\n');
    return EXIT_OK;
  },
};
