/**
 * Wires the sync engine to the real browser: Web Locks, storage persistence and estimate,
 * display mode, the session header, and the window/document triggers. Everything here is a thin
 * adapter; the logic (and its tests) lives in ./sync-engine.ts.
 */
import { defaultDeviceName } from '#shared/sync/device-name';
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

interface UserAgentDataLike {
  getHighEntropyValues?(hints: string[]): Promise<{ model?: string }>;
}

/**
 * "Moto g(60) de Carlos": the model from the user-agent client hints when the browser gives it
 * (a secure-context API, so optional), else from the user agent; the collector's first name.
 */
async function proposedName(collectorName: string): Promise<string> {
  const data = (navigator as Navigator & { userAgentData?: UserAgentDataLike }).userAgentData;
  const model = await data
    ?.getHighEntropyValues?.(['model'])
    .then((v) => v.model ?? null)
    .catch(() => null);
  return defaultDeviceName({ userAgent: navigator.userAgent, model: model ?? null, collectorName });
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
  /** The signed-in collector's name, for the device's proposed name. */
  collectorName?: string;
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
    deviceName: () => proposedName(input.collectorName ?? ''),
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
