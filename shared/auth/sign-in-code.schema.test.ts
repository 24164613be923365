import { expect, test } from 'vitest';
import { codeFromFragment } from './sign-in-code.schema';

const CODE = 'quita_code_abcdefghijklmnopqrstuvwxyzABCDEFGH_-0123';

test.each([
  [`#${CODE}`, CODE],
  [`#codigo=${CODE}`, CODE],
  [CODE, CODE],
  ['#quita_reset_abcdefghijklmnopqrstuvwxyz', null],
  ['#quita_code_short', null],
  ['', null],
  [`#${CODE}%20`, CODE],
])('fragment %s → %s', (hash, code) => {
  expect(codeFromFragment(hash)).toBe(code);
});

test('a malformed escape is no code, not an exception', () => {
  expect(codeFromFragment('#quita_code_%E0%A4%A')).toBeNull();
});
