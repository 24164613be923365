/**
 * Structured logs: pino, one JSON object per line on stdout (or short human lines when a person
 * watches a terminal: QUITA_LOG_FORMAT=pretty, the default on a TTY).
 *
 * No personal data (LGPD): what we log is chosen not to carry any — request lines name the route
 * PATTERN (/api/debtors/:id), never the raw path or the query string (?q=<name>, ?email=,
 * ?phone=), nor the client address, nor who the user is beyond their role. As a second line of
 * defence every string value of every line passes through `scrubPersonalData` on its way out
 * (e-mail addresses, CPF/CNPJ, Brazilian phone numbers, bearer tokens), so an error message that
 * quotes a value (a PostgreSQL detail, an SMTP refusal naming the recipient) loses it, and keys
 * that can only hold secrets (authorization, password, token) are dropped.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './ops-env';

export type { Logger } from 'pino';

const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
const CNPJ = /(?<![\w-])\d{2}\.?\d{3}\.?\d{3}\/?\d{4}-?\d{2}(?![\w-])/g;
const CPF = /(?<![\w-])\d{3}\.?\d{3}\.?\d{3}-?\d{2}(?![\w-])/g;
const PHONE = /(?<![\w-])(?:\+?55[\s-]?)?\(?\d{2}\)?[\s-]?9?\d{4}[\s-]?\d{4}(?![\w-])/g;
const BEARER = /\b(Bearer|Basic)\s+[\w.~+/=-]+/gi;
const SECRET_PARAM = /\b(token|password|senha)=[^&\s"]+/gi;

const SECRET_KEYS = new Set(['authorization', 'cookie', 'password', 'senha', 'token']);

/** Masks e-mails, CPF/CNPJ, phone numbers and credentials in free text. */
export function scrubPersonalData(text: string): string {
  return text
    .replace(EMAIL, '[e-mail]')
    .replace(BEARER, '$1 [token]')
    .replace(SECRET_PARAM, '$1=[oculto]')
    .replace(CNPJ, '[documento]')
    .replace(CPF, '[documento]')
    .replace(PHONE, '[telefone]');
}

/** Keys printed as they are: the one-time setup link is meant for the operator reading the log. */
const VERBATIM_KEYS = new Set(['setupLink', 'time', 'reqId']);

function scrubValue(value: unknown, key: string | undefined): unknown {
  if (key !== undefined && VERBATIM_KEYS.has(key)) return value;
  if (key !== undefined && SECRET_KEYS.has(key.toLowerCase())) return '[oculto]';
  if (typeof value === 'string') return scrubPersonalData(value);
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, undefined));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubValue(v, k)]));
  return value;
}

/** The scrubbed form of one JSON log line (unparseable lines are scrubbed as text). */
export function scrubLogLine(line: string): string {
  try {
    return `${JSON.stringify(scrubValue(JSON.parse(line), undefined))}\n`;
  } catch {
    return scrubPersonalData(line);
  }
}

const LEVEL_NAMES: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/** A one-line human rendering of a (scrubbed) JSON log line. */
export function prettyLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const { level, time, msg, err, pid: _pid, hostname: _host, setupLink, ...rest } = entry;
  const when = typeof time === 'string' ? time.slice(11, 19) : '';
  const name = typeof level === 'string' ? level : (LEVEL_NAMES[Number(level)] ?? 'info');
  const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
  // The one-time setup link is for the person at the terminal: on a line of its own, to copy.
  const link = typeof setupLink === 'string' ? `\n${' '.repeat(15)}${setupLink}` : '';
  const error =
    err && typeof err === 'object' && 'stack' in err
      ? `\n${String((err as { stack: unknown }).stack)}`
      : '';
  return `${when} ${name.padEnd(5)} ${typeof msg === 'string' ? msg : ''}${extra}${link}${error}\n`;
}

/** A pino destination that scrubs every line and writes it (as JSON or pretty) to `out`. */
export function scrubbingDestination(
  out: { write(text: string): unknown },
  format: 'json' | 'pretty',
): DestinationStream {
  return {
    write(line: string) {
      const clean = scrubLogLine(line);
      out.write(format === 'pretty' ? prettyLine(clean) : clean);
    },
  };
}

/** Serialises an error without the fields that carry values (PostgreSQL `detail`, parameters). */
function errorSerializer(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const e = error as Error & { code?: unknown; routine?: unknown };
  return {
    type: e.name,
    message: e.message,
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(e.stack ? { stack: e.stack } : {}),
    ...(e.cause instanceof Error ? { cause: errorSerializer(e.cause) } : {}),
  };
}

export interface LoggerOptions {
  level?: LogLevel;
  format?: 'json' | 'pretty' | undefined;
  /** Where lines go (default process.stdout). */
  out?: { write(text: string): unknown; isTTY?: boolean };
}

/** The server's logger. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const out = options.out ?? process.stdout;
  const format = options.format ?? (out.isTTY ? 'pretty' : 'json');
  return pino(
    {
      level: options.level ?? 'info',
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: errorSerializer, error: errorSerializer },
    },
    scrubbingDestination(out, format),
  );
}

/** A logger that drops everything (tests, library use). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
