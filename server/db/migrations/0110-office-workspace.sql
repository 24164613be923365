-- The office workspace (issue 13 §1–3): known contact points, merged duplicates, accent-free
-- search, one-time password-reset links and revocable devices.

-- Contact points carry a verification state (shared/identity/contact-verification.ts):
-- unverified, verified (confirmed in person, by a reply, on the debtor's page, or by the office)
-- or wrong (someone else's number). `verified` stays for the readers that predate the state
-- (extension lookup, sync feed, cadence queue): a trigger keeps it equal to state = 'verified',
-- whichever of the two a writer sets, and the CHECK proves they never drift apart.
ALTER TABLE contact_points
  ADD COLUMN verification text NOT NULL DEFAULT 'unverified'
    CHECK (verification IN ('unverified', 'verified', 'wrong')),
  ADD COLUMN verification_source text
    CHECK (verification_source IN ('in_person', 'replied', 'debtor_page', 'office')),
  ADD COLUMN verification_at timestamptz,
  ADD COLUMN verification_by uuid REFERENCES users (id);
UPDATE contact_points SET verification = 'verified' WHERE verified;

CREATE FUNCTION quita_contact_verification_in_step() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.verification <> 'unverified' THEN
      NEW.verified := NEW.verification = 'verified';
    ELSIF NEW.verified THEN
      NEW.verification := 'verified';
    END IF;
  ELSIF NEW.verification IS DISTINCT FROM OLD.verification THEN
    NEW.verified := NEW.verification = 'verified';
  ELSIF NEW.verified IS DISTINCT FROM OLD.verified THEN
    NEW.verification := CASE WHEN NEW.verified THEN 'verified' ELSE 'unverified' END;
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER contact_points_verification_in_step BEFORE INSERT OR UPDATE ON contact_points
  FOR EACH ROW EXECUTE FUNCTION quita_contact_verification_in_step();
ALTER TABLE contact_points ADD CONSTRAINT contact_points_verified_in_step
  CHECK (verified = (verification = 'verified'));

-- A duplicate merged into another debtor stays as a tombstone (no facts, no document, no contact
-- points) so old links and the phones that held it resolve; every list leaves it out.
ALTER TABLE debtors
  ADD COLUMN merged_into uuid REFERENCES debtors (id),
  ADD COLUMN merged_at timestamptz,
  ADD CONSTRAINT debtors_merged_consistent CHECK ((merged_into IS NULL) = (merged_at IS NULL));

-- Accent- and case-free text for search: quita_fold('Conceição') = 'conceicao'. The same table
-- as shared/identity/search-fold.ts (a test compares them). Plain translate + lower: IMMUTABLE,
-- so it can be indexed, and the same on PostgreSQL and PGlite without extensions.
CREATE FUNCTION quita_fold(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT lower(translate($1,
    'ÁÀÂÃÄÅáàâãäåÉÈÊËéèêëÍÌÎÏíìîïÓÒÔÕÖóòôõöÚÙÛÜúùûüÇçÑñÝýÿ',
    'aaaaaaaaaaaaeeeeeeeeiiiiiiiioooooooooouuuuuuuuccnnyyy'))
$$;
-- The debtor search pages by (folded name, id).
CREATE INDEX debtors_fold_name_id_idx ON debtors (quita_fold(name), id) WHERE merged_into IS NULL;

-- One-time password-reset links an owner hands to a person: only the SHA-256 of the secret is
-- stored; a link works once, until it expires, and a newer link for the same user retires it.
CREATE TABLE password_resets (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  token_hash text NOT NULL,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  retired_at timestamptz
);
CREATE UNIQUE INDEX password_resets_hash_key ON password_resets (token_hash);
CREATE INDEX password_resets_user_idx ON password_resets (user_id) WHERE used_at IS NULL;

-- A device is tied to the session that last synced from it, so the owner can cut one phone off
-- (lost, stolen, left the company): revoking the device revokes that session.
ALTER TABLE sync_devices
  ADD COLUMN token_id uuid REFERENCES auth_tokens (id),
  ADD COLUMN revoked_at timestamptz,
  ADD COLUMN revoked_by uuid REFERENCES users (id);
