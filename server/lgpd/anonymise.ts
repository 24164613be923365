/**
 * Retention (LGPD art. 15 and 16: data is kept only while its purpose lasts; DESIGN: "settled
 * debtors' personal data is kept only as long as the retention setting says"). A debtor is
 * eligible when every debt is settled or cancelled, nothing is pending (an open dispute, an
 * agreement awaiting approval or active, a payment awaiting reconciliation, a negativação or
 * protesto not yet removed) and the last debt closed at least `retention_days` ago (the
 * organisation's setting, 1825 days = 5 years by default, the CDC art. 27 / Código Civil art. 206
 * horizon for claims about the collection).
 *
 * Anonymising keeps the ledger: amounts, dates, methods and statuses of debts, payments,
 * agreements, installments and concessions stay, so every total the business reports is the same
 * before and after. What identifies the person goes: name (becomes "Titular anonimizado"),
 * CPF/CNPJ, external code, address, location pin, notes, tags, preferences, every contact point
 * (deleted through the change feed, so phones drop them; lookups stop matching), the text of
 * messages sent, visit notes and positions, notice recipients, free-text notes on payments,
 * promises, agreements, disputes and escalations, debt descriptions, and the payloads phones
 * sent about the debtor. The current assignment ends (phones remove the debtor). The audit log
 * stays (it holds ids, not personal data, and it is the record of processing) and gains
 * `debtor.anonymise`. An anonymised debtor is never imported again under its old code.
 */
import type { Db, Queryable, Tx } from '../db/db';
import { audit } from '../db/audit';
import { deleteEntity, updateEntity } from '../db/write';

export const ANONYMISED_NAME = 'Titular anonimizado';

export interface EligibleDebtor {
  id: string;
  name: string;
  closedOn: string;
  eligibleSince: string;
}

/** Debtors whose retention has passed by `today` (at most `limit`, oldest closure first). */
export async function eligibleForAnonymisation(
  q: Queryable,
  today: string,
  limit = 500,
  only?: readonly string[],
): Promise<{ retentionDays: number; items: EligibleDebtor[] }> {
  const [org] = await q.query<{ retention_days: number }>(
    'SELECT retention_days FROM organisation WHERE id = 1',
  );
  const retentionDays = org?.retention_days ?? 1825;
  const rows = await q.query<{ id: string; name: string; closed_on: string; eligible: string }>(
    `SELECT d.id, d.name, c.closed_on, (c.closed_on + $2::int) AS eligible
       FROM debtors d
       JOIN LATERAL (
         SELECT max(coalesce(t.settled_on, t.updated_at::date)) AS closed_on,
                bool_and(t.status IN ('settled', 'cancelled')) AS closed
           FROM debts t WHERE t.debtor_id = d.id
       ) c ON c.closed
      WHERE d.anonymised_at IS NULL AND d.merged_into IS NULL
        AND c.closed_on + $2::int <= $1::date
        AND ($4::uuid[] IS NULL OR d.id = ANY($4::uuid[]))
        AND NOT EXISTS (SELECT 1 FROM disputes x WHERE x.debtor_id = d.id AND x.status = 'open')
        AND NOT EXISTS (SELECT 1 FROM agreements x WHERE x.debtor_id = d.id
                          AND x.status IN ('pending_approval', 'active'))
        AND NOT EXISTS (SELECT 1 FROM payments x WHERE x.debtor_id = d.id AND x.status = 'pending')
        AND NOT EXISTS (SELECT 1 FROM escalations x WHERE x.debtor_id = d.id
                          AND x.status IN ('proposed', 'approved', 'listed', 'removal_due'))
      ORDER BY c.closed_on, d.id LIMIT $3`,
    [today, retentionDays, limit, only ?? null],
  );
  return {
    retentionDays,
    items: rows.map((r) => ({
      id: r.id,
      name: r.name,
      closedOn: r.closed_on,
      eligibleSince: r.eligible,
    })),
  };
}

