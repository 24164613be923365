import { describe, expect, test } from 'vitest';
import { addressView, mapLink } from './address-view';

const none = {
  structured: null,
  line: null,
  district: null,
  city: null,
  state: null,
  postalCode: null,
};

describe('addressView', () => {
  test('a structured address answers its parts and one line', () => {
    const view = addressView({
      ...none,
      structured: {
        street: 'Rua das Flores',
        number: '123',
        complement: 'fundos',
        district: 'Centro',
        city: 'Campinas',
        state: 'SP',
        postalCode: '13010000',
      },
    });
    expect(view).toEqual({
      street: 'Rua das Flores',
      number: '123',
      complement: 'fundos',
      district: 'Centro',
      city: 'Campinas',
      state: 'SP',
      postalCode: '13010000',
      line: 'Rua das Flores, 123, fundos – Centro – Campinas/SP – CEP 13010-000',
    });
  });

  test('an imported address (free text, city, UF) is answered, not null', () => {
    expect(
      addressView({ ...none, line: 'Av. Brasil 500 apto 12', city: 'Recife', state: 'PE' }),
    ).toEqual({
      street: 'Av. Brasil 500 apto 12',
      city: 'Recife',
      state: 'PE',
      line: 'Av. Brasil 500 apto 12 – Recife/PE',
    });
    expect(addressView({ ...none, city: 'Recife' })).toEqual({ city: 'Recife', line: 'Recife' });
  });

  test('nothing known → null; a broken structured document falls back to the columns', () => {
    expect(addressView(none)).toBeNull();
    expect(addressView({ ...none, structured: { street: 1 }, line: 'Rua X, 9' })).toEqual({
      street: 'Rua X, 9',
      line: 'Rua X, 9',
    });
  });

  test('map link encodes the line', () => {
    expect(mapLink('Rua A, 1 – São Paulo/SP')).toBe(
      'https://www.google.com/maps/search/?api=1&query=Rua%20A%2C%201%20%E2%80%93%20S%C3%A3o%20Paulo%2FSP',
    );
  });
});
