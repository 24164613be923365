/**
 * PGlite adapter: an embedded PostgreSQL (wasm) in one process, on disk or in memory.
 * A lock file beside the data directory stops a second process from opening the same directory,
 * which PGlite itself does not prevent and which would corrupt it.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { initdbInChild, needsInitdb } from '../ops/pglite-first-start';
import { DEFAULT_ORG_ID, ORG_SETTING, orgSettingValue } from './org';
import {
  assertNotInTransaction,
  OID,
  parseDateArray,
  parseInt8,
  runAfterCommit,
  runInTxScope,
  type Db,
  type Row,
  type Tx,
} from './db';

export interface PgliteOptions {
  /** Directory of the database; omitted = in memory. */
  dataDir?: string;
  /** A `dumpDataDir()` tarball to start from (tests start from a migrated dump). */
  loadDataDir?: Blob;
  /**
   * PostgreSQL's shared_buffers (e.g. '32MB'): the embedded database's page cache, most of its
   * memory. Default: PGlite's own (128MB).
   */
  sharedBuffers?: string;
  /** The organisation this connection works for (server/db/org.ts); default the default one. */
  orgId?: number;
}

/** A PGlite-backed Db that can also dump its data directory. */
export interface PgliteDb extends Db {
  readonly kind: 'pglite';
  /**
   * A consistent gzipped tarball of the data directory, taken while serving: under PGlite's
   * transaction lock (no other transaction is half done) right after a CHECKPOINT.
   */
  dump(): Promise<Blob>;
  /**
   * Runs `fn` with every other query and transaction held back, right after a CHECKPOINT: the
   * data directory's files on disk are then a consistent copy for as long as `fn` runs (backups
   * stream them to a file without loading the database into memory).
   */
  whileQuiesced<T>(fn: () => Promise<T>): Promise<T>;
}

const parsers = {
  [OID.int8]: (text: string) => parseInt8(text),
  [OID.date]: (text: string) => text,
  [OID.dateArray]: (text: string) => parseDateArray(text),
};

/** Opens (creating if needed) a PGlite database. */
export async function openPglite(options: PgliteOptions = {}): Promise<PgliteDb> {
  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  const orgId = orgSettingValue(options.orgId ?? DEFAULT_ORG_ID);
  const releaseLock = dataDir === undefined ? () => {} : acquireDirLock(dataDir);
  let pg: PGlite;
  try {
    if (dataDir !== undefined) mkdirSync(dirname(dataDir), { recursive: true });
    // initdb in its own short-lived process: in this one it would leave ~450 MiB of wasm
    // memory behind for the life of the server (server/ops/pglite-first-start.ts).
    if (dataDir !== undefined && options.loadDataDir === undefined && needsInitdb(dataDir))
      await initdbInChild(dataDir);
    pg = await PGlite.create({
      ...(dataDir === undefined ? {} : { dataDir }),
      ...(options.loadDataDir === undefined ? {} : { loadDataDir: options.loadDataDir }),
      ...(options.sharedBuffers === undefined
        ? {}
        : {
            startParams: [
              ...PGlite.defaultStartParams,
              '-c',
              `shared_buffers=${options.sharedBuffers}`,
            ],
          }),
      parsers,
    });
    await pg.exec(`SET TIME ZONE 'UTC'`);
    // The one connection works for one organisation for its whole life (row-level security).
    await pg.query('SELECT set_config($1, $2, false)', [ORG_SETTING, orgId]);
  } catch (error) {
    releaseLock();
    throw error;
  }
  let closed = false;

  return {
    kind: 'pglite',
    async query<T extends object = Row>(sql: string, params: readonly unknown[] = []) {
      assertNotInTransaction('db.query');
      await nextTurn();
      const result = await pg.query<T>(sql, [...params]);
      return result.rows;
    },
    async exec(sql: string) {
      assertNotInTransaction('db.exec');
      await nextTurn();
      await pg.exec(sql);
    },
    async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
      assertNotInTransaction('db.transaction');
      const after: (() => void | Promise<void>)[] = [];
      await nextTurn();
      // PGlite's transaction() holds its mutex from BEGIN to COMMIT/ROLLBACK: this is the queue.
      const result = await pg.transaction((t) =>
        runInTxScope('pglite', () =>
          fn({
            kind: 'pglite',
            query: async <R extends object = Row>(sql: string, params: readonly unknown[] = []) => {
              await nextTurn();
              return (await t.query<R>(sql, [...params])).rows;
            },
            exec: async (sql: string) => {
              await nextTurn();
              await t.exec(sql);
            },
            afterCommit: (cb) => {
              after.push(cb);
            },
          }),
        ),
      );
      await runAfterCommit(after);
      return result;
    },
    async whileQuiesced<T>(fn: () => Promise<T>): Promise<T> {
      assertNotInTransaction('db.whileQuiesced');
      // PGlite's transaction mutex is held from BEGIN to COMMIT, and every top-level query takes
      // it too: inside, nothing else touches the files.
      return pg.transaction(async (t) => {
        await t.exec('CHECKPOINT');
        return fn();
      });
    },
    async dump() {
      let blob: Blob | undefined;
      // Inside a transaction PGlite's transaction mutex is ours: every other request's
      // transaction is either committed or not begun. The checkpoint writes every committed page
      // to the files, so a restore replays no WAL.
      await pg.transaction(async (t) => {
        await t.exec('CHECKPOINT');
        blob = await pg.dumpDataDir('gzip');
      });
      if (blob === undefined) throw new Error('PGlite dump produced nothing');
      return blob;
    },
    get closed() {
      return closed;
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await pg.close();
      } finally {
        releaseLock();
      }
    },
  };
}

/**
 * One turn of the event loop. PGlite runs in this thread and settles its promises without ever
 * leaving the microtask queue, so a loop of awaited statements (a catch-up of every summary, an
 * import's chunks) would hold timers and sockets back until it ends: every request, even
 * `/api/health`, waited behind it. Each statement first lets pending I/O and timers run (FIFO, so
 * statements keep their order).
 */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function acquireDirLock(dataDir: string): () => void {
  const lockPath = `${dataDir}.lock`;
  mkdirSync(dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid))
        throw new Error(
          `database directory ${dataDir} is in use by process ${pid}; stop it or set QUITA_DATA_DIR to another directory`,
        );
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`could not lock database directory ${dataDir} (${lockPath})`);
}
