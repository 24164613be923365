/**
 * The collector's runtime: the device database, the sync engine and the status signals every
 * collector screen reads. Started once per signed-in collector session (after sign-in, or at boot
 * with a stored session — also offline: the outbox and the last pull are on the device).
 *
 * The first screen reads IndexedDB only, so the engine (push, pull, the protocol schemas: a third
 * of the collector's JavaScript) is imported after it is shown; until then `runtime.engine` stands
 * in for it, and a save or a manual sync loads it at once.
 */
import { computed, signal, type ReadonlySignal } from '@preact/signals';
import { liveQuery } from 'dexie';
import { claimDevice, openDb, type QuitaDb, type SrvSetting } from '../db/db';
import { syncStatusModel } from '../models/read-models';
import type { SyncStatus } from '../models/merge';
import type { SyncEngine } from '../sync/sync-engine';
import { afterFirstScreen, checkForUpdate, online } from './platform';
import { authHeaders, deviceInUseMessage, session } from './session';

export interface CollectorRuntime {
  db: QuitaDb;
  engine: SyncEngine;
  status: ReadonlySignal<SyncStatus>;
  deviceId: string;
}

export const runtime = signal<CollectorRuntime | null>(null);
export const runtimeError = signal<string | null>(null);
export const syncing = signal(false);
/** Set while the device has never completed a pull: the first sync's progress. */
export const firstSync = signal<{ pages: number; changes: number } | null>(null);
/** The last rejection the engine reported in this tab (the list itself comes from the outbox). */
export const lastSyncError = signal<string | null>(null);
/** The server serves this app's schema no longer (older than N−1): the phone must update. */
export const upgradeRequired = signal(false);

let starting: Promise<void> | null = null;
let stopEngine: (() => void) | null = null;
let disposeStatus: (() => void) | null = null;
let disposeSettings: (() => void) | null = null;

export async function startCollector(collectorId: string): Promise<void> {
  if (starting) return starting;
  starting = (async () => {
    const opened = await openDb({ onVersionChange: () => (runtimeError.value = 'newer-data') });
    if (!opened.ok) {
      runtimeError.value = opened.failure.message;
      starting = null;
      return;
    }
    const db = opened.db;
    // Sign-in already claimed the phone; a stale session (another tab signed in someone else
    // since) must not push that collector's facts under this one's device: say so and stop.
    // A new device id is only needed when sign-in did not claim the phone (UUIDv7 from the
    // project's library, loaded then: it also works outside a secure context).
    // The usual case (this collector's phone, claimed at sign-in) needs one read, not the
    // read-write claim over every table: it stays off the first screen's path.
    const existing = await db.device.get('device');
    let device = existing?.collector_id === collectorId ? existing : null;
    if (!device) {
      const claim = await claimDevice(db, { collectorId, newId: (await import('uuidv7')).uuidv7 });
      if (!claim.ok) {
        runtimeError.value = deviceInUseMessage(claim.inUse);
        db.close();
        starting = null;
        return;
      }
      device = claim.device;
    }
    const neverPulled = device.last_pull_ok_at === null;
    if (neverPulled) firstSync.value = { pages: 0, changes: 0 };
    const status = syncStatusModel(db, { online, syncing });
    disposeStatus = status.dispose;
    disposeSettings = watchSettings(db);
    const engine = deferredEngine(db);
    runtime.value = { db, engine: engine.facade, status: status.value, deviceId: device.device_id };
    stopEngine = engine.stop;
    // A phone that never pulled has no first screen to show but the first sync's progress.
    if (neverPulled) void engine.load();
    else void afterFirstScreen().then(engine.load);
  })();
  return starting;
}

/**
 * The engine for `db`, imported and started by `load()` (or by the first call that needs it);
 * `stop()` stops it, or keeps it from starting when it has not arrived yet.
 */
