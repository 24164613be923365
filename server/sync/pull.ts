/**
 * Pull (reference/sync.md §5.4, §5.5): one collector's view of the `changes` feed, read in ONE
 * transaction (a single snapshot), so a page is internally consistent.
 *
 * Why the cursor never skips a committed row, and why `acked_through_seq` (read by the sequencer
 * just before it numbered the feed) is never visible without the effects of those mutations:
 * server/sync/feed-sequence.ts. The feed is read by `seq`, which the sequencer assigns in commit
 * order before this read; a snapshot that sees seq N sees every seq below N, so the cursor can
 * advance to the largest seq the snapshot sees.
 *
 * Two phases:
 * - no cursor: a snapshot of every debtor assigned now, paged by debtor id; the cursor carries the
 *   feed high-water mark read at the first page, and incremental reading starts there (anything
 *   that changed meanwhile has a larger change id and is delivered again: puts are idempotent);
 * - incremental: feed rows past the cursor about debtors the collector has or had; the current
 *   state of what changed is loaded at read time (latest-state, not replay). An assignment change
 *   for a debtor no longer theirs becomes an explicit `remove`.
 *
 * Organisation settings are org-wide feed rows (entity 'setting', no debtor): every collector's
 * incremental read includes them, and the first snapshot page carries every section
 * (server/sync/settings-feed.ts). Logged contacts travel as the fact 'contact' so the phone's
 * guard counts the office's and the cadence's contacts too; a visit's own contact row is not
 * sent, because the phone already counts the visit itself (one contact, counted once).
 */
import { numberUnsequenced } from './feed-sequence';
import type { SyncChange } from '#shared/sync/pull.schema';
import type { SyncCursor } from '#shared/sync/cursor';
import { OLDEST_SUPPORTED_SCHEMA_VERSION } from '#shared/sync/envelope.schema';
import { encodeCursor } from '#shared/sync/cursor';
import type { Tx } from '../db/db';
import {
  debtorState,
  loadDebtorFacts,
  type DebtorFacts,
  type DebtorState,
} from '../ledger/debtor-state';
import { agreementJson, debtJson, debtorAddress, paymentJson, promiseJson } from '../ledger/rows';
import type { ContactRow } from '../ledger/rows';
import { loadLedgerSettings, type LedgerSettings } from '../ledger/settings';
import { settingPuts } from './settings-feed';

export interface PullPage {
  changes: SyncChange[];
  cursor: string;
  has_more: boolean;
  epoch: number;
  acked_through_seq: number;
  server_now: string;
  reset_required?: true;
  upgrade_required?: true;
}

interface VisitRowFull {
  id: string;
  debtor_id: string;
  collector_id: string;
  visited_at: Date;
  outcome: string;
  note: string | null;
  version: number;
}

type EntityKey = 'debtor' | 'debt' | 'payment' | 'promise' | 'agreement' | 'visit' | 'contact';

/** A debtor's current page link as the phone holds it (for `{{payment_link}}` offline). */
export interface PortalLinkData {
  url: string;
  expiresAt: string;
}

function debtorData(facts: DebtorFacts, state: DebtorState, portalLink: PortalLinkData | null) {
  const r = facts.debtor as DebtorFacts['debtor'] & { geo_pin?: unknown };
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    address: debtorAddress(r),
    // A number known to be someone else's never reaches a phone (LGPD: only what the work needs).
    contactPoints: facts.contactPoints
      .filter((p) => p.verification !== 'wrong')
      .map((p) => ({
        id: p.id,
        kind: p.kind,
        value: p.value,
        label: p.label,
        isWhatsapp: p.is_whatsapp,
        verified: p.verified,
      })),
    preferredChannel: r.preferred_channel,
    preferredHours: r.preferred_hours,
    geoPin: r.geo_pin ?? null,
    doNotContact: r.do_not_contact,
    // What the contact guard reads besides the above (server/ledger/debtor-state contactProfile).
    blockedChannels: r.blocked_channels,
    state: r.state,
    status: state.status,
    totalDue: state.totals.totalDue,
    balanceAsOf: state.today,
    portalLink,
    version: r.version,
  };
}

