import * as v from 'valibot';
import { describe, expect, test } from 'vitest';
import { defaultDeviceName, deviceModel, DeviceNameSchema, uniqueDeviceName } from './device-name';

const MOTO =
  'Mozilla/5.0 (Linux; Android 11; moto g(60) Build/RRI31.Q1-42-51-8; wv) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36';
const REDUCED =
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';
const SAMSUNG =
  'Mozilla/5.0 (Linux; Android 13; SM-A145M) AppleWebKit/537.36 Chrome/116.0 Mobile Safari/537.36';
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15';
const DESKTOP = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36';

describe('device names', () => {
  test.each([
    [MOTO, null, 'Moto g(60)'],
    [SAMSUNG, null, 'SM-A145M'],
    [REDUCED, null, null],
    [REDUCED, 'moto g54 5G', 'Moto g54 5G'],
    [REDUCED, 'K', null],
    [IPHONE, null, 'iPhone'],
    [DESKTOP, null, null],
  ])('the model of %s (hint %s) is %s', (ua, hint, model) => {
    expect(deviceModel(ua, hint)).toBe(model);
  });

  test('model (or kind) and first name', () => {
    expect(defaultDeviceName({ userAgent: MOTO, collectorName: 'Carlos Campo' })).toBe(
      'Moto g(60) de Carlos',
    );
    expect(defaultDeviceName({ userAgent: REDUCED, collectorName: 'Carlos Campo' })).toBe(
      'Celular de Carlos',
    );
    expect(defaultDeviceName({ userAgent: DESKTOP, collectorName: 'Ana' })).toBe(
      'Computador de Ana',
    );
  });

  test('two phones of one collector get different names', () => {
    expect(uniqueDeviceName('Celular de Carlos', [])).toBe('Celular de Carlos');
    expect(uniqueDeviceName('Celular de Carlos', ['celular de carlos'])).toBe(
      'Celular de Carlos (2)',
    );
    expect(
      uniqueDeviceName('Celular de Carlos', ['Celular de Carlos', 'Celular de Carlos (2)']),
    ).toBe('Celular de Carlos (3)');
    expect(uniqueDeviceName('x'.repeat(60), ['x'.repeat(60)])).toHaveLength(60);
  });

  test('the schema says what the database CHECK says: 1 to 60 characters, trimmed', () => {
    expect(v.parse(DeviceNameSchema, '  Moto G de Carlos ')).toBe('Moto G de Carlos');
    expect(v.safeParse(DeviceNameSchema, '   ').success).toBe(false);
    expect(v.safeParse(DeviceNameSchema, 'x'.repeat(61)).success).toBe(false);
    expect(v.safeParse(DeviceNameSchema, 'x'.repeat(60)).success).toBe(true);
  });
});
