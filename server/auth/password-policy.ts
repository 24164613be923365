/**
 * The server's side of the password policy (shared/auth/password-strength.ts): every password the
 * server stores passes through here (new users, password changes, the first owner, reset links,
 * `quita user add`). A weak or common one is a 422 naming `password`, with the reason in pt-BR.
 */
import { passwordWeakness } from '#shared/auth/password-strength';
import { problem, problemError } from '../http/problem';

/** The reason `password` is refused for the person named by `personal` (name, e-mail), or null. */
export function passwordProblem(password: string, personal: readonly string[]): string | null {
  return passwordWeakness(password, personal);
}

/** Throws the 422 when the password is weak. */
export function assertStrongPassword(password: string, personal: readonly string[]): void {
  const why = passwordProblem(password, personal);
  if (why !== null)
    throw problemError(
      problem(422, 'weak-password', `password: ${why}`, {
        errors: [{ field: 'password', message: why }],
      }),
    );
}