/**
 * The contact row the server writes beside each visit (server/sync/apply.ts: same debtor, collector
 * and instant). The visit fact already stands for it on the phone.
 */
function isVisitContact(c: ContactRow, visits: readonly VisitRowFull[]): boolean {
  if (c.channel !== 'visit') return false;
  const at = c.at.getTime();
  return visits.some((v) => v.collector_id === c.user_id && v.visited_at.getTime() === at);
}

/**
 * Contacts the phone shows and counts: delivered ones (queued or failed sends count for nobody).
 * No body, template or author: when, which channel and which way is all the guard and the
 * timeline need.
 */
function contactData(c: ContactRow) {
  return {
    id: c.id,
    debtorId: c.debtor_id,
    channel: c.channel,
    direction: c.direction,
    automated: c.automated,
    status: c.status,
    occurredAt: c.at.toISOString(),
    version: c.version,
  };
}

/** Every synced entity of one debtor, current state. */
function entitiesOf(
  facts: DebtorFacts,
  visits: readonly VisitRowFull[],
  settings: LedgerSettings,
  now: Date,
  hidden: Set<string>,
  portalLink: PortalLinkData | null,
): Map<string, SyncChange> {
  const out = new Map<string, SyncChange>();
  const put = (entity: EntityKey, id: string, data: Record<string, unknown>) =>
    out.set(`${entity}:${id}`, { op: 'put', entity, id, data });
  // Once per debtor: the cadence plan inside it is most of a snapshot page's CPU.
  const state = debtorState(facts, settings, now);
  put('debtor', facts.debtor.id, debtorData(facts, state, portalLink));
  for (const d of facts.debts) put('debt', d.id, debtJson(d));
  for (const p of facts.payments) put('payment', p.id, paymentJson(p));
  for (const p of facts.promises)
    put('promise', p.id, promiseJson(p, state.promiseStatuses.get(p.id) ?? 'active'));
  for (const a of facts.agreements) put('agreement', a.id, agreementJson(a, facts.installments));
  for (const v of visits)
    put('visit', v.id, {
      id: v.id,
      debtorId: v.debtor_id,
      collectorId: v.collector_id,
      visitedAt: v.visited_at.toISOString(),
      outcome: v.outcome,
      notes: v.note,
      version: v.version,
    });
  for (const c of facts.contacts) {
    if (isVisitContact(c, visits)) hidden.add(c.id);
    else if (c.status === 'sent' || c.status === 'received') put('contact', c.id, contactData(c));
  }
  return out;
}

async function loadAll(
  tx: Tx,
  debtorIds: readonly string[],
  settings: LedgerSettings,
  now: Date,
  portalLinks?: (debtorIds: readonly string[]) => Promise<Map<string, PortalLinkData>>,
) {
  const facts = await loadDebtorFacts(tx, debtorIds);
  const links = portalLinks && debtorIds.length > 0 ? await portalLinks(debtorIds) : new Map();
  const byDebtor = new Map<string, Map<string, SyncChange>>();
  /** Contact rows deliberately not sent (a visit's own row). */
  const hidden = new Set<string>();
  for (const id of debtorIds) {
    const f = facts.get(id);
    if (!f) continue;
    // loadDebtorFacts reads visits with `SELECT *`, so the version column is there too.
    byDebtor.set(
      id,
      entitiesOf(f, f.visits as VisitRowFull[], settings, now, hidden, links.get(id) ?? null),
    );
  }
  return { byDebtor, hidden };
}

/**
 * The changes one debtor adds to a snapshot page, counted by index probes before anything is
 * loaded, so a page holds as many whole debtors as fit in `limit`. It may count a few rows the page
 * leaves out (undelivered or a visit's own contacts): a page can come out short, never over.
 */
