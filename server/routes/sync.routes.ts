/**
 * `/api/sync`: the offline protocol of shared/sync/*.schema.ts (reference/sync.md §5).
 * Collectors only: the feed is per collector. The session token authenticates the user; the
 * device id (body, or the X-Quita-Device header on pull) is bound to that user on first contact.
 * Every request stores the device's health block and the measured clock offset.
 */
import { Hono } from 'hono';
import * as v from 'valibot';
import { DeviceIdSchema } from '#shared/sync/envelope.schema';
import {
  IntegrityRequestSchema,
  RegisterDeviceRequestSchema,
  type IntegrityResponse,
  type RegisterDeviceResponse,
} from '#shared/sync/device.schema';
import { PushRequestSchema, type PushResult } from '#shared/sync/push.schema';
import {
  DEVICE_HEADER,
  HEALTH_HEADER,
  PullHealthSchema,
  PullQuerySchema,
} from '#shared/sync/pull.schema';
import { decodeCursor } from '#shared/sync/cursor';
import { fieldMessage } from '#shared/api/problem';
import type { Deps } from '../app';
import { requireRole, type AppEnv } from '../http/auth';
import { problem, problemError } from '../http/problem';
import { jsonBody } from '../http/validate';
import { queryParams } from '../ledger/http';
import {
  CLOCK_FLAG_MS,
  clockOffsetMs,
  ensureDevice,
  nameDevice,
  READ_COMMITTED,
  recordHealth,
} from '../sync/devices';
import { currentPortalLinks, ensureCollectorPortalLinks } from '../portal/portal-links.repo';
import { portalUrl } from '../portal/portal-token';
import { publicBase } from '../portal/public-url';
import { sequenceFeed } from '../sync/feed-sequence';
import { readPullPage } from '../sync/pull';
import { pullReadEntry, recordDebtorRead } from '../lgpd/read-audit';
import { pushGrouped } from '../sync/push-group';

const CURSOR_MESSAGE = 'cursor inválido: não foi emitido por este servidor';

function badHeader(name: string, detail: string): Error {
  return problemError(
    problem(400, 'invalid-header', fieldMessage(name, detail), {
      errors: [{ field: name, message: detail }],
    }),
  );
}

