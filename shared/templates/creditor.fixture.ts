/**
 * TEST ONLY: one creditor and one debt id for the template fact tests (creditor-facts,
 * step-facts), so they read the same organisation.
 */
import type { CreditorSettings } from './creditor-facts';

export const DEBT = '01890a5d-ac96-774b-bcce-b302099a8057';

export const ORG: CreditorSettings = {
  legalName: 'Padaria São José Ltda',
  tradeName: 'Padaria São José',
  document: '11222333000181',
  address: {
    street: 'Rua das Flores',
    number: '100',
    district: 'Centro',
    city: 'São Paulo',
    state: 'SP',
    postalCode: '01001000',
  },
  phone: '+5511987654321',
  pix: { key: 'cobranca@padaria.com.br', keyType: 'email' },
  pixMerchantName: null,
  pixMerchantCity: null,
  paymentLinkTemplate: 'https://pague.example/{txid}?r={txid}',
};
