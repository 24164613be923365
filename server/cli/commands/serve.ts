import { resolve } from 'node:path';
import { startServer } from '../../main';
import { createLogger } from '../../ops/logger';
import { envOf, parseCommandArgs, usageError, EXIT_OK, type Command } from '../command';

/** `quita serve`: run the server until SIGTERM/SIGINT. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'start the server (API under /api) on the configured database',
  help: `Usage: quita serve [--port N] [--host ADDRESS] [--tls-cert FILE --tls-key FILE]

Starts Quita: applies pending migrations, creates the first owner from QUITA_OWNER_EMAIL and
QUITA_OWNER_PASSWORD (or prints a one-time setup link) and serves HTTP until SIGTERM or Ctrl-C,
then finishes in-flight requests and closes the database. Logs are JSON lines on stdout (short
human lines on a terminal), without personal data.

Options:
  --port N          port to listen on (default: PORT or 8787; 0 picks a free port)
  --host ADDRESS    address to bind (default: HOST or 127.0.0.1; 0.0.0.0 for the local network)
  --tls-cert FILE   serve HTTPS with this PEM certificate chain (with --tls-key); phones need
                    HTTPS. Behind Caddy (server/deploy/) leave it out and set QUITA_TRUSTED_PROXIES
  --tls-key FILE    the PEM private key of --tls-cert

Environment: DATABASE_URL (PostgreSQL; otherwise embedded PGlite in QUITA_DATA_DIR, default ./data),
PORT, HOST, QUITA_OWNER_EMAIL, QUITA_OWNER_PASSWORD, QUITA_OWNER_NAME, QUITA_PUBLIC_URL,
QUITA_TRUSTED_PROXIES (addresses/CIDRs of your reverse proxy, e.g. 127.0.0.1), QUITA_TLS_CERT,
QUITA_TLS_KEY, QUITA_METRICS_TOKEN, QUITA_LOG_LEVEL, QUITA_LOG_FORMAT (json|pretty),
QUITA_BACKUP_DIR (./backups), QUITA_BACKUP_AT (03:00 or off), QUITA_BACKUP_KEEP (14),
QUITA_PGLITE_SHARED_BUFFERS (32MB), SMTP_URL, QUITA_MAIL_FROM.
`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      port: { type: 'string' },
      host: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
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
    const cert = values['tls-cert'];
    const key = values['tls-key'];
    if ((cert === undefined) !== (key === undefined))
      throw usageError('--tls-cert e --tls-key vão juntos: passe os dois arquivos PEM');
    if (cert !== undefined && key !== undefined)
      env.ops.tls = { certFile: resolve(io.cwd, cert), keyFile: resolve(io.cwd, key) };
    const logger = createLogger({
      level: env.ops.logLevel,
      format: env.ops.logFormat,
      out: { write: (text) => io.stdout(text), isTTY: process.stdout.isTTY === true },
    });
    const server = await startServer(env, logger);
    await new Promise<void>((resolve) => {
      process.once('SIGTERM', resolve);
      process.once('SIGINT', resolve);
    });
    logger.info('shutting down');
    await server.close();
    logger.info('stopped');
    return EXIT_OK;
  },
};
