/**
 * The creditor identity as the guide reads and writes it. `PUT /api/settings/organisation`
 * replaces the whole identity, so a step that changes one part sends every other part as it was
 * read (PIX merchant name and city, payment link, time zone, retention), with the version read
 * (If-Match): a concurrent edit in Ajustes is refused, never overwritten.
 */
import { api } from '../../../app/api';

export interface Address {
  street: string;
  number: string;
  complement?: string;
  district: string;
  city: string;
  state: string;
  postalCode: string;
}

export type PixKeyType = 'cnpj' | 'cpf' | 'email' | 'phone' | 'evp';

export interface Organisation {
  configured: boolean;
  legalName: string | null;
  tradeName: string | null;
  document: string | null;
  address: Address | null;
  phone: string | null;
  pix: { key: string; keyType: PixKeyType } | null;
  pixMerchantName: string | null;
  pixMerchantCity: string | null;
  paymentLinkTemplate: string | null;
  timeZone: string;
  state: string;
  retentionDays: number;
  version: number;
}

export interface Identity {
  legalName: string;
  tradeName?: string;
  document: string;
  phone?: string;
  address: Address;
}

export function loadOrganisation(): Promise<Organisation> {
  return api<Organisation>('GET', '/api/settings/organisation');
}

/** The identity as read, for a step that keeps it; null when it was never saved. */
export function identityOf(org: Organisation): Identity | null {
  if (!org.configured || !org.legalName || !org.document || !org.address) return null;
  return {
    legalName: org.legalName,
    ...(org.tradeName ? { tradeName: org.tradeName } : {}),
    document: org.document,
    ...(org.phone ? { phone: org.phone } : {}),
    address: org.address,
  };
}

/** Saves `identity` and `pix` over `org`, keeping every other part as it was read. */
export function saveOrganisation(
  org: Organisation,
  identity: Identity,
  pix: { key: string; keyType: PixKeyType } | null,
): Promise<Organisation> {
  return api<Organisation>('PUT', '/api/settings/organisation', {
    headers: { 'if-match': `"${org.version}"` },
    json: {
      ...identity,
      ...(pix ? { pix } : {}),
      ...(org.pixMerchantName ? { pixMerchantName: org.pixMerchantName } : {}),
      ...(org.pixMerchantCity ? { pixMerchantCity: org.pixMerchantCity } : {}),
      ...(org.paymentLinkTemplate ? { paymentLinkTemplate: org.paymentLinkTemplate } : {}),
      timeZone: org.timeZone,
      // A first save takes the rules of the address's state; later saves keep the chosen one.
      ...(org.configured ? { state: org.state } : {}),
      retentionDays: org.retentionDays,
    },
  });
}
