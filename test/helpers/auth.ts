/**
 * Test users and tokens written straight to the database, so route tests don't pay for a login
 * (scrypt) per request. The password of every seeded user is TEST_PASSWORD.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../../server/db/db';
import type { Role } from '#shared/auth/user.schema';
import { hashPassword } from '../../server/auth/password';
import { issueToken } from '../../server/auth/tokens.repo';
import { insertUser, type UserRow } from '../../server/auth/users.repo';

export const TEST_PASSWORD = 'correct horse battery staple';
// Cheap scrypt parameters for seeded users: the hash carries its parameters, so verification is
// the real code path, only ~100× faster than DEFAULT_SCRYPT.
const TEST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };
let testHash: Promise<string> | undefined;

/** A user of `role` with a live session token; `headers` authorise requests as them. */
export interface SeededUser {
  user: UserRow;
  token: string;
  headers: Record<string, string>;
}

/** Creates a user (random email unless given) and a session for them. */
export async function seedUser(
  db: Db,
  role: Role,
  options: { email?: string; name?: string; now?: Date } = {},
): Promise<SeededUser> {
  testHash ??= hashPassword(TEST_PASSWORD, TEST_SCRYPT);
  const passwordHash = await testHash;
  const email = options.email ?? `${role}-${randomBytes(4).toString('hex')}@example.com`;
  return db.transaction(async (tx) => {
    const user = await insertUser(tx, {
      email,
      name: options.name ?? `Test ${role}`,
      role,
      passwordHash,
    });
    const { token } = await issueToken(tx, {
      userId: user.id,
      kind: 'session',
      now: options.now ?? new Date(),
    });
    return { user, token, headers: { authorization: `Bearer ${token}` } };
  });
}

/** A clock tests can move: pass `clock.now` as the app's `now`. */
export function testClock(start: string | Date = '2025-03-10T12:00:00Z') {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    advance(ms: number) {
      current += ms;
    },
  };
}

/** Headers for a JSON request, optionally authorised. */
export function jsonHeaders(auth: Record<string, string> = {}): Record<string, string> {
  return { 'content-type': 'application/json', ...auth };
}
