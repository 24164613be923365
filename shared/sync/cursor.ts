/**
 * The pull cursor: opaque to clients, "c1.<epoch>.<seq>" or "c1.<epoch>.<seq>.<after debtor id>"
 * while the initial snapshot is being paged (seq is then the feed high-water mark the snapshot
 * started at).
 */

export interface SyncCursor {
  epoch: number;
  seq: number;
  /** During the initial snapshot: the last debtor id delivered. */
  after?: string;
}

const CURSOR_RE = /^c1\.(\d{1,15})\.(\d{1,15})(?:\.([0-9a-f-]{36}))?$/;

export function encodeCursor(cursor: SyncCursor): string {
  const base = `c1.${cursor.epoch}.${cursor.seq}`;
  return cursor.after === undefined ? base : `${base}.${cursor.after}`;
}

/** Null when the string is not a cursor this protocol issued. */
export function decodeCursor(text: string): SyncCursor | null {
  const m = CURSOR_RE.exec(text);
  if (!m) return null;
  const epoch = Number(m[1]);
  const seq = Number(m[2]);
  if (!Number.isSafeInteger(epoch) || !Number.isSafeInteger(seq)) return null;
  return m[3] === undefined ? { epoch, seq } : { epoch, seq, after: m[3] };
}
