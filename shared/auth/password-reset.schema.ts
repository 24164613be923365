/**
 * One-time password-reset links: the owner creates one for a person (`POST
 * /api/users/:id/password-reset`), the person opens it and sets a new password
 * (`POST /api/password-reset`). The secret travels in the link's fragment.
 */
import * as v from 'valibot';
import { PasswordSchema } from './user.schema';

const TokenSchema = v.pipe(
  v.string('informe o código do link'),
  v.trim(),
  v.regex(/^quita_reset_[A-Za-z0-9_-]{20,100}$/, 'link de redefinição inválido'),
);

/** `POST /api/password-reset/check`: is this link still good, and whose is it? */
export const ResetCheckRequestSchema = v.object({ token: TokenSchema });

/** `POST /api/password-reset`: the new password for the link's owner. */
export const ResetRequestSchema = v.object({ token: TokenSchema, password: PasswordSchema });
export type ResetRequest = v.InferOutput<typeof ResetRequestSchema>;

/** What the owner gets back: the path (with the secret in its fragment) and the deadline. */
export const ResetLinkSchema = v.object({
  path: v.string(),
  expiresAt: v.string(),
});
export type ResetLinkResponse = v.InferOutput<typeof ResetLinkSchema>;
