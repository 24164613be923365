/**
 * RFC 9457 problem details (`application/problem+json`) for every error the API returns.
 * `type` is `/problems/<slug>`, a stable identifier clients switch on; `title` and `detail` are
 * pt-BR text for people. Field errors use the shared `{ field, message }` shape of
 * `#shared/api/problem`, whose `issuesToProblem` turns valibot issues into a 400/422 problem.
 */
import type { FieldError } from '#shared/api/problem';

/** A problem details object; extension members are allowed. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'Requisição inválida',
  401: 'Autenticação necessária',
  403: 'Acesso negado',
  404: 'Não encontrado',
  405: 'Método não permitido',
  409: 'Conflito',
  410: 'Não está mais disponível',
  413: 'Conteúdo grande demais',
  415: 'Tipo de conteúdo não suportado',
  422: 'Dados inválidos',
  429: 'Muitas tentativas',
  500: 'Erro interno',
  503: 'Serviço indisponível',
};

/** Builds a problem; `slug` names the kind of failure (e.g. 'validation', 'rate-limited'). */
export function problem(
  status: number,
  slug: string,
  detail?: string,
  extensions: Record<string, unknown> = {},
): Problem {
  return {
    type: `/problems/${slug}`,
    title: TITLES[status] ?? 'Erro',
    status,
    ...(detail === undefined ? {} : { detail }),
    ...extensions,
  };
}

/** The problem as an HTTP response. */
export function problemResponse(
  p: Pick<Problem, 'type' | 'title' | 'status'>,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(p), {
    status: p.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...headers },
  });
}

const PROBLEM_KEY = Symbol('quita.problem');

/** An Error carrying a problem; thrown from handlers and turned into a response by the app. */
export function problemError(p: Problem, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(p.detail ?? p.title), { [PROBLEM_KEY]: { problem: p, headers } });
}

/** The problem carried by an error made with `problemError`, if any. */
export function problemOf(
  error: unknown,
): { problem: Problem; headers: Record<string, string> } | undefined {
  if (typeof error !== 'object' || error === null || !(PROBLEM_KEY in error)) return undefined;
  return (error as { [PROBLEM_KEY]: { problem: Problem; headers: Record<string, string> } })[
    PROBLEM_KEY
  ];
}
