import { describe, expect, test } from 'vitest';
import { greetingName, isCompanyName } from './greeting';
import { debtorNameFacts } from './step-facts';

describe('greetingName: people by first name, companies as a team', () => {
  test.each([
    ['Ana Beatriz Lima', undefined, 'Ana'],
    ['  João   da Silva ', 'person', 'João'],
    ['Ferreira & Silva Comércio Ltda', undefined, 'equipe Ferreira & Silva Comércio'],
    ['Ferreira & Silva Comércio LTDA.', 'company', 'equipe Ferreira & Silva Comércio'],
    ['Padaria Pão Quente ME', undefined, 'equipe Padaria Pão Quente'],
    ['Construtora Alfa S.A.', undefined, 'equipe Construtora Alfa'],
    ['Construtora Alfa S/A', undefined, 'equipe Construtora Alfa'],
    ['Mercadinho Bom Preço EIRELI - EPP', undefined, 'equipe Mercadinho Bom Preço'],
    // The kind decides when known: a company without a legal form in its name is still a team.
    ['Casa Ferreira', 'company', 'equipe Casa Ferreira'],
    // A person whose surname happens to look like a legal form stays a person when the kind says so.
    ['Maria Me', 'person', 'Maria'],
  ] as const)('%s (%s) → %s', (name, kind, greeting) => {
    expect(greetingName(name, kind)).toBe(greeting);
  });

  test('without the kind, the legal form is the only sign of a company', () => {
    expect(isCompanyName('Ferreira Ltda')).toBe(true);
    expect(isCompanyName('Ferreira Materiais')).toBe(false);
    expect(isCompanyName('Ferreira Materiais', 'company')).toBe(true);
  });

  test('the facts carry the greeting as debtor_first_name', () => {
    expect(debtorNameFacts('Ferreira Materiais de Construção Ltda', 'company')).toEqual({
      debtor_name: 'Ferreira Materiais de Construção Ltda',
      debtor_first_name: 'equipe Ferreira Materiais de Construção',
    });
    expect(debtorNameFacts('  ')).toEqual({});
  });
});
