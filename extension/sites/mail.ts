/**
 * What the two webmail adapters (Gmail, Outlook on the web) share: reading addresses out of
 * attributes and text, ranking a thread's people, and writing into a contenteditable compose
 * body. Site selectors stay in each site's adapter.
 */
import { normalizeEmail } from '#shared/identity/email';
import type { InsertResult } from '#shared/extension/content-messages';
import { caretInside, editableText, isVisible, normalizedText } from './dom';

const EMAIL_G = /[\w.%+-]+@[\w-]+(?:\.[\w-]+)+/g;

/** Every address written in `text` ("Maria <maria@x.com.br>; b@y.com"), lower-cased, in order. */
export function addressesIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(EMAIL_G)) {
    const email = normalizeEmail(m[0]);
    if (!out.includes(email)) out.push(email);
  }
  return out;
}

/** One message of a thread, as read: its sender and recipients (self included), in order. */
export interface ReadMessage {
  sender: string | null;
  recipients: string[];
  /** Its people could not all be read (collapsed to a sender line, a hidden bundle). */
  unreadable: boolean;
}

/**
 * The thread's participants (self removed), the latest inbound sender first, then everyone else
 * in order of appearance; and how many messages could not be read completely.
 */
export function rankParticipants(
  messages: readonly ReadMessage[],
  self: ReadonlySet<string>,
): { participants: string[]; unreadable: number } {
  const senders: string[] = [];
  const others: string[] = [];
  for (const m of messages) {
    if (m.sender && !self.has(m.sender)) senders.push(m.sender);
    others.push(...m.recipients);
  }
  const participants: string[] = [];
  for (const email of [...senders.reverse(), ...others])
    if (!self.has(email) && !participants.includes(email)) participants.push(email);
  return { participants, unreadable: messages.filter((m) => m.unreadable).length };
}

/**
 * Writes `text` at the start of a contenteditable compose body with the editing command, which
 * fires the editor's own input handling (draft autosave, undo); falls back to a Range insert plus
 * an input event. `stillSame` is asked before focusing and again right before writing: if the
 * conversation changed in the meantime nothing is written. Verified by reading the body back.
 * Never sends.
 */
export function insertIntoEditable(
  doc: Document,
  body: HTMLElement | null,
  text: string,
  stillSame: () => boolean,
): InsertResult {
  if (!body || !isVisible(body)) return { ok: false, reason: 'no-composer' };
  if (!stillSame()) return { ok: false, reason: 'conversation-changed' };
  const expected = normalizedText(text);
  body.focus();
  caretInside(body, 'start');
  // Focusing runs the page's own handlers, which may switch the conversation: check again, in the
  // same task as the write, so nothing can change in between.
  if (!body.isConnected || !stillSame()) return { ok: false, reason: 'conversation-changed' };
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
