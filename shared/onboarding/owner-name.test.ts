import { expect, test } from 'vitest';
import { nameFromEmail } from './owner-name';

test.each([
  ['rosa.almeida@padaria.com.br', 'Rosa Almeida'],
  ['ROSA@padaria.com.br', 'Rosa'],
  ['joao_silva-2024@x.com', 'Joao Silva'],
  ['conceição+quita@x.com', 'Conceição'],
  ['dono123@x.com', 'Dono'],
  ['1234@x.com', 'Proprietário'],
  ['a.b@x.com', 'Proprietário'],
  ['', 'Proprietário'],
])('%s → %s', (email, name) => {
  expect(nameFromEmail(email, 'Proprietário')).toBe(name);
});
