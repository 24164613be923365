/** SQL ↔ User. Rows are mapped to the shared UserSchema shape (camelCase, ISO timestamps). */
import { uuidv7 } from 'uuidv7';
import type { Queryable, Tx } from '../db/db';
import { insertEntity, updateEntity } from '../db/write';
import type { Role, User } from '#shared/auth/user.schema';

/** A users row as stored. */
export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  active: boolean;
  version: number;
  created_at: Date;
}

/** The API shape of a user row (never the password hash). */
export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    active: row.active,
    createdAt: row.created_at.toISOString(),
  };
}

/** Inserts a user with an already hashed password. Throws on a duplicate email (23505). */
export async function insertUser(
  tx: Tx,
  user: { email: string; name: string; role: Role; passwordHash: string },
): Promise<UserRow> {
  return insertEntity<UserRow>(tx, 'user', {
    id: uuidv7(),
    email: user.email,
    name: user.name,
    role: user.role,
    password_hash: user.passwordHash,
  });
}

/** The user with this (normalised) email, active or not. */
export async function findUserByEmail(db: Queryable, email: string): Promise<UserRow | undefined> {
  const [row] = await db.query<UserRow>('SELECT * FROM users WHERE email = $1', [email]);
  return row;
}

/** The user with this id. */
export async function findUserById(db: Queryable, id: string): Promise<UserRow | undefined> {
  const [row] = await db.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
  return row;
}

/** All users, oldest first. */
export async function listUsers(db: Queryable): Promise<UserRow[]> {
  return db.query<UserRow>('SELECT * FROM users ORDER BY created_at, id');
}

/** Number of users; 0 means the first owner still has to be created. */
export async function countUsers(db: Queryable): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT count(*) AS n FROM users');
  return row?.n ?? 0;
}

/** Active owners other than `exceptId`, locked so two demotions can't both pass the last-owner check. */
export async function countOtherActiveOwners(tx: Tx, exceptId: string): Promise<number> {
  const rows = await tx.query<{ id: string }>(
    `SELECT id FROM users WHERE role = 'owner' AND active AND id <> $1 FOR UPDATE`,
    [exceptId],
  );
  return rows.length;
}

/** Applies a patch of stored columns to a user. */
export async function updateUser(
  tx: Tx,
  id: string,
  patch: { name?: string; role?: Role; active?: boolean; password_hash?: string },
): Promise<UserRow | null> {
  return updateEntity<UserRow>(tx, 'user', id, patch);
}

/** True when `error` is PostgreSQL's unique violation. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}
