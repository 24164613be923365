import { describe, expect, test } from 'vitest';
import { cents } from '../money/money';
import { parsePixPayload } from '../pix/pix-payload';
import { txidForDebt } from '../pix/pix-txid';
import { creditorFacts, paymentLink, pixCopyPaste } from './creditor-facts';
import { DEBT, ORG } from './creditor.fixture';

describe('creditorFacts', () => {
  test('identifies the creditor with formatted CNPJ and address (CDC art. 42-A)', () => {
    const facts = creditorFacts(ORG);
    expect(facts).toMatchObject({
      creditor_name: 'Padaria São José Ltda',
      creditor_document: '11.222.333/0001-81',
      creditor_phone: '+5511987654321',
    });
    expect(String(facts.creditor_address)).toContain('Rua das Flores');
  });

  test.each([
    [{ ...ORG, document: null }, 'creditor_document'],
    [{ ...ORG, document: '123' }, 'creditor_document'],
    [{ ...ORG, address: null }, 'creditor_address'],
    [{ ...ORG, phone: null }, 'creditor_phone'],
    [{ ...ORG, legalName: null }, 'creditor_name'],
  ])('leaves out %s when unknown', (org, missing) => {
    expect(creditorFacts(org)).not.toHaveProperty(missing);
  });
});

describe('pixCopyPaste and paymentLink', () => {
  test('a BR Code for the exact amount, folded to ASCII, whose txid leads back to the debt', () => {
    const payload = pixCopyPaste(ORG, DEBT, cents(12_345));
    const parsed = parsePixPayload(payload ?? '');
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.value).toMatchObject({
      amount: 12_345,
      name: 'Padaria Sao Jose',
      city: 'Sao Paulo',
    });
    expect(parsed.value.txid).toBe(txidForDebt(DEBT));
  });

  test('no key, no code; zero amount leaves the amount to the payer', () => {
    expect(pixCopyPaste({ ...ORG, pix: null }, DEBT, cents(100))).toBeUndefined();
    const open = parsePixPayload(pixCopyPaste(ORG, DEBT, cents(0)) ?? '');
    expect(open.ok && open.value.amount).toBeUndefined();
  });

  test('the payment link puts the txid in every slot, and is absent when not configured', () => {
    const link = paymentLink(ORG, DEBT) ?? '';
    expect(link.match(/\{txid\}/g)).toBeNull();
    expect(link.split('?r=')[0]?.endsWith(link.split('?r=')[1] ?? 'x')).toBe(true);
    expect(paymentLink({ ...ORG, paymentLinkTemplate: null }, DEBT)).toBeUndefined();
  });
});
