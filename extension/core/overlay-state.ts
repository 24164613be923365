/**
 * Builds what the overlay shows from the conversation and the server's answers: a pure function,
 * so every privacy rule is unit-tested. Amounts appear only for a verified contact point with no
 * third party reading; otherwise only the privacy-safe message is offered. Messages are rendered
 * with `renderTemplate`, which appends the creditor identification (CDC art. 42-A); a message whose
 * facts are missing is listed with what is missing instead of going out with a hole.
 */
import type { DebtorLookupMatch } from '#shared/api/ledger.schema';
import type { ConversationContext } from '#shared/extension/content-messages';
import type { DebtorCard, OverlayMessage, OverlayState } from '#shared/extension/page-messages';
import { privacySafeVariant } from '#shared/templates/default-templates';
import { greetingName } from '#shared/templates/greeting';
import type { MessageFacts } from '#shared/templates/placeholders';
import { isTemplateRenderError, renderTemplate } from '#shared/templates/render-message';
import type { Template } from '#shared/templates/template.schema';
import type { CalendarDate } from '#shared/time/calendar-date';
import { t } from '../i18n';
import { stepWords } from './step-words';
import { audienceOf, channelOf, type Audience } from './conversation';

/** A message the user may insert and then log, kept by the service worker under its id. */
export interface Sendable {
  id: string;
  debtorId: string | null;
  channel: 'email' | 'whatsapp';
  templateId: string;
  stepId: string | null;
  privacySafe: boolean;
  /** Email: "Subject\n\nBody" is not used; the body alone is inserted (the subject is shown). */
  text: string;
  debtIds: string[];
}

/** Facts about one open debt, from the debtor detail, for due dates, references and PIX. */
export interface DebtFacts {
  id: string;
  description: string;
  dueDate: CalendarDate;
  totalDue: number;
  pixCopyPaste?: string;
  paymentLink?: string;
}

export interface OverlayInput {
  context: ConversationContext;
  /** Null when no lookup was made (group, unidentified, nothing open). */
  matches: readonly DebtorLookupMatch[] | null;
  /** Open debts of the first match, oldest due first; empty when unknown. */
  debts: readonly DebtFacts[];
  /** Due date of the first match's active promise to pay. */
  promiseUntil: CalendarDate | null;
  creditor: MessageFacts;
  templates: readonly Template[];
  userName: string;
  today: CalendarDate;
  /**
   * Who the conversation is with when the DOM cannot tell but the user linked the chat to a
   * debtor by hand (a LID chat): that person, looked up by their own contact point.
   */
  linked?: Audience & { kind: 'person' };
}

export interface OverlayResult {
  state: OverlayState;
  sendables: Sendable[];
}

/** The greeting: a person's first name, a company's team (shared `greetingName`). */
function firstName(name: string): string {
  return greetingName(name);
}

function templateFor(templates: readonly Template[], id: string): Template | undefined {
  return templates.find((tpl) => tpl.id === id);
}

function privacySafeTemplate(
  templates: readonly Template[],
  channel: 'email' | 'whatsapp',
): Template {
  return (
    templates.find((tpl) => tpl.privacySafe && tpl.channel === channel) ??
    privacySafeVariant(channel)
  );
}

function render(
  template: Template,
  facts: MessageFacts,
  base: Omit<Sendable, 'id' | 'text' | 'templateId' | 'privacySafe'>,
  label: string,
): { message: OverlayMessage; sendable: Sendable | null } {
  const id = `${template.id}#${base.debtorId ?? 'anon'}`;
  try {
    const rendered = renderTemplate(template, facts);
    const sendable: Sendable = {
      ...base,
      id,
      templateId: template.id,
      privacySafe: template.privacySafe,
      text: rendered.body,
    };
    return {
      message: {
        id,
        templateId: template.id,
        label,
        privacySafe: template.privacySafe,
        text: rendered.body,
        missing: [],
      },
      sendable,
    };
  } catch (error) {
    if (!isTemplateRenderError(error)) throw error;
    return {
      message: {
        id,
        templateId: template.id,
        label,
        privacySafe: template.privacySafe,
        text: null,
        missing: error.placeholders,
      },
      sendable: null,
    };
  }
}

function collect(parts: { message: OverlayMessage; sendable: Sendable | null }[]): {
  messages: OverlayMessage[];
  sendables: Sendable[];
} {
  return {
    messages: parts.map((p) => p.message),
    sendables: parts.flatMap((p) => (p.sendable ? [p.sendable] : [])),
  };
}

