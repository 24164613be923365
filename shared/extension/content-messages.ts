/**
 * Messages between a content script and the service worker: the conversation context (lookup keys
 * only: addresses, a WhatsApp JID/phone) and the text to insert. A content script never receives
 * debt data: the only thing it is ever sent is the text the user chose to insert. Kept apart from
 * the page messages so the content-script bundle stays small.
 */
import * as v from 'valibot';

const Email = v.pipe(v.string(), v.maxLength(254));
const Short = v.pipe(v.string(), v.maxLength(200));

/** The compose box open in Gmail and whom it goes to (lower-cased addresses, self excluded). */
export const GmailComposeSchema = v.object({
  kind: v.picklist(['reply', 'new']),
  to: v.array(Email),
  cc: v.array(Email),
  bcc: v.array(Email),
});
export type GmailCompose = v.InferOutput<typeof GmailComposeSchema>;

/** What the Gmail adapter reads: the visible thread, its correspondents ranked, the open compose. */
export const GmailContextSchema = v.object({
  site: v.literal('gmail'),
  threadId: v.nullable(Short),
  /** Lower-cased, the user's own addresses removed; the latest inbound sender first. */
  correspondents: v.array(Email),
  compose: v.nullable(GmailComposeSchema),
});
export type GmailContext = v.InferOutput<typeof GmailContextSchema>;

/** The open WhatsApp chat, by what the DOM can tell about it. */
export const WhatsAppChatSchema = v.variant('kind', [
  v.object({ kind: v.literal('none') }),
  /** A 1:1 chat whose number is known (E.164, from the JID or a header showing the number). */
  v.object({ kind: v.literal('individual'), jid: v.nullable(Short), phone: Short }),
  /** A 1:1 chat on a hidden LID identity: no number can be read, only a manual link helps. */
  v.object({ kind: v.literal('lid'), jid: Short, title: Short }),
  v.object({ kind: v.literal('group'), jid: Short }),
  /** An open chat whose identity cannot be read (no rows yet and a name in the header). */
  v.object({ kind: v.literal('unknown'), title: Short }),
]);
export type WhatsAppChat = v.InferOutput<typeof WhatsAppChatSchema>;

export const WhatsAppContextSchema = v.object({
  site: v.literal('whatsapp'),
  chat: WhatsAppChatSchema,
  composer: v.boolean(),
});
export type WhatsAppContext = v.InferOutput<typeof WhatsAppContextSchema>;

export const ConversationContextSchema = v.variant('site', [
  GmailContextSchema,
  WhatsAppContextSchema,
]);
export type ConversationContext = v.InferOutput<typeof ConversationContextSchema>;

/** How text reached the compose box, or why it did not. */
export const InsertResultSchema = v.variant('ok', [
  v.object({
    ok: v.literal(true),
    method: v.picklist(['execCommand', 'range', 'paste', 'beforeinput']),
  }),
  v.object({ ok: v.literal(false), reason: v.picklist(['no-composer', 'not-verified']) }),
]);
export type InsertResult = v.InferOutput<typeof InsertResultSchema>;

// ---------------------------------------------------------------------------------------------
// Content script → service worker, and back.

export const ContentToWorkerSchema = v.variant('type', [
  v.object({ type: v.literal('context'), context: ConversationContextSchema }),
]);
export type ContentToWorker = v.InferOutput<typeof ContentToWorkerSchema>;

export const WorkerToContentSchema = v.variant('type', [
  v.object({ type: v.literal('get-context') }),
  v.object({
    type: v.literal('insert'),
    text: v.pipe(v.string(), v.minLength(1), v.maxLength(10_000)),
  }),
]);
export type WorkerToContent = v.InferOutput<typeof WorkerToContentSchema>;
