import { describe, test, expect } from 'vitest';
import fc from 'fast-check';
import { cents } from '../money/money';
import { crc16ccittFalse } from './crc16';
import {
  buildPixPayload,
  buildPixPayloadOrThrow,
  foldToAscii,
  parsePixPayload,
  type PixPayloadInput,
} from './pix-payload';

const BCB_KEY = '123e4567-e12b-12d1-a456-426655440000';
const BCB =
  '00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D';
const BCB_UPPER =
  '00020126580014BR.GOV.BCB.PIX0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***6304F01B';
const THALES =
  '00020126510014br.gov.bcb.pix0115thalesog@me.com0210Pedido 123520400005303986540510.005802BR5914Thales Ogliari6002SC62070503***6304E5AB';
const THALES_CEP =
  '00020126580014BR.GOV.BCB.PIX0119nubank@thalesog.com0213PIX de Testes52040000530398654041.005802BR5914Thales Ogliari6009SAO PAULO61080540900062070503***6304581E';
const DYNAMIC =
  '00020126940014br.gov.bcb.pix2572qr-h.sandbox.pix.bcb.gov.br/rest/api/v2/cfe8166acaff4a62a18b7b766ef57c705204000053039865802BR5903Pix6008BRASILIA62070503***6304C7D7';
const SANDBOX_URL = 'qr-h.sandbox.pix.bcb.gov.br/rest/api/v2/cfe8166acaff4a62a18b7b766ef57c70';

/** Appends "6304" and the right CRC, to craft payloads that fail only on what a test targets. */
function withCrc(body: string): string {
  return `${body}6304${crc16ccittFalse(`${body}6304`)}`;
}

const vectors: { label: string; input: PixPayloadInput; payload: string }[] = [
  {
    label: 'BCB manual static example',
    input: { key: BCB_KEY, name: 'Fulano de Tal', city: 'BRASILIA' },
    payload: BCB,
  },
  {
    label: 'BCB example with an upper-case GUI',
    input: { key: BCB_KEY, name: 'Fulano de Tal', city: 'BRASILIA', gui: 'BR.GOV.BCB.PIX' },
    payload: BCB_UPPER,
  },
  {
    label: 'pix-utils amount and infoAdicional',
    input: {
      key: 'thalesog@me.com',
      description: 'Pedido 123',
      amount: cents(1000),
      name: 'Thales Ogliari',
      city: 'SC',
    },
    payload: THALES,
  },
  {
    label: 'pix-utils postal code',
    input: {
      gui: 'BR.GOV.BCB.PIX',
      key: 'nubank@thalesog.com',
      description: 'PIX de Testes',
      amount: cents(100),
      name: 'Thales Ogliari',
      city: 'SAO PAULO',
      postalCode: '05409-000',
    },
    payload: THALES_CEP,
  },
  {
    label: 'pix-utils dynamic url',
    input: { url: `https://${SANDBOX_URL}`, name: 'Pix', city: 'BRASILIA' },
    payload: DYNAMIC,
  },
];

