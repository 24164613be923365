/**
 * Keeps the maintained summaries (./summaries.ts) fresh, with ONE "refresh outdated" run at a time
 * per database, shared by everyone who needs it (single-flight, in-process):
 * - after a write's request has answered (`kickSummaries`): the debtors its statements marked
 *   stale (database triggers, whatever the writer) are derived again in the background; the
 *   answer to the write never waits for it;
 * - the summary job (`startSummaryJob`): at start and every 10 minutes, every live debtor whose
 *   summary is not of today (the day turn);
 * - a reader that meets a few outdated rows (`catchUpSummaries`) joins the run instead of
 *   deriving the same rows a second time.
 * A run derives stale rows first, then rows of another day, in batches; a request arriving during
 * a run asks for one more pass when it ends (rows written meanwhile). A reader that meets many
 * outdated rows does not wait for a run: the portfolio answers set-based (./portfolio.repo.ts).
 */
import type { Db } from '../db/db';
import { loadLedgerSettings, todayFor } from './settings';
import { refreshOutdated, REFRESH_BATCH } from './summaries';

/**
 * PGlite answers in the server's thread: a smaller batch keeps each of its statements short, so
 * requests are not held behind one (about 30 ms a statement for 250 debtors).
 */
const PGLITE_BATCH = 250;
import { startPeriodic } from '../ops/periodic';

interface Flight {
  running: Promise<number> | null;
  again: boolean;
  stopped: boolean;
}

const flights = new WeakMap<object, Flight>();

/**
 * The database a handle reaches: a wrapper made with `Object.create(db)` (the metrics'
 * `instrumentDb`, which the routes get) shares the run of the database it wraps.
 */
function rootOf(db: Db): object {
  let o: object = db;
  for (;;) {
    const proto = Object.getPrototypeOf(o) as object | null;
    if (proto === null || proto === Object.prototype) return o;
    o = proto;
  }
}

function flightOf(db: Db): Flight {
  const key = rootOf(db);
  let f = flights.get(key);
  if (!f) {
    f = { running: null, again: false, stopped: false };
    flights.set(key, f);
  }
  return f;
}

/**
 * Brings every outdated summary of `db` to `now()`'s day, joining the run in flight if there is
 * one (which then makes one more pass for what was written since it started). Answers how many
 * debtors the run derived.
 */
export function catchUpSummaries(db: Db, now: () => Date): Promise<number> {
  const f = flightOf(db);
  if (f.running) {
    f.again = true;
    return f.running;
  }
  const run = async (): Promise<number> => {
    let n = 0;
    do {
      f.again = false;
      n += await refreshOutdated(db, await loadLedgerSettings(db), now(), {
        stop: () => f.stopped,
        batch: db.kind === 'pglite' ? PGLITE_BATCH : REFRESH_BATCH,
      });
    } while (f.again && !f.stopped);
    return n;
  };
  const running = run().finally(() => {
    f.running = null;
  });
  f.running = running;
  return running;
}

/** Asks for the outdated summaries of `db` to be derived again, in the background. */
export function kickSummaries(
  db: Db,
  now: () => Date,
  onError: (error: unknown) => void = (error) => console.error('summary refresh failed', error),
): void {
  catchUpSummaries(db, now).catch(onError);
}

/** Resolves when no refresh of `db` is running (tests; a graceful stop). */
export async function summariesSettled(db: Db): Promise<void> {
  for (;;) {
    const running = flights.get(rootOf(db))?.running;
    if (!running) return;
    await running.catch(() => undefined);
  }
}

/**
 * The summaries' daily part: balances accrue interest, debts and promises pass their days and the
 * régua moves on with the date alone. Every `intervalMs` (and at start) every live debtor whose
 * summary is not of today is derived again (the shared run); `stop()` ends the run in flight
 * after its batch and waits for it.
 */
export function startSummaryJob(
  deps: { db: Db; now: () => Date; log?: (line: string) => void },
  intervalMs = 600_000,
): { stop(): Promise<void> } {
  const f = flightOf(deps.db);
  f.stopped = false;
  const job = startPeriodic(
    async () => {
      if (f.stopped) return;
      const n = await catchUpSummaries(deps.db, deps.now);
      if (n > 0) {
        const settings = await loadLedgerSettings(deps.db);
        deps.log?.(`summaries: ${n} debtor(s) derived for ${todayFor(settings, deps.now())}`);
      }
    },
    intervalMs,
    {
      onError: (error) => deps.log?.(`summaries: run failed: ${String(error)}`),
      onStop: () => {
        f.stopped = true;
      },
    },
  );
  return {
    async stop() {
      await job.stop();
      await summariesSettled(deps.db);
    },
  };
}
