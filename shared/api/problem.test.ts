import { describe, test, expect } from 'vitest';
import * as v from 'valibot';
import { formatIssuePath, issuesToProblem } from './problem';

const Schema = v.object({
  name: v.pipe(v.string(), v.minLength(1, 'name is required')),
  debtor: v.object({
    contacts: v.array(v.object({ value: v.pipe(v.string(), v.email('value must be an e-mail')) })),
  }),
  meta: v.optional(v.record(v.string(), v.number('meta values must be numbers'))),
});

function issuesOf(input: unknown) {
  const result = v.safeParse(Schema, input);
  if (result.success) throw new Error('expected a failure');
  return result.issues;
}

const valid = { name: 'Ana', debtor: { contacts: [{ value: 'ana@example.com' }] } };

describe('issuesToProblem', () => {
  test.each([
    {
      label: 'a field inside an array',
      input: { ...valid, debtor: { contacts: [{ value: 'ok@example.com' }, { value: 'nope' }] } },
      status: 422,
      errors: [{ field: 'debtor.contacts[1].value', message: 'value must be an e-mail' }],
      detail: 'debtor.contacts[1].value: value must be an e-mail',
    },
    {
      label: 'a missing key',
      input: { debtor: valid.debtor },
      status: 422,
      errors: [{ field: 'name', message: 'name is required' }],
      detail: 'name: name is required',
    },
    {
      label: 'a record key that is not an identifier',
      input: { ...valid, meta: { 'due date': 'x' } },
      status: 422,
      errors: [{ field: 'meta["due date"]', message: 'meta values must be numbers' }],
      detail: 'meta["due date"]: meta values must be numbers',
    },
    {
      label: 'two fields',
      input: { name: '', debtor: { contacts: [{ value: 'x' }] } },
      status: 422,
      errors: [
        { field: 'name', message: 'name is required' },
        { field: 'debtor.contacts[0].value', message: 'value must be an e-mail' },
      ],
      detail: '2 fields are invalid: name, debtor.contacts[0].value',
    },
    {
      label: 'a body that is not an object',
      input: 'name=Ana',
      status: 400,
      errors: [{ field: '', message: 'Invalid type: Expected Object but received "name=Ana"' }],
      detail: 'Invalid type: Expected Object but received "name=Ana"',
    },
  ])('reports $label', ({ input, status, errors, detail }) => {
    const problem = issuesToProblem(issuesOf(input));
    expect(problem).toEqual({
      type: '/problems/validation',
      title: status === 400 ? 'Malformed request body' : 'Validation failed',
      status,
      detail,
      errors,
    });
  });

  test('drops repeated identical issues and honours a custom type and title', () => {
    const issues = issuesOf({ name: '', debtor: valid.debtor });
    const problem = issuesToProblem([...issues, ...issues], {
      type: 'https://example.com/p',
      title: 'Dados inválidos',
    });
    expect(problem).toMatchObject({ type: 'https://example.com/p', title: 'Dados inválidos' });
    expect(problem.errors).toEqual([{ field: 'name', message: 'name is required' }]);
  });
});

describe('formatIssuePath', () => {
  test.each([
    { keys: [], expected: '' },
    { keys: ['a'], expected: 'a' },
    { keys: ['a', 0, 'b'], expected: 'a[0].b' },
    { keys: [3, 'x'], expected: '[3].x' },
    { keys: ['a', 'b-c'], expected: 'a["b-c"]' },
  ])('formats $keys as "$expected"', ({ keys, expected }) => {
    const path = keys.map((key) =>
      typeof key === 'number'
        ? ({ type: 'array', origin: 'value', input: [], key, value: null } as const)
        : ({ type: 'object', origin: 'value', input: {}, key, value: null } as const),
    );
    expect(formatIssuePath(path)).toBe(expected);
  });
});
