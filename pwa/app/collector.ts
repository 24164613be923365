/**
 * The collector's runtime: the device database, the sync engine and the status signals every
 * collector screen reads. Started once per signed-in collector session (after sign-in, or at boot
 * with a stored session — also offline: the outbox and the last pull are on the device).
 */
import { computed, signal, type ReadonlySignal } from '@preact/signals';
import { ensureDevice, openDb, type QuitaDb } from '../db/db';
import { syncStatusModel } from '../models/read-models';
import type { SyncStatus } from '../models/merge';
import { createBrowserSync } from '../sync/browser';
import type { SyncEngine } from '../sync/sync-engine';
import { authHeaders } from './api';
import { online } from './platform';

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

let starting: Promise<void> | null = null;
let stopEngine: (() => void) | null = null;
let disposeStatus: (() => void) | null = null;

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
    const device = await ensureDevice(db, { collectorId, newId: () => crypto.randomUUID() });
    if (device.last_pull_ok_at === null) firstSync.value = { pages: 0, changes: 0 };
    const { engine, start } = createBrowserSync({
      db,
      appVersion: __APP_VERSION__,
      authHeaders,
      onEvent: (event) => {
        if (event.type === 'sync-start') syncing.value = true;
        else if (event.type === 'sync-end') {
          syncing.value = false;
          lastSyncError.value = event.ok ? null : (event.error?.message ?? null);
          if (event.ok) {
            firstSync.value = null;
            // Creditor identity, policies and templates are not in the sync feed: refresh the
            // cached copy while the connection is known to work.
            void refreshSettings();
          }
        } else if (event.type === 'progress' && event.firstSync)
          firstSync.value = { pages: event.pages, changes: event.changes };
      },
    });
    const status = syncStatusModel(db, { online, syncing });
    disposeStatus = status.dispose;
    runtime.value = { db, engine, status: status.value, deviceId: device.device_id };
    stopEngine = start();
  })();
  return starting;
}

/** Sign-out: stop syncing in this tab. The database (and its outbox) stays on the device. */
export function stopCollector(): void {
  stopEngine?.();
  disposeStatus?.();
  runtime.value?.db.close();
  stopEngine = null;
  disposeStatus = null;
  starting = null;
  runtime.value = null;
  firstSync.value = null;
}

export const waiting = computed(() => runtime.value?.status.value.pending ?? 0);

// ---- Organisation settings (creditor identity, policies, templates), cached for offline use

const SETTINGS_KEY = 'quita.settings';

export interface OrgSettings {
  organisation?: {
    legalName?: string | null;
    tradeName?: string | null;
    document?: string | null;
    phone?: string | null;
    timeZone?: string;
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
  templates?: unknown[];
}

function loadSettings(): OrgSettings | null {
  try {
    const raw = localStorage.getItem(SETTINGS_KEY);
    return raw ? (JSON.parse(raw) as OrgSettings) : null;
  } catch {
    return null;
  }
}

/** The last settings fetched while online (the sync feed does not carry them). */
export const orgSettings = signal<OrgSettings | null>(loadSettings());

export async function refreshSettings(): Promise<void> {
  try {
    const res = await fetch('/api/settings', { headers: authHeaders() });
    if (!res.ok) return;
    const body = (await res.json()) as OrgSettings;
    localStorage.setItem(SETTINGS_KEY, JSON.stringify(body));
    orgSettings.value = body;
  } catch {
    // Offline: keep the cached copy.
  }
}
