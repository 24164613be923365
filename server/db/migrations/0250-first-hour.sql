-- The first hour: the owner's first-run guide and signing a phone in by QR code.

-- What the guide remembers beyond what the data already says. A step is done when its data is
-- there (creditor identity, PIX key, an active collector, debtors) — except the owner's name,
-- which only a person can confirm. A row here says a step was skipped (the guide moves on and the
-- home screen still lists it as missing) or, for 'name', that it was confirmed.
CREATE TABLE onboarding_steps (
  step text PRIMARY KEY CHECK (step IN ('name', 'creditor', 'pix', 'collector', 'import')),
  state text NOT NULL CHECK (state IN ('done', 'skipped')),
  at timestamptz NOT NULL,
  by_user uuid REFERENCES users (id),
  CHECK (state <> 'done' OR step = 'name')
);

-- An organisation that already has people: its owners were named by a person (the setup link asks
-- for a name, `quita user add` and the People screen too) unless the env owner kept the
-- placeholder name of older versions.
INSERT INTO onboarding_steps (step, state, at)
SELECT 'name', 'done', now()
WHERE EXISTS (SELECT 1 FROM users)
  AND NOT EXISTS (SELECT 1 FROM users WHERE role = 'owner' AND name = 'Proprietário');

-- One-time sign-in codes: the owner shows a QR code per person; the phone that scans it opens the
-- app with the code in the link's fragment and trades it for a session. Short-lived, used once,
-- a newer code retires the older ones, and only the SHA-256 of the secret is stored.
CREATE TABLE sign_in_codes (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  code_hash text NOT NULL,
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL CHECK (expires_at > created_at),
  used_at timestamptz,
  used_token_id uuid REFERENCES auth_tokens (id),
  retired_at timestamptz
);
CREATE UNIQUE INDEX sign_in_codes_hash_key ON sign_in_codes (code_hash);
CREATE INDEX sign_in_codes_user_idx ON sign_in_codes (user_id)
  WHERE used_at IS NULL AND retired_at IS NULL;
