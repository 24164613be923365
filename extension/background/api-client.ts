/**
 * The only code that talks to the Quita server: `fetch` with the personal token, every response
 * parsed through its valibot schema, problems turned into pt-BR messages.
 */
import * as v from 'valibot';
import { t } from '../i18n';
import type { Session } from './session-store';

export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

const ProblemSchema = v.looseObject({
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
  init: { method?: string; body?: unknown } = {},
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
    });
  } catch {
    // The browser's own text ("Failed to fetch") adds nothing a person can act on, in English.
    throw new ApiError(0, t('error.network'));
  }
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    if (res.status === 401) throw new ApiError(401, t('error.unauthorized'));
    const problem = v.safeParse(ProblemSchema, body);
    const detail = problem.success ? (problem.output.detail ?? problem.output.title) : undefined;
    throw new ApiError(res.status, detail ?? t('error.serverStatus'));
  }
  const parsed = v.safeParse(schema, body);
  if (!parsed.success) throw new ApiError(res.status, t('error.unexpected'));
  return parsed.output;
}

/** `request` as the signed-in user. */
export function api<S extends v.GenericSchema>(
  session: Session,
  path: string,
  schema: S,
  init: { method?: string; body?: unknown } = {},
): Promise<v.InferOutput<S>> {
  return request(session.serverUrl, session.token, path, schema, init);
}
