/**
 * Proposing an installment agreement, one way for every face: the office route
 * (`POST /api/agreements`), the collector's phone (sync `agreement.proposed`) and the debtor's own
 * page. `proposalContext` is what the negotiation policy is judged against today (balances as of
 * today, discounts unlocked only at the régua's late steps, the debtor's state's holidays), and
 * `insertAgreement` writes the agreement, its debts, its schedule and every concession as its own
 * row and audit entry. Each caller words a refusal its own way (problem+json, sync rejection, a
 * pt-BR message on the page).
 */
import { uuidv7 } from 'uuidv7';
import type { NegotiationContext } from '#shared/negotiation/validate-proposal';
import type { Proposal, ProposalResult } from '#shared/negotiation/negotiation.schema';
import { audit } from '../db/audit';
import type { Tx } from '../db/db';
import { insertEntity } from '../db/write';
import { negotiationBalances } from '../agreements/negotiation-balances';
import type { DebtorFacts, DebtorState } from './debtor-state';
import type { LedgerSettings } from './settings';

/**
 * The context `validateProposal` needs for this debtor today: the balances are
 * `negotiationBalances` (open debts outside live agreements, field reports still waiting counted
 * as paid, as the phone's simulator counts them), the same for every face.
 */
export function proposalContext(
  state: DebtorState,
  settings: LedgerSettings,
  facts: DebtorFacts,
): NegotiationContext {
  return {
    today: state.today,
    discountUnlocked: state.currentStep?.allowsDiscount ?? false,
    balances: negotiationBalances(facts, state.today),
    calendar: { ...settings.holidays, state: state.profile.state },
  };
}

const CONCESSION_KINDS = [
  ['discount', 'discount'],
  ['fineWaived', 'waive_fine'],
  ['interestWaived', 'waive_interest'],
] as const;

export interface NewAgreement {
  id?: string;
  debtorId: string;
  /** What was proposed, stored in the terms as given (a note included). */
  proposal: Proposal & { note?: string | undefined };
  /** `validateProposal`'s verdict on it; must be ok. */
  verdict: ProposalResult;
  state: Pick<DebtorState, 'today'>;
  settings: Pick<LedgerSettings, 'negotiation'>;
  /** The user who proposed it; null for the debtor on their page. */
  proposedBy: string | null;
  /** The page link a debtor's own proposal came through. */
  portalLinkId?: string | null;
  /** Extra terms to keep (e.g. the sync envelope's device and instant). */
  terms?: Record<string, unknown>;
  auditActor: string | null;
  ip?: string | null;
  auditDetail?: Record<string, unknown>;
}

/** Writes an agreement the policy accepted: active at once, or pending the owner's approval. */
export async function insertAgreement(
  tx: Tx,
  input: NewAgreement,
): Promise<{ id: string; status: 'active' | 'pending_approval' }> {
  const { verdict, proposal } = input;
  if (!verdict.ok) throw new Error('insertAgreement: the proposal breaks the policy');
  const id = input.id ?? uuidv7();
  const status = verdict.needsApproval ? 'pending_approval' : 'active';
  await insertEntity(tx, 'agreement', {
    id,
    debtor_id: input.debtorId,
    status,
    total_cents: verdict.agreedTotal,
    down_payment_cents: proposal.downPayment,
    discount_cents: verdict.concessions.discount,
    waived_fine_cents: verdict.concessions.fineWaived,
    waived_interest_cents: verdict.concessions.interestWaived,
    installment_count: verdict.schedule.length,
    agreed_on: input.state.today,
    terms: JSON.stringify({
      proposal,
      balance: verdict.balance,
      daysOverdue: verdict.daysOverdue,
      maxDiscountBps: verdict.maxDiscountBps,
      approvalReasons: verdict.approvalReasons,
      policy: input.settings.negotiation,
      ...input.terms,
    }),
    proposed_by: input.proposedBy,
    note: proposal.note ?? null,
    ...(input.portalLinkId ? { portal_link_id: input.portalLinkId } : {}),
  });
  for (const debtId of proposal.debtIds)
    await tx.query('INSERT INTO agreement_debts (agreement_id, debt_id) VALUES ($1, $2)', [
      id,
      debtId,
    ]);
  for (const entry of verdict.schedule)
    await insertEntity(tx, 'installment', {
      id: uuidv7(),
      agreement_id: id,
      debtor_id: input.debtorId,
      seq: entry.number,
      due_on: entry.dueDate,
      amount_cents: entry.amount,
    });
  for (const [key, kind] of CONCESSION_KINDS) {
    const amount = verdict.concessions[key];
    if (amount <= 0) continue;
    await tx.query(
      'INSERT INTO concessions (id, agreement_id, debtor_id, kind, amount_cents, granted_by) VALUES ($1, $2, $3, $4, $5, $6)',
      [uuidv7(), id, input.debtorId, kind, amount, input.proposedBy],
    );
    await audit(tx, {
      actor: input.auditActor,
      ip: input.ip ?? null,
      action: 'agreement.concession',
      entity: 'agreement',
      entityId: id,
      detail: { kind, amount },
    });
  }
  await audit(tx, {
    actor: input.auditActor,
    ip: input.ip ?? null,
    action: 'agreement.propose',
    entity: 'agreement',
    entityId: id,
    detail: {
      status,
      total: verdict.agreedTotal,
      installments: verdict.schedule.length,
      ...input.auditDetail,
    },
  });
  return { id, status };
}
