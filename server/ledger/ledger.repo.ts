/**
 * Ledger writes that more than one route needs: contact points with their match keys, and the
 * consequences of money arriving (a debt settled, a listing whose removal deadline starts).
 * Every entity row goes through server/db/write.ts so the sync feed sees it.
 */
import { uuidv7 } from 'uuidv7';
import type { ContactPointInput } from '#shared/domain/debtor.schema';
import { whatsappFlag } from '#shared/identity/whatsapp';
import { normalizeEmail } from '#shared/identity/email';
import { phoneMatchKeys } from '#shared/identity/phone';
import type { CalendarDate } from '#shared/time/calendar-date';
import type { Tx } from '../db/db';
import { deleteEntity, insertEntity, updateEntity } from '../db/write';
import { refreshDebtor } from './refresh';
import type { ContactPointRow } from './rows';
import type { LedgerSettings } from './settings';

/** The lookup keys of a contact point (see contact_point_keys in 0010-ledger.sql). */
export function matchKeys(kind: 'phone' | 'email', value: string): string[] {
  return kind === 'phone' ? phoneMatchKeys(value) : [normalizeEmail(value)];
}

async function writeKeys(tx: Tx, point: ContactPointRow): Promise<void> {
  for (const key of matchKeys(point.kind, point.value))
    await tx.query(
      'INSERT INTO contact_point_keys (contact_point_id, debtor_id, kind, key) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      [point.id, point.debtor_id, point.kind, key],
    );
}

async function insertPoint(tx: Tx, debtorId: string, point: ContactPointInput): Promise<void> {
  const row = await insertEntity<ContactPointRow>(tx, 'contact_point', {
    id: uuidv7(),
    debtor_id: debtorId,
    kind: point.kind,
    value: point.value,
    match_key: matchKeys(point.kind, point.value)[0] ?? point.value,
    label: point.label ?? null,
    is_whatsapp: point.kind === 'phone' ? whatsappFlag(point.value, point.isWhatsapp) : false,
    verified: point.verified,
  });
  await writeKeys(tx, row);
}

/**
 * Makes the debtor's contact points equal to `points`: points kept (same kind and value) keep their
 * id, and are updated only when their label or flags changed; missing ones are deleted.
 */
export async function replaceContactPoints(
  tx: Tx,
  debtorId: string,
  points: readonly ContactPointInput[],
): Promise<void> {
  const existing = await tx.query<ContactPointRow>(
    'SELECT * FROM contact_points WHERE debtor_id = $1',
    [debtorId],
  );
  const wanted = new Map(points.map((p) => [`${p.kind}:${p.value}`, p]));
  for (const row of existing) {
    const point = wanted.get(`${row.kind}:${row.value}`);
    if (!point) {
      await tx.query('DELETE FROM contact_point_keys WHERE contact_point_id = $1', [row.id]);
      // Contacts logged to this point keep their history; only the link is dropped.
      await tx.query('UPDATE contact_log SET contact_point_id = NULL WHERE contact_point_id = $1', [
        row.id,
      ]);
      await deleteEntity(tx, 'contact_point', row.id);
      continue;
    }
    wanted.delete(`${row.kind}:${row.value}`);
    // A phone whose flag is not stated keeps the one stored.
    const isWhatsapp = point.kind === 'phone' ? (point.isWhatsapp ?? row.is_whatsapp) : false;
    if (
      (point.label ?? null) !== row.label ||
      point.verified !== row.verified ||
      isWhatsapp !== row.is_whatsapp
    )
      await updateEntity(tx, 'contact_point', row.id, {
        label: point.label ?? null,
        verified: point.verified,
        is_whatsapp: isWhatsapp,
      });
  }
  for (const point of wanted.values()) await insertPoint(tx, debtorId, point);
}

/**
 * After confirmed money arrives (or is taken back) for a debtor: the stored verdicts catch up
 * with the ledger — installment allocations, agreements completed or reopened, debts settled on
 * the day of their last payment (each listing then starts its Súmula 548 removal deadline) or
 * reopened (./refresh.ts). Answers the debts settled now.
 */
export async function settleDebts(
  tx: Tx,
  debtorId: string,
  settings: LedgerSettings,
  today: CalendarDate,
  actor: string | null = null,
): Promise<string[]> {
  return (await refreshDebtor(tx, debtorId, settings, today, actor)).settled;
}
