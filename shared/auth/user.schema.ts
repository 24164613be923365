/**
 * Users and roles: the messages of user management, parsed by the server, the PWA and the CLI.
 * Emails are compared trimmed and lower-cased; passwords are never part of a response.
 */
import * as v from 'valibot';
import { safeText, visibleText } from '../text/safe-text';

/** The three roles: owners manage everything, staff work the portfolio, collectors work their route. */
export const ROLES = ['owner', 'staff', 'collector'] as const;
export const RoleSchema = v.picklist(ROLES, 'papel inválido: use owner, staff ou collector');
export type Role = v.InferOutput<typeof RoleSchema>;

export const UserIdSchema = v.pipe(v.string(), v.uuid('identificador inválido'));

/** An email address, normalised (trimmed, lower-case) before it is checked. */
export const EmailSchema = v.pipe(
  v.string('informe o e-mail'),
  v.trim(),
  v.toLowerCase(),
  v.maxLength(254, 'e-mail longo demais'),
  v.email('e-mail inválido'),
);

/** A new password: long enough to resist guessing, bounded so hashing stays cheap. */
export const PasswordSchema = v.pipe(
  v.string('informe a senha'),
  v.minLength(10, 'a senha precisa ter pelo menos 10 caracteres'),
  v.maxLength(256, 'a senha pode ter no máximo 256 caracteres'),
);

export const UserNameSchema = v.pipe(
  v.string('informe o nome'),
  safeText('o nome'),
  v.trim(),
  v.minLength(1, 'informe o nome'),
  visibleText('o nome'),
  v.maxLength(120, 'nome longo demais'),
);

/** A user as the API returns it. */
export const UserSchema = v.object({
  id: UserIdSchema,
  email: EmailSchema,
  name: UserNameSchema,
  role: RoleSchema,
  active: v.boolean(),
  createdAt: v.pipe(v.string(), v.isoTimestamp()),
});
export type User = v.InferOutput<typeof UserSchema>;

/** The part of a user other faces show next to a session. */
export const UserSummarySchema = v.pick(UserSchema, ['id', 'name', 'role']);
export type UserSummary = v.InferOutput<typeof UserSummarySchema>;

/** `POST /api/users` and `quita user add`. */
export const NewUserSchema = v.object({
  email: EmailSchema,
  name: UserNameSchema,
  role: RoleSchema,
  password: PasswordSchema,
});
export type NewUser = v.InferOutput<typeof NewUserSchema>;

/** `PATCH /api/users/:id`: any subset of the fields, at least one. */
export const UserPatchSchema = v.pipe(
  v.strictObject(
    {
      name: v.optional(UserNameSchema),
      role: v.optional(RoleSchema),
      active: v.optional(v.boolean('active deve ser true ou false')),
      password: v.optional(PasswordSchema),
    },
    'campo desconhecido: use name, role, active ou password',
  ),
  v.check((patch) => Object.keys(patch).length > 0, 'nada para alterar'),
);
export type UserPatch = v.InferOutput<typeof UserPatchSchema>;

export const UserListSchema = v.array(UserSchema);
