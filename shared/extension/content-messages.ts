/**
 * Messages between a content script and the service worker: the conversation context (lookup keys
 * only: addresses, a WhatsApp JID/phone) and the text to insert. A content script never receives
 * debt data: the only thing it is ever sent is the text the user chose to insert, bound to the
 * conversation it was written for. Kept apart from the page messages so the content-script bundle
 * stays small.
 */
import * as v from 'valibot';

const Email = v.pipe(v.string(), v.maxLength(254));
const Short = v.pipe(v.string(), v.maxLength(200));
const Count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000));
const Addresses = v.pipe(v.array(Email), v.maxLength(500));

/** The compose box open in a webmail and whom it goes to (lower-cased addresses, self excluded). */
export const MailComposeSchema = v.object({
  kind: v.picklist(['reply', 'new']),
  to: Addresses,
  cc: Addresses,
  bcc: Addresses,
  /** Recipients shown without a readable address (a name only): they could be anyone. */
  unreadable: Count,
});
export type MailCompose = v.InferOutput<typeof MailComposeSchema>;

const mailEntries = {
  threadId: v.nullable(Short),
  /**
   * Everyone on every message of the open thread, expanded or collapsed, hidden or shown (From,
   * To, Cc, Bcc): lower-cased, the user's own addresses removed, the latest inbound sender first.
   */
  participants: Addresses,
  /**
   * Messages of the thread whose people could not all be read: a collapsed message that shows
   * only its sender, a bundle of hidden messages, a thread this window does not show.
   */
  unreadable: Count,
  compose: v.nullable(MailComposeSchema),
};

/** What the Gmail adapter reads. */
export const GmailContextSchema = v.object({ site: v.literal('gmail'), ...mailEntries });
export type GmailContext = v.InferOutput<typeof GmailContextSchema>;

/** What the Outlook on the web adapter reads (same shape as Gmail's). */
export const OutlookContextSchema = v.object({ site: v.literal('outlook'), ...mailEntries });
export type OutlookContext = v.InferOutput<typeof OutlookContextSchema>;

export type MailContext = GmailContext | OutlookContext;

/** The open WhatsApp chat, by what the DOM can tell about it. */
export const WhatsAppChatSchema = v.variant('kind', [
  v.object({ kind: v.literal('none') }),
  /** A 1:1 chat whose number is known (E.164, from the JID or a header showing the number). */
  v.object({ kind: v.literal('individual'), jid: v.nullable(Short), phone: Short }),
  /**
   * A 1:1 chat on a hidden identity (@lid): no number in the rows. `phone` only when the header
   * itself shows a number; otherwise only a confirmed identity tells who it is.
   */
  v.object({
    kind: v.literal('lid'),
    jid: Short,
    title: Short,
    phone: v.optional(Short),
  }),
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
  OutlookContextSchema,
  WhatsAppContextSchema,
]);
export type ConversationContext = v.InferOutput<typeof ConversationContextSchema>;
export type Site = ConversationContext['site'];

/** How text reached the compose box, or why it did not. */
export const InsertResultSchema = v.variant('ok', [
  v.object({
    ok: v.literal(true),
    method: v.picklist(['execCommand', 'range', 'paste', 'beforeinput']),
  }),
  v.object({
    ok: v.literal(false),
    /** `conversation-changed`: the open conversation is not the one the text was written for. */
    reason: v.picklist(['no-composer', 'not-verified', 'conversation-changed']),
  }),
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
    /** `conversationKey` of the context the text was written for; re-checked before writing. */
    conversation: v.pipe(v.string(), v.maxLength(200_000)),
  }),
]);
export type WorkerToContent = v.InferOutput<typeof WorkerToContentSchema>;
