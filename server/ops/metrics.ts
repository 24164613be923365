/**
 * Prometheus metrics (prom-client), one registry per app so tests never share counters:
 * - HTTP: request latency by method, ROUTE PATTERN (/api/debtors/:id; the PWA's files are
 *   "static", anything unmatched "unmatched") and status — a raw path would carry ids and grow
 *   without bound;
 * - database: time of every query, script and transaction (`instrumentDb` wraps the Db);
 * - sync: push requests and mutations by outcome, pull pages by kind and changes sent;
 * - cadence worker: enabled, runs by result, last run time and duration, e-mails by outcome;
 * - e-mail queue and database size, read from the database when scraped;
 * - backups: last success, size and duration;
 * - the process (RSS, heap, event-loop lag, open handles) when `processMetrics` is on.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db, Tx } from '../db/db';
import type { CadenceRunResult } from '../cadence/worker';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const DB_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];

/** Facts read from the database at scrape time. */
export interface ScrapeSources {
  db: () => Db;
}

export interface Metrics {
  readonly registry: Registry;
  /** Records one HTTP answer. */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  observeDb(kind: string, op: 'query' | 'exec' | 'transaction', seconds: number, ok: boolean): void;
  observeSyncPush(outcome: 'ok' | 'unavailable', statuses: readonly string[]): void;
  observeSyncPull(kind: 'first' | 'incremental' | 'reset', changes: number): void;
  cadenceWorker(enabled: boolean): void;
  observeCadenceRun(result: CadenceRunResult | Error, seconds: number, at: Date): void;
  observeBackup(ok: boolean, bytes: number, seconds: number, at: Date): void;
  /** Scrape-time gauges (e-mail queue, database size) read through `sources`. */
  attachSources(sources: ScrapeSources): void;
  /** The text exposition (format 0.0.4). */
  render(): Promise<string>;
  readonly contentType: string;
}

export interface MetricsOptions {
  /** Process metrics (RSS, heap, event loop): on in the server, off in tests. */
  processMetrics?: boolean;
  version?: string;
}

