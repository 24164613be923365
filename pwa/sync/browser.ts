/**
 * Wires the sync engine to the real browser: Web Locks, storage persistence and estimate,
 * display mode, the session header, and the window/document triggers. Everything here is a thin
 * adapter; the logic (and its tests) lives in ./sync-engine.ts.
 */
import type { DeviceHealth } from '#shared/sync/device.schema';
import type { QuitaDb } from '../db/db';
import {
  createSyncEngine,
  type BrowserTarget,
  type SyncEngine,
  type SyncEvent,
} from './sync-engine';

function displayMode(): DeviceHealth['display_mode'] {
  for (const mode of ['standalone', 'fullscreen', 'minimal-ui'] as const)
    if (window.matchMedia?.(`(display-mode: ${mode})`).matches) return mode;
  return 'browser';
}

/** `online`/`pageshow` come from window, `visibilitychange` from document. */
const browserTarget: BrowserTarget = {
  addEventListener: (type, fn) =>
    (type === 'visibilitychange' ? document : window).addEventListener(type, fn),
  removeEventListener: (type, fn) =>
    (type === 'visibilitychange' ? document : window).removeEventListener(type, fn),
  visibilityState: () => document.visibilityState,
};

/**
 * The engine for this tab. `authHeaders` returns the current session header (it may change after
 * a new login). Call `start()` on the result once the collector is signed in.
 */
export function createBrowserSync(input: {
  db: QuitaDb;
  appVersion: string;
  authHeaders: () => Record<string, string>;
  onEvent?: (event: SyncEvent) => void;
}): { engine: SyncEngine; start: () => () => void } {
  let askedPersist = false;
  const storage = navigator.storage;
  const engine = createSyncEngine({
    db: input.db,
    fetch: (url, init) =>
      fetch(url, {
        ...init,
        headers: { ...(init?.headers as Record<string, string>), ...input.authHeaders() },
      }),
    now: () => new Date(),
    random: Math.random,
    ...(navigator.locks ? { locks: navigator.locks } : {}),
    appVersion: input.appVersion,
    health: {
      ...(storage?.persisted ? { persisted: () => storage.persisted() } : {}),
      ...(storage?.estimate ? { estimate: () => storage.estimate() } : {}),
      displayMode,
      userAgent: navigator.userAgent,
    },
    onEvent: (event) => {
      // Ask for persistent storage after the first meaningful save, not on page load (web.dev).
      if (!askedPersist && event.type === 'sync-start' && event.reasons.includes('save')) {
        askedPersist = true;
        void storage?.persist?.().catch(() => false);
      }
      input.onEvent?.(event);
    },
  });
  return { engine, start: () => engine.start(browserTarget) };
}
