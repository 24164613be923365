/**
 * The operations part of the server's configuration (HTTPS, proxies, logs, metrics, backups,
 * embedded-database memory), parsed from environment variables with one pt-BR error naming the
 * variable. Read by `readEnv` (server/env.ts) into `Env.ops`.
 */
import * as v from 'valibot';
import { parseTrustedProxies, type ProxyTrust } from './forwarded';

const TEXT = 'deve ser um texto';
const NOT_EMPTY = 'não pode ficar vazio';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const OpsEnvSchema = v.object({
  QUITA_TRUSTED_PROXIES: v.optional(v.string(TEXT)),
  QUITA_TRUST_PROXY: v.optional(
    v.picklist(['0', '1', 'true', 'false'], 'deve ser 0, 1, true ou false'),
  ),
  QUITA_TLS_CERT: v.optional(v.pipe(v.string(TEXT), v.minLength(1, NOT_EMPTY))),
  QUITA_TLS_KEY: v.optional(v.pipe(v.string(TEXT), v.minLength(1, NOT_EMPTY))),
  QUITA_METRICS_TOKEN: v.optional(
    v.pipe(v.string(TEXT), v.minLength(16, 'deve ter pelo menos 16 caracteres')),
  ),
  QUITA_LOG_LEVEL: v.optional(v.picklist(LOG_LEVELS, `deve ser um de: ${LOG_LEVELS.join(', ')}`)),
  QUITA_LOG_FORMAT: v.optional(v.picklist(['json', 'pretty'], 'deve ser json ou pretty')),
  QUITA_BACKUP_DIR: v.optional(v.pipe(v.string(TEXT), v.minLength(1, NOT_EMPTY)), './backups'),
  QUITA_BACKUP_KEEP: v.optional(
    v.pipe(
      v.string(TEXT),
      v.regex(/^\d{1,4}$/, 'deve ser um número inteiro de 1 a 9999'),
      v.transform(Number),
      v.minValue(1, 'deve ser pelo menos 1'),
    ),
    '14',
  ),
  QUITA_BACKUP_AT: v.optional(
    v.union(
      [v.literal('off'), v.pipe(v.string(TEXT), v.regex(/^([01]\d|2[0-3]):[0-5]\d$/))],
      'deve ser um horário HH:MM (24 h) ou off',
    ),
    '03:00',
  ),
  QUITA_PG_BIN: v.optional(v.pipe(v.string(TEXT), v.minLength(1, NOT_EMPTY))),
  QUITA_PGLITE_SHARED_BUFFERS: v.optional(
    v.pipe(v.string(TEXT), v.regex(/^\d{1,5}MB$/, 'deve ser um tamanho como 32MB')),
    '32MB',
  ),
});

/** Parsed operations configuration. */
export interface OpsEnv {
  /** Peers whose X-Forwarded-* headers are believed. */
  trustedProxies: ProxyTrust;
  /** Serve HTTPS directly with this certificate chain and key (PEM files). */
  tls: { certFile: string; keyFile: string } | undefined;
  /** Bearer token that may read /metrics (besides an owner's token). */
  metricsToken: string | undefined;
  logLevel: LogLevel;
  /** 'pretty' for a person at a terminal; JSON lines otherwise. Undefined = decide by TTY. */
  logFormat: 'json' | 'pretty' | undefined;
  backupDir: string;
  backupKeep: number;
  /** Local time (HH:MM, the organisation's time zone) of the daily backup, or null when off. */
  backupAt: string | null;
  /** Directory of pg_dump/pg_restore/psql (default: the ones on PATH). */
  pgBin: string | undefined;
  /** PGlite shared_buffers (memory of the embedded database's page cache). */
  pgliteSharedBuffers: string;
}

/** Parses the operations variables of `env` (empty strings already removed by the caller). */
export function readOpsEnv(env: Readonly<Record<string, string>>): OpsEnv {
  const parsed = v.safeParse(OpsEnvSchema, env);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    throw new Error(`${v.getDotPath(issue) ?? 'ambiente'}: ${issue.message}`);
  }
  const e = parsed.output;
  const legacy = e.QUITA_TRUST_PROXY === '1' || e.QUITA_TRUST_PROXY === 'true';
  let trustedProxies: ProxyTrust;
  try {
    trustedProxies = parseTrustedProxies(e.QUITA_TRUSTED_PROXIES ?? (legacy ? 'loopback' : ''));
  } catch (error) {
    throw new Error(`QUITA_TRUSTED_PROXIES: ${(error as Error).message}`);
  }
  if ((e.QUITA_TLS_CERT === undefined) !== (e.QUITA_TLS_KEY === undefined))
    throw new Error(
      `${e.QUITA_TLS_CERT === undefined ? 'QUITA_TLS_CERT' : 'QUITA_TLS_KEY'}: defina o certificado e a chave juntos`,
    );
  return {
    trustedProxies,
    tls:
      e.QUITA_TLS_CERT !== undefined && e.QUITA_TLS_KEY !== undefined
        ? { certFile: e.QUITA_TLS_CERT, keyFile: e.QUITA_TLS_KEY }
        : undefined,
    metricsToken: e.QUITA_METRICS_TOKEN,
    logLevel: e.QUITA_LOG_LEVEL ?? 'info',
    logFormat: e.QUITA_LOG_FORMAT,
    backupDir: e.QUITA_BACKUP_DIR,
    backupKeep: e.QUITA_BACKUP_KEEP,
    backupAt: e.QUITA_BACKUP_AT === 'off' ? null : e.QUITA_BACKUP_AT,
    pgBin: e.QUITA_PG_BIN,
    pgliteSharedBuffers: e.QUITA_PGLITE_SHARED_BUFFERS,
  };
}
