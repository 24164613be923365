/** What a site adapter offers the content script. */
import type { ConversationContext, InsertResult, Site } from '#shared/extension/content-messages';

export interface SiteAdapter {
  site: Site;
  read(doc: Document): ConversationContext;
  /** Writes `text`; asks `stillSame` right before writing and writes nothing when it says no. */
  insert(doc: Document, text: string, stillSame: () => boolean): Promise<InsertResult>;
  /** Attributes whose changes may change the conversation (watched with a MutationObserver). */
  watch: readonly string[];
}
