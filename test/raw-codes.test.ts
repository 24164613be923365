/**
 * The raw-code list is derived, not typed: it holds what the issue found on screen (statuses,
 * field names, step and template ids, the SMS encoding), every allowed exception is really in it,
 * and the check reads text the way a person does (codes in words pass, data does not count).
 */
import { describe, expect, test } from 'vitest';
import { ALLOWED, findRawCodes, rawCodeList } from './helpers/raw-codes';

describe('the raw-code list, derived from shared/', () => {
  test('holds the codes that reached the screen before, from where they are defined', async () => {
    const { codes } = await rawCodeList();
    for (const code of [
      'active',
      'pending',
      'open',
      'pending_approval',
      'em_dia',
      'not_assigned',
      'legalname',
      'due_date',
      'document',
      'amount',
      'ucs-2',
      'd+15',
      'd-3.sms',
      'visit',
      'standalone',
    ])
      expect(codes.has(code), code).toBe(true);
    expect(codes.get('pending_approval')).toBe('shared/domain/agreement.schema.ts');
    expect(codes.get('not_assigned')).toBe('shared/sync/push.schema.ts');
    expect(codes.size).toBeGreaterThan(300);
  });

  test('every allowed exception is derived (an entry no longer derived must go)', async () => {
    const { codes } = await rawCodeList();
    expect(Object.keys(ALLOWED).filter((word) => !codes.has(word))).toEqual([]);
  });

  test('finds codes in text, not words or data', async () => {
    const codes = async (text: string) => (await findRawCodes([text])).map((f) => f.code);
    expect(await codes('14/12/2026 active')).toEqual(['active']);
    expect(await codes('Próximo passo: d+15 (visit)')).toEqual(
      expect.arrayContaining(['visit', 'd+15']),
    );
    expect(await codes('SMS: 2 partes (UCS-2)')).toEqual(['ucs-2']);
    expect(await codes('sem conexão: Failed to fetch')).toEqual(['Failed to fetch']);
    expect(await codes('Modelo d-3.sms')).toEqual(expect.arrayContaining(['d-3.sms']));
    // Words, totals, e-mail addresses and links are not codes.
    expect(
      await codes(
        'Total do acordo: R$ 100,00 · PIX · ana.pending@exemplo.com.br · https://pague.example/open',
      ),
    ).toEqual([]);
    expect(await codes('Em atraso · 12 dias em atraso · Mandar WhatsApp · 14/12/2026')).toEqual([]);
    // Literal CSV headers shown as <code> are taken out of the text.
    expect(await findRawCodes(['Coluna CPF ou CNPJ document', '\u0000code:document'])).toEqual([]);
  });
});
