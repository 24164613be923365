/**
 * TEST ONLY: a tiny in-memory server speaking the sync protocol (shared/sync/*.schema.ts),
 * for fast engine unit tests. It is not the contract — test/sync-faults.test.ts runs the engine
 * against the real server — but it follows the same rules: per-device sequence, stored results
 * returned for duplicates, feed with latest op per entity, epoch in the cursor, and restore from
 * a backup (forgets facts, rewinds device sequences, new epoch) with the `retained_from_seq` re-base.
 */
import type { PushResult } from '#shared/sync/push.schema';
import {
  HEALTH_HEADER,
  type PullResponse,
  type SyncChange,
  type SyncEntity,
} from '#shared/sync/pull.schema';

interface Entity {
  entity: SyncEntity;
  id: string;
  data: Record<string, unknown>;
}

export interface FakeSyncServer {
  fetch(input: string, init?: RequestInit): Promise<Response>;
  putDebtor(id: string, data?: Record<string, unknown>): void;
  removeDebtor(id: string): void;
  /** Restore from backup / compaction: the next pull with an old cursor gets reset_required. */
  bumpEpoch(): void;
  entities: Map<string, Entity>;
  /** Every request body received, by path. */
  received: { path: string; body: unknown }[];
  /** Mutation ids applied, in order (a duplicate would show twice). */
  applied: string[];
  /** Makes the next N requests to a path prefix answer `status`. */
  failNext(pathPrefix: string, status: number, times?: number): void;
  /** Cancels every `failNext` still pending. */
  clearFailures(): void;
  /** A copy of everything the server knows (facts, feed, device sequences, stored results). */
  backup(): FakeBackup;
  /** Puts a backup back (facts since are forgotten, sequences rewound) and starts a new epoch. */
  restore(backup: FakeBackup): void;
  /** Sequence stretches a device could not resend, skipped by the re-base (reported to owners). */
  losses: { deviceId: string; fromSeq: number; toSeq: number }[];
}

export interface FakeBackup {
  readonly taken: unknown;
}

interface PushBody {
  device_id: string;
  retained_from_seq?: number;
  mutations: {
    mutation_id: string;
    device_seq: number;
    type: string;
    debtor_id: string;
    payload: Record<string, unknown>;
  }[];
}

