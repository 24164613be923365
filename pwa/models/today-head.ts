/**
 * The head of Today's list, kept so the route is on screen the moment the app opens: the first
 * rows Today last derived (in order, with what a row shows), the collector and the day they are
 * for. Today paints them while the device database opens and the whole list is read and derived
 * (5,000 debtors take a few hundred milliseconds on a phone), then replaces them with the live
 * rows, which also rewrite this copy.
 *
 * Kept in localStorage: read synchronously, before Dexie has even downloaded. Same origin and
 * same device as the database it summarises, so it adds no exposure; it holds only the rows of
 * this collector, for this day, and is forgotten as soon as a debtor leaves the phone (pull or
 * integrity removal: pwa/sync/pull-apply.ts) or another collector claims it.
 */
import { todayIn } from '#shared/time/calendar-date';
import type { TodayRow } from './today-rows';

const KEY = 'quita.today-head';
/** Rows kept: more than a 1280×800 screen shows. */
export const HEAD_ROWS = 30;

interface Head {
  v: 1;
  collectorId: string;
  /** The organisation's zone the day was counted in. */
  zone: string;
  day: string;
  total: number;
  rows: TodayRow[];
}

/** The fields a row shows (./today-rows.ts TodayRow), without the search key. */
function compact(row: TodayRow): TodayRow {
  return {
    ...row,
    search: '',
    // Only the channel of the step is shown ("Mandar WhatsApp").
    step: row.step ? { ...row.step } : null,
  };
}

/** Remembers the first rows of `rows` (the whole list, in Today's order) for `collectorId`. */
export function saveTodayHead(
  collectorId: string,
  zone: string,
  day: string,
  rows: readonly TodayRow[],
): void {
  const head: Head = {
    v: 1,
    collectorId,
    zone,
    day,
    total: rows.length,
    rows: rows.slice(0, HEAD_ROWS).map(compact),
  };
  try {
    localStorage.setItem(KEY, JSON.stringify(head));
  } catch {
    // Storage full or unavailable: the list just takes its normal time.
  }
}

/** The kept head for this collector, if it was made today (in its zone), or null. */
export function readTodayHead(
  collectorId: string,
  now: number = Date.now(),
): { total: number; rows: TodayRow[] } | null {
  try {
    const raw = typeof localStorage === 'undefined' ? null : localStorage.getItem(KEY);
    if (!raw) return null;
    const head = JSON.parse(raw) as Partial<Head>;
    if (head.v !== 1 || head.collectorId !== collectorId || typeof head.zone !== 'string')
      return null;
    if (head.day !== todayIn(now, head.zone)) return null;
    if (!Array.isArray(head.rows) || typeof head.total !== 'number') return null;
    return { total: head.total, rows: head.rows };
  } catch {
    return null;
  }
}

/** Forgets the head (a debtor left the phone, another collector took it). */
export function clearTodayHead(): void {
  try {
    if (typeof localStorage !== 'undefined') localStorage.removeItem(KEY);
  } catch {
    // Nothing kept, nothing to forget.
  }
}
