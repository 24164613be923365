/**
 * HTML templates for the debtor's page: a tagged template that escapes every interpolated value
 * unless it is already `Html` (a nested template or `raw`), so page text can never inject markup.
 * Arrays are joined; null, undefined and false render nothing.
 */

const HTML = Symbol('html');

/** Markup that is safe to insert as is. */
export interface Html {
  readonly [HTML]: true;
  readonly value: string;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text escaped for an element or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

/** Trusted markup (the page's own constants only; never user or database text). */
export function raw(value: string): Html {
  return { [HTML]: true, value };
}

export type Renderable = Html | string | number | null | undefined | false | readonly Renderable[];

function render(value: Renderable): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map((v: Renderable) => render(v)).join('');
  if (typeof value === 'object') return (value as Html).value;
  return escapeHtml(String(value));
}

/** `html\`<p>${text}</p>\`` with `text` escaped. */
export function html(strings: TemplateStringsArray, ...values: Renderable[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return raw(out);
}
