/**
 * Outlook on the web (outlook.office.com, outlook.live.com): every selector the extension uses
 * on Outlook lives here. Outlook's class names are generated per build (they change with every
 * deploy), so only structural signals are used: the data-app-section regions
 * (ConversationContainer, MessageBody, MailReadCompose, MailCompose), data-convid, ARIA roles
 * (listitem, textbox, aria-multiline), draggable recipient chips, the people's title attributes
 * that carry their address, the quoted header of a reply (#divRplyFwdMsg) and the account
 * manager's #mectrl_currentAccount_secondary. Localised labels ("Para", "Cc", "Corpo da
 * mensagem") are never read.
 *
 * The audience rule is Gmail's: every address on every message of the conversation (expanded or
 * collapsed) plus the compose box's recipients. Outlook shows a recipient chip by name when the
 * person is a contact; such a name is resolved through the people of the visible conversation or
 * of the quoted header, and counts as unreadable when neither has it. A collapsed message shows
 * only its sender; a pop-out reply window shows only the quoted last message: both make the
 * audience incomplete.
 */
import type { SiteAdapter } from './adapter';
import { normalizeEmail } from '#shared/identity/email';
import type { InsertResult, MailCompose, OutlookContext } from '#shared/extension/content-messages';
import { isVisible, visibleAll } from './dom';
import { addressesIn, insertIntoEditable, rankParticipants, type ReadMessage } from './mail';

export const OUTLOOK_SELECTORS = {
  conversation: '[data-app-section="ConversationContainer"]',
  conversationId: '[data-convid]',
  /** One message of the conversation, expanded or collapsed. */
  item: '[role="listitem"]',
  body: '[data-app-section="MessageBody"], [role="document"]',
  /** People in message headers carry their address (or "Name <address>") in `title`. */
  person: '[title]',
  compose: '[data-app-section="MailReadCompose"], [data-app-section="MailCompose"]',
  composeBody: '[contenteditable="true"][role="textbox"][aria-multiline="true"]',
  /** The To / Cc / Bcc wells, in that order on screen. */
  recipientWell: '[contenteditable="true"][role="textbox"]:not([aria-multiline="true"])',
  chip: '[draggable="true"]',
  quotedHeader: '#divRplyFwdMsg',
  account: '#mectrl_currentAccount_secondary',
} as const;

/** Attributes whose changes may change the conversation (the content script watches them). */
export const OUTLOOK_WATCH = ['data-convid', 'aria-expanded', 'draggable', 'title', 'aria-label'];

/**
 * The signed-in account's address, from the account manager. The tab title is not read: it holds
 * the subject of a popped-out message, which may name anyone.
 */
export function outlookSelfAddresses(doc: Document): string[] {
  return addressesIn(doc.querySelector(OUTLOOK_SELECTORS.account)?.textContent ?? '');
}

function visibleConversation(doc: Document): Element | null {
  return visibleAll(doc, OUTLOOK_SELECTORS.conversation)[0] ?? null;
}

function conversationId(root: Element): string | null {
  const holder = root.matches(OUTLOOK_SELECTORS.conversationId)
    ? root
    : root.querySelector(OUTLOOK_SELECTORS.conversationId);
  return holder?.getAttribute('data-convid')?.slice(0, 200) ?? null;
}

function outside(el: Element, selectors: string): boolean {
  return el.closest(selectors) === null;
}

/** Addresses in the `title` of people under `scope`, skipping message bodies and compose boxes. */
function peopleOf(scope: Element, names: Map<string, Set<string>>): string[] {
  const out: string[] = [];
  for (const el of scope.querySelectorAll(OUTLOOK_SELECTORS.person)) {
    if (!outside(el, `${OUTLOOK_SELECTORS.body}, ${OUTLOOK_SELECTORS.compose}`)) continue;
    const found = addressesIn(el.getAttribute('title') ?? '');
    const name = (el.textContent ?? '').trim().toLowerCase();
    for (const email of found) {
      if (!out.includes(email)) out.push(email);
      if (name !== '' && !name.includes('@')) {
        const known = names.get(name) ?? new Set<string>();
        known.add(email);
        names.set(name, known);
      }
    }
  }
  return out;
}

function readItem(item: Element, names: Map<string, Set<string>>): ReadMessage {
  const [sender = null, ...recipients] = peopleOf(item, names);
  // Every message has a recipient: one that shows none is collapsed to its sender line.
  return { sender, recipients, unreadable: recipients.length === 0 };
}

function readConversation(root: Element, names: Map<string, Set<string>>): ReadMessage[] {
  const items = [...root.querySelectorAll(OUTLOOK_SELECTORS.item)].filter((item) =>
    outside(item, OUTLOOK_SELECTORS.compose),
  );
  return items.length > 0 ? items.map((i) => readItem(i, names)) : [readItem(root, names)];
}