/** The privacy-safe message with nobody's name: for groups and unidentified chats. */
function anonymousSafe(input: OverlayInput): { messages: OverlayMessage[]; sendables: Sendable[] } {
  const channel = channelOf(input.context);
  const template = privacySafeTemplate(input.templates, channel);
  // Without a known person the greeting cannot name anyone; "cliente" keeps it polite and neutral.
  const facts: MessageFacts = {
    ...input.creditor,
    debtor_first_name: 'cliente',
    debtor_name: 'cliente',
    today: input.today,
  };
  return collect([
    render(
      template,
      facts,
      { debtorId: null, channel, stepId: null, debtIds: [] },
      t('message.privacySafe'),
    ),
  ]);
}

function debtorFacts(input: OverlayInput, match: DebtorLookupMatch): MessageFacts {
  const oldest = input.debts[0];
  const b = match.balance;
  return {
    ...input.creditor,
    debtor_name: match.name,
    debtor_first_name: firstName(match.name),
    collector_name: input.userName,
    amount_due: b.totalDue,
    original_amount: b.principal,
    fine_amount: b.fine,
    interest_amount: b.interest,
    days_overdue: match.daysOverdue,
    today: input.today,
    ...(oldest
      ? {
          due_date: oldest.dueDate,
          debt_reference: oldest.description,
          ...(oldest.pixCopyPaste === undefined ? {} : { pix_copy_paste: oldest.pixCopyPaste }),
          ...(oldest.paymentLink === undefined ? {} : { payment_link: oldest.paymentLink }),
        }
      : {}),
  };
}

/** The overlay for `input`, and the messages it offers. */
export function buildOverlay(input: OverlayInput): OverlayResult {
  const audience = input.linked ?? audienceOf(input.context);
  const channel = channelOf(input.context);
  if (audience.kind === 'none') return { state: { view: 'idle' }, sendables: [] };
  if (audience.kind === 'group') {
    const safe = anonymousSafe(input);
    return { state: { view: 'group', messages: safe.messages }, sendables: safe.sendables };
  }
  if (audience.kind === 'unidentified' || input.matches === null) {
    const safe = anonymousSafe(input);
    const linkable = input.context.site === 'whatsapp' && input.context.chat.kind === 'lid';
    return {
      state: { view: 'unidentified', linkable, messages: safe.messages },
      sendables: safe.sendables,
    };
  }
  const match = input.matches[0];
  if (!match) {
    const safe = anonymousSafe(input);
    return { state: { view: 'no-match', messages: safe.messages }, sendables: safe.sendables };
  }
  // A hand-made link is the user's own verification of who is on the other end.
  const verified = match.contactPointVerified || input.linked !== undefined;
  const restricted = !verified ? 'unverified' : audience.others ? 'third-parties' : null;
  const facts = debtorFacts(input, match);
  const base = { debtorId: match.id, channel, debtIds: input.debts.map((d) => d.id) };
  const safeTemplate = privacySafeTemplate(input.templates, channel);
  // The privacy-safe message names the creditor only: it is never tied to a debt.
  const safeFacts: MessageFacts = {
    ...input.creditor,
    debtor_first_name: firstName(match.name),
    debtor_name: match.name,
    today: input.today,
  };
  const parts = [];
  const step = match.cadenceStepDue;
  if (restricted === null && step) {
    const template =
      templateFor(input.templates, `${step.stepId}.${channel}`) ??
      (templateFor(input.templates, step.templateId)?.channel === channel
        ? templateFor(input.templates, step.templateId)
        : undefined);
    if (template)
      parts.push(
        render(
          template,
          facts,
          { ...base, stepId: step.stepId },
          t('message.step', { step: stepWords(step.stepId) }),
        ),
      );
  }
  parts.push(
    render(
      safeTemplate,
      safeFacts,
      { ...base, stepId: null, debtIds: [] },
      t('message.privacySafe'),
    ),
  );
  const { messages, sendables } = collect(parts);
  const card: DebtorCard = {
    debtorId: match.id,
    name: match.name,
    status: match.status,
    daysOverdue: match.daysOverdue,
    promiseUntil: input.promiseUntil,
    balance:
      restricted === null
        ? {
            principal: match.balance.principal,
            fine: match.balance.fine,
            interest: match.balance.interest,
            fees: match.balance.fees,
            paid: match.balance.paid,
            discount: match.balance.discount,
            totalDue: match.balance.totalDue,
            asOf: match.balance.asOf,
          }
        : null,
    lastContact: match.lastContact
      ? { at: match.lastContact.at, channel: match.lastContact.channel }
      : null,
    budgetLeft: match.contactBudgetLeft,
    windowOpen: match.contactWindowOpen,
    contactNow: { allowed: match.contactNow.allowed, message: match.contactNow.message ?? null },
    stepDue: step ? { stepId: step.stepId, channel: step.channel, dueOn: step.dueOn } : null,
    restricted,
    otherMatches: input.matches.length - 1,
  };
  return { state: { view: 'debtor', card, messages }, sendables };
}
