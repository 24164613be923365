/**
 * Validation failures as RFC 9457 problem details: the server answers a request that fails a
 * shared schema with `application/problem+json` naming every field at fault, in the same
 * "a.b[0].c" notation the PWA and the extension use to put the message next to the input.
 */
import type { BaseIssue, IssuePathItem } from 'valibot';

/**
 * One field and what is wrong with it; `field` is "" when the body itself is wrong. `message` is
 * pt-BR and does not repeat the field's name: shown on one line it is `fieldMessage(field, message)`.
 */
export interface FieldError {
  field: string;
  message: string;
}

/** An RFC 9457 problem detail with the field errors as an extension member. */
export interface ValidationProblem {
  type: string;
  title: string;
  status: 400 | 422;
  detail: string;
  errors: FieldError[];
}

/** The problem type of schema failures; the server may document it at this path. */
export const VALIDATION_PROBLEM_TYPE = '/problems/validation';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** "a.b[0].c" for a valibot issue path; "" for the root. */
export function formatIssuePath(path: readonly IssuePathItem[] | undefined): string {
  let out = '';
  for (const item of path ?? []) {
    const key: unknown = item.key;
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string')
      out += IDENTIFIER.test(key) ? (out === '' ? key : `.${key}`) : `[${JSON.stringify(key)}]`;
    else out += '[*]';
  }
  return out;
}

/** The one way a field and its message are shown on one line: "amount: o valor deve ser maior que zero". */
export function fieldMessage(field: string, message: string): string {
  return field === '' ? message : `${field}: ${message}`;
}

// Valibot's own messages read "Invalid type: Expected Object but received Array"; the shared
// schemas give their own pt-BR text, so these only show for a schema that forgot to.
const VALIBOT_DEFAULT = /^Invalid [^:]+: (?:Expected .* but r|R)eceived /;

/** An issue's pt-BR message, without its field (valibot's English defaults translated). */
export function issueMessage(issue: BaseIssue<unknown>): string {
  // Valibot reports a missing key as an object issue expecting the quoted key name.
  if (
    issue.kind === 'schema' &&
    issue.type === 'object' &&
    issue.received === 'undefined' &&
    issue.expected?.startsWith('"') === true &&
    issue.message.startsWith('Invalid key')
  )
    return 'campo obrigatório';
  if (!VALIBOT_DEFAULT.test(issue.message)) return issue.message;
  if (issue.kind === 'schema')
    return `tipo inválido: esperado ${issue.expected ?? issue.type}, recebido ${issue.received}`;
  return issue.expected === null
    ? `valor inválido (${issue.type}): recebido ${issue.received}`
    : `valor inválido (${issue.type}): esperado ${issue.expected}, recebido ${issue.received}`;
}

/** One issue as a line naming its field, for logs and the command line. */
export function describeIssue(issue: BaseIssue<unknown>): string {
  return fieldMessage(formatIssuePath(issue.path), issueMessage(issue));
}

/**
 * Converts valibot issues into a problem detail. Status 400 when the body as a whole has the wrong
 * shape (an issue at the root, e.g. an array where an object was expected), 422 when the body is
 * well-formed but fields fail their rules.
 */
export function issuesToProblem(
  issues: readonly BaseIssue<unknown>[],
  options: { type?: string; title?: string } = {},
): ValidationProblem {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    const field = formatIssuePath(issue.path);
    const message = issueMessage(issue);
    const id = `${field}\u0000${message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    errors.push({ field, message });
  }
  const atRoot = errors.some((e) => e.field === '');
  const status = atRoot ? 400 : 422;
  const fields = [...new Set(errors.map((e) => e.field).filter((f) => f !== ''))];
  const first = errors[0];
  const detail =
    first === undefined
      ? 'os dados enviados são inválidos'
      : errors.length === 1
        ? fieldMessage(first.field, first.message)
        : atRoot
          ? 'o corpo da requisição não tem o formato esperado'
          : fields.length === 1
            ? `campo inválido: ${fields.join(', ')}`
            : `${fields.length} campos inválidos: ${fields.join(', ')}`;
  return {
    type: options.type ?? VALIDATION_PROBLEM_TYPE,
    title: options.title ?? (atRoot ? 'Corpo da requisição malformado' : 'Dados inválidos'),
    status,
    detail,
    errors,
  };
}
