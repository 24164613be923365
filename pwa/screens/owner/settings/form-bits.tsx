/** Pieces every settings form shares: the save outcome, field errors beside inputs, sections. */
import type { CadencePolicy } from '#shared/cadence/cadence.schema';
import { ApiError, errorMessage } from '../../../app/api';
import { problemFieldErrors, type FieldErrors } from './cadence-form-model';

export type Message = { ok: boolean; text: string } | null;

/** A saved section of the settings document with the version a save must send back (If-Match). */
export interface Section<T> {
  value: T;
  version: number;
}

export type PolicySection = Section<CadencePolicy>;

/** The cadence policy's editors share the last saved copy (see cadence-section.tsx). */
export interface PolicyFormProps {
  saved: PolicySection;
  onSaved: (next: PolicySection) => void;
  /** Throws the drafts away and reads the policy again (after a 412 from a concurrent save). */
  reload: () => void;
}

/** What a failed save means for the form: field errors (422/400) or one message. */
export function saveFailure(e: unknown): { errors: FieldErrors; stale: boolean } {
  if (e instanceof ApiError && (e.status === 400 || e.status === 422))
    return { errors: problemFieldErrors(e.body, e.message), stale: false };
  return { errors: { '': errorMessage(e) }, stale: e instanceof ApiError && e.status === 412 };
}

export function Saved({ message }: { message: Message }) {
  if (!message) return null;
  return (
    <p class={`notice ${message.ok ? 'ok' : 'error'}`} role={message.ok ? 'status' : 'alert'}>
      {message.text}
    </p>
  );
}

/** The DOM id of the error shown beside `field` ("steps[2].offsetDays" → "err-steps-2-offsetDays"). */
export const errorId = (field: string): string => `err-${field.replace(/[^A-Za-z0-9]+/g, '-')}`;

/** aria-invalid and aria-describedby for an input whose error (if any) is `errors[field]`. */
export function invalidAttrs(errors: FieldErrors, field: string) {
  return errors[field] === undefined
    ? {}
    : { 'aria-invalid': true as const, 'aria-describedby': errorId(field) };
}

export function FieldError({ errors, field }: { errors: FieldErrors; field: string }) {
  const message = errors[field];
  return message === undefined ? null : (
    <p id={errorId(field)} class="field-error small">
      {message}
    </p>
  );
}

/** The form's own errors (and any the server named for a field this form does not show). */
export function FormErrors({ messages }: { messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <div class="notice error" role="alert">
      {messages.map((m, i) => (
        <p key={i}>{m}</p>
      ))}
    </div>
  );
}
