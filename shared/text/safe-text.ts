/**
 * What text the API stores: one rule, used by the shared schemas (`text()`/`note()` and every
 * free-text field) and by the server's generic guard on raw JSON bodies and query strings, so the
 * database never sees a character it refuses and people never see one that disguises a text.
 *
 * Refused anywhere:
 * - C0 control characters other than tab, line feed and carriage return, DEL and the C1 controls
 *   (U+0080–U+009F). NUL (U+0000) cannot be stored at all (PostgreSQL text and jsonb refuse it:
 *   SQLSTATE 22021/22P05); the others are never typed by a person and usually come from a binary
 *   file read as text or from text decoded with the wrong charset (Windows-1252 read as Latin-1).
 * - Bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069): they
 *   reorder what is shown ("Trojan Source", CVE-2021-42574), so a name or message could read one
 *   way on screen and another in a file. The plain marks LRM/RLM (U+200E/U+200F) stay allowed.
 * - Lone UTF-16 surrogates: JSON can carry "\ud800", which no UTF-8 database can store as sent.
 *
 * Refused in names and other required texts (`hasVisibleText`): a value made only of invisible
 * characters (spaces, zero-width spaces and joiners, word joiner, BOM, soft hyphen, Hangul
 * fillers, the Braille blank…), which would pass a "not empty" check and show as nothing.
 * Zero-width joiners inside a visible text stay allowed: emoji sequences and Indic scripts need them.
 */
import * as v from 'valibot';

// Tab (09), LF (0A) and CR (0D) are the only controls allowed.
// oxlint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const BIDI = /[\u202A-\u202E\u2066-\u2069]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const VISIBLE = /[^\s\p{Default_Ignorable_Code_Point}\p{Cc}\u2800\u3164\uFFA0]/u;

function codePoint(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Why `text` may not be stored (a pt-BR sentence without the field's name, which the caller
 * adds), or null when it may. `subject` opens the sentence ("o nome", "o texto").
 */
export function unsafeTextMessage(text: string, subject = 'o texto'): string | null {
  const control = CONTROL.exec(text);
  if (control)
    return `${subject} tem um caractere de controle invisível (${codePoint(control[0])}), que não é aceito; apague-o e digite o texto de novo`;
  const bidi = BIDI.exec(text);
  if (bidi)
    return `${subject} tem um caractere que inverte a direção da escrita (${codePoint(bidi[0])}) e pode disfarçar o conteúdo; remova-o`;
  const surrogate = LONE_SURROGATE.exec(text);
  if (surrogate)
    return `${subject} tem um caractere Unicode incompleto (${codePoint(surrogate[0])}); digite o texto de novo`;
  return null;
}

/** True when `text` has at least one character a person can see. */
export function hasVisibleText(text: string): boolean {
  return VISIBLE.test(text);
}

/** The message for a required text with nothing visible in it. */
export function invisibleTextMessage(subject: string): string {
  return `${subject} não tem nenhum caractere visível (só espaços ou caracteres invisíveis)`;
}

/** A valibot action refusing what `unsafeTextMessage` refuses; `label` is "o nome", "a busca"… */
export function safeText(label: string) {
  return v.rawCheck<string>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const message = unsafeTextMessage(dataset.value, label);
    if (message !== null) addIssue({ message });
  });
}

/**
 * A valibot action refusing a text with no visible character. The empty text passes: the
 * "informe …" check before it already reports that, once.
 */
export function visibleText(label: string) {
  return v.check<string, string>(
    (text) => text === '' || hasVisibleText(text),
    invisibleTextMessage(label),
  );
}

/** Where a walk found unsafe text: the path in "a.b[0].c" notation and the pt-BR reason. */
export interface UnsafeTextFinding {
  field: string;
  message: string;
}

function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const plain = /^[A-Za-z_$][\w$]*$/.test(key);
  if (!plain) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}

/**
 * The first string (or object key) under `value` that `unsafeTextMessage` refuses, depth first,
 * with its path; null when everything may be stored. For raw JSON bodies and query strings,
 * before any schema: a field the schema does not know would otherwise reach a jsonb column.
 */
export function findUnsafeText(value: unknown, path = '', depth = 0): UnsafeTextFinding | null {
  if (typeof value === 'string') {
    const message = unsafeTextMessage(value);
    return message === null ? null : { field: path, message };
  }
  if (depth > 64 || value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = findUnsafeText(item, childPath(path, i), depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    const keyMessage = unsafeTextMessage(key, 'o nome do campo');
    if (keyMessage !== null) return { field: childPath(path, key), message: keyMessage };
    const found = findUnsafeText(item, childPath(path, key), depth + 1);
    if (found) return found;
  }
  return null;
}

// oxlint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * `value` with every character no database text or jsonb can hold (NUL, lone surrogates)
 * replaced by U+FFFD, for keeping a refused input on record (a rejected sync mutation) as it
 * came, minus what cannot be stored.
 */
export function replaceUnstorable(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(UNSTORABLE, '\uFFFD');
  if (depth > 64 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => replaceUnstorable(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key.replace(UNSTORABLE, '\uFFFD'),
      replaceUnstorable(item, depth + 1),
    ]),
  );
}
