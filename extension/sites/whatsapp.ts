/**
 * WhatsApp Web (web.whatsapp.com): every selector the extension uses on WhatsApp lives here
 * (reference/extension.md §2.2, §2.3, §7). The chat is identified by the JID in the message rows'
 * data-id ("false_<user>@c.us_<msgid>"; groups "@g.us", hidden identities "@lid"), else by a header
 * title that reads as a phone number (unsaved contacts). The URL does not change on a chat switch;
 * the content script watches #main. Obfuscated classes, aria labels (localised) and data-testid
 * (removed from production) are never used.
 */
import type { SiteAdapter } from './adapter';
import { normalizedText, editableText, isVisible, pause, caretInside } from './dom';
import { phoneMatchKeys, tryToE164 } from '#shared/identity/phone';
import type {
  InsertResult,
  WhatsAppChat,
  WhatsAppContext,
} from '#shared/extension/content-messages';

export const WHATSAPP_SELECTORS = {
  main: '#main',
  headerTitle: 'header span[title]',
  row: '[data-id]',
  composer: 'footer [contenteditable="true"][role="textbox"], footer [data-lexical-editor="true"]',
} as const;

/** Attributes whose changes may change the conversation (the content script watches them). */
export const WHATSAPP_WATCH = ['data-id', 'title'];

const ROW_ID = /^(?:true|false)_([^@_]+)@(c\.us|lid|g\.us)_/;

/** The JID of a data-id, e.g. "551187654321@c.us", and its kind. */
export function parseRowId(
  dataId: string,
): { user: string; server: 'c.us' | 'lid' | 'g.us' } | null {
  const m = ROW_ID.exec(dataId);
  if (!m?.[1] || !m[2]) return null;
  return { user: m[1], server: m[2] as 'c.us' | 'lid' | 'g.us' };
}

/** E.164 of a JID user part ("551187654321" → "+5511987654321"); null when not Brazilian. */
export function phoneOfJidUser(user: string): string | null {
  const result = tryToE164(`+${user}`);
  return result.ok ? result.value : null;
}

/** The open chat's pane, if one is open and visible. */
function mainPane(doc: Document): Element | null {
  const main = doc.querySelector(WHATSAPP_SELECTORS.main);
  return main && isVisible(main) ? main : null;
}

function headerTitle(main: Element): string {
  return main.querySelector(WHATSAPP_SELECTORS.headerTitle)?.getAttribute('title')?.trim() ?? '';
}

/** The open chat: individual (with its number), LID, group, unknown, or none. */
export function readWhatsAppChat(doc: Document): WhatsAppChat {
  const main = mainPane(doc);
  if (!main) return { kind: 'none' };
  const title = headerTitle(main);
  const titlePhone = /^\+?[\d\s().-]{8,}$/.test(title) ? tryToE164(title) : null;
  for (const row of main.querySelectorAll(WHATSAPP_SELECTORS.row)) {
    const parsed = parseRowId(row.getAttribute('data-id') ?? '');
    if (!parsed) continue;
    const jid = `${parsed.user}@${parsed.server}`;
    if (parsed.server === 'g.us') return { kind: 'group', jid };
    if (parsed.server === 'lid')
      // A hidden id: only a header that shows the number itself says who it is.
      return titlePhone?.ok
        ? { kind: 'lid', jid, title: title.slice(0, 200), phone: titlePhone.value }
        : { kind: 'lid', jid, title: title.slice(0, 200) };
    const phone = phoneOfJidUser(parsed.user);
    if (phone) return { kind: 'individual', jid, phone };
    break;
  }
  // A new chat has no rows yet: an unsaved contact's header shows the number itself.
  if (titlePhone?.ok) return { kind: 'individual', jid: null, phone: titlePhone.value };
  return { kind: 'unknown', title: title.slice(0, 200) };
}

/** True when two numbers are the same line, with or without a mobile's 9th digit. */
export function sameWhatsAppNumber(a: string, b: string): boolean {
  const keys = new Set(phoneMatchKeys(a));
  return phoneMatchKeys(b).some((k) => keys.has(k));
}

export function findWhatsAppComposer(doc: Document): HTMLElement | null {
  const main = mainPane(doc);
  if (!main) return null;
  const found = [...main.querySelectorAll(WHATSAPP_SELECTORS.composer)].filter(isVisible);
  return (found[0] as HTMLElement | undefined) ?? null;
}

export function readWhatsAppContext(doc: Document): WhatsAppContext {
  return {
    site: 'whatsapp',
    chat: readWhatsAppChat(doc),
    composer: findWhatsAppComposer(doc) !== null,
  };
}

function dataTransferOf(text: string): DataTransfer {
  const data = new DataTransfer();
  data.setData('text/plain', text);
  return data;
}

/**
 * Writes `text` into the composer the way WhatsApp's Lexical editor accepts it: focus, let the
 * editor sync its selection, then a synthetic paste; if the box does not read back the text, a
 * beforeinput insertReplacementText. `stillSame` is asked before focusing and again right before
 * each write, in the same task as the write: a chat switched during the editor's pause gets
 * nothing. Direct DOM writes are never used (Lexical reverts them) and Send is never pressed.
 */
export async function insertIntoWhatsApp(
  doc: Document,
  text: string,
  stillSame: () => boolean = () => true,
): Promise<InsertResult> {
  const box = findWhatsAppComposer(doc);
  if (!box) return { ok: false, reason: 'no-composer' };
  if (!stillSame()) return { ok: false, reason: 'conversation-changed' };
  const expected = normalizedText(text);
  const landed = () => normalizedText(editableText(box)).includes(expected);
  box.focus();
  caretInside(box, 'end');
  await pause(30);
  if (!stillSame() || !box.isConnected) return { ok: false, reason: 'conversation-changed' };
  box.dispatchEvent(
    new ClipboardEvent('paste', {
      clipboardData: dataTransferOf(text),
      bubbles: true,
      cancelable: true,
    }),
  );
  await pause(0);
  if (landed()) return { ok: true, method: 'paste' };
  if (!stillSame() || !box.isConnected) return { ok: false, reason: 'conversation-changed' };
  box.dispatchEvent(
    new InputEvent('beforeinput', {
      inputType: 'insertReplacementText',
      dataTransfer: dataTransferOf(text),
      bubbles: true,
      cancelable: true,
    }),
  );
  await pause(0);
  return landed() ? { ok: true, method: 'beforeinput' } : { ok: false, reason: 'not-verified' };
}

export const whatsappAdapter: SiteAdapter = {
  site: 'whatsapp',
  read: readWhatsAppContext,
  insert: insertIntoWhatsApp,
  watch: WHATSAPP_WATCH,
};
