/**
 * `/api/status`: the owner's view of every collector device (reference/sync.md §5.9). Values are
 * the LAST REPORTED ones, labelled with `asOf` (last contact): the server cannot know what an
 * offline phone holds now. Also the field-edit conflicts and the refused/deferred facts to review.
 */
import { Hono } from 'hono';
import { deviceStatus, SEQ_LOSS_VISIBLE_MS } from '#shared/sync/device-status';
import {
  ConflictListQuerySchema,
  ResolveConflictRequestSchema,
} from '#shared/sync/conflict.schema';
import { CLIENT_SCHEMA_VERSION } from '#shared/sync/envelope.schema';
import { defaultDeviceName, RenameDeviceRequestSchema } from '#shared/sync/device-name';
import { audit } from '../db/audit';
import { problem, problemError } from '../http/problem';
import type { Deps } from '../app';
import { requireRole, type AppEnv } from '../http/auth';
import { jsonBody, uuidParam } from '../http/validate';
import { queryParams } from '../ledger/http';
import { listConflicts, resolveConflict } from '../sync/conflicts';
import type { DeviceRow } from '../sync/devices';

const ms = (d: Date | null) => (d === null ? null : d.getTime());
const iso = (d: Date | null) => (d === null ? null : d.toISOString());

/** `/api/status`. */
export function statusRoutes({ db, now }: Deps) {
  return (
    new Hono<AppEnv>()
      .get('/devices', requireRole('owner'), async (c) => {
        const at = now();
        const rows = await db.query<
          DeviceRow & {
            collector_name: string;
            lag_ms: number | null;
            seq_losses: { from: number; to: number; at: string }[] | null;
          }
        >(
          `SELECT d.*, u.name AS collector_name,
         (SELECT jsonb_agg(jsonb_build_object('from', l.from_seq, 'to', l.to_seq, 'at', l.detected_at)
                 ORDER BY l.from_seq)
            FROM sync_seq_losses l WHERE l.device_id = d.id AND l.detected_at >= $1) AS seq_losses,
         (SELECT avg(extract(epoch FROM m.received_at) * 1000 - extract(epoch FROM m.occurred_at::timestamptz) * 1000)
            FROM sync_mutations m WHERE m.device_id = d.id
              AND m.received_at > now() - interval '7 days') AS lag_ms
       FROM sync_devices d JOIN users u ON u.id = d.collector_id
       ORDER BY u.name, d.last_seen_at DESC NULLS LAST`,
          [new Date(at.getTime() - SEQ_LOSS_VISIBLE_MS)],
        );
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
              storageFull: r.storage_full,
              installed: r.installed,
              schemaVersion: r.schema_version ?? 0,
              clockOffsetMs: offset,
              replacedWithPending: r.replaced_with_pending_at !== null,
              seqLosses: (r.seq_losses ?? []).map((l) => ({
                fromSeq: Number(l.from),
                toSeq: Number(l.to),
                detectedAt: Date.parse(l.at),
              })),
            },
            at.getTime(),
            { currentSchemaVersion: CLIENT_SCHEMA_VERSION },
          );
          return {
            deviceId: r.id,
            // Devices registered before names existed are named from their browser meanwhile.
            name:
              r.name ??
              defaultDeviceName({ userAgent: r.user_agent ?? '', collectorName: r.collector_name }),
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
            storageFull: r.storage_full,
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
      .get('/conflicts', requireRole('owner'), queryParams(ConflictListQuerySchema), async (c) =>
        c.json({ items: await listConflicts(db, c.req.valid('query').state) }),
      )
      // Owner only, like the conflict list and agreement approval: overriding a collector's field
      // fact is a management decision; staff still correct contacts via PATCH /api/debtors/:id.
      .post(
        '/conflicts/:id/resolve',
        requireRole('owner'),
        jsonBody(ResolveConflictRequestSchema),
        async (c) => {
          const body = c.req.valid('json');
          return c.json(
            await resolveConflict(db, {
              id: uuidParam(c, 'id'),
              resolution: body.resolution,
              version: body.version,
              actor: c.get('user').id,
              ip: c.get('ip'),
              now: now(),
            }),
          );
        },
      )
      // The owner names a device ("Moto G de Carlos"): two phones of one collector, told apart.
      .patch(
        '/devices/:id',
        requireRole('owner'),
        jsonBody(RenameDeviceRequestSchema),
        async (c) => {
          const id = uuidParam(c, 'id');
          const { name } = c.req.valid('json');
          const actor = c.get('user');
          const renamed = await db.transaction(async (tx) => {
            const [row] = await tx.query<{ id: string; name: string | null }>(
              `UPDATE sync_devices d SET name = $2 FROM sync_devices old
             WHERE d.id = $1 AND old.id = d.id RETURNING d.id, old.name`,
              [id, name],
            );
            if (!row) return null;
            await audit(tx, {
              actor: actor.id,
              ip: c.get('ip'),
              action: 'device.rename',
              entity: 'sync_device',
              entityId: id,
              detail: { from: row.name, to: name },
            });
            return row;
          });
          if (!renamed) throw problemError(problem(404, 'not-found', 'aparelho não encontrado'));
          return c.json({ deviceId: id, name });
        },
      )
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
          debtor_name: string | null;
          status: string;
          reason: string | null;
          mutation: unknown;
          occurred_at: string;
          received_at: Date;
        }>(
          `SELECT m.mutation_id, m.device_id, m.device_seq, m.collector_id, u.name AS collector_name,
           m.type, m.debtor_id, d.name AS debtor_name, m.status, m.reason, m.mutation,
           m.occurred_at, m.received_at
         FROM sync_mutations m JOIN users u ON u.id = m.collector_id
         LEFT JOIN debtors d ON d.id = m.debtor_id
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
            debtorName: r.debtor_name,
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
