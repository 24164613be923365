/**
 * Gmail (mail.google.com): every selector the extension uses on Gmail lives here. Only stable
 * signals (reference/extension.md §1.2, §1.3, §7): data-thread-perm-id, data-message-id, the
 * email attribute of people, the conversation's listitems, peoplekit chips
 * ([name=to|cc|bcc] [role=option][data-hovercard-id]) and the compose body's
 * g_editable/role=textbox. Obfuscated classes (.gD, .g2, .adn, .kv, .M9, …) are never relied on,
 * so a Gmail deploy that renames them changes nothing.
 *
 * The audience is the whole visible thread: every [email] of every message, expanded or
 * collapsed, shown or hidden inside it (so whoever "Reply all" reaches), plus the compose chips.
 * A message that shows only its sender (collapsed: Gmail renders recipients only when expanded)
 * or a slot without a message (a bundle of hidden messages) counts as unreadable. Stale views
 * Gmail keeps in the DOM are other [role=main] roots, hidden: only the visible thread counts.
 */
import type { SiteAdapter } from './adapter';
import { normalizeEmail } from '#shared/identity/email';
import type { GmailContext, InsertResult, MailCompose } from '#shared/extension/content-messages';
import { visibleAll } from './dom';
import { addressesIn, insertIntoEditable, rankParticipants, type ReadMessage } from './mail';

export const GMAIL_SELECTORS = {
  threadHeading: '[data-thread-perm-id]',
  message: '[data-message-id]',
  /** One slot of the conversation: an expanded or collapsed message, or a hidden bundle. */
  slot: '[role="listitem"]',
  person: '[email]',
  composeBody: '[g_editable="true"][role="textbox"], [contenteditable="true"][role="textbox"]',
  chips: (field: 'to' | 'cc' | 'bcc') => `[name="${field}"] [role="option"]`,
  recipientField: '[name="to"]',
} as const;

/** Attributes whose changes may change the conversation (the content script watches them). */
export const GMAIL_WATCH = ['email', 'data-message-id', 'data-hovercard-id', 'aria-expanded'];

/**
 * The signed-in account's address: Gmail's tab title reads "Subject - user@x - Gmail", so it is
 * the title's last address (the subject may hold others, which are not the user).
 */
export function gmailSelfAddresses(doc: Document): string[] {
  const found = addressesIn(doc.title).at(-1);
  return found ? [found] : [];
}

/** The visible open thread: its heading and the main view holding its messages. */
function visibleThread(doc: Document): { id: string; root: Element } | null {
  for (const heading of visibleAll(doc, GMAIL_SELECTORS.threadHeading)) {
    const id = heading.getAttribute('data-thread-perm-id');
    const root = heading.closest('[role="main"]') ?? heading.parentElement?.parentElement;
    if (id && root) return { id, root };
  }
  return null;
}

/** The compose body the user is working in: the focused one, else the last visible one. */
export function findGmailComposer(doc: Document): HTMLElement | null {
  const bodies = visibleAll(doc, GMAIL_SELECTORS.composeBody) as HTMLElement[];
  const active = doc.activeElement;
  return bodies.find((b) => active && b.contains(active)) ?? bodies.at(-1) ?? null;
}

/** The nearest ancestor of a compose body that also holds its recipient fields. */
function composeRoot(body: Element): Element | null {
  for (let el = body.parentElement; el; el = el.parentElement)
    if (el.querySelector(GMAIL_SELECTORS.recipientField)) return el;
  return null;
}

function readMessage(message: Element): ReadMessage {
  const people = [...message.querySelectorAll(GMAIL_SELECTORS.person)]
    .map((p) => normalizeEmail(p.getAttribute('email') ?? ''))
    .filter((e) => e.includes('@'));
  // The header precedes the recipients: the first person is the sender.
  const [sender = null, ...recipients] = people;
  // Every message has a recipient; a message showing none is collapsed to its sender line.
  return { sender, recipients, unreadable: recipients.length === 0 };
}

/** Every message of the thread, in order; a slot with no message in it is a hidden bundle. */
function readThread(root: Element): ReadMessage[] {
  const messages = [...root.querySelectorAll(GMAIL_SELECTORS.message)];
  const out = messages.map(readMessage);
  for (const slot of root.querySelectorAll(GMAIL_SELECTORS.slot))
    if (!slot.querySelector(GMAIL_SELECTORS.message) && !slot.closest(GMAIL_SELECTORS.message))
      out.push({ sender: null, recipients: [], unreadable: true });
  return out;
}

function chips(
  root: Element,
  field: 'to' | 'cc' | 'bcc',
  self: ReadonlySet<string>,
): { emails: string[]; unreadable: number } {
  const emails: string[] = [];
  let unreadable = 0;
  for (const chip of root.querySelectorAll(GMAIL_SELECTORS.chips(field))) {
    const email = normalizeEmail(chip.getAttribute('data-hovercard-id') ?? '');
    if (!email.includes('@')) unreadable += 1;
    else if (!self.has(email) && !emails.includes(email)) emails.push(email);
  }
  return { emails, unreadable };
}

function readCompose(
  doc: Document,
  thread: Element | null,
  self: ReadonlySet<string>,
): MailCompose | null {
  const body = findGmailComposer(doc);
  if (!body) return null;
  const root = composeRoot(body);
  const kind = thread?.contains(body) ? 'reply' : 'new';
  if (!root) return { kind, to: [], cc: [], bcc: [], unreadable: 0 };
  const [to, cc, bcc] = (['to', 'cc', 'bcc'] as const).map((f) => chips(root, f, self)) as [
    ReturnType<typeof chips>,
    ReturnType<typeof chips>,
    ReturnType<typeof chips>,
  ];
  return {
    kind,
    to: to.emails,
    cc: cc.emails,
    bcc: bcc.emails,
    unreadable: to.unreadable + cc.unreadable + bcc.unreadable,
  };
}

/** The open conversation: the visible thread's people and the compose box's recipients. */
export function readGmailContext(doc: Document): GmailContext {
  const self = new Set(gmailSelfAddresses(doc));
  const thread = visibleThread(doc);
  const { participants, unreadable } = rankParticipants(
    thread ? readThread(thread.root) : [],
    self,
  );
  return {
    site: 'gmail',
    threadId: thread?.id ?? null,
    participants,
    unreadable,
    compose: readCompose(doc, thread?.root ?? null, self),
  };
}

/**
 * Writes `text` at the start of the compose body (see `insertIntoEditable`); `stillSame` is asked
 * right before writing. Never sends.
 */
export async function insertIntoGmail(
  doc: Document,
  text: string,
  stillSame: () => boolean = () => true,
): Promise<InsertResult> {
  return insertIntoEditable(doc, findGmailComposer(doc), text, stillSame);
}

export const gmailAdapter: SiteAdapter = {
  site: 'gmail',
  read: readGmailContext,
  insert: insertIntoGmail,
  watch: GMAIL_WATCH,
};
