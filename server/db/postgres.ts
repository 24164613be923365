/** PostgreSQL adapter over a `pg` pool; transactions are SERIALIZABLE with automatic retry. */
import pg from 'pg';
import {
  assertNotInTransaction,
  OID,
  parseDateArray,
  parseInt8,
  runAfterCommit,
  runInTxScope,
  type Db,
  type Row,
  type TransactionOptions,
  type Tx,
} from './db';
import { DEFAULT_ORG_ID, ORG_SETTING, orgSettingValue } from './org';

const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === OID.int8) return parseInt8;
    if (oid === OID.date) return (text: string) => text;
    if (oid === OID.dateArray) return parseDateArray;
    return format === 'binary'
      ? pg.types.getTypeParser(oid, 'binary')
      : pg.types.getTypeParser(oid);
  }) as typeof pg.types.getTypeParser,
};

/** Opens a pool on `connectionString`; nothing connects until the first query. */
export function openPostgres(
  connectionString: string,
  options: { max?: number; orgId?: number } = {},
): Db {
  const orgId = orgSettingValue(options.orgId ?? DEFAULT_ORG_ID);
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    // Set in the startup packet: every connection of the pool works for this organisation from
    // its first statement (row-level security, server/db/org.ts), at no cost per query.
    options: `-c TimeZone=UTC -c ${ORG_SETTING}=${orgId}`,
    types,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', (error) => console.error('postgres pool error:', error.message));
  let closed: Promise<void> | undefined;

  async function attempt<T>(fn: (tx: Tx) => Promise<T>, begin: string): Promise<T> {
    const client = await pool.connect();
    const after: (() => void | Promise<void>)[] = [];
    let broken = false;
    try {
      await client.query(begin);
      // One connection runs one statement at a time: callers may fire several reads at once
      // (Promise.all), so queue them here instead of relying on pg's deprecated implicit queue.
      let queue: Promise<unknown> = Promise.resolve();
      const serial = <R>(run: () => Promise<R>): Promise<R> => {
        const next = queue.then(run, run);
        queue = next.catch(() => undefined);
        return next;
      };
      const tx: Tx = {
        kind: 'postgres',
        query: <R extends object = Row>(sql: string, params: readonly unknown[] = []) =>
          serial(async () => (await client.query<R & pg.QueryResultRow>(sql, [...params])).rows),
        exec: (sql: string) =>
          serial(async () => {
            await client.query(sql);
          }),
        afterCommit: (cb) => {
          after.push(cb);
        },
      };
      const result = await runInTxScope('postgres', () => fn(tx));
      await client.query('COMMIT');
      client.release();
      await runAfterCommit(after);
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      client.release(broken);
      throw error;
    }
  }

  return {
    kind: 'postgres',
    async query<T extends object = Row>(sql: string, params: readonly unknown[] = []) {
      assertNotInTransaction('db.query');
      return (await pool.query<T & pg.QueryResultRow>(sql, [...params])).rows;
    },
    async exec(sql: string) {
      assertNotInTransaction('db.exec');
      await pool.query(sql);
    },
    async transaction<T>(fn: (tx: Tx) => Promise<T>, options: TransactionOptions = {}) {
      assertNotInTransaction('db.transaction');
      const begin =
        options.isolation === 'read committed'
          ? 'BEGIN ISOLATION LEVEL READ COMMITTED'
          : 'BEGIN ISOLATION LEVEL SERIALIZABLE';
      for (let n = 1; ; n++) {
        try {
          return await attempt(fn, begin);
        } catch (error) {
          const code = (error as { code?: unknown }).code;
          if (n >= MAX_ATTEMPTS || typeof code !== 'string' || !RETRYABLE.has(code)) throw error;
          // Jittered backoff so two colliding transactions don't collide again in lockstep.
          await new Promise((r) => setTimeout(r, n * 5 + Math.random() * 20));
        }
      }
    },
    get closed() {
      return closed !== undefined;
    },
    close() {
      closed ??= pool.end();
      return closed;
    },
  };
}
