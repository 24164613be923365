/**
 * The audience rule, one function for every site adapter (Gmail, Outlook on the web, WhatsApp
 * Web): the audience of a conversation is everyone who can receive what is typed into it.
 *
 * - Webmail: every address on every message of the open thread (From, To, Cc, Bcc; expanded and
 *   collapsed messages, so whoever "Reply all" reaches) plus the compose box's recipients.
 *   Messages whose people cannot all be read (collapsed to a sender line, bundled, not shown in
 *   this window) and recipients shown without an address make the audience incomplete.
 * - WhatsApp: the chat's number; a group; a chat on a hidden id (@lid) that shows no number.
 *
 * `privacyVerdict` then says whether amounts may be shown: only when every single member is a
 * verified contact point of the debtor (and nothing is unreadable), or, for a hidden-id chat,
 * when staff confirmed the person's identity on the server. Anything else is the privacy-safe
 * mode: the person's name at most, no amount, no status or stage word, privacy-safe messages only.
 *
 * `conversationKey` (./conversation-key, kept apart for the content scripts' bundles) is the
 * identity an inserted text is bound to: the content script refuses to write a text into a
 * conversation whose key differs from the one it was written for.
 */
import type { ConversationContext, MailContext, WhatsAppChat } from './content-messages';
import { chatKeyOf } from './chat-identity.schema';
import { normalizeEmail } from '../identity/email';
import { phoneMatchKeys } from '../identity/phone';

/** One way to reach a person: an e-mail address or a phone number (E.164). */
export type Member = { kind: 'email'; value: string } | { kind: 'phone'; value: string };

export type ConversationAudience =
  /** Nothing open: no overlay. */
  | { kind: 'none' }
  /** A WhatsApp group: never looked up. */
  | { kind: 'group' }
  /** An open conversation nobody in which can be identified (no address, a name for a title). */
  | { kind: 'unknown' }
  /** A WhatsApp chat on a hidden id: only a confirmed identity says who it is. */
  | { kind: 'hidden'; chat: string; jid: string; title: string }
  /**
   * People reachable by address or number. `primary` is whom the debtor is looked up by (the
   * compose box's first To, else the latest inbound sender); `members` is everyone, primary
   * first; `unreadable` counts messages or recipients whose people could not be read.
   */
  | {
      kind: 'people';
      channel: 'email' | 'whatsapp';
      primary: Member;
      members: Member[];
      unreadable: number;
    };

export type PeopleAudience = Extract<ConversationAudience, { kind: 'people' }>;

export function channelOf(context: ConversationContext): 'email' | 'whatsapp' {
  return context.site === 'whatsapp' ? 'whatsapp' : 'email';
}

function chatAudience(chat: WhatsAppChat): ConversationAudience {
  switch (chat.kind) {
    case 'none':
      return { kind: 'none' };
    case 'group':
      return { kind: 'group' };
    case 'unknown':
      return { kind: 'unknown' };
    case 'individual':
    case 'lid': {
      const phone = chat.phone;
      if (phone === undefined && chat.kind === 'lid')
        return { kind: 'hidden', chat: chatKeyOf(chat.jid), jid: chat.jid, title: chat.title };
      if (phone === undefined) return { kind: 'unknown' };
      const member: Member = { kind: 'phone', value: phone };
      return {
        kind: 'people',
        channel: 'whatsapp',
        primary: member,
        members: [member],
        unreadable: 0,
      };
    }
  }
}

function mailAudience(context: MailContext, self: ReadonlySet<string>): ConversationAudience {
  const compose = context.compose;
  const keep = (list: readonly string[]) =>
    list.map(normalizeEmail).filter((e) => e.includes('@') && !self.has(e));
  const chips = compose ? keep([...compose.to, ...compose.cc, ...compose.bcc]) : [];
  const thread = keep(context.participants);
  const unreadable = context.unreadable + (compose?.unreadable ?? 0);
  const primary = keep(compose?.to ?? [])[0] ?? thread[0] ?? chips[0];
  if (primary === undefined)
    return context.threadId === null && compose === null && unreadable === 0
      ? { kind: 'none' }
      : { kind: 'unknown' };
  const members: Member[] = [];
  for (const value of [primary, ...chips, ...thread])
    if (!members.some((m) => m.value === value)) members.push({ kind: 'email', value });
  return {
    kind: 'people',
    channel: 'email',
    primary: { kind: 'email', value: primary },
    members,
    unreadable,
  };
}

/**
 * Who can receive what is typed in `context`. `self` are the user's own addresses (the signed-in
 * mailbox, the Quita user's e-mail): never part of the audience.
 */
export function audienceOf(
  context: ConversationContext,
  self: readonly string[] = [],
): ConversationAudience {
  if (context.site === 'whatsapp') return chatAudience(context.chat);
  return mailAudience(context, new Set(self.map(normalizeEmail)));
}

/** The cache and query key of a lookup. */
export function memberKey(member: Member): string {
  return `${member.kind}:${member.value}`;
}

/** True when two members are the same contact point (a mobile with or without its 9th digit). */
export function sameMember(a: Member, b: Member): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'email') return normalizeEmail(a.value) === normalizeEmail(b.value);
  const keys = new Set(phoneMatchKeys(a.value));
  return phoneMatchKeys(b.value).some((k) => keys.has(k));
}

/** Why only the privacy-safe mode is allowed. */
export type PrivacyReason =
  /** A hidden-id chat linked by hand: a claim nobody confirmed. */
  | 'claimed'
  /** Some messages or recipients could not be read: someone unknown may receive the text. */
  | 'incomplete'
  /** The address or number the debtor was found by is not verified as theirs. */
  | 'unverified'
  /** Someone else (Cc, another participant) receives the text. */
  | 'third-parties';

export type PrivacyVerdict =
  | { mode: 'full' }
  | {
      mode: 'privacy-safe';
      reason: PrivacyReason;
      /** Members that are not verified contact points of the debtor, primary first. */
      others: Member[];
      unreadable: number;
    };

/**
 * May amounts be shown to this audience about this debtor? `verified(member)` says whether the
 * member is a verified contact point of the debtor (the server's lookup answers it per member);
 * `confirmed` whether staff confirmed a hidden-id chat's identity (the server's record).
 */
export function privacyVerdict(
  audience: PeopleAudience | Extract<ConversationAudience, { kind: 'hidden' }>,
  facts: { verified: (member: Member) => boolean; confirmed?: boolean },
): PrivacyVerdict {
  if (audience.kind === 'hidden')
    return facts.confirmed === true
      ? { mode: 'full' }
      : { mode: 'privacy-safe', reason: 'claimed', others: [], unreadable: 0 };
  const others = audience.members.filter((m) => !facts.verified(m));
  if (audience.unreadable > 0)
    return { mode: 'privacy-safe', reason: 'incomplete', others, unreadable: audience.unreadable };
  if (others.some((m) => sameMember(m, audience.primary)))
    return { mode: 'privacy-safe', reason: 'unverified', others, unreadable: 0 };
  if (others.length > 0)
    return { mode: 'privacy-safe', reason: 'third-parties', others, unreadable: 0 };
  return { mode: 'full' };
}

export { conversationKey } from './conversation-key';
