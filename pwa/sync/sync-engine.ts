/**
 * The sync engine (reference/sync.md §5): push the outbox, then pull the collector's feed.
 *
 * - Everything from outside is injected (fetch, clock, randomness, Web Locks, browser probes),
 *   so tests run several simulated devices against the real server with a faulty network.
 * - One runner per origin: `navigator.locks` (when given) serialises tabs; within a tab,
 *   `requestSync` calls coalesce into the running cycle plus at most one follow-up.
 * - Push sends pending rows in `device_seq` order; rows are frozen once sent (a retry resends the
 *   same bytes). The server's `acked_through_seq` and per-row results move rows to `acked` or
 *   `rejected`; a permanent reject never blocks later rows. Transient failures (network, 5xx,
 *   408/429) back off with full jitter; other 4xx are surfaced and not hammered.
 * - Pull applies each page with its cursor in one transaction (./pull-apply.ts); acked rows leave
 *   the outbox only in the final page's transaction of a pull that began after their ack, into
 *   `retained` (./outbox.ts): after a server restore they are pushed again from the server's gap.
 * - `reset_required` wipes the server tables (never the outbox) and re-pulls from scratch.
 */
import * as v from 'valibot';
import { recordFact } from '../db/record-fact';
import { uuidv7 } from 'uuidv7';
import { PROTOCOL_VERSION } from '#shared/sync/envelope.schema';
import type { MutationType } from '#shared/sync/facts.schema';
import { IntegrityResponseSchema, RegisterDeviceResponseSchema } from '#shared/sync/device.schema';
import { MAX_PUSH_BATCH, PushResultSchema } from '#shared/sync/push.schema';
import {
  DEVICE_HEADER,
  HEALTH_HEADER,
  PullResponseSchema,
  type PullResponse,
} from '#shared/sync/pull.schema';
import { SCHEMA_VERSION, type OutboxRow } from '../db/db';
import { t } from '../i18n/messages';
import '../i18n/messages-sync';
import { backoffDelay } from './backoff';
import { classify, HttpFailure, isClosedConnection, isQuotaError } from './sync-errors';
import { collectHealth } from './health';
import {
  pruneRetained,
  recordPushResults,
  retainedFromSeq,
  rewindFrom,
  rewindIfBehind,
  takeBatch,
} from './outbox';
import { applyPullPage, removeDebtorLocally, resetServerState } from './pull-apply';

export type {
  SyncReason,
  SyncEvent,
  SyncFailure,
  SyncOutcome,
  LockManagerLike,
  Timers,
  FetchLike,
  SyncEngineDeps,
  SaveInput,
  SyncEngine,
  BrowserTarget,
} from './sync-types';
import type {
  SyncReason,
  SyncEvent,
  SyncFailure,
  SyncOutcome,
  Timers,
  SyncEngineDeps,
  SaveInput,
  SyncEngine,
  BrowserTarget,
} from './sync-types';

const LOCK_NAME = 'quita-sync';
const MAX_PULL_PAGES_PER_CYCLE = 10_000;

