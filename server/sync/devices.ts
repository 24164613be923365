/**
 * Devices (reference/sync.md §5.9): an install is bound to the collector who first used it; the
 * health block of every sync request is stored on its row with the measured clock offset, so the
 * owner's dashboard shows the last reported values "as of" the last contact.
 */
import { defaultDeviceName, uniqueDeviceName } from '#shared/sync/device-name';
import { CLOCK_OFFSET_RED_MS } from '#shared/sync/device-status';
import type { DeviceHealth } from '#shared/sync/device.schema';
import { uuidv7 } from 'uuidv7';
import { audit } from '../db/audit';
import type { Db, Tx } from '../db/db';
import { problem, problemError } from '../http/problem';

export interface DeviceRow {
  id: string;
  collector_id: string;
  last_seq: number;
  first_seen_at: Date;
  last_seen_at: Date | null;
  last_push_ok_at: Date | null;
  last_pull_ok_at: Date | null;
  acked_cursor: string | null;
  app_version: string | null;
  schema_version: number | null;
  clock_offset_ms: number | null;
  persisted: boolean | null;
  storage_usage: number | null;
  storage_quota: number | null;
  outbox_pending: number;
  outbox_oldest_pending_at: Date | null;
  outbox_rejected: number;
  storage_full: boolean;
  installed: boolean;
  display_mode: string | null;
  last_error: string | null;
  user_agent: string | null;
  replaced_with_pending_at: Date | null;
  /** Migration 0190; null for devices registered before it until they are named. */
  name?: string | null;
  /** 0110: the session that last synced from it, and the owner's revocation. */
  token_id?: string | null;
  revoked_at?: Date | null;
}

/**
 * Names a device that has no name yet: the phone's proposal, else one made from its user agent
 * and the collector's first name, unique among the collector's devices (" (2)", " (3)"…).
 */
export async function nameDevice(
  tx: Tx,
  input: { deviceId: string; collectorId: string; proposed?: string; userAgent: string },
): Promise<void> {
  const [row] = await tx.query<{ name: string | null; collector_name: string }>(
    `SELECT d.name, u.name AS collector_name FROM sync_devices d JOIN users u ON u.id = d.collector_id
     WHERE d.id = $1 FOR UPDATE OF d`,
    [input.deviceId],
  );
  if (!row || row.name !== null) return;
  const others = await tx.query<{ name: string }>(
    'SELECT name FROM sync_devices WHERE collector_id = $1 AND id <> $2 AND name IS NOT NULL',
    [input.collectorId, input.deviceId],
  );
  const name = uniqueDeviceName(
    input.proposed ??
      defaultDeviceName({ userAgent: input.userAgent, collectorName: row.collector_name }),
    others.map((o) => o.name),
  );
  await tx.query('UPDATE sync_devices SET name = $2 WHERE id = $1', [input.deviceId, name]);
}

/** Beyond this the device's clock is flagged (never a reason to reject: §5.7). */
export const CLOCK_FLAG_MS = CLOCK_OFFSET_RED_MS;

/** server_now − device_now. */
export function clockOffsetMs(serverNow: Date, deviceNow: string): number {
  return serverNow.getTime() - Date.parse(deviceNow);
}

function notYours(): Error {
  // Another user's device id: answered like an unknown resource, never confirming it exists.
  return problemError(
    problem(403, 'device-not-yours', 'este aparelho está registrado para outro usuário'),
  );
}

/**
 * Finds or creates the device for `collectorId` (idempotent; safe under concurrent first pushes).
 * A new device of a collector whose other device last reported pending items marks that one
 * `replaced_with_pending` (possible eviction or lost phone: red on the dashboard).
 */
