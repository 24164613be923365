/**
 * Rendering one item of the day's queue: its message and PIX code, when a person opens the item
 * (`GET /api/cadence/today/:debtorId`), for the CLI's report and the spreadsheet export, and for
 * the worker's automatic e-mail. A page never renders (./queue.ts).
 */
import type { Role } from '#shared/auth/user.schema';
import type { PlannedAction } from '#shared/cadence/plan-next-actions';
import { isTemplateRenderError, renderTemplate } from '#shared/templates/render-message';
import type { Channel } from '#shared/templates/template.schema';
import { renderOptions } from '#shared/settings/message-settings.schema';
import type { DebtorFacts, DebtorState } from '../ledger/debtor-state';
import type { EffectiveSettings } from '../settings/settings.repo';
import { stepFacts } from './facts';
import type { QueuePage } from './queue-page';
import { todaysWork } from './queue';

/** For an installment step, the last day its installment may be paid (the agreement's rule). */
function installmentDeadline(state: DebtorState, action: PlannedAction) {
  const inst = action.installment;
  if (!inst) return {};
  const agreement = state.agreements.find((a) => a.id === inst.agreementId);
  const progress = agreement?.installments.find((i) => i.number === inst.number);
  return progress ? { lastDayToPay: progress.lastDayToPay } : {};
}

/** The debtor's page link of each debtor (server/portal), for `{{payment_link}}`. */
export type PortalLinkMap = ReadonlyMap<string, string>;

/** The rendered message of an action, or why it cannot be rendered. */
export function renderAction(
  settings: EffectiveSettings,
  facts: DebtorFacts,
  state: DebtorState,
  action: PlannedAction,
  links?: PortalLinkMap,
) {
  const debt = state.debts.find((d) => d.row.id === state.plan.carrying?.debtId);
  const template = settings.templates.get(action.templateId);
  if (!debt || !template)
    return {
      message: null,
      pix: null,
      renderError: {
        code: 'missing_template',
        message: `O modelo ${action.templateId} não existe.`,
        placeholders: [],
      },
    };
  const facts_ = stepFacts({
    settings,
    debtor: { name: facts.debtor.name, profile: state.profile, kind: facts.debtor.kind },
    debt: { id: debt.row.id, description: debt.row.description },
    balance: debt.balance,
    action,
    collectorName: facts.assignment?.collector_name ?? null,
    today: state.today,
    ...installmentDeadline(state, action),
    portalLink: links?.get(facts.debtor.id),
  });
  const pix = facts_.pix_copy_paste ?? null;
  try {
    const rendered = renderTemplate(template, facts_, renderOptions(settings.messages));
    return {
      message: {
        ...(rendered.subject === undefined ? {} : { subject: rendered.subject }),
        body: rendered.body,
        privacySafe: template.privacySafe,
      },
      pix,
      renderError: null,
    };
  } catch (error) {
    if (!isTemplateRenderError(error)) throw error;
    return {
      message: null,
      pix,
      renderError: { code: error.code, message: error.message, placeholders: error.placeholders },
    };
  }
}

/**
 * The work items of a page with each one's rendered message and PIX code (or why not);
 * `links` are the debtors' page links `{{payment_link}}` carries (server/portal).
 */
export function queueItemsWithMessages(
  page: QueuePage,
  settings: EffectiveSettings,
  now: Date,
  options: { role: Role; channel?: Channel; links?: PortalLinkMap },
) {
  return todaysWork(page, settings, now, options).map((w) => {
    const b = w.debt.balance;
    return {
      ...w.item,
      // The opened item itemises the balance the list shows only as a total.
      debt: {
        ...w.item.debt,
        balance: {
          principal: b.principal,
          fine: b.fine,
          interest: b.interest,
          fees: b.fees,
          paid: b.paid,
          discount: b.discount,
          totalDue: w.item.debt.balance.totalDue,
        },
      },
      ...renderAction(settings, w.facts, w.state, w.action, options.links),
    };
  });
}
export type RenderedQueueItem = ReturnType<typeof queueItemsWithMessages>[number];
