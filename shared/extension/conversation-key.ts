/**
 * The identity of the conversation a text is written for: the site, the thread or chat, and
 * everyone who would receive it. Any change (another chat, another thread, a recipient added or
 * removed, a collapsed message expanded) gives another key. The content script compares it with
 * the page right before writing; it imports nothing, so its bundle stays small.
 */
import type { ConversationContext } from './content-messages';

function sorted(list: readonly string[]): string {
  return [...list].sort().join(',');
}

/**
 * The identity of the conversation a text is written for: the site, the thread or chat, and
 * everyone who would receive it. Any change (another chat, another thread, a recipient added or
 * removed, a collapsed message expanded) gives another key.
 */
export function conversationKey(context: ConversationContext): string {
  if (context.site === 'whatsapp') {
    const chat = context.chat;
    switch (chat.kind) {
      case 'none':
        return 'whatsapp|none';
      case 'group':
        return `whatsapp|group|${chat.jid}`;
      case 'unknown':
        return `whatsapp|unknown|${chat.title}`;
      case 'individual':
        return `whatsapp|individual|${chat.jid ?? ''}|${chat.phone}`;
      case 'lid':
        return `whatsapp|lid|${chat.jid}|${chat.phone ?? ''}`;
    }
  }
  const c = context.compose;
  const compose = c
    ? `${c.kind}|to:${sorted(c.to)}|cc:${sorted(c.cc)}|bcc:${sorted(c.bcc)}|u:${c.unreadable}`
    : '-';
  return `${context.site}|${context.threadId ?? ''}|${sorted(context.participants)}|u:${context.unreadable}|${compose}`;
}
