import { Hono } from 'hono';
import type { Deps } from '../app';
import type { AppEnv } from '../http/auth';
import { openApiDocument, type RouteEntry } from './document';

/**
 * `GET /api/openapi.json`: public (it describes the API, no data). `routes` is read on each request
 * so routes mounted after this one are included; the document is cached once built.
 */
export function openapiRoutes({ version }: Deps, routes: () => readonly RouteEntry[]) {
  let cached: ReturnType<typeof openApiDocument> | undefined;
  let count = -1;
  return new Hono<AppEnv>().get('/openapi.json', (c) => {
    const current = routes();
    if (!cached || current.length !== count) {
      cached = openApiDocument(current, version);
      count = current.length;
    }
    return c.json(cached);
  });
}
