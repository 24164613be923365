/**
 * The facts a cadence message is rendered with, for one debt of the queue: the server's settings
 * and stored data fed to the shared `stepFacts` (shared/templates/step-facts.ts), which the
 * collector's phone uses too, so a message reads the same whoever sends it.
 */
import type { PlannedAction } from '#shared/cadence/plan-next-actions';
import type { DebtorContactProfile } from '#shared/cadence/cadence.schema';
import type { Breakdown } from '#shared/charges/charges.schema';
import { creditorFacts as sharedCreditorFacts } from '#shared/templates/creditor-facts';
import { stepFacts as sharedStepFacts } from '#shared/templates/step-facts';
import type { MessageFacts } from '#shared/templates/placeholders';
import { cents } from '#shared/money/money';
import type { CalendarDate } from '#shared/time/calendar-date';
import type { EffectiveSettings, OrganisationView } from '../settings/settings.repo';

const creditorMemo = new WeakMap<OrganisationView, MessageFacts>();

/** The creditor's part of the facts, computed once per settings load (the queue renders thousands). */
export function creditorFacts(org: OrganisationView): MessageFacts {
  const memo = creditorMemo.get(org);
  if (memo) return memo;
  const facts = sharedCreditorFacts(org);
  creditorMemo.set(org, facts);
  return facts;
}

export interface StepFactsInput {
  settings: EffectiveSettings;
  debtor: { name: string; profile: DebtorContactProfile; kind?: 'person' | 'company' };
  debt: { id: string; description: string };
  balance: Breakdown;
  action: Pick<PlannedAction, 'allowsDiscount' | 'installment'>;
  collectorName: string | null;
  today: CalendarDate;
  /** The last day an installment step's installment may be paid (its agreement's rule). */
  lastDayToPay?: CalendarDate;
  /** The debtor's page link for `{{payment_link}}` (server/portal), when one exists. */
  portalLink?: string | undefined;
}

/** Every fact a default or custom template of a cadence step may use. */
export function stepFacts(input: StepFactsInput): MessageFacts {
  const { settings } = input;
  return sharedStepFacts({
    org: settings.organisation,
    cadence: settings.cadence,
    negotiation: settings.negotiation,
    debtor: {
      name: input.debtor.name,
      state: input.debtor.profile.state,
      ...(input.debtor.kind ? { kind: input.debtor.kind } : {}),
    },
    debt: input.debt,
    balance: input.balance,
    allowsDiscount: input.action.allowsDiscount,
    collectorName: input.collectorName,
    today: input.today,
    creditor: creditorFacts(settings.organisation),
    ...(input.action.installment
      ? {
          installment: {
            ...input.action.installment,
            amount: cents(input.action.installment.amount),
            lastDayToPay: input.lastDayToPay ?? input.action.installment.dueDate,
          },
        }
      : {}),
    ...(input.portalLink === undefined ? {} : { portalLink: input.portalLink }),
  });
}
