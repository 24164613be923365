/**
 * The pieces every field form shares, so they look and behave the same: an error shown right
 * under the input that caused it, tied to it (aria-invalid + aria-describedby) and announced
 * when it appears (role="alert"); an amount field that says what is wrong with "-10" or "1.234"
 * instead of silently disabling the button; and a choice (radio or checkbox) as one large touch
 * target with its label on the same row.
 */
import type { ComponentChildren } from 'preact';
import { tryParseMoney, type Cents } from '#shared/money/money';
import { t } from '../../i18n/messages';

/** The error under a field (nothing when `message` is null). */
export function FieldError({ id, message }: { id: string; message: string | null }) {
  if (!message) return null;
  return (
    <p id={id} class="field-error small" role="alert">
      {message}
    </p>
  );
}

/** aria attributes for an input whose error (if any) is shown by `<FieldError id>`. */
export function invalid(id: string, message: string | null) {
  return message ? { 'aria-invalid': true as const, 'aria-describedby': id } : {};
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * An amount typed by hand: null while empty; otherwise the centavos, or why not (the shared
 * parser's own words for a malformed number; "must be more than zero" for zero or less).
 */
export function readAmount(
  text: string,
  options: { allowZero?: boolean } = {},
): { amount: Cents | null; error: string | null } {
  if (text.trim() === '') return { amount: null, error: null };
  const parsed = tryParseMoney(text);
  if (!parsed.ok) return { amount: null, error: `${capital(parsed.message)}.` };
  if (parsed.value < 0 || (parsed.value === 0 && !options.allowZero))
    return { amount: null, error: t(options.allowZero ? 'form.notNegative' : 'form.positive') };
  return { amount: parsed.value, error: null };
}

/** A labelled amount input with its error beside it. */
export function MoneyField(props: {
  id: string;
  label: string;
  value: string;
  error: string | null;
  onInput: (text: string) => void;
  hint?: string;
}) {
  const errorId = `${props.id}-error`;
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        inputMode="decimal"
        autocomplete="off"
        placeholder="0,00"
        value={props.value}
        {...invalid(errorId, props.error)}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      {props.hint && !props.error ? <p class="small muted">{props.hint}</p> : null}
      <FieldError id={errorId} message={props.error} />
    </div>
  );
}

/** A radio or checkbox and its label, one row, the whole row a touch target. */
export function Choice(props: {
  type: 'radio' | 'checkbox';
  name?: string;
  value?: string;
  checked: boolean;
  disabled?: boolean;
  onChange: (checked: boolean) => void;
  children: ComponentChildren;
}) {
  return (
    <label class={`choice${props.disabled ? ' disabled' : ''}`}>
      <input
        type={props.type}
        name={props.name}
        value={props.value}
        checked={props.checked}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.currentTarget.checked)}
      />
      <span>{props.children}</span>
    </label>
  );
}
