import { Hono } from 'hono';
import type { Deps } from '../app';
import type { AppEnv } from '../http/auth';
import { problem, problemResponse } from '../http/problem';

/** `GET /api/health`: public; answers 503 when the database does not respond. */
export function healthRoutes({ db, version, logError }: Deps) {
  return new Hono<AppEnv>().get('/health', async (c) => {
    try {
      await db.query('SELECT 1');
    } catch (error) {
      logError('health check: database unavailable', error);
      return problemResponse(
        problem(503, 'database-unavailable', 'o banco de dados não respondeu'),
      );
    }
    return c.json({ status: 'ok' as const, database: db.kind, version });
  });
}
