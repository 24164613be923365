/**
 * The valibot schema for centavos, apart from money.ts so code that only formats or adds money
 * (the PWA's entry chunk) does not bundle the schema library.
 */
import * as v from 'valibot';

export const CentsSchema = v.pipe(
  v.number('o valor deve ser um número de centavos'),
  v.safeInteger('o valor deve ser um número inteiro de centavos'),
  v.brand('Cents'),
);
