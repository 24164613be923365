/** The site adapters, one per host; the content script entry picks its own. */
import type { ConversationContext, InsertResult } from '#shared/extension/content-messages';
import { insertIntoGmail, readGmailContext } from './gmail';
import { insertIntoWhatsApp, readWhatsAppContext } from './whatsapp';

export interface SiteAdapter {
  site: ConversationContext['site'];
  read(doc: Document): ConversationContext;
  insert(doc: Document, text: string): Promise<InsertResult>;
}

export const gmailAdapter: SiteAdapter = {
  site: 'gmail',
  read: readGmailContext,
  insert: insertIntoGmail,
};
export const whatsappAdapter: SiteAdapter = {
  site: 'whatsapp',
  read: readWhatsAppContext,
  insert: insertIntoWhatsApp,
};

export { editableText } from './dom';
export * from './gmail';
export * from './whatsapp';
