/**
 * The debtor's page in route tests: a creditor set up as a real owner would (identity, PIX key),
 * a link through `POST /api/debtors/:id/portal-links`, and a tiny browser over `app.request` that
 * keeps the page's cookies (scoped to the link's path) and submits its forms.
 */
import { expect } from 'vitest';
import { call, type Requestable } from './http';
import type { SeededUser } from './auth';

export const CREDITOR = {
  legalName: 'Padaria Pão Quente Ltda',
  tradeName: 'Pão Quente',
  document: '11.222.333/0001-81',
  phone: '(19) 3232-1000',
  address: {
    street: 'Rua das Flores',
    number: '123',
    district: 'Centro',
    city: 'Campinas',
    state: 'SP',
    postalCode: '13010-000',
  },
  pix: { key: '11.222.333/0001-81', keyType: 'cnpj' },
};

/** Saves the creditor identity (CDC art. 42-A) and PIX key as the owner. */
export async function setUpCreditor(app: Requestable, owner: SeededUser): Promise<void> {
  const res = await call(app, 'PUT', '/api/settings/organisation', {
    headers: owner.headers,
    json: CREDITOR,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

/** A link for the debtor, as the office asks for it. */
export async function portalLink(
  app: Requestable,
  user: SeededUser,
  debtorId: string,
): Promise<{ url: string; expiresAt: string; path: string; token: string }> {
  const res = await call<{ url: string; expiresAt: string }>(
    app,
    'POST',
    `/api/debtors/${debtorId}/portal-links`,
    { headers: user.headers },
  );
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const path = new URL(res.body.url).pathname;
  return { ...res.body, path, token: path.split('/')[2] ?? '' };
}

export interface PageResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** A minimal cookie-keeping client for the page (one "browser", one address). */
export function pageClient(app: Requestable, options: { ip?: string; origin?: string } = {}) {
  const jar = new Map<string, { value: string; path: string }>();
  const origin = options.origin ?? 'http://localhost';
  const cookieHeader = (path: string) =>
    [...jar.entries()]
      .filter(
        ([, c]) =>
          path === c.path || path.startsWith(`${c.path}/`) || path.startsWith(`${c.path}?`),
      )
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
  const remember = (headers: Headers) => {
    for (const line of headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const [name, ...rest] = (pair ?? '').split('=');
      const value = rest.join('=');
      const path = attrs.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
      const expired = attrs.some((a) => /^max-age=0$/i.test(a)) || value === '';
      if (!name) continue;
      if (expired) jar.delete(name);
      else jar.set(name, { value, path });
    }
  };
  const request = async (
    method: string,
    path: string,
    form?: Record<string, string | string[]>,
    extra: Record<string, string> = {},
  ): Promise<PageResponse> => {
    const headers: Record<string, string> = {
      ...(options.ip ? { 'x-forwarded-for': options.ip } : {}),
      ...extra,
    };
    const cookies = cookieHeader(path.split('?')[0] ?? path);
    if (cookies) headers['cookie'] = cookies;
    let body: string | undefined;
    if (form) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(form))
        for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
      body = params.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['origin'] ??= origin;
    }
    const res = await app.request(`${origin}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      redirect: 'manual',
    });
    remember(res.headers);
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  return {
    jar,
    get: (path: string, extra?: Record<string, string>) => request('GET', path, undefined, extra),
    post: (path: string, form: Record<string, string | string[]>, extra?: Record<string, string>) =>
      request('POST', path, form, extra),
    /** The value of a hidden `csrf` field in `html`. */
    csrf(html: string): string {
      const m = /name="csrf" value="([^"]+)"/.exec(html);
      if (!m?.[1]) throw new Error('no csrf field on the page');
      return m[1];
    },
  };
}

/** Visible text of an HTML page (tags dropped, entities of the escaper decoded). */
export function pageText(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, ' ')
    .replace(/<script>[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}
