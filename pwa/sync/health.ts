/**
 * The device health block sent with every sync request (reference/sync.md §5.9), so owners see
 * what each phone last reported: outbox depth and age, rejects, storage, installed or not.
 */
import type { DeviceHealth } from '#shared/sync/device.schema';
import { SCHEMA_VERSION, type QuitaDb } from '../db/db';

/** What the browser can tell about itself; every probe is optional and may fail. */
export interface HealthEnv {
  /** `navigator.storage.persisted()`. */
  persisted?: () => Promise<boolean>;
  /** `navigator.storage.estimate()`. */
  estimate?: () => Promise<{ usage?: number; quota?: number }>;
  /** `standalone`, `fullscreen`, `minimal-ui` or `browser` (matchMedia display-mode). */
  displayMode?: () => DeviceHealth['display_mode'];
  userAgent?: string;
}

async function probe<T>(fn: (() => Promise<T>) | undefined): Promise<T | null> {
  if (!fn) return null;
  try {
    return await fn();
  } catch {
    // A health probe must never fail a sync.
    return null;
  }
}

function whole(n: number | undefined): number | null {
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.floor(n) : null;
}

export async function collectHealth(
  db: QuitaDb,
  env: HealthEnv,
  appVersion: string,
): Promise<DeviceHealth> {
  const { outbox, device } = await db.transaction('r', db.outbox, db.device, async () => ({
    outbox: await db.outbox.toArray(),
    device: await db.device.get('device'),
  }));
  let pending = 0;
  let rejected = 0;
  let oldest: string | null = null;
  for (const row of outbox) {
    if (row.state === 'rejected') rejected++;
    else if (row.state === 'pending' || row.state === 'sending') {
      pending++;
      if (oldest === null || row.created_at_device < oldest) oldest = row.created_at_device;
    }
  }
  const [persisted, estimate] = await Promise.all([probe(env.persisted), probe(env.estimate)]);
  const displayMode = env.displayMode?.();
  return {
    app_version: appVersion.slice(0, 40),
    schema_version: SCHEMA_VERSION,
    outbox_pending: pending,
    outbox_oldest_pending_at: oldest,
    outbox_rejected: rejected,
    persisted,
    storage_usage: whole(estimate?.usage),
    storage_quota: whole(estimate?.quota),
    installed: displayMode === 'standalone' || displayMode === 'fullscreen',
    ...(displayMode === undefined ? {} : { display_mode: displayMode }),
    storage_full: device?.storage_full_at != null,
    last_error: device?.last_error?.slice(0, 1000) ?? null,
    user_agent: (env.userAgent ?? '').slice(0, 500),
  };
}