function deferredEngine(db: QuitaDb): {
  facade: SyncEngine;
  load: () => Promise<SyncEngine | null>;
  stop: () => void;
} {
  let stopped = false;
  let stopLoaded: (() => void) | null = null;
  let loaded: SyncEngine | null = null;
  let loading: Promise<SyncEngine | null> | null = null;
  const load = (): Promise<SyncEngine | null> =>
    (loading ??= import('../sync/browser').then(({ createBrowserSync }) => {
      if (stopped) return null;
      const { engine, start } = createBrowserSync({
        db,
        appVersion: __APP_VERSION__,
        authHeaders,
        collectorName: session.value?.user.name ?? '',
        onEvent: (event) => {
          if (event.type === 'sync-start') syncing.value = true;
          else if (event.type === 'sync-end') {
            syncing.value = false;
            lastSyncError.value = event.ok ? null : (event.error?.message ?? null);
            if (event.ok) firstSync.value = null;
          } else if (event.type === 'progress' && event.firstSync)
            firstSync.value = { pages: event.pages, changes: event.changes };
          else if (event.type === 'upgrade-required' && !upgradeRequired.value) {
            upgradeRequired.value = true;
            // Fetch the new version now rather than at the next hourly check; the update itself
            // is still the collector's tap (never a reload over a form).
            checkForUpdate();
          }
        },
      });
      loaded = engine;
      stopLoaded = start();
      return engine;
    }));
  const ready = async (): Promise<SyncEngine> => {
    const engine = await load();
    if (!engine) throw new Error('sync stopped: signed out');
    return engine;
  };
  const facade: SyncEngine = {
    async save(input) {
      return (await ready()).save(input);
    },
    async requestSync(reason) {
      return (await ready()).requestSync(reason);
    },
    start() {
      void load();
      return stop;
    },
    get running() {
      return loaded?.running ?? false;
    },
    whenIdle: () => (loaded ? loaded.whenIdle() : Promise.resolve()),
  };
  function stop(): void {
    stopped = true;
    stopLoaded?.();
    stopLoaded = null;
  }
  return { facade, load, stop };
}

/** Sign-out: stop syncing in this tab. The database (and its outbox) stays on the device. */
export function stopCollector(): void {
  stopEngine?.();
  disposeStatus?.();
  disposeSettings?.();
  runtime.value?.db.close();
  stopEngine = null;
  disposeStatus = null;
  disposeSettings = null;
  pulledSettings.value = [];
  starting = null;
  runtime.value = null;
  firstSync.value = null;
}

export const waiting = computed(() => runtime.value?.status.value.pending ?? 0);

// ---- Organisation settings (creditor identity, policies, templates), pulled for offline use

/**
 * What collector screens read from the pulled sections (db.settings, one row per section: the
 * sync feed keeps them current). Absent sections mean "use the shared default".
 */
export interface OrgSettings {
  organisation?: {
    legalName?: string | null;
    tradeName?: string | null;
    document?: string | null;
    phone?: string | null;
    timeZone?: string;
    state?: string;
    address?: {
      street?: string;
      number?: string;
      district?: string;
      city?: string;
      state?: string;
    } | null;
    pix?: { key: string; keyType: 'email' | 'cpf' | 'cnpj' | 'phone' | 'evp' } | null;
    pixMerchantName?: string | null;
    pixMerchantCity?: string | null;
  };
  cadence?: unknown;
  promise?: unknown;
  negotiation?: unknown;
  holidays?: unknown;
  templates?: unknown[];
  /** How messages are written (SMS accents): shared/settings/message-settings.schema.ts. */
  messages?: unknown;
}

/**
 * Where apps before settings-in-the-feed cached GET /api/settings. Read once, only as a
 * stand-in until this device's first pull of the sections (an upgraded phone opened offline
 * still has its PIX key and templates); deleted once the pulled copy is there.
 */
const LEGACY_SETTINGS_KEY = 'quita.settings';

function readLegacySettings(): OrgSettings | null {
  try {
    const raw = localStorage.getItem(LEGACY_SETTINGS_KEY);
    return raw ? (JSON.parse(raw) as OrgSettings) : null;
  } catch {
    return null;
  }
}

const legacySettings = readLegacySettings();
const pulledSettings = signal<readonly SrvSetting[]>([]);

/** The sections as the last pull delivered them; null before any (screens use the defaults). */
export function settingsOf(
  rows: readonly SrvSetting[],
  fallback: OrgSettings | null,
): OrgSettings | null {
  if (rows.length === 0) return fallback;
  const out: Record<string, unknown> = {};
  for (const row of rows) out[row.key] = row.value;
  return out as OrgSettings;
}

export const orgSettings: ReadonlySignal<OrgSettings | null> = computed(() =>
  settingsOf(pulledSettings.value, legacySettings),
);

/** Follows db.settings (the pull applier writes it); answers the unsubscribe. */
function watchSettings(db: QuitaDb): () => void {
  const subscription = liveQuery(() => db.settings.toArray()).subscribe({
    next: (rows) => {
      pulledSettings.value = rows;
      if (rows.length > 0 && legacySettings !== null) {
        try {
          localStorage.removeItem(LEGACY_SETTINGS_KEY);
        } catch {
          // Storage unavailable: the stale copy is ignored anyway once sections are pulled.
        }
      }
    },
  });
  return () => subscription.unsubscribe();
}

/**
 * Kept for the shell's call at sign-in: the sections now arrive with every pull, so there is
 * nothing left to fetch separately.
 */
export async function refreshSettings(): Promise<void> {}
