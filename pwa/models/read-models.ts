/**
 * The collector's reads, as signals: server tables overlaid with the outbox (pure merges in
 * ./merge.ts). Each reads every table it merges inside ONE liveQuery, i.e. one IndexedDB read
 * transaction, so a pull page and the outbox cleanup that goes with it are seen together or not
 * at all — the no-flicker guarantee depends on it.
 */
import { computed, signal, type ReadonlySignal } from '@preact/signals';
import type { CadencePolicy } from '#shared/cadence/cadence.schema';
import { DEFAULT_CADENCE_POLICY } from '#shared/cadence/default-policy';
import { DEFAULT_TIME_ZONE, todayIn, type CalendarDate } from '#shared/time/calendar-date';
import type { OrgSettings } from '../app/collector';

import type { QuitaDb } from '../db/db';
import { liveSignal, type LiveSignal } from './live-signal';
import {
  debtorList,
  debtorView,
  mergeTimeline,
  syncStatus,
  type DebtorView,
  type SyncStatus,
  type TimelineItem,
} from './merge';
import { todayBaseDeriver, type TodayBase } from './today-rows';

/** Every debtor in scope with its provisional balance. */
export function debtorsModel(db: QuitaDb): LiveSignal<DebtorView[]> {
  return liveSignal(
    () =>
      db.transaction('r', db.debtors, db.facts, db.outbox, async () => {
        const [debtors, facts, outbox] = await Promise.all([
          db.debtors.toArray(),
          db.facts.toArray(),
          db.outbox.toArray(),
        ]);
        return debtorList(debtors, facts, outbox);
      }),
    [],
  );
}

/**
 * The Today list's per-debtor bases (./today-rows.ts): debtors, debts, facts and the outbox read in
 * ONE transaction (a pull page is seen whole) and reduced inside the query, so the raw records are
 * not kept alive by the signal; bases are reused across re-runs while their inputs are unchanged.
 * Null until the first read.
 */
export function todayBasesModel(db: QuitaDb): LiveSignal<TodayBase[] | null> {
  const derive = todayBaseDeriver();
  return liveSignal<TodayBase[] | null>(
    () =>
      db.transaction('r', db.debtors, db.debts, db.facts, db.outbox, async () => {
        const [debtors, debts, facts, outbox] = await Promise.all([
          db.debtors.toArray(),
          db.debts.toArray(),
          db.facts.toArray(),
          db.outbox.toArray(),
        ]);
        return derive({ debtors, debts, facts, outbox });
      }),
    null,
  );
}

/** One debtor (null once revoked or before the first pull) and its merged timeline. */
export function debtorModel(
  db: QuitaDb,
  debtorId: string,
): LiveSignal<{ debtor: DebtorView | null; timeline: TimelineItem[] }> {
  return liveSignal(
    () =>
      db.transaction('r', db.debtors, db.facts, db.outbox, async () => {
        const [debtor, facts, outbox] = await Promise.all([
          db.debtors.get(debtorId),
          db.facts.where('debtor_id').equals(debtorId).toArray(),
          db.outbox.where('debtor_id').equals(debtorId).toArray(),
        ]);
        return {
          debtor: debtor ? debtorView(debtor, facts, outbox) : null,
          // Local facts about a debtor no longer in scope stay visible: they are still pushed.
          timeline: mergeTimeline(facts, outbox),
        };
      }),
    { debtor: null, timeline: [] },
  );
}

/** The sync status line; `online` and `syncing` are fed by the app and the engine's events. */
export function syncStatusModel(
  db: QuitaDb,
  inputs: { online: ReadonlySignal<boolean>; syncing: ReadonlySignal<boolean> } = {
    online: signal(true),
    syncing: signal(false),
  },
): { value: ReadonlySignal<SyncStatus>; dispose(): void } {
  const raw = liveSignal(
    () =>
      db.transaction('r', db.outbox, db.device, async () => ({
        outbox: await db.outbox.toArray(),
        device: await db.device.get('device'),
      })),
    { outbox: [], device: undefined },
  );
  const value = computed(() =>
    syncStatus({
      ...raw.value.value,
      online: inputs.online.value,
      syncing: inputs.syncing.value,
    }),
  );
  return { value, dispose: raw.dispose };
}

// ---- The office's pulled settings as every collector screen reads them: the régua, the zone and
// so today's date (kept here, in the collector runtime's chunk, so Today loads no extra file).

/**
 * The pulled cadence policy, else the shared default. The pull applier validated it when it was
 * stored (null when it did not parse); the shape check covers rows stored before that rule and the
 * legacy localStorage copy.
 */
export function cadencePolicy(settings: OrgSettings | null): CadencePolicy {
  const policy = settings?.cadence as Partial<CadencePolicy> | null | undefined;
  return policy && Array.isArray(policy.steps) && policy.steps.length > 0
    ? (policy as CadencePolicy)
    : DEFAULT_CADENCE_POLICY;
}

export function orgTimeZone(settings: OrgSettings | null): string {
  return settings?.organisation?.timeZone ?? DEFAULT_TIME_ZONE;
}

export function today(settings: OrgSettings | null): CalendarDate {
  return todayIn(Date.now(), orgTimeZone(settings));
}
