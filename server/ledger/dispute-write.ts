/**
 * Opening a dispute, for the office, the phone's office screens and the debtor's own page: the
 * debt must be the debtor's and have no open dispute; an open dispute pauses the régua and blocks
 * escalation until it is resolved or withdrawn. Each caller words a refusal its own way.
 */
import { uuidv7 } from 'uuidv7';
import type { DisputeReason } from '#shared/domain/dispute.schema';
import type { CalendarDate } from '#shared/time/calendar-date';
import { audit } from '../db/audit';
import type { Tx } from '../db/db';
import { insertEntity } from '../db/write';

export interface NewDispute {
  id?: string;
  debtorId: string;
  debtId: string;
  reason: DisputeReason;
  description: string | null;
  today: CalendarDate;
  /** The user who opened it; null for the debtor on their page. */
  openedBy: string | null;
  portalLinkId?: string | null;
  auditActor: string | null;
  ip?: string | null;
}

/** Opens the dispute, or answers why it cannot be opened. */
export async function openDispute(
  tx: Tx,
  input: NewDispute,
): Promise<{ ok: true; id: string } | { ok: false; reason: 'unknown_debt' | 'already_open' }> {
  const [debt] = await tx.query<{ debtor_id: string }>(
    'SELECT debtor_id FROM debts WHERE id = $1',
    [input.debtId],
  );
  if (debt?.debtor_id !== input.debtorId) return { ok: false, reason: 'unknown_debt' };
  const open = await tx.query(`SELECT 1 FROM disputes WHERE debt_id = $1 AND status = 'open'`, [
    input.debtId,
  ]);
  if (open.length > 0) return { ok: false, reason: 'already_open' };
  const id = input.id ?? uuidv7();
  await insertEntity(tx, 'dispute', {
    id,
    debtor_id: input.debtorId,
    debt_id: input.debtId,
    reason: input.reason,
    description: input.description,
    status: 'open',
    opened_by: input.openedBy,
    opened_on: input.today,
    ...(input.portalLinkId ? { portal_link_id: input.portalLinkId } : {}),
  });
  await audit(tx, {
    actor: input.auditActor,
    ip: input.ip ?? null,
    action: 'dispute.open',
    entity: 'dispute',
    entityId: id,
    detail: {
      debtId: input.debtId,
      reason: input.reason,
      ...(input.portalLinkId ? { via: 'portal' } : {}),
    },
  });
  return { ok: true, id };
}
