/**
 * Builds what the overlay shows from the service worker's decision about the conversation: a pure
 * function, so every privacy rule is unit-tested. The decision carries the verdict of the one
 * audience rule (#shared/extension/audience): amounts, status and stage appear only in full mode;
 * the privacy-safe mode shows the person's name at most and offers only the privacy-safe message.
 * Messages are rendered with `renderTemplate`, which appends the creditor identification (CDC
 * art. 42-A); a message whose facts are missing is listed with what is missing instead of going
 * out with a hole. Every message is bound to the conversation it was written for.
 */
import type { DebtorLookupMatch } from '#shared/api/ledger.schema';
import type { Member, PrivacyVerdict } from '#shared/extension/audience';
import type {
  DebtorCard,
  OverlayMessage,
  OverlayState,
  PrivacySafeReason,
} from '#shared/extension/page-messages';
import { privacySafeVariant } from '#shared/templates/default-templates';
import { greetingName } from '#shared/templates/greeting';
import type { MessageFacts } from '#shared/templates/placeholders';
import { isTemplateRenderError, renderTemplate } from '#shared/templates/render-message';
import type { Template } from '#shared/templates/template.schema';
import type { CalendarDate } from '#shared/time/calendar-date';
import { t } from '../i18n';
import { stepLabel } from './step-label';

/** A message the user may insert and then log, kept by the service worker under its id. */
export interface Sendable {
  id: string;
  debtorId: string | null;
  channel: 'email' | 'whatsapp';
  templateId: string;
  stepId: string | null;
  privacySafe: boolean;
  /** `conversationKey` of the conversation the text was written for. */
  conversation: string;
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

/** What the service worker decided about the open conversation. */
export type Decision =
  /** Nothing open. */
  | { kind: 'none' }
  /** Nobody to look up: a group, or a conversation whose identity cannot be read. */
  | { kind: 'anonymous'; reason: 'group' | 'unidentified'; linkable: boolean }
  /** Looked up, nobody matched. */
  | { kind: 'no-match' }
  /** A hidden-id chat linked by hand to a debtor: a claim, so their name at most. */
  | { kind: 'claimed'; debtorId: string; name: string }
  /** The debtor, and the audience rule's verdict about showing them to this audience. */
  | {
      kind: 'person';
      match: DebtorLookupMatch;
      /** Further debtors sharing the contact point. */
      otherMatches: number;
      verdict: PrivacyVerdict;
      /** A hidden-id chat linked by hand to this debtor (the link can be undone or confirmed). */
      linkedTo: string | null;
      /** A hidden-id chat whose identity staff confirmed: who and when. */
      confirmedBy: { name: string; at: string } | null;
    };

export interface OverlayInput {
  channel: 'email' | 'whatsapp';
  /** `conversationKey` of the context the overlay is built for. */
  conversation: string;
  decision: Decision;
  /** Open debts of the debtor, oldest due first; fetched only in full mode, else empty. */
  debts: readonly DebtFacts[];
  /** Due date of the debtor's active promise to pay. */
  promiseUntil: CalendarDate | null;
  creditor: MessageFacts;
  templates: readonly Template[];
  userName: string;
  today: CalendarDate;
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
  base: Omit<Sendable, 'id' | 'text' | 'templateId' | 'privacySafe' | 'conversation'>,
  label: string,
  conversation: string,
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
      conversation,
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
  const channel = input.channel;
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
      input.conversation,
    ),
  ]);
}

