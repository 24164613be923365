/**
 * The OpenAPI 3.1 document, generated from the app's own route table (`app.routes`), so a route
 * mounted anywhere appears without anyone remembering to document it. Request schemas come from
 * the shared valibot schemas through @valibot/to-json-schema; operations without an entry in
 * OPERATIONS still appear, with their path parameters and the generic problem+json errors.
 *
 * Why not hono-openapi's `describeRoute`: our routes validate with `jsonBody` (problem+json with
 * the failing fields), which hono-openapi cannot see; a table keyed by "METHOD /path" documents
 * them without touching every route file.
 */
import { toJsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import type { Role } from '#shared/auth/user.schema';
import { EXTENSION_TOKEN_ROUTES } from '../auth/token-scope';
import { OPERATIONS } from './operations';

/** What the table says about one operation. */
export interface OperationDoc {
  summary: string;
  /** Roles allowed; 'public' needs no token. */
  roles: readonly Role[] | 'public';
  body?: v.GenericSchema;
  query?: v.GenericSchema;
  /** Content type of the body when not JSON (CSV import). */
  bodyType?: string;
}

/** The slice of a Hono route the document needs. */
export interface RouteEntry {
  method: string;
  path: string;
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** '/api/users/:id' → '/api/users/{id}' (regex constraints dropped). */
export function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, '{$1}');
}

/** The documented operations of the app: every API route with a concrete method. */
export function apiOperations(routes: readonly RouteEntry[]): RouteEntry[] {
  const seen = new Set<string>();
  const out: RouteEntry[] = [];
  for (const r of routes) {
    if (!METHODS.has(r.method) || !r.path.startsWith('/api/') || r.path.includes('*')) continue;
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ method: r.method, path: r.path });
  }
  return out;
}

function jsonSchema(schema: v.GenericSchema, typeMode: 'input' | 'output' = 'input') {
  // 'ignore': transforms, brands and custom checks have no JSON Schema form; the shape still does.
  return toJsonSchema(schema, { errorMode: 'ignore', typeMode });
}

const PROBLEM = {
  description: 'Erro (RFC 9457 problem details)',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};

function queryParameters(schema: v.GenericSchema) {
  const json = jsonSchema(schema) as {
    properties?: Record<string, object>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema: s,
  }));
}

/** Builds the document for `routes` (pass `app.routes`). */
export function openApiDocument(routes: readonly RouteEntry[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of apiOperations(routes)) {
    const path = toOpenApiPath(route.path);
    const doc: OperationDoc | undefined = OPERATIONS[`${route.method} ${route.path}`];
    const pathParams = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const parameters = [...pathParams, ...(doc?.query ? queryParameters(doc.query) : [])];
    const isPublic = doc?.roles === 'public';
    const operation: Record<string, unknown> = {
      operationId: `${route.method.toLowerCase()}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
      summary: doc?.summary ?? `${route.method} ${path}`,
      tags: [path.split('/')[2] ?? 'api'],
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(doc?.body
        ? {
            requestBody: {
              required: true,
              content: { [doc.bodyType ?? 'application/json']: { schema: jsonSchema(doc.body) } },
            },
          }
        : {}),
      // Token scopes that reach the operation besides a login session (server/auth/token-scope.ts).
      'x-token-scopes': (EXTENSION_TOKEN_ROUTES as readonly string[]).includes(
        `${route.method} ${route.path}`,
      )
        ? ['full', 'extension']
        : ['full'],
      ...(doc && !isPublic
        ? { 'x-roles': doc.roles, security: [{ bearer: [] }] }
        : isPublic
          ? { security: [] }
          : { security: [{ bearer: [] }] }),
      responses: {
        '200': { description: 'OK', content: { 'application/json': { schema: {} } } },
        ...(isPublic ? {} : { '401': PROBLEM, '403': PROBLEM }),
        ...(doc?.body ? { '400': PROBLEM, '415': PROBLEM, '422': PROBLEM } : {}),
        default: PROBLEM,
      },
    };
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Quita API',
      version,
      description:
        'Cobrança amigável: ledger, régua de cobrança, sincronização. Erros em application/problem+json. Autenticação: Authorization: Bearer <token> (POST /api/auth/login).',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                properties: { field: { type: 'string' }, message: { type: 'string' } },
              },
            },
          },
        },
      },
    },
  };
}
