/**
 * Gmail (mail.google.com): every selector the extension uses on Gmail lives here. Only stable
 * signals (reference/extension.md §1.2, §1.3, §7): data-thread-perm-id, data-message-id,
 * span[email], peoplekit chips ([name=to|cc|bcc] [role=option][data-hovercard-id]) and the compose
 * body's g_editable/role=textbox. Obfuscated classes (.gD, .g2, .adn, .M9, …) are never relied on,
 * so a Gmail deploy that renames them changes nothing. Gmail keeps stale views in the DOM hidden,
 * so only visible matches count.
 */
import { normalizeEmail } from '#shared/identity/email';
import type { GmailCompose, GmailContext, InsertResult } from '#shared/extension/content-messages';
import { caretInside, editableText, isVisible, normalizedText, visibleAll } from './dom';

export const GMAIL_SELECTORS = {
  threadHeading: '[data-thread-perm-id]',
  message: '[data-message-id]',
  person: 'span[email]',
  composeBody: '[g_editable="true"][role="textbox"], [contenteditable="true"][role="textbox"]',
  recipients: (field: 'to' | 'cc' | 'bcc') =>
    `[name="${field}"] [role="option"][data-hovercard-id]`,
  recipientField: '[name="to"]',
} as const;

const EMAIL_IN_TITLE = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/;

/** The signed-in account's address: Gmail's tab title reads "Subject - user@x - Gmail". */
export function gmailSelfAddresses(doc: Document): string[] {
  const found = EMAIL_IN_TITLE.exec(doc.title)?.[0];
  return found ? [normalizeEmail(found)] : [];
}

/** The visible open thread: its heading and the messages under the same main view. */
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

function chips(root: Element, field: 'to' | 'cc' | 'bcc', self: Set<string>): string[] {
  const out: string[] = [];
  for (const chip of root.querySelectorAll(GMAIL_SELECTORS.recipients(field))) {
    const email = normalizeEmail(chip.getAttribute('data-hovercard-id') ?? '');
    if (email.includes('@') && !self.has(email) && !out.includes(email)) out.push(email);
  }
  return out;
}

function readCompose(
  doc: Document,
  thread: Element | null,
  self: Set<string>,
): GmailCompose | null {
  const body = findGmailComposer(doc);
  if (!body) return null;
  const root = composeRoot(body);
  const kind = thread?.contains(body) ? 'reply' : 'new';
  if (!root) return { kind, to: [], cc: [], bcc: [] };
  return {
    kind,
    to: chips(root, 'to', self),
    cc: chips(root, 'cc', self),
    bcc: chips(root, 'bcc', self),
  };
}

/**
 * The open conversation. Correspondents come from span[email] inside visible messages only: in each
 * message the first one is the sender (the header precedes the recipients). The latest message not
 * sent by the user puts its sender first; everyone else follows in order of appearance.
 */
export function readGmailContext(doc: Document): GmailContext {
  const self = new Set(gmailSelfAddresses(doc));
  const thread = visibleThread(doc);
  const senders: string[] = [];
  const others: string[] = [];
  if (thread) {
    for (const message of visibleAll(thread.root, GMAIL_SELECTORS.message)) {
      const people = [...message.querySelectorAll(GMAIL_SELECTORS.person)]
        .map((p) => normalizeEmail(p.getAttribute('email') ?? ''))
        .filter((e) => e.includes('@'));
      const [sender, ...recipients] = people;
      if (sender && !self.has(sender)) senders.push(sender);
      for (const r of recipients) others.push(r);
    }
  }
  const ranked: string[] = [];
  for (const email of [...senders.reverse(), ...others])
    if (!self.has(email) && !ranked.includes(email)) ranked.push(email);
  return {
    site: 'gmail',
    threadId: thread?.id ?? null,
    correspondents: ranked,
    compose: readCompose(doc, thread?.root ?? null, self),
  };
}

/**
 * Writes `text` at the caret of the compose body (start of the body if the caret is elsewhere)
 * with the editing command, which fires Gmail's own input handling (draft autosave, undo); falls
 * back to a Range insert plus an input event. Verified by reading the body back. Never sends.
 */
export async function insertIntoGmail(doc: Document, text: string): Promise<InsertResult> {
  const body = findGmailComposer(doc);
  if (!body || !isVisible(body)) return { ok: false, reason: 'no-composer' };
  const expected = normalizedText(text);
  body.focus();
  caretInside(body, 'start');
  // execCommand is deprecated but remains the only way to get a native, undoable insertion.
  if (doc.execCommand('insertText', false, text))
    // Having run, the command must not be followed by a second insertion: check and report.
    return normalizedText(editableText(body)).includes(expected)
      ? { ok: true, method: 'execCommand' }
      : { ok: false, reason: 'not-verified' };
  const selection = doc.getSelection();
  const range = selection?.rangeCount ? selection.getRangeAt(0) : doc.createRange();
  const fragment = doc.createDocumentFragment();
  text.split('\n').forEach((line, i) => {
    const block = doc.createElement('div');
    if (line === '') block.append(doc.createElement('br'));
    else block.textContent = line;
    if (i === 0 && line !== '') fragment.append(doc.createTextNode(line));
    else fragment.append(block);
  });
  range.insertNode(fragment);
  body.dispatchEvent(
    new InputEvent('input', { bubbles: true, inputType: 'insertText', data: text }),
  );
  return normalizedText(editableText(body)).includes(expected)
    ? { ok: true, method: 'range' }
    : { ok: false, reason: 'not-verified' };
}
