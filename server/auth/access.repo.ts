/**
 * A person's ways in, as the owner sees and cuts them: their sessions and personal API tokens
 * (the extension's) and, for collectors, their phones (sync_devices). Revoking a device revokes
 * the session that last synced from it and makes the sync refuse the device from then on.
 */
import type { Queryable, Tx } from '../db/db';

export interface AccessToken {
  id: string;
  kind: 'session' | 'api';
  name: string | null;
  display: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string;
}

export interface AccessDevice {
  id: string;
  firstSeenAt: string;
  lastSeenAt: string | null;
  appVersion: string | null;
  userAgent: string | null;
  installed: boolean;
  outboxPending: number;
  revokedAt: string | null;
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

/** Live tokens (neither revoked nor expired) and every device of `userId`. */
export async function userAccess(
  q: Queryable,
  userId: string,
  now: Date,
): Promise<{ tokens: AccessToken[]; devices: AccessDevice[] }> {
  const [tokens, devices] = await Promise.all([
    q.query<{
      id: string;
      kind: 'session' | 'api';
      name: string | null;
      display: string;
      created_at: Date;
      last_used_at: Date | null;
      expires_at: Date;
    }>(
      `SELECT id, kind, name, display, created_at, last_used_at, expires_at FROM auth_tokens
        WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2
        ORDER BY kind, created_at, id`,
      [userId, now],
    ),
    q.query<{
      id: string;
      first_seen_at: Date;
      last_seen_at: Date | null;
      app_version: string | null;
      user_agent: string | null;
      installed: boolean;
      outbox_pending: number;
      revoked_at: Date | null;
    }>(
      `SELECT id, first_seen_at, last_seen_at, app_version, user_agent, installed, outbox_pending,
              revoked_at
         FROM sync_devices WHERE collector_id = $1 ORDER BY first_seen_at, id`,
      [userId],
    ),
  ]);
  return {
    tokens: tokens.map((t) => ({
      id: t.id,
      kind: t.kind,
      name: t.name,
      display: t.display,
      createdAt: t.created_at.toISOString(),
      lastUsedAt: iso(t.last_used_at),
      expiresAt: t.expires_at.toISOString(),
    })),
    devices: devices.map((d) => ({
      id: d.id,
      firstSeenAt: d.first_seen_at.toISOString(),
      lastSeenAt: iso(d.last_seen_at),
      appVersion: d.app_version,
      userAgent: d.user_agent,
      installed: d.installed,
      outboxPending: Number(d.outbox_pending),
      revokedAt: iso(d.revoked_at),
    })),
  };
}

/** Revokes `deviceId` of `userId` and the session tied to it; false when not theirs or done. */
export async function revokeDevice(
  tx: Tx,
  input: { userId: string; deviceId: string; by: string; now: Date },
): Promise<{ revoked: boolean; sessionRevoked: boolean }> {
  const [device] = await tx.query<{ token_id: string | null }>(
    `UPDATE sync_devices SET revoked_at = $3, revoked_by = $4
      WHERE id = $1 AND collector_id = $2 AND revoked_at IS NULL RETURNING token_id`,
    [input.deviceId, input.userId, input.now, input.by],
  );
  if (!device) return { revoked: false, sessionRevoked: false };
  const sessions =
    device.token_id === null
      ? []
      : await tx.query(
          'UPDATE auth_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id',
          [device.token_id, input.now],
        );
  return { revoked: true, sessionRevoked: sessions.length > 0 };
}