export async function ensureDevice(
  tx: Tx,
  deviceId: string,
  collectorId: string,
  tokenId?: string,
): Promise<{ device: DeviceRow; created: boolean }> {
  const inserted = await tx.query<DeviceRow>(
    `INSERT INTO sync_devices (id, collector_id) VALUES ($1, $2)
     ON CONFLICT (id) DO NOTHING RETURNING *`,
    [deviceId, collectorId],
  );
  const created = inserted.length > 0;
  const [device] = created
    ? inserted
    : await tx.query<DeviceRow>('SELECT * FROM sync_devices WHERE id = $1', [deviceId]);
  if (!device) throw new Error('device row vanished');
  if (device.collector_id !== collectorId) throw notYours();
  // The owner cut this phone off (lost, stolen, someone left): no sync from it, ever again.
  if (device.revoked_at)
    throw problemError(
      problem(403, 'device-revoked', 'este aparelho foi desconectado pelo proprietário'),
    );
  // Tie the device to the session syncing from it, so revoking the device ends that session.
  if (tokenId !== undefined && device.token_id !== tokenId)
    await tx.query('UPDATE sync_devices SET token_id = $2 WHERE id = $1', [deviceId, tokenId]);
  if (created)
    await tx.query(
      `UPDATE sync_devices SET replaced_with_pending_at = now()
       WHERE collector_id = $1 AND id <> $2 AND outbox_pending > 0 AND replaced_with_pending_at IS NULL`,
      [collectorId, deviceId],
    );
  return { device, created };
}

/** A device's health report as one sync request carries it. */
export interface HealthReport {
  deviceId: string;
  collectorId: string;
  health: DeviceHealth;
  deviceNow: string;
  serverNow: Date;
  ok?: 'push' | 'pull';
  ackedCursor?: string | null;
  /** The session making the request (see ensureDevice). */
  tokenId?: string;
}

/**
 * Writes the health block and the contact onto the device row inside `tx` (locking the row);
 * undefined when the device is not registered. The caller checks the row's collector.
 */
export async function writeHealth(tx: Tx, input: HealthReport): Promise<DeviceRow | undefined> {
  const h = input.health;
  const oldest =
    h.outbox_oldest_pending_at === null ? null : new Date(Date.parse(h.outbox_oldest_pending_at));
  const [row] = await tx.query<DeviceRow>(
    `UPDATE sync_devices SET
       last_seen_at = $2, app_version = $3, schema_version = $4, clock_offset_ms = $5,
       persisted = $6, storage_usage = $7, storage_quota = $8, outbox_pending = $9,
       outbox_oldest_pending_at = $10, outbox_rejected = $11, installed = $12,
       display_mode = $13, last_error = $14, user_agent = $15, storage_full = $18,
       last_push_ok_at = CASE WHEN $16 = 'push' THEN $2 ELSE last_push_ok_at END,
       last_pull_ok_at = CASE WHEN $16 = 'pull' THEN $2 ELSE last_pull_ok_at END,
       acked_cursor = CASE WHEN $16 = 'pull' THEN $17 ELSE acked_cursor END
     WHERE id = $1 RETURNING *`,
    [
      input.deviceId,
      input.serverNow,
      h.app_version,
      h.schema_version,
      clockOffsetMs(input.serverNow, input.deviceNow),
      h.persisted,
      h.storage_usage,
      h.storage_quota,
      h.outbox_pending,
      oldest,
      h.outbox_rejected,
      h.installed,
      h.display_mode ?? null,
      h.last_error,
      h.user_agent,
      input.ok ?? '',
      input.ackedCursor ?? null,
      h.storage_full ?? false,
    ],
  );
  return row;
}

/**
 * The push part of `writeHealth` for many devices in ONE statement (push-group.ts): writes each
 * report onto its device row (locking it) only where the fast path of `registerAndWriteHealth`
 * holds — a known, live device of that collector synced from the same session — and answers those
 * rows. A report without a row here was not written: its request goes the one-at-a-time way.
 */
