/**
 * A debtor's contact points one at a time, as the office edits them: add, fix (version-checked),
 * and the verification state set in one tap. Every write goes through server/db/write.ts, so the
 * collector holding the debtor gets the new point (and its WhatsApp flag) on the next pull, and
 * the lookup keys (contact_point_keys) follow the value.
 */
import * as v from 'valibot';
import type { ContactPointPatch, NewContactPoint } from '#shared/api/workspace.schema';
import type { VerificationSource, VerificationState } from '#shared/identity/contact-verification';
import { EmailSchema } from '#shared/identity/email';
import { PhoneE164Schema } from '#shared/identity/phone';
import { whatsappFlag } from '#shared/identity/whatsapp';
import { uuidv7 } from 'uuidv7';
import type { Tx } from '../db/db';
import { insertEntity, updateEntity } from '../db/write';
import { debtorNotFound } from '../http/access';
import { conflict, invalidField, notFound } from '../ledger/http';
import { matchKeys } from '../ledger/ledger.repo';
import type { ContactPointRow } from '../ledger/rows';

/** The debtor must exist and be live: a merged tombstone takes no new facts (else 404). */
export async function assertLiveDebtor(tx: Tx, id: string): Promise<void> {
  const [row] = await tx.query<{ merged_into: string | null }>(
    'SELECT merged_into FROM debtors WHERE id = $1',
    [id],
  );
  if (!row || row.merged_into !== null) throw debtorNotFound();
}

async function writeKeys(tx: Tx, point: ContactPointRow): Promise<void> {
  await tx.query('DELETE FROM contact_point_keys WHERE contact_point_id = $1', [point.id]);
  const keys = matchKeys(point.kind, point.value);
  if (keys.length > 0)
    await tx.query(
      `INSERT INTO contact_point_keys (contact_point_id, debtor_id, kind, key)
       SELECT $1, $2, $3, unnest($4::text[]) ON CONFLICT DO NOTHING`,
      [point.id, point.debtor_id, point.kind, keys],
    );
}

async function assertNew(
  tx: Tx,
  debtorId: string,
  kind: string,
  value: string,
  exceptId: string | null,
) {
  const [same] = await tx.query<{ id: string }>(
    `SELECT id FROM contact_points WHERE debtor_id = $1 AND kind = $2 AND value = $3
       AND ($4::uuid IS NULL OR id <> $4)`,
    [debtorId, kind, value, exceptId],
  );
  if (same)
    throw conflict('duplicate-contact', 'este contato já está no cadastro', {
      errors: [{ field: 'value', message: 'este contato já está no cadastro' }],
    });
}

/** Adds a point; a phone without a stated WhatsApp flag gets the mobile presumption. */
export async function addContactPoint(
  tx: Tx,
  debtorId: string,
  input: NewContactPoint,
  actorId: string,
  now: Date,
): Promise<ContactPointRow> {
  await assertNew(tx, debtorId, input.kind, input.value, null);
  const verification = input.verification ?? 'unverified';
  const row = await insertEntity<ContactPointRow>(tx, 'contact_point', {
    id: uuidv7(),
    debtor_id: debtorId,
    kind: input.kind,
    value: input.value,
    match_key: matchKeys(input.kind, input.value)[0] ?? input.value,
    label: input.label ?? null,
    is_whatsapp: input.kind === 'phone' ? whatsappFlag(input.value, input.isWhatsapp) : false,
    verification,
    ...(verification === 'unverified'
      ? {}
      : { verification_source: 'office', verification_at: now, verification_by: actorId }),
  });
  await writeKeys(tx, row);
  return row;
}

/** The point `pointId` of `debtorId`, locked for the change. */
export async function pointOf(tx: Tx, debtorId: string, pointId: string): Promise<ContactPointRow> {
  const [row] = await tx.query<ContactPointRow>(
    'SELECT * FROM contact_points WHERE id = $1 AND debtor_id = $2 FOR UPDATE',
    [pointId, debtorId],
  );
  if (!row) throw notFound('contato');
  return row;
}

function stale(row: ContactPointRow | undefined): Error {
  return conflict(
    'stale-version',
    'o contato foi alterado por outra pessoa; recarregue e tente de novo',
    {
      currentVersion: row?.version ?? null,
    },
  );
}

/** Fixes a point. A new value is checked as the point's kind and starts unverified again. */
export async function patchContactPoint(
  tx: Tx,
  debtorId: string,
  pointId: string,
  patch: ContactPointPatch,
): Promise<{ before: ContactPointRow; after: ContactPointRow }> {
  const before = await pointOf(tx, debtorId, pointId);
  if (before.version !== patch.version) throw stale(before);
  const columns: Record<string, unknown> = {};
  let value = before.value;
  if (patch.value !== undefined) {
    const parsed = v.safeParse(
      before.kind === 'phone' ? PhoneE164Schema : EmailSchema,
      patch.value,
    );
    if (!parsed.success) throw invalidField('value', parsed.issues[0].message);
    value = parsed.output;
  }
  if (value !== before.value) {
    await assertNew(tx, debtorId, before.kind, value, pointId);
    Object.assign(columns, {
      value,
      match_key: matchKeys(before.kind, value)[0] ?? value,
      verification: 'unverified',
      verification_source: null,
      verification_at: null,
      verification_by: null,
    });
    if (before.kind === 'phone') columns['is_whatsapp'] = whatsappFlag(value, patch.isWhatsapp);
  }
  if (patch.label !== undefined) columns['label'] = patch.label;
  if (patch.isWhatsapp !== undefined && before.kind === 'phone')
    columns['is_whatsapp'] = patch.isWhatsapp;
  if (patch.doNotContact !== undefined) columns['do_not_contact'] = patch.doNotContact;
  const after = await updateEntity<ContactPointRow>(tx, 'contact_point', pointId, columns, {
    expectedVersion: patch.version,
  });
  if (!after) throw stale(before);
  if (after.value !== before.value) await writeKeys(tx, after);
  return { before, after };
}

/**
 * Sets the verification state (one tap): who, when and how are kept with it. `actorId` is null
 * when the debtor confirms on their own page (source `debtor_page`).
 */
export async function setVerification(
  tx: Tx,
  debtorId: string,
  pointId: string,
  state: VerificationState,
  source: VerificationSource,
  actorId: string | null,
  now: Date,
): Promise<{ before: ContactPointRow; after: ContactPointRow }> {
  const before = await pointOf(tx, debtorId, pointId);
  const after = await updateEntity<ContactPointRow>(tx, 'contact_point', pointId, {
    verification: state,
    verification_source: state === 'unverified' ? null : source,
    verification_at: state === 'unverified' ? null : now,
    verification_by: state === 'unverified' ? null : actorId,
  });
  if (!after) throw notFound('contato');
  return { before, after };
}
