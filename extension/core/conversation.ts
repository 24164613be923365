/**
 * What a conversation context means for collection: which key to look the debtor up by, on which
 * channel, and whether anyone besides that person would read a message (Gmail Cc/extra
 * correspondents, a WhatsApp group), in which case only the privacy-safe message is allowed.
 */
import type { ConversationContext } from '#shared/extension/content-messages';

export type LookupKey = { email: string } | { phone: string };

export type Audience =
  /** Nothing open: no overlay. */
  | { kind: 'none' }
  /** A WhatsApp group: never looked up. */
  | { kind: 'group' }
  /** An open conversation with nobody we can identify (LID chat, a name in the header). */
  | { kind: 'unidentified' }
  /** One person we can look up; `others` is true when someone else would also read the message. */
  | { kind: 'person'; key: LookupKey; others: boolean };

export function channelOf(context: ConversationContext): 'email' | 'whatsapp' {
  return context.site === 'gmail' ? 'email' : 'whatsapp';
}

export function audienceOf(context: ConversationContext): Audience {
  if (context.site === 'whatsapp') {
    const chat = context.chat;
    switch (chat.kind) {
      case 'none':
        return { kind: 'none' };
      case 'group':
        return { kind: 'group' };
      case 'individual':
        return { kind: 'person', key: { phone: chat.phone }, others: false };
      case 'lid':
      case 'unknown':
        return { kind: 'unidentified' };
    }
  }
  const compose = context.compose;
  // An open compose box decides who reads the message; without one, a reply goes to the thread.
  const readers = compose ? [...compose.to, ...compose.cc, ...compose.bcc] : context.correspondents;
  const primary = compose?.to[0] ?? readers[0];
  if (primary === undefined)
    return context.threadId === null && compose === null
      ? { kind: 'none' }
      : { kind: 'unidentified' };
  return { kind: 'person', key: { email: primary }, others: readers.some((r) => r !== primary) };
}

/** The cache and query key of a lookup. */
export function lookupKeyString(key: LookupKey): string {
  return 'email' in key ? `email:${key.email}` : `phone:${key.phone}`;
}