describe('buildPixPayload', () => {
  test.each(vectors)('reproduces the $label vector byte for byte', ({ input, payload }) => {
    expect(buildPixPayload(input)).toEqual({ ok: true, value: payload });
  });

  test('zero-pads a CRC that starts with 0', () => {
    let payload = '';
    for (let i = 0; !/0[0-9A-F]{3}$/.test(payload); i++) {
      payload = buildPixPayloadOrThrow({
        key: BCB_KEY,
        name: 'Quita',
        city: 'SAO PAULO',
        txid: `Q${i}`,
      });
    }
    expect(payload).toMatch(/6304[0-9A-F]{4}$/);
    const crc = payload.slice(-4);
    expect(crc[0]).toBe('0');
    expect(crc).toBe(crc16ccittFalse(payload.slice(0, -4)));
    expect(parsePixPayload(payload)).toMatchObject({ ok: true, value: { crc } });
  });

  test.each([
    { amount: 1, text: '54040.01' },
    { amount: 7580, text: '540575.80' },
    { amount: 100, text: '54041.00' },
    { amount: 123456789, text: '54101234567.89' },
  ])('writes $amount centavos as field $text', ({ amount, text }) => {
    const payload = buildPixPayloadOrThrow({
      key: BCB_KEY,
      name: 'A',
      city: 'B',
      amount: cents(amount),
    });
    expect(payload).toContain(`5303986${text}5802BR`);
  });

  test('refuses a zero amount: an open amount is asked for by leaving the amount out', () => {
    expect(buildPixPayload({ key: BCB_KEY, name: 'A', city: 'B', amount: cents(0) })).toMatchObject(
      { ok: false, field: 'amount', code: 'invalid_amount', message: /em aberto/ },
    );
    const open = buildPixPayloadOrThrow({ key: BCB_KEY, name: 'A', city: 'B' });
    expect(open).toContain('53039865802BR');
  });

  test.each([
    { initiation: 'reusable' as const, start: '000201010211' },
    { initiation: 'single-use' as const, start: '000201010212' },
  ])('writes point of initiation $initiation as $start', ({ initiation, start }) => {
    const payload = buildPixPayloadOrThrow({ key: BCB_KEY, name: 'A', city: 'B', initiation });
    expect(payload.startsWith(`${start}2658`)).toBe(true);
  });

  test.each([
    {
      name: 'José Conceição',
      city: 'São Paulo',
      field59: '5914Jose Conceicao',
      field60: '6009Sao Paulo',
    },
    { name: '  Ana   Lúcia ', city: 'Itajaí', field59: '5909Ana Lucia', field60: '6006Itajai' },
    { name: 'Straße Ærø', city: 'Goiânia', field59: '5912Strasse AEro', field60: '6007Goiania' },
    {
      name: 'Loja 1º de Maio',
      city: '2ª Vila',
      field59: '5915Loja 1o de Maio',
      field60: '60072a Vila',
    },
    { name: 'Bar 5° Andar', city: 'Recife', field59: '5912Bar 5o Andar', field60: '6006Recife' },
  ])('folds "$name" / "$city" to ASCII', ({ name, city, field59, field60 }) => {
    const payload = buildPixPayloadOrThrow({ key: BCB_KEY, name, city });
    expect(payload).toContain(`${field59}${field60}`);
  });

  test.each([
    { key: '529.982.247-25', field: '011152998224725' },
    { key: '11.222.333/0001-81', field: '011411222333000181' },
    { key: '+5511987654321', field: '0114+5511987654321' },
    { key: '+55 (11) 98765-4321', field: '0114+5511987654321' },
    { key: '12.abc.345/01de-35', field: '011412ABC34501DE35' },
    { key: 'Fulano@Example.COM', field: '0118fulano@example.com' },
    { key: BCB_KEY.toUpperCase(), field: `0136${BCB_KEY}` },
  ])('normalises key $key', ({ key, field }) => {
    expect(buildPixPayloadOrThrow({ key, name: 'A', city: 'B' })).toContain(
      `br.gov.bcb.pix${field}52`,
    );
  });

  test('accepts a phone without country code when the type says phone', () => {
    const payload = buildPixPayloadOrThrow({
      key: '(11) 98765-4321',
      keyType: 'phone',
      name: 'A',
      city: 'B',
    });
    expect(payload).toContain('0114+5511987654321');
  });

  const base: PixPayloadInput = { key: BCB_KEY, name: 'Fulano de Tal', city: 'BRASILIA' };
  test.each<{ label: string; input: PixPayloadInput; field: string; code: string }>([
    {
      label: 'a 26-character name',
      input: { ...base, name: 'A'.repeat(26) },
      field: 'name',
      code: 'too_long',
    },
    {
      label: 'a 16-character city',
      input: { ...base, city: 'C'.repeat(16) },
      field: 'city',
      code: 'too_long',
    },
    { label: 'a blank name', input: { ...base, name: '   ' }, field: 'name', code: 'required' },
    { label: 'a blank city', input: { ...base, city: '' }, field: 'city', code: 'required' },
    {
      label: 'a name in kanji',
      input: { ...base, name: '東京商店' },
      field: 'name',
      code: 'not_ascii',
    },
    {
      label: 'an emoji in the description',
      input: { ...base, description: 'Pedido 🙂' },
      field: 'description',
      code: 'not_ascii',
    },
    {
      label: 'a txid with a space',
      input: { ...base, txid: 'ABC 123' },
      field: 'txid',
      code: 'invalid_txid',
    },
    {
      label: 'a txid with a hyphen',
      input: { ...base, txid: 'ABC-123' },
      field: 'txid',
      code: 'invalid_txid',
    },
    {
      label: 'a 26-character txid',
      input: { ...base, txid: 'T'.repeat(26) },
      field: 'txid',
      code: 'invalid_txid',
    },
    { label: 'an empty txid', input: { ...base, txid: '' }, field: 'txid', code: 'invalid_txid' },
    {
      label: 'a CPF with wrong check digits',
      input: { ...base, key: '52998224724' },
      field: 'key',
      code: 'invalid_key',
    },
    {
      label: 'a CNPJ with wrong check digits',
      input: { ...base, key: '11222333000182' },
      field: 'key',
      code: 'invalid_key',
    },
    {
      label: 'a CPF of repeated digits',
      input: { ...base, key: '11111111111' },
      field: 'key',
      code: 'invalid_key',
    },
    {
      label: 'a phone without +55',
      input: { ...base, key: '+15551234567' },
      field: 'key',
      code: 'invalid_key',
    },
    {
      label: 'an e-mail without a domain dot',
      input: { ...base, key: 'a@b' },
      field: 'key',
      code: 'invalid_key',
    },
    {
      label: 'an unrecognisable key',
      input: { ...base, key: 'chave-qualquer' },
      field: 'key',
      code: 'invalid_key',
    },
    {
      label: 'a CPF declared as EVP',
      input: { ...base, key: '52998224725', keyType: 'evp' },
      field: 'key',
      code: 'invalid_key',
    },
    { label: 'no key and no url', input: { name: 'A', city: 'B' }, field: 'key', code: 'required' },
    {
      label: 'both key and url',
      input: { ...base, url: SANDBOX_URL },
      field: 'key',
      code: 'conflict',
    },
    {
      label: 'a foreign GUI',
      input: { ...base, gui: 'com.example.pay' },
      field: 'gui',
      code: 'invalid_gui',
    },
    {
      label: 'a negative amount',
      input: { ...base, amount: cents(-1) },
      field: 'amount',
      code: 'invalid_amount',
    },
    {
      label: 'an amount of 10^10 reais',
      input: { ...base, amount: cents(1_000_000_000_000) },
      field: 'amount',
      code: 'invalid_amount',
    },
    {
      label: 'a 7-digit postal code',
      input: { ...base, postalCode: '0540900' },
      field: 'postalCode',
      code: 'invalid_postal_code',
    },
    {
      label: 'a 38-character description with an EVP key',
      input: { ...base, description: 'D'.repeat(38) },
      field: 'description',
      code: 'too_long',
    },
    {
      label: 'a url with a space',
      input: { name: 'A', city: 'B', url: 'qr.example.com/a b' },
      field: 'url',
      code: 'invalid_url',
    },
    {
      label: 'a 78-character url',
      input: { name: 'A', city: 'B', url: `qr.example.com/${'u'.repeat(63)}` },
      field: 'url',
      code: 'too_long',
    },
  ])('rejects $label naming field $field', ({ input, field, code }) => {
    const result = buildPixPayload(input);
    expect(result).toMatchObject({ ok: false, field, code });
    if (!result.ok) expect(result.message).toMatch(/\w/);
  });

  test('fits the longest description allowed next to an EVP key exactly into 99 characters', () => {
    const payload = buildPixPayloadOrThrow({ ...base, description: 'D'.repeat(37) });
    expect(payload).toContain(`2699`);
    expect(payload).toContain(`0237${'D'.repeat(37)}5204`);
  });

  test.each([
    {
      field: 'name',
      input: { ...base, name: 'Comércio de Alimentos São José Ltda' },
      expected: '5925Comercio de Alimentos Sao',
    },
    {
      field: 'city',
      input: { ...base, city: 'São José dos Campos' },
      expected: '6015Sao Jose dos Ca',
    },
    { field: 'name', input: { ...base, name: 'Loja 東京 Centro' }, expected: '5911Loja Centro' },
    {
      field: 'description',
      input: { ...base, description: 'D'.repeat(60) },
      expected: `0237${'D'.repeat(37)}52`,
    },
  ])('with truncate, cuts $field to fit', ({ input, expected }) => {
    expect(buildPixPayloadOrThrow({ ...input, truncate: true })).toContain(expected);
  });

  test('never truncates the txid', () => {
    expect(buildPixPayload({ ...base, txid: 'T'.repeat(26), truncate: true })).toMatchObject({
      ok: false,
      field: 'txid',
    });
  });

  test('the throwing wrapper names the field', () => {
    expect(() => buildPixPayloadOrThrow({ ...base, name: 'N'.repeat(30) })).toThrow(
      /PIX name: o nome passa de 25 caracteres/,
    );
  });
});

