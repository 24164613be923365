/**
 * `/api/extension`: what only the Chrome extension needs. Today: confirmed identities of
 * WhatsApp chats on a hidden id (@lid), which show no phone number. A staff member who linked
 * such a chat to a debtor by hand confirms, one tap, that the person identified themselves;
 * only then does the extension show amounts there. Confirming and undoing are audited
 * (`chat_identity.confirm`, `chat_identity.revoke`, entity `debtor`); reading one is audited like
 * any other debtor lookup (`debtor.lookup` by chat).
 */
import { Hono } from 'hono';
import {
  ChatIdentityQuerySchema,
  NewChatIdentitySchema,
  type ChatIdentityResponse,
} from '#shared/extension/chat-identity.schema';
import type { Deps } from '../app';
import { audit } from '../db/audit';
import {
  chatIdentityById,
  chatKeyHash,
  insertChatIdentity,
  liveChatIdentity,
  revokeChatIdentity,
} from '../auth/chat-identities.repo';
import { assertDebtorAccess, canAccessDebtor } from '../http/access';
import { requireRole, type AppEnv } from '../http/auth';
import { jsonBody, uuidParam } from '../http/validate';
import { conflict, notFound, queryParams, uniqueViolation } from '../ledger/http';

// The extension is the office's tool: collectors work in the PWA and hold no personal tokens.
const OFFICE = ['owner', 'staff'] as const;

/** `/api/extension`. */
export function extensionRoutes({ db, now }: Deps) {
  return new Hono<AppEnv>()
    .get(
      '/chat-identities',
      requireRole(...OFFICE),
      queryParams(ChatIdentityQuerySchema),
      async (c) => {
        const { chat } = c.req.valid('query');
        const user = c.get('user');
        const found = await liveChatIdentity(db, chat);
        const identity = found && (await canAccessDebtor(db, user, found.debtorId)) ? found : null;
        await db.transaction((tx) =>
          audit(tx, {
            actor: user.id,
            ip: c.get('ip'),
            action: 'debtor.lookup',
            entity: 'debtor',
            entityId: identity?.debtorId ?? null,
            detail: { by: 'chat', chatKeyHash: chatKeyHash(chat) },
          }),
        );
        const body: ChatIdentityResponse = { identity };
        return c.json(body);
      },
    )
    .post(
      '/chat-identities',
      requireRole(...OFFICE),
      jsonBody(NewChatIdentitySchema),
      async (c) => {
        const { chat, debtorId } = c.req.valid('json');
        const user = c.get('user');
        await assertDebtorAccess(db, user, debtorId);
        const existing = await liveChatIdentity(db, chat);
        if (existing?.debtorId === debtorId) return c.json(existing, 200);
        if (existing)
          throw conflict(
            'chat-identity-taken',
            `esta conversa já foi confirmada como de ${existing.debtorName}; desfaça essa confirmação antes`,
            { identityId: existing.id },
          );
        try {
          const id = await db.transaction(async (tx) => {
            const created = await insertChatIdentity(tx, {
              chat,
              debtorId,
              userId: user.id,
              now: now(),
            });
            await audit(tx, {
              actor: user.id,
              ip: c.get('ip'),
              action: 'chat_identity.confirm',
              entity: 'debtor',
              entityId: debtorId,
              detail: { identityId: created, chatKeyHash: chatKeyHash(chat) },
            });
            return created;
          });
          const identity = await chatIdentityById(db, id);
          if (!identity) throw notFound('confirmação');
          const { revoked: _revoked, ...body } = identity;
          return c.json(body, 201);
        } catch (error) {
          // Two confirmations racing for one chat: the loser is told who won.
          if (uniqueViolation(error) === null) throw error;
          throw conflict(
            'chat-identity-taken',
            'esta conversa acabou de ser confirmada por outra pessoa',
          );
        }
      },
    )
    .delete('/chat-identities/:id', requireRole(...OFFICE), async (c) => {
      const id = uuidParam(c, 'id');
      const user = c.get('user');
      const found = await chatIdentityById(db, id);
      if (!found || found.revoked || !(await canAccessDebtor(db, user, found.debtorId)))
        throw notFound('confirmação');
      const done = await db.transaction(async (tx) => {
        const revoked = await revokeChatIdentity(tx, { id, userId: user.id, now: now() });
        if (revoked)
          await audit(tx, {
            actor: user.id,
            ip: c.get('ip'),
            action: 'chat_identity.revoke',
            entity: 'debtor',
            entityId: found.debtorId,
            detail: { identityId: id },
          });
        return revoked;
      });
      if (!done) throw notFound('confirmação');
      return c.body(null, 204);
    });
}
