/**
 * The daily backup: every day at QUITA_BACKUP_AT (default 03:00) in the organisation's time zone,
 * into QUITA_BACKUP_DIR, keeping the newest QUITA_BACKUP_KEEP (default 14). A server that was
 * down at that hour (restarted, moved) makes the missed backup `catchUpDelayMs` (10 minutes)
 * after it starts when the last good backup is more than 26 hours old, so a new installation
 * has its first backup on its first day. With several server processes on one PostgreSQL, each
 * day's backup is claimed by inserting that day's row in ops_backup_schedule: one process makes it.
 */
import { hostname } from 'node:os';
import { addDays, todayIn, type CalendarDate } from '#shared/time/calendar-date';
import { zonedEpoch } from '#shared/cadence/zoned-time';
import type { Db } from '../../db/db';
import { loadLedgerSettings } from '../../ledger/settings';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { runBackup, type BackupTarget } from './backup-service';

const HOUR = 3_600_000;
const MAX_TIMER = 2 ** 31 - 1;

/** The next instant after `now` at which the clock in `timeZone` reads `at` (HH:MM). */
export function nextRunAt(now: Date, at: string, timeZone: string): Date {
  const [h = 0, m = 0] = at.split(':').map(Number);
  const today = todayIn(now.getTime(), timeZone);
  for (const day of [today, addDays(today, 1), addDays(today, 2)]) {
    const t = zonedEpoch(day, h * 60 + m, timeZone);
    if (t > now.getTime()) return new Date(t);
  }
  return new Date(now.getTime() + 24 * HOUR);
}

export interface SchedulerDeps {
  db: () => Db;
  target: () => BackupTarget;
  dir: string;
  keep: number;
  /** HH:MM */
  at: string;
  now?: () => Date;
  logger?: Logger | undefined;
  metrics?: Metrics | undefined;
  catchUpDelayMs?: number;
}

export interface BackupScheduler {
  /** When the next scheduled backup runs. */
  nextRunAt(): Date | null;
  /** Runs the day's backup now if no process made it yet (what the timer calls). */
  runScheduled(): Promise<void>;
  stop(): Promise<void>;
}

async function timeZoneOf(db: Db): Promise<string> {
  try {
    return (await loadLedgerSettings(db)).timeZone;
  } catch {
    return 'America/Sao_Paulo';
  }
}

/** Starts the daily schedule. */
export function startBackupScheduler(deps: SchedulerDeps): BackupScheduler {
  const now = deps.now ?? (() => new Date());
  let timer: NodeJS.Timeout | undefined;
  let next: Date | null = null;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  async function claim(day: CalendarDate): Promise<boolean> {
    const rows = await deps.db().query(
      `INSERT INTO ops_backup_schedule (day, claimed_by, claimed_at) VALUES ($1, $2, $3)
         ON CONFLICT (day) DO NOTHING RETURNING day`,
      [day, `${hostname()}:${process.pid}`, now()],
    );
    return rows.length > 0;
  }

  async function runScheduled(): Promise<void> {
    const zone = await timeZoneOf(deps.db());
    if (!(await claim(todayIn(now().getTime(), zone)))) return;
    const start = performance.now();
    try {
      const result = await runBackup(deps.target(), {
        dir: deps.dir,
        keep: deps.keep,
        reason: 'scheduled',
        now,
      });
      deps.metrics?.observeBackup(true, result.bytes, (performance.now() - start) / 1000, now());
      deps.logger?.info(
        { bytes: result.bytes, ms: result.durationMs, pruned: result.pruned.length },
        `backup written to ${result.file}`,
      );
    } catch (error) {
      deps.metrics?.observeBackup(false, 0, 0, now());
      deps.logger?.error({ err: error }, 'scheduled backup failed');
    }
  }

  function arm(delayMs: number): void {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(
      () => {
        if (next && next.getTime() > now().getTime() + 1000)
          return arm(next.getTime() - now().getTime());
        running = runScheduled().finally(() => void schedule());
      },
      Math.min(Math.max(0, delayMs), MAX_TIMER),
    );
    timer.unref();
  }

  async function schedule(catchUp = false): Promise<void> {
    if (stopped) return;
    const zone = await timeZoneOf(deps.db());
    next = nextRunAt(now(), deps.at, zone);
    if (catchUp) {
      const [last] = await deps
        .db()
        .query<{ at: Date }>(
          `SELECT max(finished_at) AS at FROM ops_backups WHERE ok AND kind <> 'restore'`,
        );
      const lastAt = last?.at?.getTime() ?? 0;
      const soon = now().getTime() + (deps.catchUpDelayMs ?? 10 * 60_000);
      if (now().getTime() - lastAt > 26 * HOUR && soon < next.getTime()) next = new Date(soon);
    }
    arm(next.getTime() - now().getTime());
  }

  void schedule(true).catch((error: unknown) =>
    deps.logger?.error({ err: error }, 'backup schedule could not start'),
  );

  return {
    nextRunAt: () => next,
    runScheduled,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
