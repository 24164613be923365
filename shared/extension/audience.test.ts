import { describe, expect, test } from 'vitest';
import {
  audienceOf,
  conversationKey,
  privacyVerdict,
  sameMember,
  type ConversationAudience,
  type Member,
} from './audience';
import type { ConversationContext, MailContext } from './content-messages';

const DEBTOR = 'maria.silva@example.com.br';
const THIRD = 'contador@escritorio.example.com.br';
const SELF = 'cobranca@padaria.example.com.br';

function mail(over: Partial<MailContext> = {}, site: 'gmail' | 'outlook' = 'gmail'): MailContext {
  return {
    site,
    threadId: 't1',
    participants: [],
    unreadable: 0,
    compose: null,
    ...over,
  } as MailContext;
}

const email = (value: string): Member => ({ kind: 'email', value });
const phone = (value: string): Member => ({ kind: 'phone', value });

describe('audienceOf', () => {
  test.each<[string, ConversationContext, ConversationAudience]>([
    ['nothing open', mail({ threadId: null }), { kind: 'none' }],
    [
      'a thread with the debtor alone',
      mail({ participants: [DEBTOR] }),
      {
        kind: 'people',
        channel: 'email',
        primary: email(DEBTOR),
        members: [email(DEBTOR)],
        unreadable: 0,
      },
    ],
    [
      // The leak: the reply box addresses only the debtor, an earlier message had a Cc.
      'reply to the debtor in a thread whose earlier message had a third party in Cc',
      mail({
        participants: [DEBTOR, THIRD],
        compose: { kind: 'reply', to: [DEBTOR], cc: [], bcc: [], unreadable: 0 },
      }),
      {
        kind: 'people',
        channel: 'email',
        primary: email(DEBTOR),
        members: [email(DEBTOR), email(THIRD)],
        unreadable: 0,
      },
    ],
    [
      'a collapsed message that shows only its sender makes the audience incomplete',
      mail({ participants: [DEBTOR], unreadable: 1 }, 'outlook'),
      {
        kind: 'people',
        channel: 'email',
        primary: email(DEBTOR),
        members: [email(DEBTOR)],
        unreadable: 1,
      },
    ],
    [
      'a Bcc and a recipient without an address count, self never does',
      mail({
        participants: [DEBTOR, SELF],
        compose: { kind: 'reply', to: [DEBTOR, SELF], cc: [], bcc: [THIRD], unreadable: 1 },
      }),
      {
        kind: 'people',
        channel: 'email',
        primary: email(DEBTOR),
        members: [email(DEBTOR), email(THIRD)],
        unreadable: 1,
      },
    ],
    [
      'a new compose over the inbox: its chips only, To first',
      mail({
        threadId: null,
        compose: { kind: 'new', to: [THIRD, DEBTOR], cc: [], bcc: [], unreadable: 0 },
      }),
      {
        kind: 'people',
        channel: 'email',
        primary: email(THIRD),
        members: [email(THIRD), email(DEBTOR)],
        unreadable: 0,
      },
    ],
    [
      'a thread of only the user: open, but nobody to look up',
      mail({ participants: [SELF] }),
      { kind: 'unknown' },
    ],
    [
      'a WhatsApp chat with a number',
      {
        site: 'whatsapp',
        chat: { kind: 'individual', jid: null, phone: '+5511987654321' },
        composer: true,
      },
      {
        kind: 'people',
        channel: 'whatsapp',
        primary: phone('+5511987654321'),
        members: [phone('+5511987654321')],
        unreadable: 0,
      },
    ],
    [
      'a WhatsApp group',
      { site: 'whatsapp', chat: { kind: 'group', jid: '1203@g.us' }, composer: true },
      { kind: 'group' },
    ],
    [
      'a hidden-id chat without a number',
      {
        site: 'whatsapp',
        chat: { kind: 'lid', jid: '2042837@lid', title: 'Carlos' },
        composer: true,
      },
      { kind: 'hidden', chat: 'whatsapp:2042837@lid', jid: '2042837@lid', title: 'Carlos' },
    ],
    [
      'a hidden-id chat whose header shows the number is that number',
      {
        site: 'whatsapp',
        chat: {
          kind: 'lid',
          jid: '2042837@lid',
          title: '+55 21 99876-5432',
          phone: '+5521998765432',
        },
        composer: true,
      },
      {
        kind: 'people',
        channel: 'whatsapp',
        primary: phone('+5521998765432'),
        members: [phone('+5521998765432')],
        unreadable: 0,
      },
    ],
  ])('%s', (_name, context, expected) => {
    expect(audienceOf(context, [SELF])).toEqual(expected);
  });
});