/**
 * The quoted header of a reply ("De: Maria Silva <maria@…>  Para: …  Cc: …"): its people, and
 * the names it pairs with addresses.
 */
function readQuotedHeader(header: Element, names: Map<string, Set<string>>): ReadMessage {
  const text = header.textContent ?? '';
  for (const m of text.matchAll(/([^:;<>\n]+?)\s*<([^<>\s]+@[^<>\s]+)>/g)) {
    const name = (m[1] ?? '').trim().toLowerCase();
    const email = normalizeEmail(m[2] ?? '');
    if (name === '') continue;
    const known = names.get(name) ?? new Set<string>();
    known.add(email);
    names.set(name, known);
  }
  const [sender = null, ...recipients] = addressesIn(text);
  return { sender, recipients, unreadable: recipients.length === 0 };
}

/** The compose body the user is working in: the focused one, else the last visible one. */
export function findOutlookComposer(doc: Document): HTMLElement | null {
  const bodies = visibleAll(doc, OUTLOOK_SELECTORS.composeBody) as HTMLElement[];
  const active = doc.activeElement;
  return bodies.find((b) => active && b.contains(active)) ?? bodies.at(-1) ?? null;
}

function composeRoot(body: Element): Element | null {
  const section = body.closest(OUTLOOK_SELECTORS.compose);
  if (section) return section;
  for (let el = body.parentElement; el; el = el.parentElement)
    if (el.querySelector(OUTLOOK_SELECTORS.recipientWell)) return el;
  return null;
}

/** A chip's address: written on it, in its title or label, or known by its name. */
function chipAddresses(chip: Element, names: Map<string, Set<string>>): string[] {
  const written = [
    chip.textContent ?? '',
    ...[chip, ...chip.querySelectorAll('[title], [aria-label]')].flatMap((el) => [
      el.getAttribute('title') ?? '',
      el.getAttribute('aria-label') ?? '',
    ]),
  ].flatMap(addressesIn);
  if (written.length > 0) return [...new Set(written)];
  return [...(names.get((chip.textContent ?? '').trim().toLowerCase()) ?? [])];
}

function readCompose(
  body: HTMLElement,
  conversation: Element | null,
  names: Map<string, Set<string>>,
  self: ReadonlySet<string>,
): MailCompose {
  const root = composeRoot(body);
  const kind =
    conversation?.contains(body) || root?.querySelector(OUTLOOK_SELECTORS.quotedHeader)
      ? 'reply'
      : 'new';
  const wells = root ? [...root.querySelectorAll(OUTLOOK_SELECTORS.recipientWell)] : [];
  const lists: string[][] = [];
  let unreadable = 0;
  for (const well of wells) {
    const list: string[] = [];
    for (const chip of well.querySelectorAll(OUTLOOK_SELECTORS.chip)) {
      const found = chipAddresses(chip, names);
      if (found.length === 0) unreadable += 1;
      for (const email of found) if (!self.has(email) && !list.includes(email)) list.push(email);
    }
    lists.push(list);
  }
  // The first well is To; Outlook's labels are localised, so Cc and Bcc are not told apart.
  const [to = [], ...rest] = lists;
  return { kind, to, cc: [...new Set(rest.flat())], bcc: [], unreadable };
}

/** The open conversation: the reading pane's people and the compose box's recipients. */
export function readOutlookContext(doc: Document): OutlookContext {
  const self = new Set(outlookSelfAddresses(doc));
  const names = new Map<string, Set<string>>();
  const conversation = visibleConversation(doc);
  const messages = conversation ? readConversation(conversation, names) : [];
  const body = findOutlookComposer(doc);
  const quoted = body ? composeRoot(body)?.querySelector(OUTLOOK_SELECTORS.quotedHeader) : null;
  if (!conversation && quoted) {
    // A pop-out reply: only the quoted last message is here, the rest of the thread is not.
    messages.push(readQuotedHeader(quoted, names), {
      sender: null,
      recipients: [],
      unreadable: true,
    });
  }
  const { participants, unreadable } = rankParticipants(messages, self);
  return {
    site: 'outlook',
    threadId: conversation ? conversationId(conversation) : null,
    participants,
    unreadable,
    compose: body && isVisible(body) ? readCompose(body, conversation, names, self) : null,
  };
}

/**
 * Writes `text` at the start of the compose body, above the quoted message (see
 * `insertIntoEditable`); `stillSame` is asked right before writing. Never sends.
 */
export async function insertIntoOutlook(
  doc: Document,
  text: string,
  stillSame: () => boolean = () => true,
): Promise<InsertResult> {
  return insertIntoEditable(doc, findOutlookComposer(doc), text, stillSame);
}

export const outlookAdapter: SiteAdapter = {
  site: 'outlook',
  read: readOutlookContext,
  insert: insertIntoOutlook,
  watch: OUTLOOK_WATCH,
};
