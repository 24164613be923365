/**
 * `/api/status`: the owner's view of every collector device (reference/sync.md §5.9). Values are
 * the LAST REPORTED ones, labelled with `asOf` (last contact): the server cannot know what an
 * offline phone holds now. Also the field-edit conflicts and the refused/deferred facts to review.
 */
import { Hono } from 'hono';
import { deviceStatus } from '#shared/sync/device-status';
import { CURRENT_SCHEMA_VERSION } from '#shared/sync/protocol.schema';
import type { Deps } from '../app';
import { requireRole, type AppEnv } from '../http/auth';
import type { DeviceRow } from '../sync/devices';

const ms = (d: Date | null) => (d === null ? null : d.getTime());
const iso = (d: Date | null) => (d === null ? null : d.toISOString());

/** `/api/status`. */
export function statusRoutes({ db, now }: Deps) {
  return (
    new Hono<AppEnv>()
      .get('/devices', requireRole('owner'), async (c) => {
        const rows = await db.query<DeviceRow & { collector_name: string; lag_ms: number | null }>(
          `SELECT d.*, u.name AS collector_name,
         (SELECT avg(extract(epoch FROM m.received_at) * 1000 - extract(epoch FROM m.occurred_at::timestamptz) * 1000)
            FROM sync_mutations m WHERE m.device_id = d.id
              AND m.received_at > now() - interval '7 days') AS lag_ms
       FROM sync_devices d JOIN users u ON u.id = d.collector_id
       ORDER BY u.name, d.last_seen_at DESC NULLS LAST`,
        );
        const at = now();
        const items = rows.map((r) => {
          const offset = r.clock_offset_ms === null ? null : Number(r.clock_offset_ms);
          const status = deviceStatus(
            {
              lastSeenAt: ms(r.last_seen_at),
              lastPullOkAt: ms(r.last_pull_ok_at),
              outboxPending: r.outbox_pending,
              // The device clock is data: correct the oldest-pending time by the measured offset.
              outboxOldestPendingAt:
                r.outbox_oldest_pending_at === null
                  ? null
                  : r.outbox_oldest_pending_at.getTime() + (offset ?? 0),
              outboxRejected: r.outbox_rejected,
              persisted: r.persisted,
              storageUsage: r.storage_usage === null ? null : Number(r.storage_usage),
              storageQuota: r.storage_quota === null ? null : Number(r.storage_quota),
              installed: r.installed,
              schemaVersion: r.schema_version ?? 0,
              clockOffsetMs: offset,
              replacedWithPending: r.replaced_with_pending_at !== null,
            },
            at.getTime(),
            { currentSchemaVersion: CURRENT_SCHEMA_VERSION },
          );
          return {
            deviceId: r.id,
            collector: { id: r.collector_id, name: r.collector_name },
            level: status.level,
            reasons: status.reasons,
            asOf: iso(r.last_seen_at),
            firstSeenAt: iso(r.first_seen_at),
            lastPushOkAt: iso(r.last_push_ok_at),
            lastPullOkAt: iso(r.last_pull_ok_at),
            lastSeq: Number(r.last_seq),
            appVersion: r.app_version,
            schemaVersion: r.schema_version,
            clockOffsetMs: offset,
            outboxPending: r.outbox_pending,
            outboxOldestPendingAt: iso(r.outbox_oldest_pending_at),
            outboxRejected: r.outbox_rejected,
            persisted: r.persisted,
            storageUsage: r.storage_usage === null ? null : Number(r.storage_usage),
            storageQuota: r.storage_quota === null ? null : Number(r.storage_quota),
            installed: r.installed,
            displayMode: r.display_mode,
            lastError: r.last_error,
            userAgent: r.user_agent,
            /** Mean "recorded on the device → received by the server" over the last 7 days. */
            lagMs: r.lag_ms === null ? null : Math.round(Number(r.lag_ms)),
          };
        });
        return c.json({ items, serverNow: at.toISOString() });
      })
      // Field edits applied over a version the collector had not seen (LWW), for review.
      .get('/conflicts', requireRole('owner'), async (c) => {
        const rows = await db.query<{
          id: string;
          mutation_id: string;
          debtor_id: string;
          debtor_name: string;
          field: string;
          base_version: number;
          current_version: number;
          old_value: unknown;
          new_value: unknown;
          collector_id: string;
          collector_name: string;
          created_at: Date;
        }>(
          `SELECT k.*, d.name AS debtor_name, u.name AS collector_name
         FROM sync_conflicts k JOIN debtors d ON d.id = k.debtor_id JOIN users u ON u.id = k.collector_id
         WHERE k.resolved_at IS NULL ORDER BY k.created_at DESC LIMIT 500`,
        );
        return c.json({
          items: rows.map((r) => ({
            id: r.id,
            mutationId: r.mutation_id,
            debtor: { id: r.debtor_id, name: r.debtor_name },
            collector: { id: r.collector_id, name: r.collector_name },
            field: r.field,
            baseVersion: r.base_version,
            currentVersion: r.current_version,
            previousValue: r.old_value,
            appliedValue: r.new_value,
            at: r.created_at.toISOString(),
          })),
        });
      })
      // Facts the server refused (kept forever with their payload): nothing saved is ever lost.
      .get('/rejections', requireRole('owner'), async (c) => {
        const rows = await db.query<{
          mutation_id: string;
          device_id: string;
          device_seq: number;
          collector_id: string;
          collector_name: string;
          type: string;
          debtor_id: string | null;
          status: string;
          reason: string | null;
          mutation: unknown;
          occurred_at: string;
          received_at: Date;
        }>(
          `SELECT m.mutation_id, m.device_id, m.device_seq, m.collector_id, u.name AS collector_name,
           m.type, m.debtor_id, m.status, m.reason, m.mutation, m.occurred_at, m.received_at
         FROM sync_mutations m JOIN users u ON u.id = m.collector_id
         WHERE m.status IN ('rejected', 'deferred')
         ORDER BY m.received_at DESC LIMIT 500`,
        );
        return c.json({
          items: rows.map((r) => ({
            mutationId: r.mutation_id,
            deviceId: r.device_id,
            deviceSeq: Number(r.device_seq),
            collector: { id: r.collector_id, name: r.collector_name },
            type: r.type,
            debtorId: r.debtor_id,
            status: r.status,
            reason: r.reason,
            mutation: r.mutation,
            occurredAt: r.occurred_at,
            receivedAt: r.received_at.toISOString(),
          })),
        });
      })
  );
}
