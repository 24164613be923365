/**
 * A new-password input that tells, as the person types, whether the server will refuse it (the
 * same zxcvbn-ts check, shared/auth/password-strength.ts). The estimator and its dictionaries are
 * a large download: imported only when this field is first used, so no other screen (and never
 * the collector's first screen) carries them. The server checks again in any case.
 */
import { useEffect, useState } from 'preact/hooks';

type Check = (password: string, personal: readonly string[]) => string | null;
let checker: Promise<Check> | undefined;

function loadChecker(): Promise<Check> {
  checker ??= import('#shared/auth/password-strength').then((m) => m.passwordWeakness);
  return checker;
}

/** The weakness of `password` for `personal` (null when fine, or until the check has loaded). */
export function usePasswordWeakness(password: string, personal: readonly string[]): string | null {
  const [why, setWhy] = useState<string | null>(null);
  const key = personal.join('\u0000');
  useEffect(() => {
    let live = true;
    if (password.length < 10) {
      setWhy(null);
      return;
    }
    void loadChecker().then((check) => {
      if (live) setWhy(check(password, personal));
    });
    return () => {
      live = false;
    };
  }, [password, key]);
  return why;
}

export function PasswordField({
  id,
  label,
  hint,
  value,
  onInput,
  personal,
}: {
  id: string;
  label: string;
  hint: string;
  value: string;
  onInput: (v: string) => void;
  personal: readonly string[];
}) {
  const why = usePasswordWeakness(value, personal);
  return (
    <>
      <label for={id}>{label}</label>
      <input
        id={id}
        type="password"
        autocomplete="new-password"
        value={value}
        aria-invalid={why ? 'true' : undefined}
        aria-describedby={`${id}-hint`}
        onFocus={() => void loadChecker()}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
      <p id={`${id}-hint`} class={`small ${why ? 'notice error' : 'muted'}`} aria-live="polite">
        {why ?? hint}
      </p>
    </>
  );
}
