/**
 * Authentication messages: login, the current user, personal API tokens (for the extension) and
 * the one-time setup of the first owner.
 */
import * as v from 'valibot';
import { EmailSchema, NewUserSchema, UserSchema, UserSummarySchema } from './user.schema';

const TimestampSchema = v.pipe(v.string(), v.isoTimestamp());

/** `POST /api/auth/login`. The password is not length-checked here: old passwords must still log in. */
export const LoginRequestSchema = v.object({
  email: EmailSchema,
  password: v.pipe(
    v.string('informe a senha'),
    v.minLength(1, 'informe a senha'),
    v.maxLength(1024, 'senha longa demais'),
  ),
});
export type LoginRequest = v.InferOutput<typeof LoginRequestSchema>;

/** A bearer token for `Authorization: Bearer …`, with the user it belongs to. */
export const LoginResponseSchema = v.object({
  token: v.pipe(v.string(), v.minLength(1)),
  expiresAt: TimestampSchema,
  user: UserSummarySchema,
});
export type LoginResponse = v.InferOutput<typeof LoginResponseSchema>;

/** `GET /api/auth/me`. */
export const MeResponseSchema = UserSchema;
export type MeResponse = v.InferOutput<typeof MeResponseSchema>;

export const MAX_API_TOKEN_DAYS = 365;

/**
 * What a bearer token may do: `full` (a login session: everything the user's role allows) or
 * `extension` (a personal token held by the Chrome extension: only the extension's own routes).
 * The database CHECK on auth_tokens.scope (migration 0100) accepts exactly these.
 */
export const TOKEN_SCOPES = ['full', 'extension'] as const;
export const TokenScopeSchema = v.picklist(TOKEN_SCOPES, 'escopo inválido');
export type TokenScope = v.InferOutput<typeof TokenScopeSchema>;

/** The scopes a personal API token can be minted with (a session is the only full token). */
export const API_TOKEN_SCOPES = ['extension'] as const;

/** `POST /api/auth/tokens`: a named personal token, valid for `expiresInDays` (default 90). */
export const NewApiTokenSchema = v.object({
  name: v.pipe(
    v.string('informe um nome para o token'),
    v.trim(),
    v.minLength(1, 'informe um nome para o token'),
    v.maxLength(100, 'nome longo demais'),
  ),
  expiresInDays: v.optional(
    v.pipe(
      v.number('expiresInDays deve ser um número de dias'),
      v.integer('expiresInDays deve ser um número inteiro'),
      v.minValue(1, 'o token precisa valer pelo menos 1 dia'),
      v.maxValue(MAX_API_TOKEN_DAYS, `o token pode valer no máximo ${MAX_API_TOKEN_DAYS} dias`),
    ),
  ),
  /** Only `extension` today: a personal token never gets more than the extension needs. */
  scope: v.optional(
    v.picklist(API_TOKEN_SCOPES, 'escopo inválido: um token pessoal só pode ser "extension"'),
    'extension',
  ),
});
export type NewApiToken = v.InferOutput<typeof NewApiTokenSchema>;

/** A personal API token as listed: never the secret, only its first characters. */
export const ApiTokenSchema = v.object({
  id: v.pipe(v.string(), v.uuid()),
  name: v.string(),
  display: v.string(),
  scope: TokenScopeSchema,
  createdAt: TimestampSchema,
  expiresAt: TimestampSchema,
  lastUsedAt: v.nullable(TimestampSchema),
});
export type ApiToken = v.InferOutput<typeof ApiTokenSchema>;

/** The answer to `POST /api/auth/tokens`: the only time the secret is shown. */
export const CreatedApiTokenSchema = v.object({ ...ApiTokenSchema.entries, token: v.string() });
export type CreatedApiToken = v.InferOutput<typeof CreatedApiTokenSchema>;

export const ApiTokenListSchema = v.array(ApiTokenSchema);

/** `POST /api/setup`: creates the first owner with the token of the printed setup link. */
export const SetupRequestSchema = v.object({
  token: v.pipe(v.string('informe o token do link de configuração'), v.minLength(1)),
  email: NewUserSchema.entries.email,
  name: NewUserSchema.entries.name,
  password: NewUserSchema.entries.password,
});
export type SetupRequest = v.InferOutput<typeof SetupRequestSchema>;
