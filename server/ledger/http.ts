/** Small HTTP helpers shared by the ledger routes (query validation, conflicts, facts by id). */
import type { Context } from 'hono';
import { validator } from 'hono/validator';
import * as v from 'valibot';
import type { Queryable } from '../db/db';
import type { AuthUser } from '../auth/tokens.repo';
import { debtorNotFound, debtorScope } from '../http/access';
import { factsOfRow, STORY_SELECT, type StoryRow } from '../debtors/story.repo';
import { issuesToProblem } from '#shared/api/problem';
import { problem, problemError, problemResponse } from '../http/problem';
import type { DebtorFacts } from './debtor-state';
import { unsafeTextProblem } from '../http/validate';

/** Validates the query string (single values only) against `schema`; 422 naming the parameter. */
export function queryParams<S extends v.GenericSchema>(schema: S) {
  return validator('query', (value, _c: Context) => {
    const single: Record<string, string> = {};
    for (const [key, raw] of Object.entries(value)) {
      const first = Array.isArray(raw) ? raw[0] : raw;
      if (first !== undefined) single[key] = first;
    }
    const unsafe = unsafeTextProblem(single);
    if (unsafe) return unsafe;
    const parsed = v.safeParse(schema, single);
    if (!parsed.success)
      return problemResponse(
        issuesToProblem(parsed.issues, { title: 'Dados inválidos', type: '/problems/validation' }),
      );
    return parsed.output as v.InferOutput<S>;
  });
}

/** A 409 problem. */
export function conflict(
  slug: string,
  detail: string,
  extensions: Record<string, unknown> = {},
): Error {
  return problemError(problem(409, slug, detail, extensions));
}

/** A 422 problem about one field of the body. */
export function invalidField(field: string, detail: string, slug = 'validation'): Error {
  return problemError(
    problem(422, slug, `${field}: ${detail}`, {
      errors: [{ field, message: detail }],
    }),
  );
}

/** A 422 problem for a rule of the business (not the shape of the body). */
export function ruleProblem(
  slug: string,
  detail: string,
  extensions: Record<string, unknown> = {},
): Error {
  return problemError(problem(422, slug, detail, extensions));
}

/** A 404 for `what`. */
export function notFound(what: string): Error {
  return problemError(problem(404, 'not-found', `${what} não encontrado`));
}

/**
 * Checks access to the debtor and loads its facts in one statement (404 when hidden or missing):
 * the debtor row filtered by the user's scope, every fact table aggregated beside it.
 */
export async function accessibleFacts(
  q: Queryable,
  user: Pick<AuthUser, 'id' | 'role'>,
  debtorId: string,
): Promise<DebtorFacts> {
  const scope = debtorScope(user, 'd.id', 2);
  const [row] = await q.query<StoryRow>(
    `SELECT ${STORY_SELECT} FROM debtors d WHERE d.id = $1::uuid AND ${scope.sql}`,
    [debtorId, ...scope.params],
  );
  if (!row) throw debtorNotFound();
  return factsOfRow(row);
}

/** PostgreSQL's unique_violation, with the constraint name when known. */
export function uniqueViolation(error: unknown): string | null {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  if (e?.code !== '23505') return null;
  return typeof e.constraint === 'string' ? e.constraint : '';
}
