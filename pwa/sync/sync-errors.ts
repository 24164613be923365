/**
 * How the sync engine tells failures apart: an HTTP answer is transient (retry with backoff),
 * auth (sign in again) or permanent (report it); an IndexedDB error is a dropped connection
 * (reopen once) or a full disk (keep the cursor, retry later, tell the owner).
 */
import type { SyncFailure } from './sync-types';

/** A failure the engine raises with its classification attached. */
export class HttpFailure extends Error {
  readonly failure: SyncFailure;
  constructor(failure: SyncFailure) {
    super(failure.message);
    this.failure = failure;
  }
}

/** The class of an HTTP error answer, with the problem's detail (or title) as the message. */
export function classify(status: number, body: unknown): SyncFailure {
  const detail =
    typeof body === 'object' && body !== null && 'detail' in body
      ? String((body as { detail: unknown }).detail)
      : typeof body === 'object' && body !== null && 'title' in body
        ? String((body as { title: unknown }).title)
        : `HTTP ${status}`;
  if (status >= 500 || status === 408 || status === 429)
    return { kind: 'transient', message: detail, status };
  if (status === 401) return { kind: 'auth', message: detail, status };
  return { kind: 'permanent', message: detail, status };
}

/** WebKit drops IndexedDB connections after backgrounding (Dexie#1139, Expensify#87864). */
export function isClosedConnection(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  const inner = (error as { inner?: { name?: unknown } } | null)?.inner?.name;
  return (
    name === 'DatabaseClosedError' ||
    name === 'InvalidStateError' ||
    inner === 'InvalidStateError' ||
    (name === 'UnknownError' &&
      /connection|closing/i.test(String((error as Error | null)?.message ?? '')))
  );
}

/** The browser refused the write for lack of space (possibly wrapped by Dexie or an abort). */
export function isQuotaError(error: unknown): boolean {
  const e = error as {
    name?: unknown;
    inner?: { name?: unknown } | null;
    failures?: unknown;
  } | null;
  if (e?.name === 'QuotaExceededError' || e?.inner?.name === 'QuotaExceededError') return true;
  const failures = e?.failures;
  return Array.isArray(failures) && failures.some(isQuotaError);
}
