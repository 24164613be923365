/**
 * PostgreSQL backups through the standard client tools, so a backup is exactly what a DBA
 * expects and can restore by hand:
 *
 *   backup:  pg_dump --format=custom --file=FILE   (a consistent snapshot; the server keeps serving)
 *   restore: pg_restore --file=- FILE | psql --single-transaction
 *            with, in that same transaction, first the removal of every object of the schema
 *            `public` (so tables added by newer migrations do not survive) and last the feed
 *            epoch bump, so no phone ever pulls from the restored feed with a cursor of the old one.
 *
 * The password never goes on a command line (visible in `ps`): it is passed as PGPASSWORD.
 * QUITA_PG_BIN picks the directory of the tools (their major version must be at least the
 * server's); by default the ones on PATH.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DEFAULT_ORG_ID, ORG_SETTING, orgSettingValue } from '../../db/org';

/** Removes every table, view, sequence, routine and type of schema public that we may drop. */
export const EMPTY_PUBLIC_SCHEMA = `DO $quita$
DECLARE r record;
BEGIN
  FOR r IN SELECT format('%I.%I', n.nspname, c.relname) AS name, c.relkind FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S')
             AND pg_has_role(c.relowner, 'USAGE')
           ORDER BY c.relkind = 'S', c.oid
  LOOP
    EXECUTE format('DROP %s IF EXISTS %s CASCADE',
      CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
        WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, r.name);
  END LOOP;
  FOR r IN SELECT p.oid::regprocedure::text AS name FROM pg_proc p
           JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = 'public' AND pg_has_role(p.proowner, 'USAGE')
  LOOP
    EXECUTE format('DROP ROUTINE IF EXISTS %s CASCADE', r.name);
  END LOOP;
  FOR r IN SELECT t.oid::regtype::text AS name, t.typtype FROM pg_type t
           JOIN pg_namespace n ON n.oid = t.typnamespace
           WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd', 'r', 'c', 'm')
             AND (t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
             AND pg_has_role(t.typowner, 'USAGE')
  LOOP
    EXECUTE format('DROP %s IF EXISTS %s CASCADE',
      CASE r.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, r.name);
  END LOOP;
END $quita$;`;

/** A connection URL without its password, and the password apart. */
export function splitPassword(url: string): { url: string; password: string | undefined } {
  const parsed = new URL(url);
  const password = parsed.password === '' ? undefined : decodeURIComponent(parsed.password);
  parsed.password = '';
  return { url: parsed.toString(), password };
}

/** The line of a tool's stderr that says what went wrong (ERROR:/FATAL: first). */
function errorLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return lines.find((l) => /\b(ERROR|FATAL|error):/.test(l)) ?? lines.at(-1) ?? 'sem mensagem';
}

function tool(pgBin: string | undefined, name: string): string {
  return pgBin ? join(pgBin, name) : name;
}

function toolEnv(password: string | undefined): NodeJS.ProcessEnv {
  // The tools work for the server's organisation: under row-level security (FORCEd, so the
  // tables' owning role is subject too) pg_dump reads, and the restore's statements write, only
  // rows of the organisation set here (server/db/org.ts).
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PGCONNECT_TIMEOUT: '10',
    PGOPTIONS: `-c ${ORG_SETTING}=${orgSettingValue(DEFAULT_ORG_ID)}`,
  };
  delete env['PGPASSWORD'];
  if (password !== undefined) env['PGPASSWORD'] = password;
  return env;
}

/** Runs a tool to completion; rejects with its last stderr line. */
function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  stdin?: NodeJS.ReadableStream,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env,
      stdio: [stdin ? 'pipe' : 'ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    if (stdin && child.stdin) stdin.pipe(child.stdin);
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new Error(
              `${command} não encontrado: instale o cliente do PostgreSQL ou defina QUITA_PG_BIN`,
            )
          : error,
      ),
    );
    child.once('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} falhou (${code}): ${errorLine(stderr)}`));
    });
  });
}

/** `pg_dump --format=custom` of `databaseUrl` into `file`. */
export async function pgDump(databaseUrl: string, file: string, pgBin?: string): Promise<void> {
  const { url, password } = splitPassword(databaseUrl);
  await run(
    tool(pgBin, 'pg_dump'),
    // --enable-row-security: as the (non-superuser) role owning the tables, pg_dump would refuse
    // tables under a FORCEd policy instead of reading them through it.
    [
      '--format=custom',
      '--no-owner',
      '--no-privileges',
      '--enable-row-security',
      `--file=${file}`,
      `--dbname=${url}`,
    ],
    toolEnv(password),
  );
}

/**
 * Replaces the database's contents with the archive `file`, in ONE transaction that also sets
 * the feed epoch above both the restored one and `liveEpoch` (the epoch before the restore).
 */
export async function pgRestore(
  databaseUrl: string,
  file: string,
  liveEpoch: number,
  pgBin?: string,
): Promise<void> {
  const { url, password } = splitPassword(databaseUrl);
  const env = toolEnv(password);
  const sql = spawn(
    tool(pgBin, 'pg_restore'),
    ['--no-owner', '--no-privileges', '--file=-', file],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let restoreErr = '';
  sql.stderr.on('data', (chunk: Buffer) => (restoreErr += chunk.toString()));
  const produced = new Promise<void>((resolve, reject) => {
    sql.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new Error(
              'pg_restore não encontrado: instale o cliente do PostgreSQL ou defina QUITA_PG_BIN',
            )
          : error,
      ),
    );
    sql.once('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`pg_restore falhou (${code}): ${errorLine(restoreErr)}`)),
    );
  });
  const applied = run(
    tool(pgBin, 'psql'),
    [
      '--no-psqlrc',
      '--quiet',
      '--single-transaction',
      '--set=ON_ERROR_STOP=1',
      `--dbname=${url}`,
      `--command=${EMPTY_PUBLIC_SCHEMA}`,
      '--file=-',
      `--command=UPDATE public.sync_state SET epoch = GREATEST(epoch, ${Math.trunc(liveEpoch)}) + 1`,
    ],
    env,
    sql.stdout,
  );
  const [a, b] = await Promise.allSettled([produced, applied]);
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
}
