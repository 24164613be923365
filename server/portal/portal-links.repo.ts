/**
 * Storage of the debtor's page links. A debtor has at most one CURRENT link: the newest one not
 * revoked, derived with the server's current key and with at least `LINK_RENEW_BEFORE_DAYS` left.
 * Every reader that needs to put a link in a message (the cadence queue, the phone's feed, the
 * extension through `POST /api/debtors/:id/portal-links`) calls `ensurePortalLinks`, which returns
 * the current link or mints one, so the same link reaches the debtor on every channel until it
 * is about to expire. Minting a link for a debtor assigned to a collector appends a debtor row to
 * the change feed, so the phone's next pull carries the new link.
 *
 * A link is only minted for a debtor with a CPF/CNPJ on file: the page shows nothing before the
 * identity check, and without a document there is nothing to check against.
 */
import { uuidv7 } from 'uuidv7';
import {
  DEFAULT_PORTAL_SETTINGS,
  LINK_RENEW_BEFORE_DAYS,
} from '#shared/portal/portal-settings.schema';
import type { Db, Queryable, Tx } from '../db/db';
import { recordChange } from '../db/write';
import { readSection } from '../settings/settings.repo';
import {
  hashPortalToken,
  newPortalToken,
  portalTokenOf,
  portalUrl,
  TOKEN_RE,
  type PortalKey,
} from './portal-token';

const DAY_MS = 86_400_000;

/** A link row. */
export interface PortalLinkRow {
  id: string;
  debtor_id: string;
  nonce: string;
  token_hash: string;
  key_id: string;
  created_at: Date;
  created_by: string | null;
  expires_at: Date;
  revoked_at: Date | null;
  revoked_by: string | null;
  revoke_reason: 'office' | 'locked' | null;
  verified_at: Date | null;
  last_seen_at: Date | null;
}

/** A link a message can carry. */
export interface CurrentLink {
  id: string;
  token: string;
  expiresAt: Date;
}

/** The organisation's link lifetime in days (settings section `portal`). */
export async function linkDays(q: Queryable): Promise<number> {
  return (await readSection(q, 'portal')).value.linkDays ?? DEFAULT_PORTAL_SETTINGS.linkDays;
}

const CURRENT_SQL = `
  SELECT DISTINCT ON (debtor_id) *
    FROM portal_links
   WHERE debtor_id = ANY($1::uuid[]) AND revoked_at IS NULL AND key_id = $2 AND expires_at > $3
   ORDER BY debtor_id, expires_at DESC, id DESC`;

function asCurrent(key: PortalKey, row: PortalLinkRow): CurrentLink {
  return { id: row.id, token: portalTokenOf(key, row.nonce), expiresAt: row.expires_at };
}

/** The current links of `debtorIds` (read only; debtors without one are absent). */
export async function currentPortalLinks(
  q: Queryable,
  key: PortalKey,
  debtorIds: readonly string[],
  now: Date,
): Promise<Map<string, CurrentLink>> {
  if (debtorIds.length === 0) return new Map();
  const rows = await q.query<PortalLinkRow>(CURRENT_SQL, [
    [...new Set(debtorIds)],
    key.id,
    new Date(now.getTime() + LINK_RENEW_BEFORE_DAYS * DAY_MS),
  ]);
  return new Map(rows.map((r) => [r.debtor_id, asCurrent(key, r)]));
}

/**
 * The current link of each of `debtorIds` that has a document, minting the missing ones in one
 * statement (set-based: a queue page of 500 debtors is one INSERT). Runs in `tx`.
 */
export async function ensurePortalLinksTx(
  tx: Tx,
  key: PortalKey,
  debtorIds: readonly string[],
  now: Date,
  options: { createdBy?: string | null; days?: number } = {},
): Promise<Map<string, CurrentLink>> {
  const ids = [...new Set(debtorIds)];
  const current = await currentPortalLinks(tx, key, ids, now);
  const missing = ids.filter((id) => !current.has(id));
  if (missing.length === 0) return current;
  const eligible = await tx.query<{ id: string; version: number; assigned: boolean }>(
    `SELECT d.id, d.version,
            EXISTS (SELECT 1 FROM assignments a WHERE a.debtor_id = d.id AND a.ended_at IS NULL) AS assigned
       FROM debtors d
      WHERE d.id = ANY($1::uuid[]) AND d.document IS NOT NULL AND d.anonymised_at IS NULL
      ORDER BY d.id`,
    [missing],
  );
  if (eligible.length === 0) return current;
  const days = options.days ?? (await linkDays(tx));
  const expiresAt = new Date(now.getTime() + days * DAY_MS);
  const minted = eligible.map((d) => ({ debtor: d, id: uuidv7(), ...newPortalToken(key) }));
  const params: unknown[] = [now, expiresAt, key.id, options.createdBy ?? null];
  const values = minted.map((m) => {
    params.push(m.id, m.debtor.id, m.nonce, m.hash);
    const n = params.length;
    return `($${n - 3}, $${n - 2}, $${n - 1}, $${n}, $3, $1, $4, $2)`;
  });
  await tx.query(
    `INSERT INTO portal_links (id, debtor_id, nonce, token_hash, key_id, created_at, created_by, expires_at)
     VALUES ${values.join(', ')}`,
    params,
  );
  for (const m of minted) {
    current.set(m.debtor.id, { id: m.id, token: m.token, expiresAt });
    // The phone holds its debtors' links (it renders {{payment_link}} offline): re-put the debtor.
    if (m.debtor.assigned)
      await recordChange(tx, {
        entity: 'debtor',
        entityId: m.debtor.id,
        debtorId: m.debtor.id,
        op: 'update',
        version: m.debtor.version,
      });
  }
  return current;
}