function debtorFacts(input: OverlayInput, match: DebtorLookupMatch): MessageFacts {
  // Called only in full mode: the privacy-safe message gets `safeFacts` below.
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

/** How a member is shown to the staff member ("contador@escritorio.com.br", "+5511987654321"). */
function shown(member: Member): string {
  return member.value;
}

function privacySafe(
  input: OverlayInput,
  reason: PrivacySafeReason,
  extra: {
    name?: string | null;
    others?: Member[];
    unreadable?: number;
    linkable?: boolean;
    linkedTo?: string | null;
    /** The person the conversation is (or is claimed to be) with. */
    person?: { id: string; name: string };
  } = {},
): OverlayResult {
  const match = extra.person;
  let safe: { messages: OverlayMessage[]; sendables: Sendable[] };
  if (match) {
    // The privacy-safe message greets the person and names the creditor: never a debt fact.
    const facts: MessageFacts = {
      ...input.creditor,
      debtor_first_name: firstName(match.name),
      debtor_name: match.name,
      today: input.today,
    };
    safe = collect([
      render(
        privacySafeTemplate(input.templates, input.channel),
        facts,
        { debtorId: match.id, channel: input.channel, stepId: null, debtIds: [] },
        t('message.privacySafe'),
        input.conversation,
      ),
    ]);
  } else safe = anonymousSafe(input);
  return {
    state: {
      view: 'privacy-safe',
      reason,
      name: extra.name ?? null,
      others: (extra.others ?? []).map(shown),
      unreadable: extra.unreadable ?? 0,
      linkable: extra.linkable ?? false,
      linkedTo: extra.linkedTo ?? null,
      canLog: match !== undefined,
      messages: safe.messages,
    },
    sendables: safe.sendables,
  };
}

/** The overlay for `input`, and the messages it offers. */
export function buildOverlay(input: OverlayInput): OverlayResult {
  const decision = input.decision;
  switch (decision.kind) {
    case 'none':
      return { state: { view: 'idle' }, sendables: [] };
    case 'anonymous':
      return privacySafe(input, decision.reason, { linkable: decision.linkable });
    case 'no-match':
      return privacySafe(input, 'no-match');
    case 'claimed':
      return privacySafe(input, 'claimed', {
        name: decision.name,
        linkedTo: decision.debtorId,
        person: { id: decision.debtorId, name: decision.name },
      });
    case 'person':
      break;
  }
  const { match, verdict } = decision;
  if (verdict.mode === 'privacy-safe')
    return privacySafe(input, verdict.reason, {
      name: match.name,
      others: verdict.others,
      unreadable: verdict.unreadable,
      linkedTo: decision.linkedTo,
      person: match,
    });
  const channel = input.channel;
  const facts = debtorFacts(input, match);
  const base = { debtorId: match.id, channel, debtIds: input.debts.map((d) => d.id) };
  const parts = [];
  const step = match.cadenceStepDue;
  if (step) {
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
          t('message.step', { step: stepLabel(step.stepId) }),
          input.conversation,
        ),
      );
  }
  const safeFacts: MessageFacts = {
    ...input.creditor,
    debtor_first_name: firstName(match.name),
    debtor_name: match.name,
    today: input.today,
  };
  parts.push(
    render(
      privacySafeTemplate(input.templates, channel),
      safeFacts,
      { ...base, stepId: null, debtIds: [] },
      t('message.privacySafe'),
      input.conversation,
    ),
  );
  const { messages, sendables } = collect(parts);
  const b = match.balance;
  const card: DebtorCard = {
    debtorId: match.id,
    name: match.name,
    status: match.status,
    daysOverdue: match.daysOverdue,
    promiseUntil: input.promiseUntil,
    balance: {
      principal: b.principal,
      fine: b.fine,
      interest: b.interest,
      fees: b.fees,
      paid: b.paid,
      discount: b.discount,
      totalDue: b.totalDue,
      asOf: b.asOf,
    },
    lastContact: match.lastContact
      ? { at: match.lastContact.at, channel: match.lastContact.channel }
      : null,
    budgetLeft: match.contactBudgetLeft,
    windowOpen: match.contactWindowOpen,
    contactNow: { allowed: match.contactNow.allowed, message: match.contactNow.message ?? null },
    stepDue: step ? { stepId: step.stepId, channel: step.channel, dueOn: step.dueOn } : null,
    otherMatches: decision.otherMatches,
    confirmedBy: decision.confirmedBy,
  };
  return { state: { view: 'debtor', card, messages }, sendables };
}
