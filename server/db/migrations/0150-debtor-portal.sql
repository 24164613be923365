-- The debtor's own page (issue 12 §1): links sent in messages, the identity check's attempts,
-- the short sessions it opens, and the page's requests for a new due date.

-- One row per link. The token the debtor holds is 128 random bits (`nonce`) plus a MAC keyed by
-- the server's portal secret, which never enters the database (server/portal/portal-token.ts):
-- only the nonce and the SHA-256 of the whole token are stored, so a database copy alone cannot
-- produce a working link, while the server can re-render the same link in every message.
-- `key_id` names the secret that derived it: after a secret change a new link is minted (old ones
-- keep working until they expire, since checking a token needs only its hash).
CREATE TABLE portal_links (
  id uuid PRIMARY KEY,
  debtor_id uuid NOT NULL REFERENCES debtors (id),
  nonce text NOT NULL CHECK (nonce ~ '^[A-Za-z0-9_-]{22}$'),
  token_hash text NOT NULL CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  key_id text NOT NULL,
  created_at timestamptz NOT NULL,
  -- Null when minted for a message (cadence queue, phone feed); else who asked for it.
  created_by uuid REFERENCES users (id),
  expires_at timestamptz NOT NULL CHECK (expires_at > created_at),
  revoked_at timestamptz,
  revoked_by uuid REFERENCES users (id),
  revoke_reason text CHECK (revoke_reason IN ('office', 'locked')),
  -- The first successful identity check and the last page view (shown to the office).
  verified_at timestamptz,
  last_seen_at timestamptz,
  CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL))
);
CREATE UNIQUE INDEX portal_links_token_key ON portal_links (token_hash);
CREATE INDEX portal_links_current_idx ON portal_links (debtor_id, expires_at DESC)
  WHERE revoked_at IS NULL;

-- Failed tokens and identity answers, per client address and per link, for the rate limits (in
-- the database so they hold across server processes). Successful checks are kept too: they end
-- a link's run of failures. Rows older than a day are deleted by the writer.
CREATE TABLE portal_attempts (
  id bigserial PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('bad_token', 'identity_failed', 'identity_ok')),
  link_id uuid REFERENCES portal_links (id),
  ip text NOT NULL,
  at timestamptz NOT NULL,
  CHECK ((kind = 'bad_token') = (link_id IS NULL))
);
CREATE INDEX portal_attempts_ip_idx ON portal_attempts (ip, kind, at);
CREATE INDEX portal_attempts_link_idx ON portal_attempts (link_id, kind, at);
CREATE INDEX portal_attempts_at_idx ON portal_attempts (at);

-- A session opened by a passed identity check: an HttpOnly cookie scoped to the link's path.
-- Only the SHA-256 of the cookie is stored; `csrf` is the form token its pages carry.
CREATE TABLE portal_sessions (
  token_hash text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  link_id uuid NOT NULL REFERENCES portal_links (id),
  debtor_id uuid NOT NULL REFERENCES debtors (id),
  csrf text NOT NULL,
  ip text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL CHECK (expires_at > created_at),
  ended_at timestamptz
);
CREATE INDEX portal_sessions_link_idx ON portal_sessions (link_id);
CREATE INDEX portal_sessions_expiry_idx ON portal_sessions (expires_at);

-- Facts the debtor made on the page carry the link they came through (the office and the
-- timeline show "pelo próprio cliente, na página"); null for facts made by a user or a phone.
ALTER TABLE promises ADD COLUMN portal_link_id uuid REFERENCES portal_links (id);
ALTER TABLE agreements ADD COLUMN portal_link_id uuid REFERENCES portal_links (id);
ALTER TABLE disputes ADD COLUMN portal_link_id uuid REFERENCES portal_links (id);

-- "Posso pagar em outra data?" beyond what a promise allows: a request a person answers.
CREATE TABLE due_date_requests (
  id uuid PRIMARY KEY,
  debtor_id uuid NOT NULL REFERENCES debtors (id),
  debt_id uuid REFERENCES debts (id),
  requested_on date NOT NULL,
  reason text CHECK (char_length(reason) <= 500),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'granted', 'refused')),
  portal_link_id uuid REFERENCES portal_links (id),
  decided_by uuid REFERENCES users (id),
  decided_at timestamptz,
  decision_note text CHECK (char_length(decision_note) <= 500),
  created_at timestamptz NOT NULL,
  CHECK ((status = 'open') = (decided_at IS NULL))
);
CREATE INDEX due_date_requests_debtor_idx ON due_date_requests (debtor_id);
CREATE INDEX due_date_requests_open_idx ON due_date_requests (created_at) WHERE status = 'open';