/** `ensurePortalLinksTx` in its own transaction (readers outside one: the queue, a pull). */
export async function ensurePortalLinks(
  db: Db,
  key: PortalKey,
  debtorIds: readonly string[],
  now: Date,
  options: { createdBy?: string | null } = {},
): Promise<Map<string, CurrentLink>> {
  if (debtorIds.length === 0) return new Map();
  // Cheap common case first: every debtor already has a current link (no write, no lock).
  const current = await currentPortalLinks(db, key, debtorIds, now);
  if (debtorIds.every((id) => current.has(id))) return current;
  return db.transaction((tx) => ensurePortalLinksTx(tx, key, debtorIds, now, options));
}

/** Current links for a collector's assigned debtors with a document, minted when missing. */
export async function ensureCollectorPortalLinks(
  db: Db,
  key: PortalKey,
  collectorId: string,
  now: Date,
): Promise<void> {
  const missing = await db.query<{ debtor_id: string }>(
    `SELECT a.debtor_id FROM assignments a JOIN debtors d ON d.id = a.debtor_id
      WHERE a.collector_id = $1 AND a.ended_at IS NULL
        AND d.document IS NOT NULL AND d.anonymised_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM portal_links l
                         WHERE l.debtor_id = a.debtor_id AND l.revoked_at IS NULL
                           AND l.key_id = $2 AND l.expires_at > $3)`,
    [collectorId, key.id, new Date(now.getTime() + LINK_RENEW_BEFORE_DAYS * DAY_MS)],
  );
  if (missing.length === 0) return;
  await db.transaction((tx) =>
    ensurePortalLinksTx(
      tx,
      key,
      missing.map((m) => m.debtor_id),
      now,
    ),
  );
}

/** The link a token names (whatever its state), or null; malformed tokens never reach SQL. */
export async function findPortalLink(q: Queryable, token: string): Promise<PortalLinkRow | null> {
  if (!TOKEN_RE.test(token)) return null;
  const [row] = await q.query<PortalLinkRow>('SELECT * FROM portal_links WHERE token_hash = $1', [
    hashPortalToken(token),
  ]);
  return row ?? null;
}

/** Whether a link opens the page now. */
export function linkUsable(row: PortalLinkRow, now: Date): boolean {
  return row.revoked_at === null && row.expires_at.getTime() > now.getTime();
}

/** Revokes every live link of a debtor (and ends their sessions); answers how many. */
export async function revokePortalLinks(
  tx: Tx,
  debtorId: string,
  now: Date,
  by: { userId: string | null; reason: 'office' | 'locked' },
  onlyLinkId?: string,
): Promise<number> {
  const rows = await tx.query<{ id: string }>(
    `UPDATE portal_links SET revoked_at = $2, revoked_by = $3, revoke_reason = $4
      WHERE debtor_id = $1 AND revoked_at IS NULL AND ($5::uuid IS NULL OR id = $5)
      RETURNING id`,
    [debtorId, now, by.userId, by.reason, onlyLinkId ?? null],
  );
  if (rows.length > 0)
    await tx.query(
      'UPDATE portal_sessions SET ended_at = $2 WHERE link_id = ANY($1::uuid[]) AND ended_at IS NULL',
      [rows.map((r) => r.id), now],
    );
  return rows.length;
}

/** The links of a debtor, newest first (no tokens: those are only ever in messages). */
export async function listPortalLinks(q: Queryable, debtorId: string): Promise<PortalLinkRow[]> {
  return q.query<PortalLinkRow>(
    'SELECT * FROM portal_links WHERE debtor_id = $1 ORDER BY created_at DESC, id DESC LIMIT 100',
    [debtorId],
  );
}

/** Where and how links are minted for messages: the database, the key and the public origin. */
export interface PortalLinkMinter {
  db: Db;
  key: PortalKey;
  base: string;
}

/**
 * The page URL of each debtor for `{{payment_link}}`, minted when missing. Nothing when the owner
 * configured an outside payment page (it wins, as shared `stepFacts` says) or there is no minter.
 */
export async function portalLinkUrls(
  minter: PortalLinkMinter | undefined,
  org: { paymentLinkTemplate: string | null },
  debtorIds: readonly string[],
  now: Date,
): Promise<Map<string, string>> {
  if (!minter || org.paymentLinkTemplate || debtorIds.length === 0) return new Map();
  const links = await ensurePortalLinks(minter.db, minter.key, debtorIds, now);
  return new Map([...links].map(([id, link]) => [id, portalUrl(minter.base, link.token)]));
}
