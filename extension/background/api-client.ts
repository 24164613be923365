/**
 * The only code that talks to the Quita server: `fetch` with the personal token, every response
 * parsed through its valibot schema, problems turned into pt-BR messages. A request that gets no
 * answer within REQUEST_TIMEOUT_MS fails like a network error, so a server that hangs reads as a
 * server that is down.
 */
import * as v from 'valibot';
import { t } from '../i18n';
import type { Session } from './session-store';

export const REQUEST_TIMEOUT_MS = 10_000;

export class ApiError extends Error {
  /** 0 when the server could not be reached at all. */
  readonly status: number;
  /** The problem type slug ("invalid-credentials", "token-scope", …), when the server sent one. */
  readonly problem: string | null;
  constructor(status: number, message: string, problem: string | null = null) {
    super(message);
    this.status = status;
    this.problem = problem;
  }
}

/** True for failures that may go away by themselves: no answer, or a proxy saying so. */
export function isTransient(error: unknown): boolean {
  return error instanceof ApiError && [0, 502, 503, 504].includes(error.status);
}

const ProblemSchema = v.looseObject({
  type: v.optional(v.string()),
  detail: v.optional(v.string()),
  title: v.optional(v.string()),
});

/** Joins the server URL and an /api path. */
export function apiUrl(serverUrl: string, path: string): string {
  return new URL(path, serverUrl.endsWith('/') ? serverUrl : `${serverUrl}/`).toString();
}

export async function request<S extends v.GenericSchema>(
  server: string,
  token: string | null,
  path: string,
  schema: S,
  init: { method?: string; body?: unknown; timeoutMs?: number } = {},
): Promise<v.InferOutput<S>> {
  let res: Response;
  try {
    res = await fetch(apiUrl(server, path), {
      method: init.method ?? 'GET',
      headers: {
        accept: 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      credentials: 'omit',
      cache: 'no-store',
      signal: AbortSignal.timeout(init.timeoutMs ?? REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const detail =
      error instanceof DOMException && error.name === 'TimeoutError'
        ? t('error.timeout')
        : // The browser's own text ("Failed to fetch") is English and says nothing more.
          t('error.noAnswer');
    throw new ApiError(0, t('error.network', { detail }));
  }
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const problem = v.safeParse(ProblemSchema, body);
    const slug = problem.success ? (problem.output.type?.split('/').pop() ?? null) : null;
    if (res.status === 401) throw new ApiError(401, t('error.unauthorized'), slug);
    if ([502, 503, 504].includes(res.status))
      throw new ApiError(res.status, t('error.unavailable'), slug);
    const detail = problem.success ? (problem.output.detail ?? problem.output.title) : undefined;
    throw new ApiError(
      res.status,
      detail ?? t('error.server', { detail: String(res.status) }),
      slug,
    );
  }
  const parsed = v.safeParse(schema, body);
  if (!parsed.success)
    throw new ApiError(res.status, t('error.server', { detail: `resposta inesperada em ${path}` }));
  return parsed.output;
}

/** `request` as the signed-in user. */
export function api<S extends v.GenericSchema>(
  session: Session,
  path: string,
  schema: S,
  init: { method?: string; body?: unknown; timeoutMs?: number } = {},
): Promise<v.InferOutput<S>> {
  return request(session.serverUrl, session.token, path, schema, init);
}
