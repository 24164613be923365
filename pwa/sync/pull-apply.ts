/**
 * The pull applier: the ONLY writer of the server-state tables (reference/sync.md §5.4–5.5).
 *
 * Each page is applied in ONE Dexie transaction together with its cursor, so a crash between
 * pages re-pulls that page and applying a page twice changes nothing (puts are upserts by id that
 * never go back in version). A `remove` deletes the debtor and its cached debts and facts; it
 * never touches the outbox: revocation is not a user delete, and facts recorded in the field are
 * still pushed.
 */
import * as v from 'valibot';
import { CadencePolicySchema } from '#shared/cadence/cadence.schema';
import { clearTodayHead } from '../models/today-head';
import type { PullResponse, SyncChange } from '#shared/sync/pull.schema';
import {
  retainedTable,
  SERVER_TABLES,
  type OutboxRow,
  type QuitaDb,
  type SrvDebt,
  type SrvDebtor,
  type SrvFact,
  type SrvSetting,
} from '../db/db';
import { retainDelivered } from './outbox';

const FACT_ENTITIES: ReadonlySet<string> = new Set([
  'payment',
  'promise',
  'agreement',
  'visit',
  'contact',
]);

function versionOf(data: Record<string, unknown>): number {
  const version = data['version'];
  return typeof version === 'number' ? version : 0;
}

function debtorIdOf(data: Record<string, unknown>): string {
  const id = data['debtorId'];
  return typeof id === 'string' ? id : '';
}

/** Deletes a debtor and everything cached about it from the server tables (never the outbox). */
export async function removeDebtorLocally(db: QuitaDb, debtorId: string): Promise<void> {
  // The kept head of Today may show this debtor: forget it before anything paints it again.
  clearTodayHead();
  await db.debtors.delete(debtorId);
  await db.debts.where('debtor_id').equals(debtorId).delete();
  await db.facts.where('debtor_id').equals(debtorId).delete();
}

type ServerRow = SrvDebtor | SrvDebt | SrvFact;
type PutTable = 'debtors' | 'debts' | 'facts';

/** The row a `put` writes, and its table; null for entities this device does not keep. */
function rowOf(change: SyncChange & { op: 'put' }): { table: PutTable; row: ServerRow } | null {
  const { data } = change;
  const version = versionOf(data);
  if (change.entity === 'debtor')
    return { table: 'debtors', row: { id: change.id, version, data } };
  if (change.entity === 'debt')
    return { table: 'debts', row: { id: change.id, debtor_id: debtorIdOf(data), version, data } };
  if (FACT_ENTITIES.has(change.entity))
    return {
      table: 'facts',
      row: { id: change.id, debtor_id: debtorIdOf(data), type: change.entity, version, data },
    };
  return null;
}

/**
 * Writes a run of puts with one bulk read and one bulk write per table, never going back in
 * version (a replayed older page is a no-op). Per-row get/put awaited one by one cost most of an
 * initial sync: 500 round trips into IndexedDB per page instead of two.
 */
async function putRun(db: QuitaDb, run: Map<PutTable, Map<string, ServerRow>>): Promise<void> {
  for (const [name, rows] of run) {
    const table = db.table<ServerRow, string>(name);
    const existing = await table.bulkGet([...rows.keys()]);
    const fresh = [...rows.values()].filter((row, i) => {
      const stored = existing[i];
      return !stored || stored.version <= row.version;
    });
    if (fresh.length > 0) await table.bulkPut(fresh);
  }
  run.clear();
}

async function removeOne(db: QuitaDb, change: SyncChange): Promise<void> {
  if (change.entity === 'debtor') await removeDebtorLocally(db, change.id);
  else if (change.entity === 'debt') await db.debts.delete(change.id);
  else await db.facts.delete(change.id);
}

/**
 * Applies changes in page order: consecutive puts are batched, and a `remove` first flushes the
 * puts before it, so a page that puts then removes (or the reverse) ends as if applied one by one.
 */
