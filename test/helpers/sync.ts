/**
 * A minimal protocol client for the server-side sync tests: a device with its own gapless
 * sequence, mutation builders, push/pull calls and a pull applier into a Map (the device's
 * server-state tables). Not the PWA engine (pwa/ owns that); just enough to drive the server.
 */
import { uuidv7 } from 'uuidv7';
import { CLIENT_SCHEMA_VERSION, type MutationInput } from '#shared/sync/envelope.schema';
import type { DeviceHealth } from '#shared/sync/device.schema';
import type { PushResult } from '#shared/sync/push.schema';
import type { PullResponse } from '#shared/sync/pull.schema';
import { call, type Requestable, type TestResponse } from './http';

export function health(overrides: Partial<DeviceHealth> = {}): DeviceHealth {
  return {
    app_version: '1.0.0',
    schema_version: CLIENT_SCHEMA_VERSION,
    outbox_pending: 0,
    outbox_oldest_pending_at: null,
    outbox_rejected: 0,
    persisted: true,
    storage_usage: 1_000,
    storage_quota: 100_000,
    installed: true,
    last_error: null,
    user_agent: 'sync-test',
    ...overrides,
  };
}

/** ISO with a -03:00 offset, as a phone in São Paulo prints it. */
export function localIso(ms: number): string {
  return new Date(ms - 3 * 3_600_000).toISOString().replace('Z', '-03:00');
}

export interface TestDevice {
  id: string;
  headers: Record<string, string>;
  /** Device clock offset from the server's (ms), for clock-skew tests. */
  skewMs: number;
  mutation(
    type: string,
    debtorId: string,
    payload: unknown,
    extra?: { base_version?: number; type_version?: number },
  ): MutationInput;
  push(
    mutations: readonly MutationInput[],
    h?: Partial<DeviceHealth>,
  ): Promise<TestResponse<PushResult>>;
  pull(cursor?: string, limit?: number): Promise<TestResponse<PullResponse>>;
  /** Pulls until has_more is false, applying into `state`; answers the pages. */
  sync(): Promise<PullResponse[]>;
  /** entity:id → data, as the device's server-state tables hold it. */
  state: Map<string, Record<string, unknown>>;
  cursor: string | undefined;
}

export function testDevice(
  app: Requestable,
  headers: Record<string, string>,
  now: () => Date,
  options: { id?: string; skewMs?: number; schemaVersion?: number } = {},
): TestDevice {
  let seq = 0;
  const schema_version = options.schemaVersion ?? CLIENT_SCHEMA_VERSION;
  const device: TestDevice = {
    id: options.id ?? crypto.randomUUID(),
    headers: { ...headers },
    skewMs: options.skewMs ?? 0,
    state: new Map(),
    cursor: undefined,
    mutation(type, debtorId, payload, extra = {}) {
      seq++;
      return {
        mutation_id: uuidv7(),
        device_id: device.id,
        device_seq: seq,
        type,
        type_version: extra.type_version ?? 1,
        debtor_id: debtorId,
        ...(extra.base_version === undefined ? {} : { base_version: extra.base_version }),
        occurred_at: localIso(now().getTime() + device.skewMs),
        payload,
      };
    },
    push(mutations, h = {}) {
      return call<PushResult>(app, 'POST', '/api/sync/push', {
        headers: device.headers,
        json: {
          protocol: 1,
          device_id: device.id,
          app_version: '1.0.0',
          schema_version,
          device_now: localIso(now().getTime() + device.skewMs),
          health: health({ schema_version, ...h }),
          mutations,
        },
      });
    },
    pull(cursor, limit = 500) {
      const q = new URLSearchParams({ limit: String(limit) });
      if (cursor !== undefined) q.set('cursor', cursor);
      return call<PullResponse>(app, 'GET', `/api/sync/pull?${q}`, {
        headers: {
          ...device.headers,
          'x-quita-device': device.id,
          'x-quita-health': encodeURIComponent(
            JSON.stringify({
              device_now: localIso(now().getTime() + device.skewMs),
              health: health({ schema_version }),
            }),
          ),
        },
      });
    },
    async sync() {
      const pages: PullResponse[] = [];
      for (let i = 0; i < 1000; i++) {
        const res = await device.pull(device.cursor);
        if (res.status !== 200) throw new Error(`pull ${res.status}: ${JSON.stringify(res.body)}`);
        const page = res.body;
        pages.push(page);
        if (page.reset_required) {
          device.state.clear();
          device.cursor = undefined;
          continue;
        }
        applyPage(device.state, page);
        device.cursor = page.cursor;
        if (!page.has_more) return pages;
      }
      throw new Error('pull did not finish');
    },
  };
  return device;
}

/** The pull applier: upserts puts, removes entities; a debtor remove drops its entities too. */
export function applyPage(state: Map<string, Record<string, unknown>>, page: PullResponse): void {
  for (const change of page.changes) {
    const key = `${change.entity}:${change.id}`;
    if (change.op === 'put') {
      state.set(key, change.data);
      continue;
    }
    state.delete(key);
    if (change.entity === 'debtor')
      for (const [k, data] of state) if (data['debtorId'] === change.id) state.delete(k);
  }
}

export function visitPayload(outcome = 'not_home') {
  return { outcome, notes: 'portão fechado' };
}

export function paymentPayload(debtId: string, amount: number, receipt: string) {
  return { debtId, date: '2025-03-10', amount, method: 'cash', receiptNumber: receipt };
}
