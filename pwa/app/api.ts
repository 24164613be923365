/**
 * The owner screens talk to the server directly (they need a connection; the collector's offline
 * work goes through pwa/sync instead). Every call carries the session token; a problem+json answer
 * becomes an `ApiError` whose message is the server's pt-BR `detail`, ready to show.
 */
import { t } from '../i18n/messages';
import { authHeaders, session, signOutLocally } from './session';

export class ApiError extends Error {
  readonly status: number;
  readonly slug: string;
  readonly body: unknown;
  constructor(status: number, slug: string, message: string, body: unknown) {
    super(message);
    this.status = status;
    this.slug = slug;
    this.body = body;
  }
}

interface ProblemBody {
  type?: string;
  title?: string;
  detail?: string;
}

function isProblem(body: unknown): body is ProblemBody {
  return typeof body === 'object' && body !== null && ('detail' in body || 'title' in body);
}

export { authHeaders };

/** Turns a non-2xx response into an ApiError (a 401 also ends the local session). */
export async function failure(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON: the generic message below is all we can say.
  }
  if (res.status === 401 && session.value) signOutLocally();
  const slug = isProblem(body) ? ((body.type ?? '').split('/').pop() ?? '') : '';
  const message = isProblem(body)
    ? (body.detail ?? body.title ?? t('error.generic'))
    : t('error.generic');
  return new ApiError(res.status, slug, message, body);
}

/** JSON request to the API; throws ApiError (or a network TypeError mapped to a pt-BR message). */
export async function api<T>(
  method: string,
  path: string,
  options: { json?: unknown; headers?: Record<string, string> } = {},
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: {
        accept: 'application/json',
        ...(options.json === undefined ? {} : { 'content-type': 'application/json' }),
        ...authHeaders(),
        ...options.headers,
      },
      ...(options.json === undefined ? {} : { body: JSON.stringify(options.json) }),
    });
  } catch {
    throw new ApiError(0, 'network', t('error.network'), null);
  }
  if (!res.ok) throw await failure(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** The message to show for anything a request threw. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : t('error.generic');
}