const SNAPSHOT_CANDIDATES = `
  SELECT a.debtor_id, 1
    + (SELECT count(*) FROM debts x WHERE x.debtor_id = a.debtor_id)
    + (SELECT count(*) FROM payments x WHERE x.debtor_id = a.debtor_id)
    + (SELECT count(*) FROM promises x WHERE x.debtor_id = a.debtor_id)
    + (SELECT count(*) FROM agreements x WHERE x.debtor_id = a.debtor_id)
    + (SELECT count(*) FROM visits x WHERE x.debtor_id = a.debtor_id)
    + (SELECT count(*) FROM contact_log x WHERE x.debtor_id = a.debtor_id) AS n
  FROM assignments a
  WHERE a.collector_id = $1 AND a.ended_at IS NULL AND a.debtor_id > $2
  ORDER BY a.debtor_id LIMIT $3`;

/** The longest prefix of `candidates` within `budget` changes; at least one debtor. */
function fitPage(candidates: readonly { debtor_id: string; n: number }[], budget: number) {
  const ids: string[] = [];
  let used = 0;
  for (const c of candidates) {
    const n = Number(c.n);
    if (ids.length > 0 && used + n > budget) break;
    ids.push(c.debtor_id);
    used += n;
  }
  return ids;
}

/** Entities whose change re-puts the debtor summary (balance, status, contact points). */
const SYNCED: Record<string, EntityKey | null> = {
  debtor: 'debtor',
  debt: 'debt',
  payment: 'payment',
  promise: 'promise',
  agreement: 'agreement',
  installment: 'agreement',
  visit: 'visit',
  contact: 'contact',
};

/** Feed entities that never change the debtor summary (balance, status, contact points). */
const NO_SUMMARY: ReadonlySet<string> = new Set(['contact']);

