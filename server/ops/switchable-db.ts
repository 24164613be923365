/**
 * A Db whose underlying database can be swapped while the server runs (a PGlite restore through
 * the running server). `swap(fn)` waits for the calls in flight to finish, holds new ones at the
 * door, lets `fn` close the old database and open the new one, then lets the held calls through
 * on the new database. A phone pushing during the swap just waits a moment (or, past
 * `holdTimeoutMs`, gets an error its sync engine retries); nothing reaches a closed database.
 */
import type { Db, Row, TransactionOptions, Tx } from '../db/db';

export interface SwitchableDb<D extends Db> extends Db {
  /** The database in use now. */
  current(): D;
  /** Replaces the database: `fn` receives the old one (idle, held) and returns the new one. */
  swap(fn: (old: D) => Promise<D>): Promise<void>;
}

/** Wraps `initial`. */
export function switchableDb<D extends Db>(initial: D, holdTimeoutMs = 120_000): SwitchableDb<D> {
  let db = initial;
  let inFlight = 0;
  let idle: (() => void) | undefined;
  let gate: Promise<void> | undefined;

  async function enter(): Promise<D> {
    while (gate) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error('database unavailable: a restore is in progress')),
          holdTimeoutMs,
        );
      });
      try {
        await Promise.race([gate, timeout]);
      } finally {
        clearTimeout(timer);
      }
    }
    inFlight++;
    return db;
  }
  function leave(): void {
    inFlight--;
    if (inFlight === 0) idle?.();
  }
  async function use<T>(fn: (d: D) => Promise<T>): Promise<T> {
    const d = await enter();
    try {
      return await fn(d);
    } finally {
      leave();
    }
  }

  return {
    get kind() {
      return db.kind;
    },
    current: () => db,
    query<T extends object = Row>(sql: string, params?: readonly unknown[]) {
      return use((d) => d.query<T>(sql, params));
    },
    exec(sql: string) {
      return use((d) => d.exec(sql));
    },
    transaction<T>(fn: (tx: Tx) => Promise<T>, options?: TransactionOptions) {
      return use((d) => d.transaction(fn, options));
    },
    async swap(fn) {
      while (gate) await gate;
      let open!: () => void;
      gate = new Promise<void>((resolve) => (open = resolve));
      try {
        if (inFlight > 0) await new Promise<void>((resolve) => (idle = resolve));
        idle = undefined;
        db = await fn(db);
      } finally {
        gate = undefined;
        open();
      }
    },
    close: () => db.close(),
  };
}
