/**
 * The one storage interface of the server. Two adapters implement it with the same SQL dialect
 * ($1 parameters, PostgreSQL syntax): PGlite on disk (the default, `./data` or QUITA_DATA_DIR) and
 * PostgreSQL through a `pg` pool when DATABASE_URL is set.
 *
 * Row values are normalised identically on both: BIGINT → number (throws past 2^53, which is 90
 * trillion reais in centavos), DATE → 'YYYY-MM-DD' string, TIMESTAMPTZ → Date, JSONB → parsed value.
 * Sessions run with TimeZone=UTC so SQL date arithmetic never depends on the host.
 *
 * Transactions:
 * - PostgreSQL runs them SERIALIZABLE and re-runs the callback (up to 5 attempts) on a
 *   serialisation failure or deadlock, so `fn` must have no side effect outside `tx`; use
 *   `tx.afterCommit` for anything that must happen once, after the commit.
 * - PGlite has one connection: PGlite's own mutex queues every transaction and every top-level
 *   query, so transactions run one at a time (trivially serialisable). Keep them short: nothing
 *   slow (scrypt, network) inside a transaction, it blocks every other request.
 * - Inside a transaction only `tx` may be used: calling `db.query`/`db.transaction` there would
 *   deadlock PGlite (and silently escape the transaction on PostgreSQL), so both adapters throw.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export const DB_KINDS = ['pglite', 'postgres'] as const;
export type DbKind = (typeof DB_KINDS)[number];

export type Row = Record<string, unknown>;

/** Anything that can run one parameterised statement and return its rows. */
export interface Queryable {
  query<T extends object = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a multi-statement script without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/** The handle passed to a transaction callback. */
export interface Tx extends Queryable {
  readonly kind: DbKind;
  /** Queues `fn` to run once after a successful COMMIT (never on rollback or on a retried attempt). */
  afterCommit(fn: () => void | Promise<void>): void;
}

export type Isolation = 'serializable' | 'read committed';

export interface TransactionOptions {
  /** Default 'serializable'. Migrations use 'read committed' so they see rows committed while they waited on the lock. */
  isolation?: Isolation;
}

/** The storage interface every server module depends on. */
export interface Db extends Queryable {
  readonly kind: DbKind;
  transaction<T>(fn: (tx: Tx) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
  /** True once close() was called (background work scheduled earlier checks it and stands down). */
  readonly closed?: boolean;
}

const txScope = new AsyncLocalStorage<{ kind: DbKind }>();

/** Throws when called from inside a transaction callback; see the module comment. */
export function assertNotInTransaction(what: string): void {
  if (txScope.getStore())
    throw new Error(
      `${what} called inside a transaction: use the tx handle passed to the callback`,
    );
}

/** Runs `fn` marked as "inside a transaction" for `assertNotInTransaction`. */
export function runInTxScope<T>(kind: DbKind, fn: () => Promise<T>): Promise<T> {
  return txScope.run({ kind }, fn);
}

/** Runs queued after-commit callbacks; a failing callback is logged and never undoes the commit. */
export async function runAfterCommit(
  callbacks: readonly (() => void | Promise<void>)[],
): Promise<void> {
  for (const fn of callbacks) {
    try {
      await fn();
    } catch (error) {
      console.error('afterCommit callback failed', error);
    }
  }
}

/** Parses an int8 text value, refusing values a JS number cannot hold exactly. */
export function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value out of safe range: ${text}`);
  return n;
}

export const OID = { int8: 20, date: 1082, dateArray: 1182 } as const;

/** Parses a DATE[] text literal ('{2025-01-02,2025-02-03}') into strings. */
export function parseDateArray(text: string): string[] {
  const inner = text.slice(1, -1);
  return inner === '' ? [] : inner.split(',');
}
