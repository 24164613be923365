/**
 * Confirmed identities of hidden-id WhatsApp chats (migration 0101). Only the SHA-256 of the
 * chat key is stored; a chat has at most one live confirmation (partial unique index).
 */
import { createHash } from 'node:crypto';
import { uuidv7 } from 'uuidv7';
import type { ChatIdentity } from '#shared/extension/chat-identity.schema';
import type { Queryable, Tx } from '../db/db';

/** The stored form of a chat key. */
export function chatKeyHash(chat: string): string {
  return createHash('sha256').update(chat).digest('hex');
}

interface Row {
  id: string;
  debtor_id: string;
  debtor_name: string;
  confirmed_at: Date;
  confirmed_by: string;
  confirmed_by_name: string;
  revoked_at: Date | null;
}

function toIdentity(r: Row): ChatIdentity {
  return {
    id: r.id,
    debtorId: r.debtor_id,
    debtorName: r.debtor_name,
    confirmedAt: r.confirmed_at.toISOString(),
    confirmedBy: { id: r.confirmed_by, name: r.confirmed_by_name },
  };
}

const SELECT = `SELECT ci.id, ci.revoked_at, ci.debtor_id, d.name AS debtor_name, ci.confirmed_at, ci.confirmed_by,
                       u.name AS confirmed_by_name
                  FROM chat_identities ci
                  JOIN debtors d ON d.id = ci.debtor_id
                  JOIN users u ON u.id = ci.confirmed_by`;

/** The live confirmation of `chat`, if any. */
export async function liveChatIdentity(q: Queryable, chat: string): Promise<ChatIdentity | null> {
  const [row] = await q.query<Row>(
    `${SELECT} WHERE ci.chat_key_hash = $1 AND ci.revoked_at IS NULL`,
    [chatKeyHash(chat)],
  );
  return row ? toIdentity(row) : null;
}

/** The confirmation `id` (live or not), if it exists. */
export async function chatIdentityById(
  q: Queryable,
  id: string,
): Promise<(ChatIdentity & { revoked: boolean }) | null> {
  const [row] = await q.query<Row>(`${SELECT} WHERE ci.id = $1`, [id]);
  return row ? { ...toIdentity(row), revoked: row.revoked_at !== null } : null;
}

/** Records a confirmation; the caller has checked that no live one exists. */
export async function insertChatIdentity(
  tx: Tx,
  input: { chat: string; debtorId: string; userId: string; now: Date },
): Promise<string> {
  const id = uuidv7();
  await tx.query(
    `INSERT INTO chat_identities (id, chat_key_hash, debtor_id, confirmed_by, confirmed_at)
     VALUES ($1, $2, $3, $4, $5)`,
    [id, chatKeyHash(input.chat), input.debtorId, input.userId, input.now],
  );
  return id;
}

/** Revokes a live confirmation; false when it was not live. */
export async function revokeChatIdentity(
  tx: Tx,
  input: { id: string; userId: string; now: Date },
): Promise<boolean> {
  const rows = await tx.query(
    `UPDATE chat_identities SET revoked_at = $3, revoked_by = $2
      WHERE id = $1 AND revoked_at IS NULL RETURNING id`,
    [input.id, input.userId, input.now],
  );
  return rows.length > 0;
}