async function applyChanges(db: QuitaDb, changes: readonly SyncChange[]): Promise<void> {
  const run = new Map<PutTable, Map<string, ServerRow>>();
  // Settings sections are keyed by name and touch no debtor: collected apart, written once.
  const settings = new Map<string, SrvSetting | null>();
  for (const change of changes) {
    if (change.entity === 'setting') {
      const row = change.op === 'put' ? settingOf(change.id, change.data) : null;
      const queued = settings.get(change.id);
      if (!row || !queued || queued.version <= row.version) settings.set(change.id, row);
      continue;
    }
    if (change.op === 'remove') {
      await putRun(db, run);
      await removeOne(db, change);
      continue;
    }
    const target = rowOf(change);
    if (!target) continue;
    let rows = run.get(target.table);
    if (!rows) run.set(target.table, (rows = new Map()));
    const queued = rows.get(target.row.id);
    if (!queued || queued.version <= target.row.version) rows.set(target.row.id, target.row);
  }
  await putRun(db, run);
  await applySettings(db, settings);
}

/**
 * A section's row from its `{ version, value }` data. The cadence policy is validated here, where
 * it enters the device, so screens read it as typed data without loading the schemas (the first
 * screen's budget): one this client cannot read (say, from a newer server) is kept as null, and
 * screens fall back to the default régua, as they would with no section at all.
 */
function settingOf(key: string, data: Record<string, unknown>): SrvSetting {
  const value = data['value'];
  if (key !== 'cadence') return { key, version: versionOf(data), value };
  const policy = v.safeParse(CadencePolicySchema, value);
  return { key, version: versionOf(data), value: policy.success ? policy.output : null };
}

/** Puts sections (never back in version) and deletes the removed ones. */
async function applySettings(db: QuitaDb, sections: Map<string, SrvSetting | null>): Promise<void> {
  if (sections.size === 0) return;
  const keys = [...sections.keys()];
  const stored = await db.settings.bulkGet(keys);
  const puts: SrvSetting[] = [];
  const removed: string[] = [];
  keys.forEach((key, i) => {
    const row = sections.get(key);
    if (!row) removed.push(key);
    else if ((stored[i]?.version ?? -1) <= row.version) puts.push(row);
  });
  if (puts.length > 0) await db.settings.bulkPut(puts);
  if (removed.length > 0) await db.settings.bulkDelete(removed);
}

/**
 * Applies one page and its cursor atomically. On the last page (`has_more` false) it also moves
 * the acked outbox rows in `deliveredAcks` to `retained` (./outbox.ts): rows acked BEFORE this
 * pull began, so this pull's snapshot contains their server copy — from now on the overlay shows
 * that copy instead (§5.6).
 * Returns the number of changes applied.
 */
export async function applyPullPage(
  db: QuitaDb,
  page: PullResponse,
  options: { deliveredAcks?: readonly string[]; now: string },
): Promise<number> {
  const retained = retainedTable(db);
  const tables = [
    db.debtors,
    db.debts,
    db.facts,
    db.settings,
    db.device,
    db.outbox,
    ...(retained ? [retained] : []),
  ];
  return db.transaction('rw', tables, async () => {
    await applyChanges(db, page.changes);
    const done = !page.has_more;
    await db.device.update('device', {
      cursor: page.cursor,
      epoch: String(page.epoch),
      ...(done ? { last_pull_ok_at: options.now } : {}),
    });
    if (done && options.deliveredAcks && options.deliveredAcks.length > 0) {
      const rows = await db.outbox.bulkGet([...options.deliveredAcks]);
      const delivered = rows.filter(
        (row): row is OutboxRow =>
          row?.state === 'acked' && row.device_seq <= page.acked_through_seq,
      );
      // Kept (not deleted) for a while: a server restored from an older backup gets them again.
      await retainDelivered(db, delivered, options.now);
    }
    return page.changes.length;
  });
}

/**
 * Epoch changed on the server (restore, compaction): wipe the server tables and the cursor in one
 * transaction, KEEP the outbox (its rows are pushed again or already acked; the re-pull brings
 * their server copies back).
 */
export async function resetServerState(db: QuitaDb): Promise<void> {
  await db.transaction(
    'rw',
    [...SERVER_TABLES.map((name) => db.table(name)), db.device],
    async () => {
      for (const name of SERVER_TABLES) await db.table(name).clear();
      await db.device.update('device', { cursor: null, epoch: null });
    },
  );
}