export function createFakeSyncServer(
  options: {
    now?: () => Date;
    collectorId?: string;
    /** Pulls from clients reporting an older schema are answered with `upgrade_required`. */
    oldestSchemaVersion?: number;
  } = {},
): FakeSyncServer {
  const now = options.now ?? (() => new Date('2025-03-10T12:00:00Z'));
  const entities = new Map<string, Entity>();
  const feed: { seq: number; key: string; op: 'put' | 'remove' }[] = [];
  const lastSeq = new Map<string, number>();
  const results = new Map<string, { status: 'applied' | 'rejected'; reason?: string }>();
  const received: { path: string; body: unknown }[] = [];
  const applied: string[] = [];
  const failures: { prefix: string; status: number; times: number }[] = [];
  const losses: FakeSyncServer['losses'] = [];
  let epoch = 1;
  let seq = 0;

  function bumpEpoch() {
    epoch++;
    // A restore re-numbers the feed: everything current is "new" in the new epoch.
    const current = [...entities.keys()];
    feed.length = 0;
    seq = 0;
    for (const key of current) feed.push({ seq: ++seq, key, op: 'put' });
  }

  function snapshot() {
    return {
      entities: structuredClone([...entities]),
      feed: structuredClone(feed),
      lastSeq: [...lastSeq],
      results: structuredClone([...results]),
      applied: [...applied],
      seq,
    };
  }

  function put(entity: SyncEntity, id: string, data: Record<string, unknown>) {
    const key = `${entity}:${id}`;
    const prev = entities.get(key);
    const version = (typeof prev?.data['version'] === 'number' ? prev.data['version'] : 0) + 1;
    entities.set(key, { entity, id, data: { ...data, id, version } });
    feed.push({ seq: ++seq, key, op: 'put' });
  }

  function json(body: unknown, status = 200): Response {
    return new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  }

  function push(body: PushBody): PushResult {
    let last = lastSeq.get(body.device_id) ?? 0;
    // The device no longer holds what we expect next (we were restored to before facts it has
    // since pruned): skip the hole, and record it, rather than wait forever.
    const from = body.retained_from_seq;
    if (from !== undefined && from > last + 1) {
      losses.push({ deviceId: body.device_id, fromSeq: last + 1, toSeq: from - 1 });
      last = from - 1;
      lastSeq.set(body.device_id, last);
    }
    const out: PushResult['results'] = [];
    for (const m of [...body.mutations].sort((a, b) => a.device_seq - b.device_seq)) {
      const stored = results.get(m.mutation_id);
      if (stored) {
        out.push({
          mutation_id: m.mutation_id,
          status: 'duplicate',
          ...(stored
            ? {
                original: {
                  status: stored.status,
                  ...(stored.reason ? { reason: stored.reason } : {}),
                },
              }
            : {}),
        });
        continue;
      }
      if (m.device_seq <= last) {
        out.push({ mutation_id: m.mutation_id, status: 'rejected', reason: 'sequence_reused' });
        continue;
      }
      if (m.device_seq > last + 1) break;
      const amount = m.payload['amount'];
      if (m.type === 'payment.recorded' && (typeof amount !== 'number' || amount <= 0)) {
        results.set(m.mutation_id, { status: 'rejected', reason: 'invalid_payload: amount' });
        out.push({
          mutation_id: m.mutation_id,
          status: 'rejected',
          reason: 'invalid_payload: amount',
        });
      } else {
        if (m.type === 'payment.recorded')
          put('payment', m.mutation_id, {
            debtorId: m.debtor_id,
            amount,
            status: 'pending',
            date: '2025-03-10',
          });
        else if (m.type === 'visit.recorded')
          put('visit', m.mutation_id, { debtorId: m.debtor_id, ...m.payload });
        results.set(m.mutation_id, { status: 'applied' });
        applied.push(m.mutation_id);
        out.push({ mutation_id: m.mutation_id, status: 'applied' });
      }
      last = m.device_seq;
      lastSeq.set(body.device_id, last);
    }
    return {
      acked_through_seq: last,
      results: out,
      server_now: now().toISOString(),
      clock_offset_ms: 0,
      clock_flagged: false,
    };
  }

  function pull(url: URL, deviceId: string, healthHeader: string | null): PullResponse {
    const cursor = url.searchParams.get('cursor');
    const limit = Number(url.searchParams.get('limit') ?? '500');
    const reported = healthHeader
      ? (JSON.parse(decodeURIComponent(healthHeader)) as { health: { schema_version: number } })
      : null;
    const stale =
      options.oldestSchemaVersion !== undefined &&
      (reported?.health.schema_version ?? 0) < options.oldestSchemaVersion;
    const base = {
      server_now: now().toISOString(),
      epoch,
      acked_through_seq: lastSeq.get(deviceId) ?? 0,
      ...(stale ? { upgrade_required: true as const } : {}),
    };
    let from = 0;
    if (cursor) {
      const [e, s] = cursor.split('.').map(Number);
      if (e !== epoch)
        return {
          ...base,
          changes: [],
          cursor: `${epoch}.0`,
          has_more: false,
          reset_required: true,
        };
      from = s ?? 0;
    }
    const entries = feed.filter((f) => f.seq > from).slice(0, limit);
    const latest = new Map<string, SyncChange>();
    for (const entry of entries) {
      const entity = entities.get(entry.key);
      const [kind, id] = entry.key.split(':') as [SyncEntity, string];
      latest.delete(entry.key);
      latest.set(
        entry.key,
        entry.op === 'remove' || !entity
          ? { op: 'remove', entity: kind, id }
          : { op: 'put', entity: kind, id, data: entity.data },
      );
    }
    const end = entries.at(-1)?.seq ?? from;
    return {
      ...base,
      changes: [...latest.values()],
      cursor: `${epoch}.${end}`,
      has_more: feed.some((f) => f.seq > end),
    };
  }

  return {
    entities,
    received,
    applied,
    losses,
    backup() {
      return { taken: snapshot() };
    },
    restore(backup) {
      const taken = structuredClone(backup.taken) as ReturnType<typeof snapshot>;
      entities.clear();
      for (const [key, value] of taken.entities) entities.set(key, value);
      lastSeq.clear();
      for (const [key, value] of taken.lastSeq) lastSeq.set(key, value);
      results.clear();
      for (const [key, value] of taken.results) results.set(key, value);
      applied.length = 0;
      applied.push(...taken.applied);
      feed.length = 0;
      feed.push(...taken.feed);
      seq = taken.seq;
      // `quita sync bump-epoch` after a restore: every device re-pulls from scratch.
      bumpEpoch();
    },
    putDebtor(id, data = {}) {
      put('debtor', id, { name: `Devedor ${id}`, totalDue: 10_000, ...data });
    },
    removeDebtor(id) {
      entities.delete(`debtor:${id}`);
      feed.push({ seq: ++seq, key: `debtor:${id}`, op: 'remove' });
    },
    bumpEpoch,
    failNext(prefix, status, times = 1) {
      failures.push({ prefix, status, times });
    },
    clearFailures() {
      failures.length = 0;
    },
    async fetch(input, init) {
      const url = new URL(input, 'http://quita.test');
      const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
      received.push({ path: url.pathname, body });
      const failure = failures.find((f) => url.pathname.startsWith(f.prefix) && f.times > 0);
      if (failure) {
        failure.times--;
        return json({ title: 'indisponível' }, failure.status);
      }
      switch (url.pathname) {
        case '/api/sync/devices':
          return json({
            device_id: body.device_id,
            collector_id: options.collectorId ?? 'c',
            acked_through_seq: lastSeq.get(body.device_id) ?? 0,
            epoch,
            server_now: now().toISOString(),
            created: true,
          });
        case '/api/sync/push':
          return json(push(body));
        case '/api/sync/pull': {
          const headers = new Headers(init?.headers);
          return json(pull(url, headers.get('x-quita-device') ?? '', headers.get(HEALTH_HEADER)));
        }
        case '/api/sync/integrity':
          return json({
            remove: (body.debtor_ids as string[]).filter((id) => !entities.has(`debtor:${id}`)),
            missing: [],
            server_now: now().toISOString(),
          });
        default:
          return json({ title: 'not found' }, 404);
      }
    },
  };
}
