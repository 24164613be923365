/**
 * The collector's one local database (reference/sync.md §5.2).
 *
 * Three kinds of tables, with one writer each:
 * - server state (`debtors`, `debts`, `facts`, `settings`): written ONLY by the pull applier
 *   (pwa/sync/pull-apply.ts); the UI never writes them, so a pull can always replace them;
 * - the outbox: written by `recordFact` (one strict-durability transaction that allocates the
 *   gapless `device_seq`) and by the push loop (state transitions only; payloads are frozen);
 * - `retained`: outbox rows the server acked AND a pull delivered back, kept for a while so they
 *   can be pushed again after a server restore (pwa/sync/outbox.ts); never read by the overlay;
 * - `device` (a singleton) and `meta`: sync bookkeeping.
 *
 * Upgrades are additive only: never change a primary key, never drop the outbox, and every
 * upgrade function is an idempotent repair (a rolled-back app may have written rows without the
 * new fields, and Dexie never re-runs an upgrade — Dexie#2097).
 */
import Dexie, { type EntityTable, type Transaction } from 'dexie';
import { t } from '../i18n/messages';

export type OutboxState = 'pending' | 'sending' | 'acked' | 'rejected';

/** One local fact waiting for (or recently through) push. Its shape is frozen: new fields optional. */
export interface OutboxRow {
  /** UUIDv7, also the event id on the server. */
  mutation_id: string;
  /** The device that made it (kept on the row: the hash covers it). */
  device_id: string;
  /** Gapless per device, 1, 2, 3…: the push order. */
  device_seq: number;
  state: OutboxState;
  type: string;
  type_version: number;
  debtor_id: string;
  base_version?: number;
  /** Device clock (ISO with offset): data, never control. */
  occurred_at: string;
  payload: unknown;
  payload_hash: string;
  attempts: number;
  last_error?: string;
  created_at_device: string;
  /** Server status once known: applied, duplicate, rejected, conflict, deferred. */
  result_status?: string;
  reason?: string;
}

/**
 * An outbox row moved out of the outbox once delivered (same bytes, same hash), kept until the
 * retention prunes it. A separate table, not an outbox state: every outbox reader (overlay, status
 * line, health) keeps meaning "what is left to push or to show as refused", and the live queries
 * do not read thousands of retained rows on every change.
 */
export interface RetainedRow extends OutboxRow {
  delivered_at: string;
}

/** Server copy of a debtor in this collector's scope, as the last pull delivered it. */
export interface SrvDebtor {
  id: string;
  version: number;
  data: Record<string, unknown>;
}

/** Server copy of a debt (título) of a debtor in scope. */
export interface SrvDebt {
  id: string;
  debtor_id: string;
  version: number;
  data: Record<string, unknown>;
}

/** Server copy of an append-only fact (visit, payment, promise, …) about a debtor in scope. */
export interface SrvFact {
  id: string;
  debtor_id: string;
  type: string;
  version: number;
  data: Record<string, unknown>;
}

/** A server settings section snapshot (templates, policies…), by key. */
export interface SrvSetting {
  key: string;
  version: number;
  value: unknown;
}

/** The device singleton (key = 'device'). */
export interface DeviceRow {
  key: 'device';
  device_id: string;
  collector_id: string;
  next_seq: number;
  /** Opaque pull cursor from the server; null before the first page. */
  cursor: string | null;
  epoch: string | null;
  schema_version: number;
  last_push_ok_at: string | null;
  last_pull_ok_at: string | null;
  last_error: string | null;
  /** Set once the server knows this device (POST /api/sync/devices). */
  registered_at?: string | null;
  /** The collector's display name at sign-in (names whose unsent facts block a user switch). */
  collector_name?: string | null;
  /** When a write last failed for lack of space (QuotaExceededError); cleared by a full sync. */
  storage_full_at?: string | null;
}

export interface MetaRow {
  key: string;
  value: unknown;
}

export type QuitaDb = Dexie & {
  device: EntityTable<DeviceRow, 'key'>;
  outbox: EntityTable<OutboxRow, 'mutation_id'>;
  /** Undeclared (undefined) only when opened with `upToVersion` < 3: see `retainedTable`. */
  retained: EntityTable<RetainedRow, 'mutation_id'>;
  debtors: EntityTable<SrvDebtor, 'id'>;
  debts: EntityTable<SrvDebt, 'id'>;
  facts: EntityTable<SrvFact, 'id'>;
  settings: EntityTable<SrvSetting, 'key'>;
  meta: EntityTable<MetaRow, 'key'>;
};

