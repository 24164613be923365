/**
 * Keeps the maintained summaries (./summaries.ts) fresh after writes: once a write's request has
 * answered, the debtors its statements marked stale (database triggers, whatever the writer) are
 * derived again in the background, in batches, one run at a time per database; a write arriving
 * during a run asks for another. The answer to the write never waits for it, and a reader that
 * meets a stale row derives it itself, so a slow catch-up (a 100,000-row import) is never wrong.
 */
import type { Db } from '../db/db';
import { loadLedgerSettings, todayFor } from './settings';
import { REFRESH_BATCH, refreshOutdated, refreshSummaries, staleDebtors } from './summaries';

interface Refresher {
  running: Promise<void> | null;
  again: boolean;
}

const refreshers = new WeakMap<Db, Refresher>();

async function drain(db: Db, now: () => Date, onError: (error: unknown) => void) {
  const tried = new Set<string>();
  try {
    for (;;) {
      // Rows a concurrent write made stale again are left to the next run.
      const ids = (await staleDebtors(db, REFRESH_BATCH + tried.size)).filter(
        (id) => !tried.has(id),
      );
      if (ids.length === 0) return;
      for (const id of ids) tried.add(id);
      await refreshSummaries(db, ids, await loadLedgerSettings(db), now());
    }
  } catch (error) {
    onError(error);
  }
}

/** Asks for the stale summaries of `db` to be derived again (in the background). */
export function kickSummaries(
  db: Db,
  now: () => Date,
  onError: (error: unknown) => void = (error) => console.error('summary refresh failed', error),
): void {
  let r = refreshers.get(db);
  if (!r) {
    r = { running: null, again: false };
    refreshers.set(db, r);
  }
  const state = r;
  if (state.running) {
    state.again = true;
    return;
  }
  const run = async (): Promise<void> => {
    do {
      state.again = false;
      await drain(db, now, onError);
    } while (state.again);
  };
  state.running = run().finally(() => {
    state.running = null;
  });
}

/** Resolves when no refresh of `db` is running (tests; a graceful stop). */
export async function summariesSettled(db: Db): Promise<void> {
  for (;;) {
    const running = refreshers.get(db)?.running;
    if (!running) return;
    await running;
  }
}

/**
 * The summaries' daily part: balances accrue interest, debts and promises pass their days and the
 * régua moves on with the date alone. Every `intervalMs` (and at start) every live debtor whose
 * summary is not of today is derived again, in batches; a run at a time.
 */
export function startSummaryJob(
  deps: { db: Db; now: () => Date; log?: (line: string) => void },
  intervalMs = 600_000,
): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  let busy = false;
  let stopped = false;
  const tick = () => {
    if (busy || stopped) return;
    busy = true;
    running = (async () => {
      const settings = await loadLedgerSettings(deps.db);
      const n = await refreshOutdated(deps.db, settings, deps.now(), {
        stop: () => stopped,
      });
      if (n > 0)
        deps.log?.(`summaries: ${n} debtor(s) derived for ${todayFor(settings, deps.now())}`);
    })()
      .catch((error: unknown) => deps.log?.(`summaries: run failed: ${String(error)}`))
      .finally(() => {
        busy = false;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