/** A fresh registry with every Quita metric. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const info = new Gauge({
    name: 'quita_info',
    help: 'Build information (always 1).',
    labelNames: ['version'],
    registers: [registry],
  });
  info.set({ version: options.version ?? 'unknown' }, 1);

  const http = new Histogram({
    name: 'quita_http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const dbTime = new Histogram({
    name: 'quita_db_duration_seconds',
    help: 'Time spent in the database per query, script or whole transaction.',
    labelNames: ['db', 'op'],
    buckets: DB_BUCKETS,
    registers: [registry],
  });
  const dbErrors = new Counter({
    name: 'quita_db_errors_total',
    help: 'Database calls that failed.',
    labelNames: ['db', 'op'],
    registers: [registry],
  });
  const pushRequests = new Counter({
    name: 'quita_sync_push_requests_total',
    help: 'Sync pushes by outcome (unavailable = rolled back, the phone resends).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const pushMutations = new Counter({
    name: 'quita_sync_push_mutations_total',
    help: 'Mutations received in pushes, by result status.',
    labelNames: ['status'],
    registers: [registry],
  });
  const pullPages = new Counter({
    name: 'quita_sync_pull_requests_total',
    help: 'Sync pull pages served: first (no cursor), incremental, or reset (reset_required).',
    labelNames: ['kind'],
    registers: [registry],
  });
  const pullChanges = new Counter({
    name: 'quita_sync_pull_changes_total',
    help: 'Changes sent to phones in pull pages.',
    registers: [registry],
  });
  const workerEnabled = new Gauge({
    name: 'quita_cadence_worker_enabled',
    help: '1 when the automatic e-mail worker runs (SMTP_URL set), else 0.',
    registers: [registry],
  });
  const workerRuns = new Counter({
    name: 'quita_cadence_worker_runs_total',
    help: 'Cadence worker runs by result.',
    labelNames: ['result'],
    registers: [registry],
  });
  const workerLastRun = new Gauge({
    name: 'quita_cadence_worker_last_run_timestamp_seconds',
    help: 'When the cadence worker last finished a run (Unix time).',
    registers: [registry],
  });
  const workerLastOk = new Gauge({
    name: 'quita_cadence_worker_last_run_success',
    help: '1 when the last cadence worker run succeeded, 0 when it failed.',
    registers: [registry],
  });
  const workerDuration = new Gauge({
    name: 'quita_cadence_worker_last_run_duration_seconds',
    help: 'Duration of the last cadence worker run.',
    registers: [registry],
  });
  const emails = new Counter({
    name: 'quita_cadence_emails_total',
    help: 'Automatic e-mails handled by the cadence worker, by outcome.',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const backups = new Counter({
    name: 'quita_backups_total',
    help: 'Backups made by this process, by result.',
    labelNames: ['result'],
    registers: [registry],
  });
  const backupLast = new Gauge({
    name: 'quita_backup_last_success_timestamp_seconds',
    help: 'When this process last made a backup successfully (Unix time).',
    registers: [registry],
  });
  const backupBytes = new Gauge({
    name: 'quita_backup_last_size_bytes',
    help: 'Size of the last successful backup.',
    registers: [registry],
  });
  const backupSeconds = new Gauge({
    name: 'quita_backup_last_duration_seconds',
    help: 'Duration of the last successful backup.',
    registers: [registry],
  });
  workerEnabled.set(0);

  let sources: ScrapeSources | undefined;
  const up = new Gauge({
    name: 'quita_database_up',
    help: '1 when the database answered the last scrape, else 0.',
    registers: [registry],
  });
  new Gauge({
    name: 'quita_email_queue_tasks',
    help: 'Automatic e-mails in the queue by status (pending, sending, uncertain, failed).',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      if (!sources) return;
      const db = sources.db();
      const rows = await safely(() =>
        db.query<{ status: string; n: number }>(
          `SELECT status, count(*)::int AS n FROM cadence_tasks
           WHERE status IN ('pending', 'sending', 'uncertain', 'failed') GROUP BY status`,
        ),
      );
      this.reset();
      if (rows === undefined) return;
      for (const status of ['pending', 'sending', 'uncertain', 'failed'])
        this.set({ status }, rows.find((r) => r.status === status)?.n ?? 0);
    },
  });
  new Gauge({
    name: 'quita_email_queue_oldest_pending_age_seconds',
    help: 'Age of the oldest e-mail due and not yet sent (0 when none).',
    registers: [registry],
    async collect() {
      if (!sources) return;
      const db = sources.db();
      const [row] =
        (await safely(() =>
          db.query<{ oldest: Date | null }>(
            `SELECT min(next_attempt_at) AS oldest FROM cadence_tasks
             WHERE status = 'pending' AND next_attempt_at <= now()`,
          ),
        )) ?? [];
      this.set(row?.oldest ? Math.max(0, (Date.now() - row.oldest.getTime()) / 1000) : 0);
    },
  });
  new Gauge({
    name: 'quita_database_size_bytes',
    help: 'Size of the database (pg_database_size).',
    registers: [registry],
    async collect() {
      if (!sources) return;
      const rows = await safely(() =>
        (sources as ScrapeSources)
          .db()
          .query<{ size: number }>('SELECT pg_database_size(current_database()) AS size'),
      );
      up.set(rows === undefined ? 0 : 1);
      this.set(Number(rows?.[0]?.size ?? 0));
    },
  });

  return {
    registry,
    contentType: registry.contentType,
    observeRequest(method, route, status, seconds) {
      http.observe({ method, route, status: String(status) }, seconds);
    },
    observeDb(kind, op, seconds, ok) {
      dbTime.observe({ db: kind, op }, seconds);
      if (!ok) dbErrors.inc({ db: kind, op });
    },
    observeSyncPush(outcome, statuses) {
      pushRequests.inc({ outcome });
      for (const status of statuses) pushMutations.inc({ status });
    },
    observeSyncPull(kind, changes) {
      pullPages.inc({ kind });
      pullChanges.inc(changes);
    },
    cadenceWorker(enabled) {
      workerEnabled.set(enabled ? 1 : 0);
    },
    observeCadenceRun(result, seconds, at) {
      workerLastRun.set(at.getTime() / 1000);
      workerDuration.set(seconds);
      if (result instanceof Error) {
        workerRuns.inc({ result: 'error' });
        workerLastOk.set(0);
        return;
      }
      workerRuns.inc({ result: 'ok' });
      workerLastOk.set(1);
      for (const [outcome, n] of Object.entries(result)) if (n > 0) emails.inc({ outcome }, n);
    },
    observeBackup(ok, bytes, seconds, at) {
      backups.inc({ result: ok ? 'ok' : 'error' });
      if (!ok) return;
      backupLast.set(at.getTime() / 1000);
      backupBytes.set(bytes);
      backupSeconds.set(seconds);
    },
    attachSources(next) {
      sources = next;
    },
    render: () => registry.metrics(),
  };
}

/** A scrape must answer even when the database does not: a failed read leaves its gauge out. */
async function safely<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch {
    return undefined;
  }
}

/** Wraps `db` so every query, script and transaction is timed into `metrics`. */
export function instrumentDb<D extends Db>(db: D, metrics: Metrics): D {
  const time = async <T>(
    op: 'query' | 'exec' | 'transaction',
    run: () => Promise<T>,
  ): Promise<T> => {
    const start = performance.now();
    let ok = false;
    try {
      const result = await run();
      ok = true;
      return result;
    } finally {
      metrics.observeDb(db.kind, op, (performance.now() - start) / 1000, ok);
    }
  };
  const wrapTx = (tx: Tx): Tx => ({
    kind: tx.kind,
    afterCommit: (fn) => tx.afterCommit(fn),
    query: (sql, params) => time('query', () => tx.query(sql, params)),
    exec: (sql) => time('exec', () => tx.exec(sql)),
  });
  return Object.assign(Object.create(db) as D, {
    query: ((sql: string, params?: readonly unknown[]) =>
      time('query', () => db.query(sql, params))) as D['query'],
    exec: (sql: string) => time('exec', () => db.exec(sql)),
    transaction: ((fn: (tx: Tx) => Promise<unknown>, options?: Parameters<D['transaction']>[1]) =>
      time('transaction', () =>
        db.transaction((tx) => fn(wrapTx(tx)), options),
      )) as D['transaction'],
  });
}
