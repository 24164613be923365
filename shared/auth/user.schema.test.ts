import { describe, expect, test } from 'vitest';
import * as v from 'valibot';
import { LoginRequestSchema, NewApiTokenSchema } from './auth.schema';
import { NewUserSchema, UserPatchSchema } from './user.schema';

const valid = { email: 'ana@example.com', name: 'Ana', role: 'staff', password: '0123456789' };

describe('NewUserSchema', () => {
  test('normalises the email and the name', () => {
    expect(
      v.parse(NewUserSchema, { ...valid, email: '  Ana@Example.COM ', name: '  Ana  ' }),
    ).toEqual({
      ...valid,
      email: 'ana@example.com',
      name: 'Ana',
    });
  });

  test.each([
    { patch: { email: 'ana@' }, path: 'email' },
    { patch: { name: '   ' }, path: 'name' },
    { patch: { role: 'admin' }, path: 'role' },
    { patch: { password: '012345678' }, path: 'password' },
    { patch: { password: 'x'.repeat(257) }, path: 'password' },
  ])('rejects $patch at $path', ({ patch, path }) => {
    const result = v.safeParse(NewUserSchema, { ...valid, ...patch });
    expect(result.success).toBe(false);
    expect(result.issues?.map((issue) => v.getDotPath(issue))).toEqual([path]);
  });

  test('accepts a 10-character password (the minimum)', () => {
    expect(v.safeParse(NewUserSchema, valid).success).toBe(true);
  });
});

describe('UserPatchSchema', () => {
  test.each([
    { patch: { active: false }, ok: true },
    { patch: { name: 'B', role: 'owner' }, ok: true },
    { patch: {}, ok: false },
    { patch: { email: 'x@example.com' }, ok: false },
    { patch: { active: 'false' }, ok: false },
  ])('$patch → $ok', ({ patch, ok }) => {
    expect(v.safeParse(UserPatchSchema, patch).success).toBe(ok);
  });
});

describe('LoginRequestSchema', () => {
  test('accepts an old short password (only new passwords have a minimum length)', () => {
    expect(v.safeParse(LoginRequestSchema, { email: 'A@B.CO', password: 'abc' }).output).toEqual({
      email: 'a@b.co',
      password: 'abc',
    });
  });
});

describe('NewApiTokenSchema', () => {
  test.each([
    { input: { name: 'Gmail' }, ok: true },
    { input: { name: 'Gmail', expiresInDays: 365 }, ok: true },
    { input: { name: 'Gmail', expiresInDays: 0 }, ok: false },
    { input: { name: 'Gmail', expiresInDays: 366 }, ok: false },
    { input: { name: ' ' }, ok: false },
  ])('$input → $ok', ({ input, ok }) => {
    expect(v.safeParse(NewApiTokenSchema, input).success).toBe(ok);
  });
});
