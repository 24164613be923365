/**
 * Request validation with shared valibot schemas, as Hono middleware so handlers read typed
 * values with `c.req.valid('json')`. A body that is not JSON is 415, unparsable JSON is 400,
 * JSON of the wrong overall shape is 400 and fields that fail their rules are 422, each naming
 * the fields (see `#shared/api/problem`).
 */
import type { Context } from 'hono';
import { validator } from 'hono/validator';
import * as v from 'valibot';
import { issuesToProblem } from '#shared/api/problem';
import { findUnsafeText } from '#shared/text/safe-text';
import { problem, problemError, problemResponse } from './problem';

/**
 * The 422 for text the database could not store or that disguises itself (NUL, control and bidi
 * characters, lone surrogates: shared/text/safe-text.ts), anywhere in `value`, or null. Checked on
 * the raw input before the schema, so fields kept as JSON (settings, addresses) are covered too.
 */
export function unsafeTextProblem(value: unknown): Response | null {
  const found = findUnsafeText(value);
  if (!found) return null;
  return problemResponse(
    problem(
      422,
      'validation',
      found.field === '' ? found.message : `${found.field}: ${found.message}`,
      {
        errors: [{ field: found.field, message: found.message }],
      },
    ),
  );
}

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * Validates the JSON body against `schema`. `rawTextGuard: false` leaves unsafe text to the
 * route (sync push judges each mutation on its own, so one bad fact never fails the batch).
 */
export function jsonBody<S extends v.GenericSchema>(
  schema: S,
  options: { rawTextGuard?: boolean } = {},
) {
  return validator('json', (value, c: Context) => {
    const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim() ?? '';
    if (!JSON_TYPE.test(type))
      return problemResponse(
        problem(415, 'unsupported-media-type', 'envie o corpo como application/json'),
      );
    const unsafe = options.rawTextGuard === false ? null : unsafeTextProblem(value);
    if (unsafe) return unsafe;
    const parsed = v.safeParse(schema, value);
    if (!parsed.success)
      return problemResponse(
        issuesToProblem(parsed.issues, { title: 'Dados inválidos', type: '/problems/validation' }),
      );
    return parsed.output as v.InferOutput<S>;
  });
}

const UuidSchema = v.pipe(v.string(), v.uuid());

/** The `name` path parameter as a UUID; anything else is a 404 (no such resource can exist). */
export function uuidParam(c: Context, name: string): string {
  const value = c.req.param(name);
  if (!v.is(UuidSchema, value))
    throw problemError(problem(404, 'not-found', 'recurso não encontrado'));
  return value;
}

/**
 * Like `jsonBody`, for routes whose body may be left out: no body (and no content type) reads as
 * `{}` through the same schema.
 */
export function optionalJsonBody<S extends v.GenericSchema>(schema: S) {
  return validator('json', async (value, c: Context) => {
    const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim() ?? '';
    const input = type === '' ? {} : value;
    if (type !== '' && !JSON_TYPE.test(type))
      return problemResponse(
        problem(415, 'unsupported-media-type', 'envie o corpo como application/json'),
      );
    const parsed = v.safeParse(schema, input);
    if (!parsed.success)
      return problemResponse(
        issuesToProblem(parsed.issues, { title: 'Dados inválidos', type: '/problems/validation' }),
      );
    return parsed.output as v.InferOutput<S>;
  });
}