describe('foldToAscii', () => {
  test.each([
    { text: 'Ação Çéu', drop: false, expected: { ok: true, value: 'Acao Ceu' } },
    {
      text: 'Loja 1º de Maio, 2ª',
      drop: false,
      expected: { ok: true, value: 'Loja 1o de Maio, 2a' },
    },
    { text: 'a\u00a0b\tc', drop: false, expected: { ok: true, value: 'a b c' } },
    { text: 'Café ☕', drop: false, expected: { ok: false, rejected: '☕' } },
    { text: 'Café ☕ bar', drop: true, expected: { ok: true, value: 'Cafe bar' } },
  ])('folds "$text"', ({ text, drop, expected }) => {
    expect(foldToAscii(text, drop)).toEqual(expected);
  });
});

describe('parsePixPayload', () => {
  test.each([
    {
      payload: BCB,
      value: {
        gui: 'br.gov.bcb.pix',
        key: BCB_KEY,
        keyType: 'evp',
        name: 'Fulano de Tal',
        city: 'BRASILIA',
        crc: '1D3D',
      },
      absent: ['amount', 'txid', 'description', 'url', 'postalCode'],
    },
    {
      payload: BCB_UPPER,
      value: { gui: 'BR.GOV.BCB.PIX', key: BCB_KEY, crc: 'F01B' },
      absent: ['amount'],
    },
    {
      payload: THALES,
      value: {
        key: 'thalesog@me.com',
        keyType: 'email',
        description: 'Pedido 123',
        amount: 1000,
        name: 'Thales Ogliari',
        city: 'SC',
      },
      absent: ['txid'],
    },
    {
      payload: THALES_CEP,
      value: {
        key: 'nubank@thalesog.com',
        description: 'PIX de Testes',
        amount: 100,
        city: 'SAO PAULO',
        postalCode: '05409000',
        crc: '581E',
      },
      absent: ['txid'],
    },
    {
      payload: DYNAMIC,
      value: { url: SANDBOX_URL, name: 'Pix', city: 'BRASILIA', crc: 'C7D7' },
      absent: ['key', 'amount'],
    },
  ])('parses $payload', ({ payload, value, absent }) => {
    const result = parsePixPayload(payload);
    expect(result).toMatchObject({ ok: true, value });
    if (!result.ok) return;
    for (const field of absent) expect(result.value).not.toHaveProperty(field);
  });

  test('returns the TLV tree with nested templates', () => {
    const result = parsePixPayload(THALES);
    expect(result.ok && result.value.fields.map((f) => f.id)).toEqual([
      '00',
      '26',
      '52',
      '53',
      '54',
      '58',
      '59',
      '60',
      '62',
      '63',
    ]);
    expect(result.ok && result.value.fields[1]?.children).toEqual([
      { id: '00', value: 'br.gov.bcb.pix' },
      { id: '01', value: 'thalesog@me.com' },
      { id: '02', value: 'Pedido 123' },
    ]);
    expect(result.ok && result.value.fields[8]?.children).toEqual([{ id: '05', value: '***' }]);
  });

  test.each([
    { payload: `${BCB}\n`, crc: '1D3D' },
    { payload: BCB.replace(/1D3D$/, '1d3d'), crc: '1d3d' },
  ])('accepts surrounding whitespace and a lower-case CRC ($crc)', ({ payload, crc }) => {
    expect(parsePixPayload(payload)).toMatchObject({ ok: true, value: { crc } });
  });

  test('reads txid, initiation and amount back', () => {
    const payload = withCrc(
      '000201010212265800' +
        '14br.gov.bcb.pix0136' +
        BCB_KEY +
        '52040000530398654031.55802BR5901A6001B62080504ABC1',
    );
    expect(parsePixPayload(payload)).toMatchObject({
      ok: true,
      value: { initiation: 'single-use', amount: 150, txid: 'ABC1' },
    });
  });

  const account = `26580014br.gov.bcb.pix0136${BCB_KEY}`;
  test.each([
    {
      label: 'a wrong CRC',
      payload: BCB.replace(/1D3D$/, '1D3E'),
      field: '63',
      code: 'crc_mismatch',
    },
    {
      label: 'the upper-case GUI with the lower-case CRC',
      payload: BCB_UPPER.replace(/F01B$/, '1D3D'),
      field: '63',
      code: 'crc_mismatch',
    },
    {
      label: 'an edited name keeping the CRC',
      payload: BCB.replace('Fulano de Tal', 'Fulano de Sal'),
      field: '63',
      code: 'crc_mismatch',
    },
    {
      label: 'a 3-digit CRC',
      payload: BCB.replace(/1D3D$/, 'D3D'),
      field: '63',
      code: 'malformed',
    },
    { label: 'text after the CRC', payload: `${BCB}00`, field: 'payload', code: 'malformed' },
    { label: 'an empty string', payload: '', field: '00', code: 'malformed' },
    {
      label: 'a length running past the end',
      payload: BCB.replace('5913Fulano', '5999Fulano'),
      field: '59',
      code: 'malformed',
    },
    {
      label: 'a non-numeric length',
      payload: BCB.replace('5913Fulano', '59XXFulano'),
      field: 'payload',
      code: 'malformed',
    },
    {
      label: 'a bad length inside template 26',
      payload: withCrc(
        `00020126580014br.gov.bcb.pix0199${BCB_KEY}52040000530398654041.005802BR5901A6001B62070503***`,
      ),
      field: '26.01',
      code: 'malformed',
    },
    {
      label: 'a payload not starting with 000201',
      payload: withCrc(`000202${account}52040000530398654041.005802BR5901A6001B62070503***`),
      field: '00',
      code: 'malformed',
    },
    {
      label: 'a repeated field',
      payload: withCrc(`000201${account}5204000053039865303986` + '5802BR5901A6001B62070503***'),
      field: '53',
      code: 'malformed',
    },
    {
      label: 'a foreign GUI',
      payload: withCrc(
        `00020126550011com.example0136${BCB_KEY}52040000530398654041.005802BR5901A6001B62070503***`,
      ),
      field: '26',
      code: 'required',
    },
    {
      label: 'a template without key or url',
      payload: withCrc(
        `00020126180014br.gov.bcb.pix52040000530398654041.005802BR5901A6001B62070503***`,
      ),
      field: '26.01',
      code: 'required',
    },
    {
      label: 'currency USD',
      payload: withCrc(`000201${account}52040000530384054041.005802BR5901A6001B62070503***`),
      field: '53',
      code: 'unexpected_value',
    },
    {
      label: 'country US',
      payload: withCrc(`000201${account}52040000530398654041.005802US5901A6001B62070503***`),
      field: '58',
      code: 'unexpected_value',
    },
    {
      label: 'a missing name',
      payload: withCrc(`000201${account}52040000530398654041.005802BR6001B62070503***`),
      field: '59',
      code: 'required',
    },
    {
      label: 'a missing city',
      payload: withCrc(`000201${account}52040000530398654041.005802BR5901A62070503***`),
      field: '60',
      code: 'required',
    },
    {
      label: 'a 26-character name',
      payload: withCrc(
        `000201${account}52040000530398654041.005802BR5926${'A'.repeat(26)}6001B62070503***`,
      ),
      field: '59',
      code: 'too_long',
    },
    {
      label: 'a 16-character city',
      payload: withCrc(
        `000201${account}52040000530398654041.005802BR5901A6016${'B'.repeat(16)}62070503***`,
      ),
      field: '60',
      code: 'too_long',
    },
    {
      label: 'a missing field 62',
      payload: withCrc(`000201${account}52040000530398654041.005802BR5901A6001B`),
      field: '62.05',
      code: 'required',
    },
    {
      label: 'a txid with a hyphen',
      payload: withCrc(`000201${account}52040000530398654041.005802BR5901A6001B62070503A-B`),
      field: '62.05',
      code: 'invalid_txid',
    },
    {
      label: 'an amount with 3 decimals',
      payload: withCrc(
        `000201${account}520400005303986540510.0015802BR5901A6001B62070503***`.replace(
          '540510.001',
          '540610.001',
        ),
      ),
      field: '54',
      code: 'invalid_amount',
    },
    {
      label: 'a comma in the amount',
      payload: withCrc(
        `000201${account}52040000530398654051,005802BR5901A6001B62070503***`.replace(
          '54051,00',
          '54041,00',
        ),
      ),
      field: '54',
      code: 'invalid_amount',
    },
    {
      label: 'initiation method 13',
      payload: withCrc(`000201010213${account}52040000530398654041.005802BR5901A6001B62070503***`),
      field: '01',
      code: 'unexpected_value',
    },
  ])('rejects $label naming $field', ({ payload, field, code }) => {
    expect(parsePixPayload(payload)).toMatchObject({ ok: false, field, code });
  });
});

