/** Small wrappers around `app.request` for route tests. */
import { expect } from 'vitest';

/** Anything with Hono's `request` (any app, whatever its env type). */
export interface Requestable {
  request(input: string, init?: RequestInit): Response | Promise<Response>;
}

/** A parsed response: status, headers and the JSON body (undefined when empty; text if not JSON). */
export interface TestResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** Sends a request (JSON-encoding `json` when given) and parses the answer (text when not JSON). */
export async function call<T = unknown>(
  app: Requestable,
  method: string,
  path: string,
  options: { json?: unknown; body?: string; headers?: Record<string, string> } = {},
): Promise<TestResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  let body = options.body;
  if (options.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(options.json);
  }
  const res = await app.request(path, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  // JSON answers are parsed; others (CSV downloads, HTML) come back as text.
  const json = /json/i.test(res.headers.get('content-type') ?? 'application/json');
  return {
    status: res.status,
    headers: res.headers,
    body: (text === '' ? undefined : json ? JSON.parse(text) : text) as T,
  };
}

/** Asserts a problem+json answer with `status`, `type` slug and, optionally, the failing field. */
export function expectProblem(
  res: TestResponse,
  status: number,
  slug: string,
  field?: string,
): void {
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(res.body).toMatchObject({ status, type: `/problems/${slug}` });
  if (field !== undefined)
    expect((res.body as { errors?: { field: string }[] }).errors?.map((e) => e.field)).toContain(
      field,
    );
}
