import { describe, test, expect } from 'vitest';
import fc from 'fast-check';
import { buildPixPayload, parsePixPayload } from './pix-payload';
import {
  findQuitaTxids,
  parseQuitaTxid,
  pixTxid,
  pixTxidFor,
  txidForDebt,
  txidForDebtor,
  txidForBalance,
  txidForInstallment,
  txidSeed,
} from './pix-txid';

const ID = '0192d6a0-7c3e-7b2a-9f10-3c4d5e6f7a8b';
const OTHER = '0192d6a0-7c3e-7b2a-9f10-3c4d5e6f7a8c';

describe('pixTxid', () => {
  // Pinned values: a txid already printed in a message must never change meaning. The digits are
  // md5 of the seed (echo -n 'quita:debt:0192…' | md5sum), first 23, upper-cased.
  test.each([
    { target: { kind: 'debt' as const, debtId: ID }, seed: `quita:debt:${ID}` },
    { target: { kind: 'debtor' as const, debtorId: ID }, seed: `quita:debtor:${ID}` },
    {
      target: { kind: 'installment' as const, agreementId: ID, number: 0 },
      seed: `quita:installment:${ID}:0`,
    },
    {
      target: { kind: 'installment' as const, agreementId: ID, number: 12 },
      seed: `quita:installment:${ID}:12`,
    },
  ])('$target.kind is derived from "$seed"', ({ target, seed }) => {
    expect(txidSeed(target)).toBe(seed);
    const txid = pixTxid(target);
    expect(txid).toMatch(/^Q[DPC][0-9A-F]{23}$/);
    expect(txid).toHaveLength(25);
  });

  test('pins the derivation', () => {
    expect(txidForDebt(ID)).toBe('QD2BCADAB5D19229F22E12EEA');
    expect(txidForDebtor(ID)).toBe('QC248849DD7FDD6279B99940C');
    expect(txidForInstallment(ID, 1)).toBe('QP03187E3D3B942D1C5C832FB');
  });

  test('the kind letter says what is named', () => {
    expect(txidForDebt(ID).slice(0, 2)).toBe('QD');
    expect(txidForInstallment(ID, 3).slice(0, 2)).toBe('QP');
    expect(txidForDebtor(ID).slice(0, 2)).toBe('QC');
    expect(pixTxidFor(ID)).toBe(txidForDebt(ID));
  });

  test('is the same for upper- and lower-case ids, different for another id or number', () => {
    expect(txidForDebt(ID.toUpperCase())).toBe(txidForDebt(ID));
    expect(txidForDebt(ID)).not.toBe(txidForDebt(OTHER));
    expect(txidForInstallment(ID, 1)).not.toBe(txidForInstallment(ID, 2));
    expect(txidForDebt(ID).slice(2)).not.toBe(txidForDebtor(ID).slice(2));
  });

  test.each([
    () => txidForDebt('debt-42'),
    () => txidForDebtor(''),
    () => txidForInstallment(ID, -1),
    () => txidForInstallment(ID, 1.5),
    () => txidForInstallment(ID, 1000),
  ])('refuses bad input %#', (make) => {
    expect(make).toThrow(RangeError);
  });

  test('every derived txid is a valid BR Code reference label, never ***', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.integer({ min: 0, max: 120 }), (id, n) => {
        for (const txid of [txidForDebt(id), txidForDebtor(id), txidForInstallment(id, n)]) {
          const built = buildPixPayload({ key: 'loja@example.com', name: 'A', city: 'B', txid });
          if (!built.ok) throw new Error(built.message);
          const parsed = parsePixPayload(built.value);
          expect(parsed.ok && parsed.value.txid).toBe(txid);
          expect(parseQuitaTxid(txid)).toMatchObject({ ok: true, value: { txid } });
        }
      }),
    );
  });
});

describe('parseQuitaTxid', () => {
  test('reads any case and names the kind', () => {
    const txid = txidForInstallment(ID, 2);
    expect(parseQuitaTxid(` ${txid.toLowerCase()} `)).toEqual({
      ok: true,
      value: { txid, kind: 'installment' },
    });
  });

  test.each(['***', 'QD123', `QX${'0'.repeat(23)}`, `QD${'G'.repeat(23)}`, `QD${'0'.repeat(24)}`])(
    'refuses %s',
    (txid) => {
      expect(parseQuitaTxid(txid)).toMatchObject({
        ok: false,
        field: 'txid',
        code: 'invalid_txid',
      });
    },
  );
});

describe('findQuitaTxids', () => {
  const debt = txidForDebt(ID);
  const installment = txidForInstallment(OTHER, 1);
  test.each([
    { text: `PIX RECEBIDO ${debt} FULANO`, found: [debt] },
    { text: `pix recebido ${debt.toLowerCase()}`, found: [debt] },
    { text: `PIXREC${debt}12/03`, found: [debt] },
    { text: `${debt} ${installment} ${debt}`, found: [debt, installment] },
    { text: 'PIX RECEBIDO FULANO DE TAL 123.456.789-00', found: [] },
    { text: 'E1823612020231212141201234567890', found: [] },
  ])('in "$text"', ({ text, found }) => {
    expect(findQuitaTxids(text)).toEqual(found);
  });
});

describe('txidForBalance', () => {
  test.each([
    {
      label: 'the next installment of an active agreement',
      input: {
        debtorId: ID,
        openDebtIds: [OTHER],
        nextInstallment: { agreementId: OTHER, number: 2 },
      },
      txid: txidForInstallment(OTHER, 2),
    },
    {
      label: 'the only open debt',
      input: { debtorId: ID, openDebtIds: [OTHER] },
      txid: txidForDebt(OTHER),
    },
    {
      label: 'the debtor for several debts',
      input: { debtorId: ID, openDebtIds: [OTHER, ID] },
      txid: txidForDebtor(ID),
    },
    {
      label: 'the debtor with nothing open',
      input: { debtorId: ID, openDebtIds: [] },
      txid: txidForDebtor(ID),
    },
  ])('$label', ({ input, txid }) => {
    expect(txidForBalance(input)).toBe(txid);
  });
});
