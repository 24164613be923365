/**
 * The sync engine's public types (./sync-engine.ts re-exports them): what it needs injected, what
 * it reports, what the UI calls.
 */
import type { MutationPayloadInputs, MutationType } from '#shared/sync/facts.schema';
import type { OutboxRow, QuitaDb } from '../db/db';
import type { HealthEnv } from './health';

export type SyncReason =
  | 'start'
  | 'online'
  | 'visible'
  | 'save'
  | 'timer'
  | 'retry'
  | 'manual'
  | (string & {});

export type SyncEvent =
  | { type: 'sync-start'; reasons: string[] }
  | {
      type: 'sync-end';
      ok: boolean;
      pushed: number;
      pulled: number;
      error?: SyncFailure;
    }
  | { type: 'progress'; phase: 'pull'; firstSync: boolean; pages: number; changes: number }
  | { type: 'rejected'; mutationId: string; reason: string }
  | { type: 'reset' }
  | { type: 'upgrade-required' }
  | { type: 'clock'; offsetMs: number; flagged: boolean }
  | { type: 'retry-scheduled'; inMs: number }
  | { type: 'busy' };

/** Why a cycle stopped. `transient` is retried with backoff; the others need a person. */
export interface SyncFailure {
  kind: 'transient' | 'auth' | 'permanent';
  message: string;
  status?: number;
}

export interface SyncOutcome {
  ok: boolean;
  pushed: number;
  pulled: number;
  error?: SyncFailure;
  /** Another tab held the sync lock; it does the work. */
  busy?: boolean;
}

/** The subset of the Web Locks API the engine uses (`navigator.locks`). */
export interface LockManagerLike {
  request<T>(
    name: string,
    options: { ifAvailable: boolean },
    callback: (lock: unknown) => Promise<T>,
  ): Promise<T>;
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface SyncEngineDeps {
  db: QuitaDb;
  /** Carries the session (Authorization) itself: the engine only adds the device header. */
  fetch: FetchLike;
  now: () => Date;
  /** [0, 1): backoff jitter. */
  random: () => number;
  locks?: LockManagerLike;
  onEvent?: (event: SyncEvent) => void;
  health?: HealthEnv;
  appVersion?: string;
  /** Prefix of the API (default '' → same origin '/api/sync/…'). */
  baseUrl?: string;
  /** New fact ids (default: monotonic UUIDv7). */
  newId?: () => string;
  timers?: Timers;
  pageLimit?: number;
  batchSize?: number;
  /** Foreground poll interval once started (default 5 min, CommCare's). */
  pollMs?: number;
  /** Run the integrity check every N successful cycles (and after every reset). */
  integrityEvery?: number;
  /** The name this device proposes when it registers ("Moto g(60) de Carlos"). */
  deviceName?: () => Promise<string | null>;
}

/** What the UI saves; the engine adds ids, sequence, device and times. */
export interface SaveInput<K extends MutationType = MutationType> {
  type: K;
  debtorId: string;
  payload: MutationPayloadInputs[K];
  typeVersion?: number;
  baseVersion?: number;
  /** Defaults to the device clock now. */
  occurredAt?: string;
}

export interface SyncEngine {
  /** Saves a fact to the outbox (one transaction) and triggers a sync. Throws if not saved. */
  save<K extends MutationType>(input: SaveInput<K>): Promise<OutboxRow>;
  requestSync(reason: SyncReason): Promise<SyncOutcome>;
  /** Wires browser triggers (online, visible, pageshow, timer) and syncs once. Returns stop. */
  start(target?: BrowserTarget): () => void;
  /** Whether a cycle is running in this tab. */
  readonly running: boolean;
  /** Resolves when no cycle is running (tests; a UI awaiting "synced"). */
  whenIdle(): Promise<void>;
}

/** Where the browser triggers come from (window and document), injectable for tests. */
export interface BrowserTarget {
  addEventListener(type: string, fn: () => void): void;
  removeEventListener(type: string, fn: () => void): void;
  visibilityState?: () => string;
}