export async function writePushHealthMany(
  tx: Tx,
  reports: readonly Omit<HealthReport, 'ok' | 'ackedCursor'>[],
): Promise<DeviceRow[]> {
  if (reports.length === 0) return [];
  const rows = reports.map((r) => {
    const h = r.health;
    return {
      id: r.deviceId,
      collector_id: r.collectorId,
      token_id: r.tokenId ?? null,
      now: r.serverNow,
      app_version: h.app_version,
      schema_version: h.schema_version,
      clock_offset_ms: clockOffsetMs(r.serverNow, r.deviceNow),
      persisted: h.persisted,
      storage_usage: h.storage_usage,
      storage_quota: h.storage_quota,
      outbox_pending: h.outbox_pending,
      outbox_oldest_pending_at:
        h.outbox_oldest_pending_at === null
          ? null
          : new Date(Date.parse(h.outbox_oldest_pending_at)),
      outbox_rejected: h.outbox_rejected,
      installed: h.installed,
      display_mode: h.display_mode ?? null,
      last_error: h.last_error,
      user_agent: h.user_agent,
      storage_full: h.storage_full ?? false,
    };
  });
  return tx.query<DeviceRow>(
    `UPDATE sync_devices d SET
       last_seen_at = h.now, app_version = h.app_version, schema_version = h.schema_version,
       clock_offset_ms = h.clock_offset_ms, persisted = h.persisted,
       storage_usage = h.storage_usage, storage_quota = h.storage_quota,
       outbox_pending = h.outbox_pending, outbox_oldest_pending_at = h.outbox_oldest_pending_at,
       outbox_rejected = h.outbox_rejected, installed = h.installed, display_mode = h.display_mode,
       last_error = h.last_error, user_agent = h.user_agent, storage_full = h.storage_full,
       last_push_ok_at = h.now
     FROM json_to_recordset($1::json) AS h(id uuid, collector_id uuid, token_id uuid,
       now timestamptz, app_version text, schema_version integer, clock_offset_ms bigint,
       persisted boolean, storage_usage bigint, storage_quota bigint, outbox_pending integer,
       outbox_oldest_pending_at timestamptz, outbox_rejected integer, installed boolean,
       display_mode text, last_error text, user_agent text, storage_full boolean)
     WHERE d.id = h.id AND d.collector_id = h.collector_id AND d.revoked_at IS NULL
       AND (h.token_id IS NULL OR d.token_id = h.token_id)
     RETURNING d.*`,
    [JSON.stringify(rows)],
  );
}

/**
 * Registers the device if new (ensureDevice: refused when it is another user's or revoked, tied
 * to the request's session), then writes its health inside `tx`: one statement for a known,
 * live device of this collector synced from the same session.
 */
export async function registerAndWriteHealth(tx: Tx, input: HealthReport): Promise<DeviceRow> {
  const known = await writeHealth(tx, input);
  if (
    known &&
    known.collector_id === input.collectorId &&
    !known.revoked_at &&
    (input.tokenId === undefined || known.token_id === input.tokenId)
  )
    return known;
  // Unknown, another user's or revoked (ensureDevice throws; the transaction rolls the write
  // back), or synced from a new session (ensureDevice ties it).
  await ensureDevice(tx, input.deviceId, input.collectorId, input.tokenId);
  const row = await writeHealth(tx, input);
  if (!row) throw new Error('device row vanished');
  return row;
}

/** Stores the health block and the contact; `ok` marks a successful push or pull. */
export async function recordHealth(db: Db, input: HealthReport): Promise<DeviceRow> {
  // READ COMMITTED: health is a last-reported snapshot (last writer wins by design), and
  // concurrent requests from one device must not abort each other on this row.
  return db.transaction(async (tx) => {
    await ensureDevice(tx, input.deviceId, input.collectorId, input.tokenId);
    const row = await writeHealth(tx, input);
    if (!row) throw new Error('device row vanished');
    return row;
  }, READ_COMMITTED);
}

/**
 * Moves a device's sequence past seqs it can no longer send (after a server restore from an older
 * backup), inside the push transaction that holds the device row lock. The loss is stored for the
 * owner's dashboard and audited; the caller sets last_seq.
 */
export async function rebaseDevice(
  tx: Tx,
  input: {
    deviceId: string;
    collectorId: string;
    fromSeq: number;
    toSeq: number;
    retainedFromSeq: number;
    now: Date;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO sync_seq_losses (id, device_id, collector_id, from_seq, to_seq, detected_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [uuidv7(), input.deviceId, input.collectorId, input.fromSeq, input.toSeq, input.now],
  );
  await audit(tx, {
    actor: input.collectorId,
    action: 'sync.seq_rebased',
    entity: 'sync_device',
    entityId: input.deviceId,
    detail: {
      lostFromSeq: input.fromSeq,
      lostToSeq: input.toSeq,
      retainedFromSeq: input.retainedFromSeq,
    },
  });
}

export const READ_COMMITTED = { isolation: 'read committed' } as const;