describe('privacyVerdict', () => {
  const people = (members: string[], unreadable = 0) =>
    ({
      kind: 'people',
      channel: 'email',
      primary: email(members[0] ?? ''),
      members: members.map(email),
      unreadable,
    }) as const;
  const verifiedSet = (list: string[]) => (m: Member) => list.includes(m.value);

  test.each([
    ['the debtor alone, verified', [DEBTOR], [DEBTOR], 0, { mode: 'full' }],
    [
      'the debtor, unverified',
      [DEBTOR],
      [],
      0,
      { mode: 'privacy-safe', reason: 'unverified', others: [email(DEBTOR)], unreadable: 0 },
    ],
    [
      'a third party anywhere in the thread',
      [DEBTOR, THIRD],
      [DEBTOR],
      0,
      { mode: 'privacy-safe', reason: 'third-parties', others: [email(THIRD)], unreadable: 0 },
    ],
    [
      'two verified addresses of the same debtor',
      [DEBTOR, 'maria@trabalho.example.com.br'],
      [DEBTOR, 'maria@trabalho.example.com.br'],
      0,
      { mode: 'full' },
    ],
    [
      'everyone verified but a collapsed message unread',
      [DEBTOR],
      [DEBTOR],
      2,
      { mode: 'privacy-safe', reason: 'incomplete', others: [], unreadable: 2 },
    ],
  ] as const)('%s', (_name, members, verified, unreadable, expected) => {
    expect(
      privacyVerdict(people([...members], unreadable), { verified: verifiedSet([...verified]) }),
    ).toEqual(expected);
  });

  test('a hidden-id chat: a hand link is a claim, only a confirmation unlocks amounts', () => {
    const hidden = {
      kind: 'hidden',
      chat: 'whatsapp:1@lid',
      jid: '1@lid',
      title: 'Carlos',
    } as const;
    expect(privacyVerdict(hidden, { verified: () => true })).toEqual({
      mode: 'privacy-safe',
      reason: 'claimed',
      others: [],
      unreadable: 0,
    });
    expect(privacyVerdict(hidden, { verified: () => false, confirmed: true })).toEqual({
      mode: 'full',
    });
  });

  test('phones match with and without the 9th digit', () => {
    expect(sameMember(phone('+551187654321'), phone('+5511987654321'))).toBe(true);
    expect(sameMember(phone('+5511987654321'), phone('+5511987654322'))).toBe(false);
    expect(sameMember(email('A@B.com'), email('a@b.com'))).toBe(true);
  });
});

describe('conversationKey', () => {
  const base = mail({
    participants: [DEBTOR],
    compose: { kind: 'reply', to: [DEBTOR], cc: [], bcc: [], unreadable: 0 },
  });
  test('stays the same for the same conversation, whatever the order of addresses', () => {
    expect(conversationKey({ ...base, participants: [DEBTOR, THIRD] })).toBe(
      conversationKey({ ...base, participants: [THIRD, DEBTOR] }),
    );
  });
  test.each<[string, ConversationContext]>([
    ['another thread', { ...base, threadId: 't2' }],
    [
      'a Cc added to the reply',
      { ...base, compose: { kind: 'reply', to: [DEBTOR], cc: [THIRD], bcc: [], unreadable: 0 } },
    ],
    ['a participant more', { ...base, participants: [DEBTOR, THIRD] }],
    ['a collapsed message expanded', { ...base, unreadable: 1 }],
    ['the same thread on another site', { ...base, site: 'outlook' }],
  ])('changes for %s', (_name, other) => {
    expect(conversationKey(other)).not.toBe(conversationKey(base));
  });
  test('WhatsApp: each chat its own key', () => {
    const keys = [
      { kind: 'individual', jid: '551187654321@c.us', phone: '+5511987654321' },
      { kind: 'individual', jid: '5521998765432@c.us', phone: '+5521998765432' },
      { kind: 'group', jid: '1203@g.us' },
      { kind: 'lid', jid: '2042837@lid', title: 'Carlos' },
      { kind: 'none' },
    ].map((chat) =>
      conversationKey({ site: 'whatsapp', chat, composer: true } as ConversationContext),
    );
    expect(new Set(keys).size).toBe(keys.length);
  });
});
