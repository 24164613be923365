/**
 * Confirmed identities of WhatsApp chats on a hidden id (@lid). Such a chat shows no phone
 * number, so nothing on the page says who is on the other end: a staff member's hand link is a
 * claim, and amounts may appear only after they confirm the person's identity explicitly (one
 * tap, audited on the server, organisation-wide). The chat travels as its key
 * "whatsapp:<digits>@lid"; the server keeps only its SHA-256.
 */
import * as v from 'valibot';
import { IdSchema } from '../domain/id';

/** The key of a hidden-id WhatsApp chat. */
export const ChatKeySchema = v.pipe(
  v.string('informe a conversa'),
  v.trim(),
  v.regex(/^whatsapp:\d{5,25}@lid$/, 'conversa inválida: use whatsapp:<número>@lid'),
);

/** The key of the hidden-id chat with JID `jid` ("204283749201837@lid"). */
export function chatKeyOf(jid: string): string {
  return `whatsapp:${jid}`;
}

/** `GET /api/extension/chat-identities?chat=…`. */
export const ChatIdentityQuerySchema = v.object({ chat: ChatKeySchema });

/** `POST /api/extension/chat-identities`: "I confirm this chat is with this debtor". */
export const NewChatIdentitySchema = v.object({ chat: ChatKeySchema, debtorId: IdSchema });
export type NewChatIdentity = v.InferOutput<typeof NewChatIdentitySchema>;

/** A live confirmation: who the chat is with, who confirmed it and when. */
export const ChatIdentitySchema = v.object({
  id: IdSchema,
  debtorId: IdSchema,
  debtorName: v.string(),
  confirmedAt: v.pipe(v.string(), v.isoTimestamp()),
  confirmedBy: v.object({ id: IdSchema, name: v.string() }),
});
export type ChatIdentity = v.InferOutput<typeof ChatIdentitySchema>;

export const ChatIdentityResponseSchema = v.object({ identity: v.nullable(ChatIdentitySchema) });
export type ChatIdentityResponse = v.InferOutput<typeof ChatIdentityResponseSchema>;
