import { describe, test, expect } from 'vitest';
import fc from 'fast-check';
import { parsePixTxid, pixTxidFor, PIX_TXID_SEQ_MAX } from './pix-txid';

const ID = '0192d6a0-7c3e-7b2a-9f10-3c4d5e6f7a8b';

describe('pixTxidFor', () => {
  test.each([
    { id: '00000000-0000-0000-0000-000000000000', seq: undefined, txid: '0'.repeat(22) },
    { id: 'ffffffff-ffff-ffff-ffff-ffffffffffff', seq: undefined, txid: '7n42DGM5Tflk9n8mt7Fhc7' },
    { id: '00000000-0000-0000-0000-00000000003e', seq: 61, txid: `${'0'.repeat(20)}10z` },
    {
      id: '00000000-0000-0000-0000-000000000000',
      seq: PIX_TXID_SEQ_MAX,
      txid: `${'0'.repeat(22)}zzz`,
    },
  ])('encodes $id / $seq as $txid', ({ id, seq, txid }) => {
    expect(pixTxidFor(id, seq)).toBe(txid);
  });

  test('is the same for upper- and lower-case ids', () => {
    expect(pixTxidFor(ID.toUpperCase(), 3)).toBe(pixTxidFor(ID, 3));
  });

  test.each([
    { id: 'debt-42', seq: undefined },
    { id: ID, seq: -1 },
    { id: ID, seq: 1.5 },
    { id: ID, seq: PIX_TXID_SEQ_MAX + 1 },
  ])('rejects id $id with seq $seq', ({ id, seq }) => {
    expect(() => pixTxidFor(id, seq)).toThrow(RangeError);
  });

  test('is a valid BR Code txid that parses back to the same debt and sequence', () => {
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.option(fc.integer({ min: 0, max: PIX_TXID_SEQ_MAX }), { nil: undefined }),
        (id, seq) => {
          const txid = pixTxidFor(id, seq);
          expect(txid).toMatch(/^[A-Za-z0-9]{22,25}$/);
          const expected =
            seq === undefined ? { debtId: id.toLowerCase() } : { debtId: id.toLowerCase(), seq };
          expect(parsePixTxid(txid)).toEqual({ ok: true, value: expected });
        },
      ),
    );
  });

  test('gives different debts different txids', () => {
    expect(pixTxidFor(ID)).not.toBe(pixTxidFor(ID.replace(/b$/, 'c')));
  });
});

describe('parsePixTxid', () => {
  test.each([
    { txid: '***' },
    { txid: 'A'.repeat(21) },
    { txid: 'A'.repeat(26) },
    { txid: `${'0'.repeat(21)}-` },
    { txid: 'zzzzzzzzzzzzzzzzzzzzzz' },
  ])('rejects $txid', ({ txid }) => {
    expect(parsePixTxid(txid)).toMatchObject({ ok: false, field: 'txid', code: 'invalid_txid' });
  });
});