/** `/api/sync`. */
export function syncRoutes(deps: Deps) {
  const { db, now, logError, metrics } = deps;
  return new Hono<AppEnv>()
    .post(
      '/devices',
      requireRole('collector'),
      jsonBody(RegisterDeviceRequestSchema),
      async (c) => {
        const input = c.req.valid('json');
        const user = c.get('user');
        const serverNow = now();
        const { created } = await db.transaction(async (tx) => {
          const ensured = await ensureDevice(tx, input.device_id, user.id, user.tokenId);
          await nameDevice(tx, {
            deviceId: input.device_id,
            collectorId: user.id,
            ...(input.device_name === undefined ? {} : { proposed: input.device_name }),
            userAgent: input.health.user_agent,
          });
          return ensured;
        }, READ_COMMITTED);
        const device = await recordHealth(db, {
          deviceId: input.device_id,
          collectorId: user.id,
          health: input.health,
          deviceNow: input.device_now,
          serverNow,
        });
        const [state] = await db.query<{ epoch: number }>(
          'SELECT epoch FROM sync_state WHERE id = 1',
        );
        const body: RegisterDeviceResponse = {
          device_id: device.id,
          collector_id: user.id,
          acked_through_seq: Number(device.last_seq),
          epoch: state?.epoch ?? 1,
          server_now: serverNow.toISOString(),
          created,
        };
        return c.json(body, created ? 201 : 200);
      },
    )
    .post(
      '/push',
      requireRole('collector'),
      jsonBody(PushRequestSchema, { rawTextGuard: false }),
      async (c) => {
        const request = c.req.valid('json');
        const user = c.get('user');
        const serverNow = now();
        const offset = clockOffsetMs(serverNow, request.device_now);
        // One transaction (shared with the pushes waiting beside it): the health report, the facts,
        // the device's new last_seq.
        const outcome = await pushGrouped(db, {
          request,
          collectorId: user.id,
          tokenId: user.tokenId,
          now: serverNow,
          clockOffsetMs: offset,
        });
        const body: PushResult = {
          acked_through_seq: outcome.acked_through_seq,
          results: outcome.results,
          server_now: serverNow.toISOString(),
          clock_offset_ms: offset,
          clock_flagged: Math.abs(offset) > CLOCK_FLAG_MS,
        };
        if (outcome.transientError !== undefined) {
          // The whole request was rolled back; the client backs off and resends the batch. The
          // health report is still worth keeping (the owner sees a phone that cannot push), and
          // says what is acknowledged so far.
          logError('sync push stopped by a transient error', outcome.transientError);
          metrics.observeSyncPush('unavailable', []);
          const device = await recordHealth(db, {
            deviceId: request.device_id,
            collectorId: user.id,
            tokenId: user.tokenId,
            health: request.health,
            deviceNow: request.device_now,
            serverNow,
          }).catch(() => undefined);
          const problem503 = problem(
            503,
            'sync-unavailable',
            'servidor indisponível; tente novamente',
          );
          const headers = { 'content-type': 'application/problem+json', 'retry-after': '5' };
          return device
            ? c.json(
                { ...problem503, ...body, acked_through_seq: Number(device.last_seq) },
                503,
                headers,
              )
            : c.json(problem503, 503, headers);
        }
        metrics.observeSyncPush(
          'ok',
          body.results.map((r) => r.status),
        );
        return c.json(body);
      },
    )
    .get('/pull', requireRole('collector'), queryParams(PullQuerySchema), async (c) => {
      const query = c.req.valid('query');
      const user = c.get('user');
      const serverNow = now();
      const deviceParsed = v.safeParse(DeviceIdSchema, c.req.header(DEVICE_HEADER) ?? '');
      if (!deviceParsed.success) throw badHeader(DEVICE_HEADER, 'envie o id do aparelho (um UUID)');
      const deviceId = deviceParsed.output;
      let cursor = null;
      if (query.cursor !== undefined && query.cursor !== '') {
        cursor = decodeCursor(query.cursor);
        if (cursor === null)
          throw problemError(
            problem(422, 'validation', fieldMessage('cursor', CURSOR_MESSAGE), {
              errors: [{ field: 'cursor', message: CURSOR_MESSAGE }],
            }),
          );
      }
      const rawHealth = c.req.header(HEALTH_HEADER);
      let health: v.InferOutput<typeof PullHealthSchema> | null = null;
      if (rawHealth !== undefined) {
        let json: unknown;
        try {
          json = JSON.parse(decodeURIComponent(rawHealth));
        } catch {
          throw badHeader(HEALTH_HEADER, 'esperado JSON codificado com encodeURIComponent');
        }
        const parsed = v.safeParse(PullHealthSchema, json);
        if (!parsed.success) throw badHeader(HEALTH_HEADER, parsed.issues[0].message);
        health = parsed.output;
      }
      const device = health
        ? await recordHealth(db, {
            deviceId,
            collectorId: user.id,
            tokenId: user.tokenId,
            health: health.health,
            deviceNow: health.device_now,
            serverNow,
          })
        : (
            await db.transaction(
              (tx) => ensureDevice(tx, deviceId, user.id, user.tokenId),
              READ_COMMITTED,
            )
          ).device;
      // The phone renders {{payment_link}} offline: every assigned debtor has a current link of
      // the debtor's page, minted here when missing (its feed row re-puts the debtor).
      await ensureCollectorPortalLinks(db, deps.portalKey, user.id, serverNow);
      const base = publicBase(c, deps);
      // Number the feed's newly committed rows (the links just minted among them) in a short
      // transaction of its own, then read.
      const ackedThroughSeq = (await sequenceFeed(db, deviceId))?.ackedThroughSeq ?? null;
      const page = await db.transaction(async (tx) => {
        const read = await readPullPage(tx, {
          ackedThroughSeq,
          collectorId: user.id,
          deviceId,
          cursor,
          limit: query.limit,
          now: serverNow,
          schemaVersion: health?.health.schema_version ?? device.schema_version ?? 0,
          portalLinks: async (ids) =>
            new Map(
              [...(await currentPortalLinks(tx, deps.portalKey, ids, serverNow))].map(
                ([id, link]) => [
                  id,
                  { url: portalUrl(base, link.token), expiresAt: link.expiresAt.toISOString() },
                ],
              ),
            ),
        });
        // LGPD: one audit row per page naming the debtors whose data it carries.
        await recordDebtorRead(tx, pullReadEntry(read, user.id, c.get('ip'), deviceId));
        return read;
      });
      await db.query(
        'UPDATE sync_devices SET last_pull_ok_at = $2, acked_cursor = $3, last_seen_at = $2 WHERE id = $1',
        [deviceId, serverNow, query.cursor ?? null],
      );
      metrics.observeSyncPull(
        page.reset_required ? 'reset' : cursor === null ? 'first' : 'incremental',
        page.changes.length,
      );
      return c.json(page);
    })
    .post('/integrity', requireRole('collector'), jsonBody(IntegrityRequestSchema), async (c) => {
      const input = c.req.valid('json');
      const user = c.get('user');
      const serverNow = now();
      await recordHealth(db, {
        deviceId: input.device_id,
        collectorId: user.id,
        tokenId: user.tokenId,
        health: input.health,
        deviceNow: input.device_now,
        serverNow,
      });
      const scope = new Set(
        (
          await db.query<{ debtor_id: string }>(
            'SELECT debtor_id FROM assignments WHERE collector_id = $1 AND ended_at IS NULL',
            [user.id],
          )
        ).map((r) => r.debtor_id),
      );
      const held = new Set(input.debtor_ids);
      const body: IntegrityResponse = {
        remove: [...held].filter((id) => !scope.has(id)).sort(),
        missing: [...scope].filter((id) => !held.has(id)).sort(),
        server_now: serverNow.toISOString(),
      };
      return c.json(body);
    });
}
