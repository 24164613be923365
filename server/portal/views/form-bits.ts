/**
 * What every form of the debtor's page shares: the last submission's values and errors, the error
 * summary at the top of a form and beside each field (aria-describedby, aria-invalid), and the
 * <details> section each form lives in (opened by itself when its submission had errors).
 */
import { html, type Html, type Renderable } from '../html';
import { t } from '../i18n';

export const FORMS = ['acordo', 'promessa', 'pedido', 'contestacao', 'preferencias'] as const;
export type FormName = (typeof FORMS)[number];

/** A submitted form to show again: its values and what was wrong with them. */
export interface FormState {
  form: FormName;
  values: Record<string, string>;
  errors: Record<string, string>;
}

export function errorsOf(state: FormState | undefined, form: FormName): Record<string, string> {
  return state?.form === form ? state.errors : {};
}

export function valueOf(
  state: FormState | undefined,
  form: FormName,
  field: string,
): string | undefined {
  return state?.form === form ? state.values[field] : undefined;
}

export function fieldError(errors: Record<string, string>, id: string, field: string): Renderable {
  const message = errors[field];
  return message ? html`<p class="field-error" id="${id}-erro">${message}</p>` : null;
}

export function described(
  errors: Record<string, string>,
  id: string,
  field: string,
  hint?: string,
) {
  const ids = [hint, errors[field] ? `${id}-erro` : undefined].filter(Boolean).join(' ');
  return html`${ids ? html` aria-describedby="${ids}"` : null}${errors[field] ? html` aria-invalid="true"` : null}`;
}

export function summary(errors: Record<string, string>, id: string): Renderable {
  const list = Object.values(errors);
  if (list.length === 0) return null;
  return html`<div class="err" role="alert" id="${id}-erros">
    <h2>${t('errors.title')}</h2>
    <ul>
      ${list.map((m) => html`<li>${m}</li>`)}
    </ul>
  </div>`;
}

export function section(
  state: FormState | undefined,
  form: FormName,
  title: string,
  body: Html,
): Html {
  const open = state?.form === form;
  return html`<details id="${form}" ${open ? html` open` : null}>
    <summary>${title}</summary>
    <div>${summary(errorsOf(state, form), form)}${body}</div>
  </details>`;
}
