/**
 * Token scopes: what a bearer token may do on top of its user's role. A login session is `full`.
 * A personal API token is `extension`: the Chrome extension holds it in the browser, so it can do
 * only what the extension does — look debtors up (lookup, search, detail), get the debtor's
 * page link for a message, read today's queue,
 * the creditor's data and the templates, log a contact, confirm or undo a chat's identity, and
 * sign itself out. Everything else, now and any route added later, answers 403 `token-scope`
 * (deny by default), so a leaked extension token cannot manage users, settings or money.
 */
import type { TokenScope } from '#shared/auth/auth.schema';

/** "METHOD /api/path" patterns (Hono syntax) an `extension` token may call. */
export const EXTENSION_TOKEN_ROUTES = [
  'GET /api/auth/me',
  'POST /api/auth/logout',
  'GET /api/debtors/lookup',
  'GET /api/debtors',
  'GET /api/debtors/:id',
  // The debtor's page link its templates carry as {{payment_link}} (server/portal).
  'POST /api/debtors/:id/portal-links',
  'GET /api/cadence/today',
  'GET /api/settings/organisation',
  'GET /api/settings/templates',
  'POST /api/contacts',
  'GET /api/extension/chat-identities',
  'POST /api/extension/chat-identities',
  'DELETE /api/extension/chat-identities/:id',
] as const;

const ROUTES_BY_SCOPE: Record<Exclude<TokenScope, 'full'>, readonly string[]> = {
  extension: EXTENSION_TOKEN_ROUTES,
};

function compile(pattern: string): { method: string; path: RegExp } {
  const [method = '', path = ''] = pattern.split(' ');
  const source = path
    .split('/')
    .map((part) =>
      // Every id in the API is a UUID: a named segment such as `/api/debtors/duplicates` must
      // never be read as `:id` and admitted by a pattern meant for one debtor.
      part.startsWith(':')
        ? '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}'
        : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return { method, path: new RegExp(`^${source}/?$`) };
}

const COMPILED = Object.fromEntries(
  Object.entries(ROUTES_BY_SCOPE).map(([scope, routes]) => [scope, routes.map(compile)]),
) as Record<Exclude<TokenScope, 'full'>, { method: string; path: RegExp }[]>;

/** True when a token of `scope` may call `method path` (HEAD counts as GET). */
export function scopeAllows(scope: TokenScope, method: string, path: string): boolean {
  if (scope === 'full') return true;
  const m = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  return COMPILED[scope].some((r) => r.method === m && r.path.test(path));
}
