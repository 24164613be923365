/**
 * First start on an empty database: the owner comes from QUITA_OWNER_EMAIL/QUITA_OWNER_PASSWORD,
 * or a one-time setup token is stored (hashed, valid 24 h) and printed as a link; `POST /api/setup`
 * spends it. Every start while no user exists prints a fresh link; older ones stay valid until
 * they expire or the setup succeeds, so two processes starting together both print a working link.
 */
import * as v from 'valibot';
import type { Db, Tx } from '../db/db';
import { audit } from '../db/audit';
import { NewUserSchema } from '#shared/auth/user.schema';
import { nameFromEmail } from '#shared/onboarding/owner-name';
import { confirmName } from '../onboarding/onboarding.repo';
import { hashPassword } from './password';
import { generateToken, hashToken } from './tokens';
import { countUsers, insertUser, type UserRow } from './users.repo';

export const SETUP_TOKEN_TTL_MS = 24 * 3_600_000;

/** What the start-up did about the first owner. */
export type BootstrapResult =
  | { kind: 'ready' }
  | { kind: 'owner-created'; email: string }
  | { kind: 'setup'; token: string };

/** Ensures an owner exists or a setup token is waiting; throws a one-line error on bad env values. */
export async function bootstrapOwner(
  db: Db,
  owner: { email?: string | undefined; password?: string | undefined; name?: string | undefined },
  now: Date,
): Promise<BootstrapResult> {
  if ((await countUsers(db)) > 0) return { kind: 'ready' };
  if (owner.email || owner.password) {
    const named = owner.name !== undefined && owner.name.trim() !== '';
    const parsed = v.safeParse(NewUserSchema, {
      email: owner.email ?? '',
      // Without QUITA_OWNER_NAME, a guess from the address; the first-run guide asks to confirm.
      name: named ? owner.name : nameFromEmail(owner.email ?? '', 'Proprietário'),
      role: 'owner',
      password: owner.password ?? '',
    });
    if (!parsed.success) {
      const issue = parsed.issues[0];
      const field =
        v.getDotPath(issue) === 'password' ? 'QUITA_OWNER_PASSWORD' : 'QUITA_OWNER_EMAIL';
      throw new Error(`${field}: ${issue.message}`);
    }
    const passwordHash = await hashPassword(parsed.output.password);
    const created = await db.transaction(async (tx) => {
      if (!(await lockEmptyUsers(tx))) return false;
      const user = await insertUser(tx, { ...parsed.output, passwordHash });
      if (named) await confirmName(tx, { by: user.id, now });
      await audit(tx, {
        actor: null,
        action: 'user.bootstrap',
        entity: 'user',
        entityId: user.id,
        detail: { email: user.email, role: user.role, source: 'env', named },
      });
      return true;
    });
    return created ? { kind: 'owner-created', email: parsed.output.email } : { kind: 'ready' };
  }
  const { token, hash } = generateToken('setup');
  await db.query(
    'INSERT INTO setup_tokens (token_hash, created_at, expires_at) VALUES ($1, $2, $3)',
    [hash, now, new Date(now.getTime() + SETUP_TOKEN_TTL_MS)],
  );
  return { kind: 'setup', token };
}

/**
 * Locks the organisation row (serialising concurrent bootstraps and setups) and tells whether
 * the users table is still empty.
 */
async function lockEmptyUsers(tx: Tx): Promise<boolean> {
  await tx.query('SELECT id FROM organisation WHERE id = 1 FOR UPDATE');
  return (await countUsers(tx)) === 0;
}

/** Result of spending a setup token. */
export type SetupOutcome =
  | { kind: 'created'; user: UserRow }
  | { kind: 'already-done' }
  | { kind: 'invalid-token' };

/** Creates the first owner if `token` is a live setup token and no user exists yet. */
export async function completeSetup(
  tx: Tx,
  input: {
    token: string;
    email: string;
    name: string;
    passwordHash: string;
    now: Date;
    ip: string;
  },
): Promise<SetupOutcome> {
  if (!(await lockEmptyUsers(tx))) return { kind: 'already-done' };
  const live = await tx.query(
    'SELECT 1 FROM setup_tokens WHERE token_hash = $1 AND expires_at > $2',
    [hashToken(input.token), input.now],
  );
  if (live.length === 0) return { kind: 'invalid-token' };
  const user = await insertUser(tx, {
    email: input.email,
    name: input.name,
    role: 'owner',
    passwordHash: input.passwordHash,
  });
  await tx.query('DELETE FROM setup_tokens');
  // The person typed their name on the setup page: the guide need not ask for it.
  await confirmName(tx, { by: user.id, now: input.now });
  await audit(tx, {
    actor: user.id,
    ip: input.ip,
    action: 'user.bootstrap',
    entity: 'user',
    entityId: user.id,
    detail: { email: user.email, role: user.role, source: 'setup-link' },
  });
  return { kind: 'created', user };
}