export async function readPullPage(
  tx: Tx,
  input: {
    collectorId: string;
    deviceId: string;
    cursor: SyncCursor | null;
    limit: number;
    now: Date;
    schemaVersion: number;
    /**
     * The device's last_seq as `sequenceFeed` read it, just before numbering the feed; null (on
     * PGlite, where writers number their own rows) reads it in this snapshot.
     */
    ackedThroughSeq: number | null;
    /** The debtor's page link of each debtor (server/portal), carried in the debtor's data. */
    portalLinks?: (debtorIds: readonly string[]) => Promise<Map<string, PortalLinkData>>;
  },
): Promise<PullPage> {
  const [state] = await tx.query<{ epoch: number }>('SELECT epoch FROM sync_state WHERE id = 1');
  const epoch = state?.epoch ?? 1;
  let acked = input.ackedThroughSeq;
  if (acked === null) {
    await numberUnsequenced(tx, false);
    const [device] = await tx.query<{ last_seq: number }>(
      'SELECT last_seq FROM sync_devices WHERE id = $1',
      [input.deviceId],
    );
    acked = Number(device?.last_seq ?? 0);
  }
  const [high] = await tx.query<{ max: number | null }>('SELECT max(seq) AS max FROM changes');
  const highWater = Number(high?.max ?? 0);
  const base = {
    epoch,
    acked_through_seq: acked,
    server_now: input.now.toISOString(),
    ...(input.schemaVersion < OLDEST_SUPPORTED_SCHEMA_VERSION
      ? { upgrade_required: true as const }
      : {}),
  };
  const cursor = input.cursor;
  // A cursor from another epoch, or ahead of the feed (the database was restored from a backup
  // older than what the device saw): the device must start over, keeping its outbox.
  if (cursor !== null && (cursor.epoch !== epoch || cursor.seq > highWater))
    return {
      ...base,
      changes: [],
      cursor: encodeCursor({ epoch, seq: 0 }),
      has_more: true,
      reset_required: true,
    };
  const settings = await loadLedgerSettings(tx);

  if (cursor === null || cursor.after !== undefined) {
    const startSeq = cursor?.seq ?? highWater;
    // The first page of a snapshot (first sync, or after a reset) carries every section.
    const sections = cursor === null ? await settingPuts(tx) : [];
    const budget = input.limit - sections.length;
    // Every debtor is at least one change: `budget + 1` candidates are enough to fill the page
    // and to know whether another page follows.
    const candidates = await tx.query<{ debtor_id: string; n: number }>(SNAPSHOT_CANDIDATES, [
      input.collectorId,
      cursor?.after ?? '00000000-0000-0000-0000-000000000000',
      Math.max(1, budget) + 1,
    ]);
    const debtorIds = fitPage(candidates, budget);
    const { byDebtor: loaded } = await loadAll(
      tx,
      debtorIds,
      settings,
      input.now,
      input.portalLinks,
    );
    const changes = [
      ...sections,
      ...debtorIds.flatMap((id) => [...(loaded.get(id)?.values() ?? [])]),
    ];
    const last = debtorIds.at(-1);
    const full = debtorIds.length < candidates.length && last !== undefined;
    return {
      ...base,
      changes,
      cursor: encodeCursor(full ? { epoch, seq: startSeq, after: last } : { epoch, seq: startSeq }),
      // After the last snapshot page, whatever changed since the high-water mark follows.
      has_more: full || highWater > startSeq,
    };
  }

  const rows = await tx.query<{
    seq: number;
    entity: string;
    entity_id: string;
    debtor_id: string | null;
    op: string;
  }>(
    `SELECT seq, entity, entity_id, debtor_id, op FROM changes
     WHERE seq > $1
       AND (entity = 'setting'
         OR debtor_id IN (SELECT debtor_id FROM assignments WHERE collector_id = $2))
     ORDER BY seq LIMIT $3`,
    [cursor.seq, input.collectorId, input.limit],
  );
  const touched = [...new Set(rows.flatMap((r) => (r.debtor_id === null ? [] : [r.debtor_id])))];
  const mine = new Set(
    (
      await tx.query<{ debtor_id: string }>(
        `SELECT debtor_id FROM assignments
         WHERE collector_id = $1 AND ended_at IS NULL AND debtor_id = ANY($2::uuid[])`,
        [input.collectorId, touched],
      )
    ).map((r) => r.debtor_id),
  );
  const reassigned = new Set(rows.filter((r) => r.entity === 'assignment').map((r) => r.debtor_id));
  const sections = new Map(
    (
      await settingPuts(
        tx,
        new Set(rows.filter((r) => r.entity === 'setting').map((r) => r.entity_id)),
      )
    ).map((change) => [change.id, change]),
  );
  const { byDebtor: loaded, hidden } = await loadAll(
    tx,
    touched.filter((id) => mine.has(id)),
    settings,
    input.now,
    input.portalLinks,
  );
  const out = new Map<string, SyncChange>();
  const emit = (change: SyncChange) => {
    const key = `${change.entity}:${change.id}`;
    // Latest op per entity wins; Map re-insertion keeps the page in feed order of last touch.
    out.delete(key);
    out.set(key, change);
  };
  for (const row of rows) {
    const debtorId = row.debtor_id;
    if (debtorId === null) {
      const section = row.entity === 'setting' ? sections.get(row.entity_id) : undefined;
      if (section) emit(section);
      continue;
    }
    if (!mine.has(debtorId)) {
      if (reassigned.has(debtorId)) emit({ op: 'remove', entity: 'debtor', id: debtorId });
      continue;
    }
    const all = loaded.get(debtorId);
    if (!all) continue;
    if (row.entity === 'assignment') {
      // Newly (re)assigned: the debtor and its whole history.
      for (const change of all.values()) emit(change);
      continue;
    }
    const summary = all.get(`debtor:${debtorId}`);
    if (summary && !NO_SUMMARY.has(row.entity)) emit(summary);
    const kind = SYNCED[row.entity];
    if (!kind || kind === 'debtor') continue;
    if (row.entity === 'installment') {
      // Installments travel inside their agreement: re-put the debtor's agreements.
      for (const change of all.values()) if (change.entity === 'agreement') emit(change);
      continue;
    }
    const current = all.get(`${kind}:${row.entity_id}`);
    // A visit's own contact row was never sent, so there is nothing to remove either.
    if (!current && kind === 'contact' && hidden.has(row.entity_id)) continue;
    emit(current ?? { op: 'remove', entity: kind, id: row.entity_id });
  }
  const lastRow = rows.at(-1);
  const full = rows.length === input.limit && lastRow !== undefined;
  return {
    ...base,
    changes: [...out.values()],
    // A full page continues after its last row; otherwise everything visible was read.
    cursor: encodeCursor({ epoch, seq: full ? Number(lastRow.seq) : highWater }),
    has_more: full,
  };
}