/** The tables the pull applier owns (wiped on reset; the outbox is never among them). */
export const SERVER_TABLES = ['debtors', 'debts', 'facts', 'settings'] as const;

const V1: Record<string, string> = {
  device: 'key',
  outbox: 'mutation_id, &device_seq, state, debtor_id',
  debtors: 'id',
  debts: 'id, debtor_id',
  facts: 'id, debtor_id',
  settings: 'key',
  meta: 'key',
};

/**
 * Each schema version: the stores it declares and an idempotent repair. Append new versions at
 * the end; never edit a released one.
 */
export const SCHEMA_VERSIONS: readonly {
  version: number;
  stores: Record<string, string>;
  repair?: (tx: Transaction) => Promise<void>;
}[] = [
  { version: 1, stores: V1 },
  {
    // v2: ordered scans of what is left to push without sorting the whole outbox. The repair
    // fills `attempts` on rows written by an app that predates it (also after a rollback).
    version: 2,
    stores: { ...V1, outbox: 'mutation_id, &device_seq, state, debtor_id, [state+device_seq]' },
    repair: async (tx) => {
      await tx
        .table<OutboxRow>('outbox')
        .toCollection()
        .modify((row) => {
          if (typeof row.attempts !== 'number') row.attempts = 0;
        });
    },
  },
  {
    // v3: delivered facts kept for restore safety. A new, empty table: nothing to repair.
    version: 3,
    stores: {
      ...V1,
      outbox: 'mutation_id, &device_seq, state, debtor_id, [state+device_seq]',
      retained: 'mutation_id, &device_seq',
    },
  },
];

export const SCHEMA_VERSION = SCHEMA_VERSIONS.at(-1)?.version ?? 1;

export interface OpenDbOptions {
  name?: string;
  /** An IndexedDB factory (fake-indexeddb in tests, one per simulated device). */
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
  /** Declare only versions ≤ this (tests simulate an older app). */
  upToVersion?: number;
  /** Another tab upgraded the database: this connection is closed; prompt a reload. */
  onVersionChange?: () => void;
}

export const DEFAULT_DB_NAME = 'quita';

/**
 * Builds (does not open) the database. Strict durability: "saved" must mean flushed to disk
 * (Chrome 121+ otherwise fires `complete` before the OS flush); writes are rare, so it is cheap.
 */
export function createDb(options: OpenDbOptions = {}): QuitaDb {
  const db = new Dexie(options.name ?? DEFAULT_DB_NAME, {
    chromeTransactionDurability: 'strict',
    autoOpen: false,
    ...(options.indexedDB ? { indexedDB: options.indexedDB } : {}),
    ...(options.IDBKeyRange ? { IDBKeyRange: options.IDBKeyRange } : {}),
  }) as QuitaDb;
  const upTo = options.upToVersion ?? SCHEMA_VERSION;
  for (const step of SCHEMA_VERSIONS) {
    if (step.version > upTo) break;
    const v = db.version(step.version).stores(step.stores);
    if (step.repair) v.upgrade(step.repair);
  }
  db.on('versionchange', () => {
    // Another tab wants a newer schema: get out of its way (it would block otherwise) and let the
    // app prompt a reload. Nothing is lost: every save is already committed or not started.
    db.close();
    options.onVersionChange?.();
    return false;
  });
  return db;
}

/** Why the database could not be opened, in terms the app can act on. */
export type OpenFailure =
  | { kind: 'newer-data'; message: string }
  | { kind: 'error'; message: string; error: unknown };

/**
 * Opens the database. A `VersionError` means the data on disk was written by a NEWER app (a
 * deploy rollback, Dexie#1599): we do not touch it and tell the caller to reload into the new app.
 */
export async function openDb(
  options: OpenDbOptions = {},
): Promise<{ ok: true; db: QuitaDb } | { ok: false; failure: OpenFailure }> {
  const db = createDb(options);
  try {
    await db.open();
    return { ok: true, db };
  } catch (error) {
    db.close();
    if (error instanceof Dexie.VersionError || (error as Error | null)?.name === 'VersionError')
      return {
        ok: false,
        failure: {
          kind: 'newer-data',
          message: t('sync.newerData'),
        },
      };
    return {
      ok: false,
      failure: { kind: 'error', message: (error as Error).message ?? String(error), error },
    };
  }
}