/** Anonymises one eligible debtor inside `tx` (see the module comment). */
async function anonymiseOne(
  tx: Tx,
  debtor: EligibleDebtor,
  context: { actor: string | null; ip: string | null; now: Date; retentionDays: number },
): Promise<void> {
  const id = debtor.id;
  for (const a of await tx.query<{ id: string }>(
    'SELECT id FROM assignments WHERE debtor_id = $1 AND ended_at IS NULL',
    [id],
  ))
    await updateEntity(tx, 'assignment', a.id, { ended_at: context.now });
  await tx.query('UPDATE contact_log SET contact_point_id = NULL WHERE debtor_id = $1', [id]);
  await tx.query(
    `UPDATE cadence_tasks SET recipient = NULL, last_error = NULL WHERE debtor_id = $1`,
    [id],
  );
  for (const p of await tx.query<{ id: string }>(
    'SELECT id FROM contact_points WHERE debtor_id = $1',
    [id],
  ))
    await deleteEntity(tx, 'contact_point', p.id);
  await updateEntity(tx, 'debtor', id, {
    name: ANONYMISED_NAME,
    document: null,
    external_id: null,
    address: null,
    address_line: null,
    district: null,
    city: null,
    state: null,
    postal_code: null,
    geo_pin: null,
    notes: null,
    tags: '[]',
    preferred_channel: null,
    preferred_hours: null,
    anonymised_at: context.now,
  });
  const scrub: readonly string[] = [
    'UPDATE contact_log SET body = NULL, override_reason = NULL WHERE debtor_id = $1',
    'UPDATE visits SET note = NULL, geolocation = NULL WHERE debtor_id = $1',
    'UPDATE payments SET note = NULL, reference = NULL, rejection_reason = NULL WHERE debtor_id = $1',
    'UPDATE promises SET note = NULL WHERE debtor_id = $1',
    'UPDATE agreements SET note = NULL, rejection_reason = NULL WHERE debtor_id = $1',
    'UPDATE disputes SET description = NULL, resolution = NULL WHERE debtor_id = $1',
    `UPDATE notices SET recipient = 'anonimizado' WHERE debtor_id = $1`,
    'UPDATE escalations SET note = NULL WHERE debtor_id = $1',
    `UPDATE debts SET description = 'Dívida anonimizada', cancel_reason = NULL WHERE debtor_id = $1`,
    `UPDATE sync_mutations SET mutation = jsonb_set(mutation, '{payload}', '"anonimizado"')
      WHERE debtor_id = $1 AND mutation ? 'payload'`,
    'UPDATE sync_conflicts SET old_value = NULL, new_value = NULL WHERE debtor_id = $1',
    // A WhatsApp chat confirmed as this debtor's would still point at the person.
    'DELETE FROM chat_identities WHERE debtor_id = $1',
    // The hash of the CSV row each debt was imported from (name, CPF/CNPJ, phone, e-mail).
    'DELETE FROM debt_import_state WHERE debt_id IN (SELECT id FROM debts WHERE debtor_id = $1)',
  ];
  for (const sql of scrub) await tx.query(sql, [id]);
  await audit(tx, {
    actor: context.actor,
    ip: context.ip,
    action: 'debtor.anonymise',
    entity: 'debtor',
    entityId: id,
    detail: { closedOn: debtor.closedOn, retentionDays: context.retentionDays },
  });
}

/**
 * Anonymises the eligible debtors among `debtorIds` (all eligible ones when omitted, at most
 * `limit`), one transaction each (each is whole or not at all). Answers who was anonymised.
 */
export async function anonymiseEligible(
  db: Db,
  options: {
    today: string;
    now: Date;
    actor: string | null;
    ip?: string | null;
    debtorIds?: readonly string[];
    limit?: number;
  },
): Promise<{ anonymised: string[]; retentionDays: number }> {
  const { retentionDays, items } = await eligibleForAnonymisation(
    db,
    options.today,
    options.limit ?? 500,
    options.debtorIds,
  );
  const anonymised: string[] = [];
  for (const debtor of items) {
    await db.transaction(async (tx) => {
      // Re-checked inside the transaction: a payment or dispute may have arrived meanwhile.
      const still = await eligibleForAnonymisation(tx, options.today, 1, [debtor.id]);
      if (still.items.length === 0) return;
      await anonymiseOne(tx, debtor, {
        actor: options.actor,
        ip: options.ip ?? null,
        now: options.now,
        retentionDays,
      });
      tx.afterCommit(() => {
        anonymised.push(debtor.id);
      });
    });
  }
  return { anonymised, retentionDays };
}
