/**
 * The contract every `quita` subcommand implements, and the helpers they share. A command is a
 * plain object in `commands/<name>.ts`, listed in `COMMANDS` (main.ts). Exit codes: 0 success,
 * 1 the operation failed, 2 bad usage (unknown flag, invalid value) — always with one line on
 * stderr saying why. Commands that print data print JSON on stdout.
 */
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Db } from '../db/db';
import { migrate } from '../db/migrate';
import { openDb } from '../db/open-db';
import { readEnv, type Env } from '../env';

/** What a command may touch of the outside world. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

/** One subcommand; `name` may have several words ('user add'). */
export interface Command {
  name: string;
  summary: string;
  help: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

const USAGE = Symbol('quita.usage');

/** An error that main() reports as bad usage (exit 2) instead of a failure (exit 1). */
export function usageError(message: string): Error {
  return Object.assign(new Error(message), { [USAGE]: true });
}

/** True for errors made by `usageError`. */
export function isUsageError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && USAGE in error;
}

/** `node:util` parseArgs (strict, no positionals unless allowed), its errors turned into usage errors. */
export function parseCommandArgs<O extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: O,
  allowPositionals = false,
) {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals,
    });
  } catch (error) {
    throw usageError(parseArgsMessage(error));
  }
}

/** node:util's parseArgs errors (English) in pt-BR, by their documented codes. */
function parseArgsMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const first = error.message.split('\n')[0] ?? error.message;
  const quoted = /'([^']*)'/.exec(first)?.[1] ?? '';
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `opção desconhecida: ${quoted}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `argumento inesperado: ${quoted}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return first.includes('argument missing')
        ? `a opção ${quoted} precisa de um valor`
        : `a opção ${quoted} não aceita esse valor`;
    default:
      return first;
  }
}

/** Parses the environment; a bad variable is a usage error. */
export function envOf(io: CliIo): Env {
  try {
    const env = readEnv(io.env);
    const tls = env.ops.tls;
    return {
      ...env,
      dataDir: resolve(io.cwd, env.dataDir),
      ops: {
        ...env.ops,
        backupDir: resolve(io.cwd, env.ops.backupDir),
        tls: tls && {
          certFile: resolve(io.cwd, tls.certFile),
          keyFile: resolve(io.cwd, tls.keyFile),
        },
      },
    };
  } catch (error) {
    throw usageError(error instanceof Error ? error.message : String(error));
  }
}

/** Opens and migrates the configured database, runs `fn`, always closes it. */
export async function withDb<T>(io: CliIo, fn: (db: Db, env: Env) => Promise<T>): Promise<T> {
  const env = envOf(io);
  const db = await openDb({ databaseUrl: env.databaseUrl, dataDir: env.dataDir });
  try {
    await migrate(db);
    return await fn(db, env);
  } finally {
    await db.close();
  }
}

/** Prints a value as pretty JSON. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
