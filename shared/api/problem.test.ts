import { describe, test, expect } from 'vitest';
import * as v from 'valibot';
import { describeIssue, fieldMessage, formatIssuePath, issuesToProblem } from './problem';

const Schema = v.object({
  name: v.pipe(v.string(), v.minLength(1, 'informe o nome')),
  debtor: v.object({
    contacts: v.array(
      v.object({ value: v.pipe(v.string(), v.email('o contato deve ser um e-mail')) }),
    ),
  }),
  meta: v.optional(v.record(v.string(), v.number('os valores de meta devem ser números'))),
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
      errors: [{ field: 'debtor.contacts[1].value', message: 'o contato deve ser um e-mail' }],
      detail: 'debtor.contacts[1].value: o contato deve ser um e-mail',
    },
    {
      label: 'a missing key',
      input: { debtor: valid.debtor },
      status: 422,
      errors: [{ field: 'name', message: 'campo obrigatório' }],
      detail: 'name: campo obrigatório',
    },
    {
      label: 'a record key that is not an identifier',
      input: { ...valid, meta: { 'due date': 'x' } },
      status: 422,
      errors: [{ field: 'meta["due date"]', message: 'os valores de meta devem ser números' }],
      detail: 'meta["due date"]: os valores de meta devem ser números',
    },
    {
      label: 'two fields',
      input: { name: '', debtor: { contacts: [{ value: 'x' }] } },
      status: 422,
      errors: [
        { field: 'name', message: 'informe o nome' },
        { field: 'debtor.contacts[0].value', message: 'o contato deve ser um e-mail' },
      ],
      detail: '2 campos inválidos: name, debtor.contacts[0].value',
    },
    {
      label: 'a body that is not an object',
      input: 'name=Ana',
      status: 400,
      errors: [{ field: '', message: 'tipo inválido: esperado Object, recebido "name=Ana"' }],
      detail: 'tipo inválido: esperado Object, recebido "name=Ana"',
    },
  ])('reports $label', ({ input, status, errors, detail }) => {
    const problem = issuesToProblem(issuesOf(input));
    expect(problem).toEqual({
      type: '/problems/validation',
      title: status === 400 ? 'Corpo da requisição malformado' : 'Dados inválidos',
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
    expect(problem.errors).toEqual([{ field: 'name', message: 'informe o nome' }]);
  });
});

describe('one line per field', () => {
  test('names the field once, before a message that does not repeat it', () => {
    expect(fieldMessage('amount', 'o valor deve ser maior que zero')).toBe(
      'amount: o valor deve ser maior que zero',
    );
    expect(fieldMessage('', 'o corpo da requisição não tem o formato esperado')).toBe(
      'o corpo da requisição não tem o formato esperado',
    );
  });

  test.each([
    { input: { debtor: valid.debtor }, line: 'name: campo obrigatório' },
    {
      input: { ...valid, debtor: { contacts: [{ value: 'x' }] } },
      line: 'debtor.contacts[0].value: o contato deve ser um e-mail',
    },
    // A schema without its own message still reads in pt-BR.
    {
      input: { ...valid, debtor: { contacts: 'x' } },
      line: expect.stringMatching(
        /^debtor\.contacts: tipo inválido: esperado Array, recebido "x"$/,
      ),
    },
  ])('describes an issue as "$line"', ({ input, line }) => {
    expect(describeIssue(issuesOf(input)[0]!)).toEqual(line);
  });

  test('translates a default validation message of valibot', () => {
    const [issue] = v.safeParse(v.pipe(v.string(), v.minLength(3)), 'ab').issues ?? [];
    expect(describeIssue(issue!)).toBe('valor inválido (min_length): esperado >=3, recebido 2');
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
