/**
 * Keeps the maintained summaries (./summaries.ts) fresh, with ONE "refresh outdated" run at a time
 * per database, shared by everyone who needs it (single-flight, in-process):
 * - after a write's request has answered (`kickSummaries`): the debtors its statements marked
 *   stale (database triggers, whatever the writer) are derived again in the background; the
 *   answer to the write never waits for it. During a burst of writes (fifty phones pushing) the
 *   post-write runs are spaced: the next one starts no sooner than KICK_GAP_RATIO × the last
 *   run's length (at least KICK_MIN_GAP_MS) after it ended, so the refresher takes at most about
 *   a fifth of the database and of this process while writers keep it busy, instead of running
 *   back to back and re-reading the same debtors' history after every request. A lone write is
 *   derived at once, as before; summaries are never trusted while stale, so the spacing only
 *   delays a reader's fast path;
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
import { startPeriodic } from '../ops/periodic';

/**
 * PGlite answers in the server's thread: a smaller batch keeps each of its statements short, so
 * requests are not held behind one (about 30 ms a statement for 250 debtors).
 */
const PGLITE_BATCH = 250;

interface Flight {
  running: Promise<number> | null;
  again: boolean;
  stopped: boolean;
  /** When the last run ended (performance.now()), and how long it took. */
  lastEnd: number;
  lastMs: number;
  /** A post-write run waiting for its turn (see kickSummaries). */
  timer: ReturnType<typeof setTimeout> | null;
  /** A write answered while a run was in flight: one post-write run is owed after it. */
  kicked: boolean;
  /** The clock and error sink of the owed run. */
  kick: { now: () => Date; onError: (error: unknown) => void } | null;
}

/** Post-write runs during a burst: spaced by this many times the last run's length… */
export const KICK_GAP_RATIO = 4;
/** …and at least this long after the last run ended. */
export const KICK_MIN_GAP_MS = 100;

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
    f = {
      running: null,
      again: false,
      stopped: false,
      lastEnd: Number.NEGATIVE_INFINITY,
      lastMs: 0,
      timer: null,
      kicked: false,
      kick: null,
    };
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
  const started = performance.now();
  const running = run().finally(() => {
    f.running = null;
    f.lastEnd = performance.now();
    f.lastMs = f.lastEnd - started;
    if (f.kicked) schedule(db, f);
  });
  f.running = running;
  return running;
}

/** The gap a post-write run keeps after the last run ended. */
function gapOf(f: Flight): number {
  return Math.max(KICK_MIN_GAP_MS, KICK_GAP_RATIO * f.lastMs);
}

/** Starts the owed post-write run now, or arms its timer for the end of the gap. */
function schedule(db: Db, f: Flight): void {
  if (f.running || f.timer || !f.kicked || !f.kick) return;
  const wait = f.lastEnd + gapOf(f) - performance.now();
  const fire = () => {
    f.timer = null;
    const kick = f.kick;
    // A database closed meanwhile (a test, a stop without the job) is left alone.
    if (!f.kicked || !kick || f.stopped || db.closed === true) return;
    f.kicked = false;
    catchUpSummaries(db, kick.now).catch(kick.onError);
  };
  if (wait <= 0) fire();
  else {
    f.timer = setTimeout(fire, wait);
    f.timer.unref();
  }
}

/**
 * Asks for the outdated summaries of `db` to be derived again, in the background: at once when
 * the refresher has been quiet for its gap, else one run at the end of the gap (every write
 * answered meanwhile shares it).
 */
export function kickSummaries(
  db: Db,
  now: () => Date,
  onError: (error: unknown) => void = (error) => console.error('summary refresh failed', error),
): void {
  const f = flightOf(db);
  f.kicked = true;
  f.kick = { now, onError };
  schedule(db, f);
}

/**
 * Resolves when no refresh of `db` is running or owed (tests; a graceful stop): an owed
 * post-write run starts now instead of at the end of its gap (unless the job was stopped).
 */
export async function summariesSettled(db: Db): Promise<void> {
  for (;;) {
    const f = flights.get(rootOf(db));
    if (!f) return;
    if (f.timer) {
      clearTimeout(f.timer);
      f.timer = null;
      const kick = f.kick;
      if (f.kicked && kick && !f.stopped && db.closed !== true) {
        f.kicked = false;
        catchUpSummaries(db, kick.now).catch(kick.onError);
      }
    }
    const running = f.running;
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

/** Where the refresher of `db` stands (tests, diagnostics). */
export function summaryRefreshState(db: Db): {
  running: boolean;
  owed: boolean;
  waiting: boolean;
  lastEnd: number;
  gapMs: number;
} {
  const f = flightOf(db);
  return {
    running: f.running !== null,
    owed: f.kicked,
    waiting: f.timer !== null,
    lastEnd: f.lastEnd,
    gapMs: gapOf(f),
  };
}