/**
 * The `retained` table, or undefined when this connection declared an older schema (tests that
 * simulate an old app running today's engine): callers then fall back to deleting delivered rows.
 */
export function retainedTable(db: QuitaDb): QuitaDb['retained'] | undefined {
  return db.tables.some((table) => table.name === 'retained') ? db.retained : undefined;
}

/** The device singleton, or undefined before `ensureDevice`. */
export function getDevice(db: QuitaDb): Promise<DeviceRow | undefined> {
  return db.device.get('device');
}

/** Another collector's facts still waiting on this phone: a user switch must wait for them. */
export interface DeviceInUse {
  collectorId: string;
  /** Null for a device row written before names were recorded. */
  collectorName: string | null;
  /** Outbox rows not yet acked by the server (pending or sending). */
  unsent: number;
}

export type ClaimResult =
  | { ok: true; device: DeviceRow; switched: boolean }
  | { ok: false; inUse: DeviceInUse };

function freshDevice(input: { collectorId: string; collectorName?: string; newId: () => string }) {
  const row: DeviceRow = {
    key: 'device',
    device_id: input.newId(),
    collector_id: input.collectorId,
    next_seq: 1,
    cursor: null,
    epoch: null,
    schema_version: SCHEMA_VERSION,
    last_push_ok_at: null,
    last_pull_ok_at: null,
    last_error: null,
    registered_at: null,
    collector_name: input.collectorName ?? null,
  };
  return row;
}

/**
 * Makes this phone the signed-in collector's device, in ONE transaction:
 * - no device yet: a new one (a new install = a new device id);
 * - same collector: kept as is (its name refreshed);
 * - another collector with unsent facts (pending or sending): refused, nothing touched — those
 *   facts are pushed under that collector's device and session only, never re-attributed;
 * - another collector otherwise: the server tables, the outbox (acked and rejected rows are on the
 *   server already) and the retained rows are wiped and a fresh device id is made, which registers
 *   again for the new collector. `meta` stays: receipt numbers never repeat on this phone.
 */
export async function claimDevice(
  db: QuitaDb,
  input: { collectorId: string; collectorName?: string; newId: () => string },
): Promise<ClaimResult> {
  const retained = retainedTable(db);
  const tables = [
    db.device,
    db.outbox,
    ...SERVER_TABLES.map((name) => db.table(name)),
    ...(retained ? [retained] : []),
  ];
  return db.transaction('rw', tables, async (): Promise<ClaimResult> => {
    const existing = await db.device.get('device');
    if (existing?.collector_id === input.collectorId) {
      if (input.collectorName !== undefined && existing.collector_name !== input.collectorName) {
        await db.device.update('device', { collector_name: input.collectorName });
        return {
          ok: true,
          device: { ...existing, collector_name: input.collectorName },
          switched: false,
        };
      }
      return { ok: true, device: existing, switched: false };
    }
    if (existing) {
      const unsent = await db.outbox.where('state').anyOf('pending', 'sending').count();
      if (unsent > 0)
        return {
          ok: false,
          inUse: {
            collectorId: existing.collector_id,
            collectorName: existing.collector_name ?? null,
            unsent,
          },
        };
      for (const name of SERVER_TABLES) await db.table(name).clear();
      await db.outbox.clear();
      await retained?.clear();
      await db.device.delete('device');
    }
    const row = freshDevice(input);
    await db.device.add(row);
    return { ok: true, device: row, switched: existing !== undefined };
  });
}

/**
 * `claimDevice` for callers that cannot show a refusal: throws (name `DeviceInUseError`) instead
 * of pushing another collector's facts under this one's session.
 */
export async function ensureDevice(
  db: QuitaDb,
  input: { collectorId: string; collectorName?: string; newId: () => string },
): Promise<DeviceRow> {
  const claim = await claimDevice(db, input);
  if (claim.ok) return claim.device;
  const { unsent, collectorId } = claim.inUse;
  throw Object.assign(
    new Error(`device holds ${unsent} unsent facts of collector ${collectorId}`),
    { name: 'DeviceInUseError', inUse: claim.inUse },
  );
}
