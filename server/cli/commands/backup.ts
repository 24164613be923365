/**
 * `quita backup [FILE]` and `quita restore FILE --yes`.
 *
 * PostgreSQL (DATABASE_URL): pg_dump / pg_restore+psql run from here, servers may keep running.
 * PGlite: when a server holds the data directory (its lock file names a live process) the work
 * is asked of that server through its admin socket — it alone may touch the directory, and it
 * swaps the restored database in while serving; with no server running it is done here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Env } from '../../env';
import { openPglite } from '../../db/pglite';
import { openPostgres } from '../../db/postgres';
import { migrate } from '../../db/migrate';
import { callAdminSocket } from '../../ops/backup/admin-socket';
import {
  checkBackupFile,
  restorePgliteOffline,
  restorePostgres,
  runBackup,
  type BackupResult,
  type RestoreResult,
} from '../../ops/backup/backup-service';
import {
  envOf,
  EXIT_OK,
  parseCommandArgs,
  printJson,
  usageError,
  type CliIo,
  type Command,
} from '../command';

/** The pid of the live process holding the PGlite directory, or null. */
export function pgliteLockHolder(dataDir: string): number | null {
  const lock = `${dataDir}.lock`;
  if (!existsSync(lock)) return null;
  const pid = Number(readFileSync(lock, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}

async function backup(env: Env, file: string | undefined): Promise<BackupResult> {
  const options = {
    file,
    dir: env.ops.backupDir,
    keep: env.ops.backupKeep,
    reason: 'manual' as const,
  };
  if (env.databaseUrl) {
    const db = openPostgres(env.databaseUrl, { max: 2 });
    try {
      await migrate(db);
      return await runBackup(
        { kind: 'postgres', db, databaseUrl: env.databaseUrl, pgBin: env.ops.pgBin },
        options,
      );
    } finally {
      await db.close();
    }
  }
  if (pgliteLockHolder(env.dataDir) !== null)
    return callAdminSocket<BackupResult>(env.dataDir, '/backup', file ? { file } : {});
  if (!existsSync(env.dataDir))
    throw new Error(`não há banco em ${env.dataDir} (QUITA_DATA_DIR): nada a copiar`);
  const db = await openPglite({ dataDir: env.dataDir, sharedBuffers: env.ops.pgliteSharedBuffers });
  try {
    await migrate(db);
    return await runBackup({ kind: 'pglite', db, pglite: () => db, dataDir: env.dataDir }, options);
  } finally {
    await db.close();
  }
}

async function restore(env: Env, file: string): Promise<RestoreResult> {
  if (env.databaseUrl) {
    checkBackupFile(file, 'postgres');
    const db = openPostgres(env.databaseUrl, { max: 2 });
    try {
      return await restorePostgres(
        { kind: 'postgres', db, databaseUrl: env.databaseUrl, pgBin: env.ops.pgBin },
        file,
      );
    } finally {
      await db.close();
    }
  }
  checkBackupFile(file, 'pglite');
  if (pgliteLockHolder(env.dataDir) !== null)
    return callAdminSocket<RestoreResult>(env.dataDir, '/restore', { file });
  return restorePgliteOffline(env.dataDir, file, env.ops.pgliteSharedBuffers);
}

function fileArg(io: CliIo, positionals: string[], max: number, usage: string): string | undefined {
  if (positionals.length > max) throw usageError(`argumentos demais; uso: ${usage}`);
  return positionals[0] === undefined ? undefined : resolve(io.cwd, positionals[0]);
}

/** `quita backup [FILE]`. */
export const backupCommand: Command = {
  name: 'backup',
  summary: 'copy the whole database to a file (safe while the server runs)',
  help: `Usage: quita backup [FILE]

Writes a consistent copy of the whole database while the server keeps serving:
  - embedded database (PGlite): the data directory as a .pglite.tar.gz (asked of the running
    server through its admin socket, or made here when no server runs);
  - PostgreSQL (DATABASE_URL): a pg_dump custom-format archive (.pgdump), restorable with
    pg_restore too. Needs the PostgreSQL client (QUITA_PG_BIN to pick its directory).
Without FILE it goes to QUITA_BACKUP_DIR (./backups) as quita-<UTC time>.<ext>, and only the
newest QUITA_BACKUP_KEEP (14) of those are kept. Prints {file, bytes, database, durationMs} as JSON.
The server also makes one every day at QUITA_BACKUP_AT (03:00). Copy them to another machine.
`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {}, true);
    if (values.help) {
      io.stdout(this.help);
      return EXIT_OK;
    }
    const file = fileArg(io, positionals, 1, 'quita backup [FILE]');
    printJson(io, await backup(envOf(io), file));
    return EXIT_OK;
  },
};

/** `quita restore FILE --yes`. */
export const restoreCommand: Command = {
  name: 'restore',
  summary:
    'replace the whole database with a backup (every phone re-syncs, keeping its unsent records)',
  help: `Usage: quita restore FILE --yes

Replaces ALL the data with the backup in FILE (made by quita backup; a file of the other kind of
database is refused before anything is touched). --yes is required: there is no undo except
restoring another backup. Then:
  - a backup from an older Quita is migrated to this version;
  - the sync epoch moves forward: every phone, on its next sync, wipes its copy of the server's
    data, KEEPS its unsent records, downloads everything again and resends what the backup lacks;
  - PGlite: the previous data directory is kept beside it as <dir>.before-restore-<time>.
With a server running on the embedded database the restore is done by that server (requests wait
a few seconds while the database is swapped); on PostgreSQL it is one transaction.
Prints {file, database, epoch, migrated, durationMs} as JSON.
`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { yes: { type: 'boolean' } }, true);
    if (values.help) {
      io.stdout(this.help);
      return EXIT_OK;
    }
    const file = fileArg(io, positionals, 1, 'quita restore FILE --yes');
    if (file === undefined)
      throw usageError('diga qual arquivo restaurar: quita restore FILE --yes');
    if (!existsSync(file)) throw usageError(`arquivo não encontrado: ${file}`);
    if (!values.yes)
      throw usageError(
        'isto substitui TODOS os dados pelo conteúdo do backup; confirme repetindo com --yes',
      );
    printJson(io, await restore(envOf(io), file));
    return EXIT_OK;
  },
};
