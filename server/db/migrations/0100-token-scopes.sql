-- What a bearer token may do. 'full': a login session, everything the user's role allows.
-- 'extension': a personal API token held by the Chrome extension, limited to what the extension
-- does (lookup, queue, templates, contacts, chat identity confirmation, its own sign-out); the
-- route allowlist lives in server/auth/token-scope.ts. Existing personal tokens were all minted for
-- the extension, so they become 'extension' tokens: none keeps the power to manage users.
ALTER TABLE auth_tokens ADD COLUMN scope text;
UPDATE auth_tokens SET scope = CASE WHEN kind = 'api' THEN 'extension' ELSE 'full' END;
ALTER TABLE auth_tokens ALTER COLUMN scope SET NOT NULL;
ALTER TABLE auth_tokens ADD CONSTRAINT auth_tokens_scope_check CHECK (scope IN ('full', 'extension'));
-- A session is always full; a personal token is never full.
ALTER TABLE auth_tokens ADD CONSTRAINT auth_tokens_kind_scope_check
  CHECK ((kind = 'session') = (scope = 'full'));