describe('build then parse', () => {
  const asciiText = (max: number) =>
    fc
      .string({ unit: fc.constantFrom(...'abcXYZ019 .-&'), minLength: 1, maxLength: max })
      .map((s) => s.replace(/\s+/g, ' ').trim())
      .filter((s) => s !== '');

  test('returns what was built', () => {
    fc.assert(
      fc.property(
        asciiText(25),
        asciiText(15),
        fc.option(fc.integer({ min: 1, max: 999_999_999_999 }), { nil: undefined }),
        fc.option(fc.stringMatching(/^[A-Za-z0-9]{1,25}$/), { nil: undefined }),
        fc.option(asciiText(37), { nil: undefined }),
        (name, city, amount, txid, description) => {
          const input: PixPayloadInput = { key: BCB_KEY, name, city };
          if (amount !== undefined) input.amount = cents(amount);
          if (txid !== undefined) input.txid = txid;
          if (description !== undefined) input.description = description;
          const parsed = parsePixPayload(buildPixPayloadOrThrow(input));
          expect(parsed.ok).toBe(true);
          if (!parsed.ok) return;
          const { key, name: n, city: c, amount: a, txid: t, description: d } = parsed.value;
          expect({ key, name: n, city: c, amount: a, txid: t, description: d }).toEqual({
            key: BCB_KEY,
            name,
            city,
            amount,
            txid,
            description,
          });
        },
      ),
    );
  });
});
