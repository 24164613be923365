-- WhatsApp chats on a hidden identity (@lid: no phone number can be read) whose person a staff
-- member confirmed explicitly, one tap in the extension, after the person identified themselves.
-- A hand link alone is a claim; only a live row here lets the extension show amounts in such a
-- chat. The chat is stored as the SHA-256 of its key ("whatsapp:<jid>"), never the JID itself.
-- Confirmations are organisation-wide (the office shares one WhatsApp number), audited on
-- confirm and revoke (audit_log actions chat_identity.confirm / chat_identity.revoke).
CREATE TABLE chat_identities (
  id uuid PRIMARY KEY,
  chat_key_hash text NOT NULL CHECK (chat_key_hash ~ '^[0-9a-f]{64}$'),
  debtor_id uuid NOT NULL REFERENCES debtors (id) ON DELETE CASCADE,
  confirmed_by uuid NOT NULL REFERENCES users (id),
  confirmed_at timestamptz NOT NULL,
  revoked_by uuid REFERENCES users (id),
  revoked_at timestamptz,
  CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
-- At most one live confirmation per chat.
CREATE UNIQUE INDEX chat_identities_live_key ON chat_identities (chat_key_hash)
  WHERE revoked_at IS NULL;
CREATE INDEX chat_identities_debtor_idx ON chat_identities (debtor_id);
