/**
 * One-time sign-in codes: the owner shows a QR code for a person (`POST
 * /api/users/:id/sign-in-code`); the phone that scans it opens the app at SIGN_IN_CODE_PATH with
 * the code in the link's fragment (never sent to a server, never in a log), shows whose it is
 * (`POST /api/auth/code/check`) and trades it for a session on a tap (`POST /api/auth/code`).
 */
import * as v from 'valibot';

/** Where the app reads the code from: `${origin}${SIGN_IN_CODE_PATH}#${code}`. */
export const SIGN_IN_CODE_PATH = '/entrar-com-codigo';
export const SIGN_IN_CODE_PREFIX = 'quita_code_';

export const SignInCodeSchema = v.pipe(
  v.string('informe o código de acesso'),
  v.trim(),
  v.regex(/^quita_code_[A-Za-z0-9_-]{20,100}$/, 'código de acesso inválido'),
);

/** `POST /api/auth/code/check` and `POST /api/auth/code`. */
export const SignInCodeRequestSchema = v.object({ code: SignInCodeSchema });
export type SignInCodeRequest = v.InferOutput<typeof SignInCodeRequestSchema>;

/** What the owner gets back: the path with the code in its fragment, and the deadline. */
export interface SignInCodeCreated {
  path: string;
  expiresAt: string;
  /** QUITA_PUBLIC_URL when the server has one: the address a phone reaches it at. */
  publicUrl: string | null;
  user: { id: string; name: string; role: string };
}

/** The code as the phone shows it before it is used. */
export interface SignInCodeCheck {
  name: string;
  role: string;
  expiresAt: string;
}

/** The code from a link's fragment (`#quita_code_…`, or `#codigo=quita_code_…`); null if none. */
export function codeFromFragment(hash: string): string | null {
  let raw = hash.replace(/^#/, '').replace(/^codigo=/, '');
  try {
    raw = decodeURIComponent(raw);
  } catch {
    return null;
  }
  return v.is(SignInCodeSchema, raw) ? raw.trim() : null;
}
