/**
 * What the browser tells us about the app's place on the device: connectivity, service-worker
 * updates (offered as a prompt, never applied over a dirty form), persistent storage, and the
 * install prompt. Everything is a signal the shell renders.
 */
import { signal } from '@preact/signals';
import type { Workbox } from 'workbox-window';
import { dirty } from './dirty';

export const online = signal(navigator.onLine);
addEventListener('online', () => (online.value = true));
addEventListener('offline', () => (online.value = false));

// ---- The first screen

/**
 * What must wait for the first screen (the service worker's registration, the collector's sync
 * engine) waits for this: a cheap phone gives the screen's own code and IndexedDB reads the CPU
 * and the network first. A screen whose content arrives after it mounts (Today's list) reports
 * itself; the shell reports the others on mount; a screen that never reports holds nothing back
 * longer than FIRST_SCREEN_MAX_MS.
 */
const FIRST_SCREEN_MAX_MS = 3_000;
let reportShown: () => void = () => {};
const firstScreen = new Promise<void>((done) => (reportShown = done));
setTimeout(() => reportShown(), FIRST_SCREEN_MAX_MS);

/** The screen on display has shown its content (idempotent). */
export function screenShown(): void {
  reportShown();
}

/** Resolves once the first screen is shown (or FIRST_SCREEN_MAX_MS after boot at the latest). */
export function afterFirstScreen(): Promise<void> {
  return firstScreen;
}

// ---- Service-worker updates (registerType 'prompt', reference/sync.md §4.4)

/** A new version is installed and waiting. */
export const updateReady = signal(false);
export const swActive = signal(false);
let workbox: Workbox | undefined;

const HOUR = 3_600_000;

export async function registerServiceWorker(): Promise<void> {
  // Not under the Vite dev server (no /sw.js there). `import.meta.hot` rather than
  // `import.meta.env.PROD`: a build made inside a test run (NODE_ENV=test) is still a real build.
  if (!('serviceWorker' in navigator) || import.meta.hot) return;
  // workbox-window and a first install's precache download wait for the first screen (web.dev:
  // register after load); an installed worker controls the page whether registered yet or not.
  await afterFirstScreen();
  const { Workbox } = await import('workbox-window');
  const wb = new Workbox('/sw.js', { updateViaCache: 'none' });
  workbox = wb;
  wb.addEventListener('waiting', () => (updateReady.value = true));
  wb.addEventListener('activated', () => (swActive.value = true));
  // Another tab accepted the update: reload only when nothing here would be lost; otherwise the
  // old page keeps working until the user saves and reloads.
  wb.addEventListener('controlling', () => {
    if (!dirty.value) location.reload();
  });
  const registration = await wb.register();
  swActive.value = registration?.active != null;
  // Updates are only checked on navigation unless asked; a field app may stay open for days.
  setInterval(() => void wb.update(), HOUR);
  addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void wb.update();
  });
}

/** Looks for a new version now (the server said this one is too old). */
export function checkForUpdate(): void {
  void workbox?.update();
}

/** Applies the waiting version; refuses while a form holds unsaved changes. */
export function applyUpdate(): boolean {
  if (dirty.value || !workbox) return false;
  workbox.messageSkipWaiting();
  return true;
}

// ---- Persistent storage

export type PersistState = 'unknown' | 'granted' | 'denied' | 'unsupported';
export const persist = signal<PersistState>('unknown');

export async function requestPersistence(): Promise<void> {
  if (!navigator.storage?.persist) {
    persist.value = 'unsupported';
    return;
  }
  try {
    const already = await navigator.storage.persisted();
    persist.value = already || (await navigator.storage.persist()) ? 'granted' : 'denied';
  } catch {
    persist.value = 'unsupported';
  }
}

// ---- Install prompt

interface InstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

export const installable = signal(false);
export const installed = signal(
  matchMedia('(display-mode: standalone)').matches ||
    matchMedia('(display-mode: fullscreen)').matches,
);
let deferred: InstallPromptEvent | undefined;

addEventListener('beforeinstallprompt', (event) => {
  event.preventDefault();
  deferred = event as InstallPromptEvent;
  installable.value = true;
});
addEventListener('appinstalled', () => {
  installed.value = true;
  installable.value = false;
});

export async function promptInstall(): Promise<void> {
  if (!deferred) return;
  await deferred.prompt();
  const choice = await deferred.userChoice;
  deferred = undefined;
  installable.value = false;
  if (choice.outcome === 'accepted') installed.value = true;
}