/** ISO instant with the device's UTC offset (what the phone's clock believed, §5.7). */
export function isoWithOffset(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, -1);
  if (offset === 0) return `${local}Z`;
  const sign = offset > 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export function createSyncEngine(deps: SyncEngineDeps): SyncEngine {
  const { db } = deps;
  const base = deps.baseUrl ?? '';
  const appVersion = deps.appVersion ?? '0.0.0';
  const newId = deps.newId ?? uuidv7;
  const pageLimit = deps.pageLimit ?? 500;
  // 50, not more: the server applies a push in one transaction with a savepoint per fact, and
  // PostgreSQL slows every session down once a transaction holds more than 64 subtransactions.
  const batchSize = Math.min(deps.batchSize ?? 50, MAX_PUSH_BATCH);
  const integrityEvery = deps.integrityEvery ?? 20;
  const emit = (event: SyncEvent) => deps.onEvent?.(event);
  const timers: Timers = deps.timers ?? {
    set: (fn, ms) => setTimeout(fn, ms),
    clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };

  let running: Promise<SyncOutcome> | null = null;
  let again = false;
  const reasons = new Set<string>();
  let failures = 0;
  let cycles = 0;
  let started = false;
  let timer: unknown;

  async function device() {
    const row = await db.device.get('device');
    if (!row) throw new HttpFailure({ kind: 'permanent', message: t('sync.fail.noDevice') });
    return row;
  }

  async function call<T>(
    method: 'GET' | 'POST',
    path: string,
    deviceId: string,
    schema: v.GenericSchema<unknown, T>,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<T> {
    let res: Response;
    try {
      res = await deps.fetch(`${base}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          [DEVICE_HEADER]: deviceId,
          ...extraHeaders,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new HttpFailure({
        kind: 'transient',
        // The browser's own text ("Failed to fetch") says nothing more than this, in English.
        message: t('sync.fail.network'),
      });
    }
    let parsed: unknown;
    try {
      const text = await res.text();
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // The body was cut off in transit: the request may or may not have been applied. Push is
      // idempotent, so this is a plain retry.
      throw new HttpFailure({
        kind: 'transient',
        message: t('sync.fail.incomplete'),
      });
    }
    if (!res.ok) throw new HttpFailure(classify(res.status, parsed));
    const result = v.safeParse(schema, parsed);
    if (!result.success)
      throw new HttpFailure({
        kind: 'permanent',
        message: `${t('sync.fail.unexpected')} (${result.issues[0].message})`,
      });
    return result.output;
  }

  async function envelope(deviceId: string) {
    return {
      protocol: PROTOCOL_VERSION,
      device_id: deviceId,
      device_now: isoWithOffset(deps.now()),
      health: await collectHealth(db, deps.health ?? {}, appVersion),
    };
  }

  async function register(): Promise<void> {
    const dev = await device();
    if (dev.registered_at) return;
    const name = (await deps.deviceName?.().catch(() => null)) ?? null;
    await call('POST', '/api/sync/devices', dev.device_id, RegisterDeviceResponseSchema, {
      ...(await envelope(dev.device_id)),
      ...(name ? { device_name: name } : {}),
    });
    await db.device.update('device', { registered_at: deps.now().toISOString() });
  }

  async function push(): Promise<number> {
    let pushed = 0;
    let rewound = false;
    // Rows only change state or table while pushing: what the device holds stays the same.
    const retainedFrom = await retainedFromSeq(db, (await device()).next_seq);
    for (;;) {
      const batch = await takeBatch(db, batchSize);
      if (batch.length === 0) return pushed;
      const dev = await device();
      const mutations = batch.map((row) => ({
        mutation_id: row.mutation_id,
        device_id: row.device_id,
        device_seq: row.device_seq,
        type: row.type,
        type_version: row.type_version,
        debtor_id: row.debtor_id,
        ...(row.base_version === undefined ? {} : { base_version: row.base_version }),
        occurred_at: row.occurred_at,
        payload: row.payload,
      }));
      const result = await call('POST', '/api/sync/push', dev.device_id, PushResultSchema, {
        ...(await envelope(dev.device_id)),
        app_version: appVersion,
        schema_version: SCHEMA_VERSION,
        retained_from_seq: retainedFrom,
        mutations,
      });
      emit({ type: 'clock', offsetMs: result.clock_offset_ms, flagged: result.clock_flagged });
      const { progressed, rejected } = await recordPushResults(
        db,
        batch,
        result.results,
        deps.now().toISOString(),
      );
      for (const r of rejected) emit({ type: 'rejected', ...r });
      pushed += progressed;
      const first = batch[0]?.device_seq ?? 0;
      // The server is behind what we sent (restored from an older backup): resend from its next
      // seq what we still hold, once per push; a gap we cannot fill falls through to the error.
      if (result.acked_through_seq < first - 1 && !rewound) {
        rewound = true;
        if ((await rewindFrom(db, result.acked_through_seq + 1)) > 0) continue;
      }
      if (progressed === 0)
        throw new HttpFailure({
          kind: 'permanent',
          message: `${t('sync.fail.sequence')} (${result.acked_through_seq} → ${batch[0]?.device_seq})`,
        });
    }
  }

  /** The server's `acked_through_seq` for this device, as the last pull page said. */
  let pulledAckedThrough: number | null = null;

  async function pull(): Promise<number> {
    // Acked before this pull starts ⇒ committed before the snapshot it reads: once this pull
    // completes, their server copies are local and the overlay rows can go (no flicker).
    const delivered = (await db.outbox.where('state').equals('acked').primaryKeys()) as string[];
    const firstSync = (await device()).cursor === null;
    let pages = 0;
    let changes = 0;
    let resets = 0;
    // One health block per pull, not per page: collecting it (the whole outbox,
    // storage.estimate()) grows with what is stored, and took seconds a page late in a first sync
    // of 5,000 debtors. Only the clock reading is taken again for each page.
    const { health } = await envelope((await device()).device_id);
    for (let i = 0; i < MAX_PULL_PAGES_PER_CYCLE; i++) {
      const dev = await device();
      const query = new URLSearchParams({ limit: String(pageLimit) });
      if (dev.cursor) query.set('cursor', dev.cursor);
      // A GET has no body: the health block rides in a header.
      const device_now = isoWithOffset(deps.now());
      const page: PullResponse = await call(
        'GET',
        `/api/sync/pull?${query.toString()}`,
        dev.device_id,
        PullResponseSchema,
        undefined,
        { [HEALTH_HEADER]: encodeURIComponent(JSON.stringify({ device_now, health })) },
      );
      if (page.reset_required) {
        if (++resets > 2)
          throw new HttpFailure({ kind: 'permanent', message: t('sync.fail.resetLoop') });
        await resetServerState(db);
        emit({ type: 'reset' });
        continue;
      }
      pulledAckedThrough = page.acked_through_seq;
      changes += await applyPullPage(db, page, {
        deliveredAcks: delivered,
        now: deps.now().toISOString(),
      });
      pages++;
      emit({ type: 'progress', phase: 'pull', firstSync, pages, changes });
      if (page.upgrade_required) emit({ type: 'upgrade-required' });
      if (!page.has_more) break;
    }
    if (resets > 0) await integrity(true);
    return changes;
  }

  /** §5.5 backstop: drop debtors the server says are out of scope; re-pull if some are missing. */
  async function integrity(afterReset = false): Promise<void> {
    const dev = await device();
    const ids = (await db.debtors.toCollection().primaryKeys()) as string[];
    const answer = await call(
      'POST',
      '/api/sync/integrity',
      dev.device_id,
      IntegrityResponseSchema,
      {
        ...(await envelope(dev.device_id)),
        debtor_ids: ids,
      },
    );
    if (answer.remove.length > 0)
      await db.transaction('rw', db.debtors, db.debts, db.facts, async () => {
        for (const id of answer.remove) await removeDebtorLocally(db, id);
      });
    if (answer.missing.length > 0 && !afterReset) {
      await resetServerState(db);
      emit({ type: 'reset' });
      await pull();
    }
  }

  async function cycle(): Promise<SyncOutcome> {
    let pushed = 0;
    let pulled = 0;
    try {
      await register();
      // A push the server will not move forward (e.g. its sequence is behind after a restore)
      // must not also freeze the collector's view: pull anyway, and report the push failure.
      let pushFailure: SyncFailure | undefined;
      try {
        pushed = await push();
      } catch (error) {
        if (!(error instanceof HttpFailure) || error.failure.kind !== 'permanent') throw error;
        pushFailure = error.failure;
      }
      pulledAckedThrough = null;
      pulled = await pull();
      // Nothing left to push, but the server forgot facts it had acked (restored): resend them.
      if (pulledAckedThrough !== null && (await rewindIfBehind(db, pulledAckedThrough)) > 0) {
        pushed += await push();
        pulled += await pull();
      }
      await pruneRetained(db, deps.now());
      cycles++;
      if (cycles % integrityEvery === 0) await integrity();
      failures = 0;
      await db.device.update('device', {
        last_error: pushFailure?.message.slice(0, 1000) ?? null,
        storage_full_at: null,
      });
      return pushFailure
        ? { ok: false, pushed, pulled, error: pushFailure }
        : { ok: true, pushed, pulled };
    } catch (error) {
      // A full disk is not the server's fault and may pass (the collector frees space): the page
      // rolled back with its cursor, so a later attempt (with backoff) picks it up again.
      const full = isQuotaError(error);
      const failure: SyncFailure =
        error instanceof HttpFailure
          ? error.failure
          : full
            ? { kind: 'transient', message: t('sync.fail.storageFull') }
            : // An HttpFailure carries words; anything else is the browser's own English text.
              { kind: 'permanent', message: t('sync.fail.local') };
      if (failure.kind === 'transient') failures++;
      try {
        await db.device.update('device', {
          last_error: failure.message.slice(0, 1000),
          ...(full ? { storage_full_at: deps.now().toISOString() } : {}),
        });
      } catch {
        // The database itself may be the failure (closed connection): reported below anyway.
      }
      return { ok: false, pushed, pulled, error: failure };
    }
  }

  async function locked(): Promise<SyncOutcome> {
    if (!deps.locks) return cycle();
    return deps.locks.request(LOCK_NAME, { ifAvailable: true }, async (lock) => {
      if (!lock) {
        emit({ type: 'busy' });
        return { ok: true, pushed: 0, pulled: 0, busy: true };
      }
      return cycle();
    });
  }

  function schedule(outcome: SyncOutcome): void {
    if (!started) return;
    if (timer !== undefined) timers.clear(timer);
    let ms: number;
    if (!outcome.ok && outcome.error?.kind === 'transient') {
      ms = backoffDelay(failures, deps.random);
      emit({ type: 'retry-scheduled', inMs: ms });
    } else ms = deps.pollMs ?? 5 * 60_000;
    timer = timers.set(() => {
      timer = undefined;
      void requestSync(outcome.ok || outcome.error?.kind !== 'transient' ? 'timer' : 'retry');
    }, ms);
  }

  function requestSync(reason: SyncReason): Promise<SyncOutcome> {
    reasons.add(reason);
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let outcome: SyncOutcome;
      do {
        again = false;
        const list = [...reasons];
        reasons.clear();
        emit({ type: 'sync-start', reasons: list });
        outcome = await locked();
        emit({
          type: 'sync-end',
          ok: outcome.ok,
          pushed: outcome.pushed,
          pulled: outcome.pulled,
          ...(outcome.error ? { error: outcome.error } : {}),
        });
        // A transient failure is not retried in a tight loop: the backoff timer does that.
      } while (again && (outcome.ok || outcome.error?.kind !== 'transient'));
      running = null;
      schedule(outcome);
      return outcome;
    })();
    return running;
  }

  async function save<K extends MutationType>(input: SaveInput<K>): Promise<OutboxRow> {
    const at = isoWithOffset(deps.now());
    const fact = {
      mutation_id: newId(),
      type: input.type,
      type_version: input.typeVersion ?? 1,
      debtor_id: input.debtorId,
      ...(input.baseVersion === undefined ? {} : { base_version: input.baseVersion }),
      occurred_at: input.occurredAt ?? at,
      payload: input.payload,
    };
    let row: OutboxRow;
    try {
      row = await recordFact(db, fact, at);
    } catch (error) {
      if (isQuotaError(error)) throw new Error(t('sync.fail.saveStorageFull'), { cause: error });
      // WebKit drops IndexedDB connections after backgrounding (Dexie#1139, Expensify#87864):
      // reopen ONCE and retry the same fact (same id, so never twice); any other failure, or a
      // second one, reaches the caller, which must show "not saved".
      if (!isClosedConnection(error)) throw error;
      await db.open();
      row = await recordFact(db, fact, at);
    }
    void requestSync('save');
    return row;
  }

  function start(target?: BrowserTarget): () => void {
    started = true;
    const onOnline = () => void requestSync('online');
    const onVisible = () => {
      if (!target?.visibilityState || target.visibilityState() === 'visible')
        void requestSync('visible');
    };
    target?.addEventListener('online', onOnline);
    target?.addEventListener('visibilitychange', onVisible);
    target?.addEventListener('pageshow', onVisible);
    void requestSync('start');
    return () => {
      started = false;
      target?.removeEventListener('online', onOnline);
      target?.removeEventListener('visibilitychange', onVisible);
      target?.removeEventListener('pageshow', onVisible);
      if (timer !== undefined) {
        timers.clear(timer);
        timer = undefined;
      }
    };
  }

  return {
    save,
    requestSync,
    start,
    get running() {
      return running !== null;
    },
    async whenIdle() {
      while (running) await running;
    },
  };
}
