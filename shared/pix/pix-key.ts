/**
 * PIX keys (chaves): the five kinds the DICT accepts, normalised to the exact text that goes into
 * field 26-01. A key without an explicit type is classified by shape, following the DICT formats:
 * phone keys always carry "+55", so 11 bare digits are a CPF, never a phone.
 */
import * as v from 'valibot';
import { tryParseCnpj, tryParseCpf } from '../identity/document';
import { tryToE164 } from '../identity/phone';
import { pixError, type PixResult } from './pix-error';

export const PixKeyTypes = ['email', 'cpf', 'cnpj', 'phone', 'evp'] as const;
export const PixKeyTypeSchema = v.picklist(
  PixKeyTypes,
  'o tipo de chave PIX deve ser email, cpf, cnpj, phone ou evp',
);
export type PixKeyType = v.InferOutput<typeof PixKeyTypeSchema>;

/** A key as it is written into the BR Code, with its type. */
export interface PixKey {
  type: PixKeyType;
  key: string;
}

// DICT limits and formats (Manual de Padrões para Iniciação do Pix / DICT API).
const EMAIL_MAX = 77;
const EMAIL_RE = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/;
const EVP_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Validates and normalises a PIX key; without `type` the kind is inferred from its shape. */
export function normalisePixKey(raw: string, type?: PixKeyType): PixResult<PixKey> {
  const text = raw.trim();
  if (text === '') return pixError('required', 'key', 'a chave PIX está vazia');
  const kind = type ?? detectKeyType(text);
  if (kind === undefined)
    return pixError(
      'invalid_key',
      'key',
      'a chave PIX não é e-mail, CPF (11 dígitos), CNPJ (14 dígitos), telefone (+55…) nem chave aleatória (UUID)',
    );
  switch (kind) {
    case 'email': {
      const email = text.toLowerCase();
      if (email.length > EMAIL_MAX)
        return pixError('invalid_key', 'key', `a chave de e-mail passa de ${EMAIL_MAX} caracteres`);
      if (!EMAIL_RE.test(email))
        return pixError('invalid_key', 'key', 'a chave de e-mail não é um endereço válido');
      return { ok: true, value: { type: kind, key: email } };
    }
    case 'cpf': {
      const cpf = tryParseCpf(text);
      if (!cpf.ok)
        return pixError(
          'invalid_key',
          'key',
          `${cpf.message} (chaves de telefone se escrevem com +55, DDD e número)`,
        );
      return { ok: true, value: { type: kind, key: cpf.value } };
    }
    case 'cnpj': {
      const cnpj = tryParseCnpj(text);
      if (!cnpj.ok) return pixError('invalid_key', 'key', cnpj.message);
      return { ok: true, value: { type: kind, key: cnpj.value } };
    }
    case 'phone': {
      const phone = tryToE164(text);
      if (!phone.ok) return pixError('invalid_key', 'key', phone.message);
      return { ok: true, value: { type: kind, key: phone.value } };
    }
    case 'evp': {
      const evp = text.toLowerCase();
      if (!EVP_RE.test(evp))
        return pixError('invalid_key', 'key', 'a chave aleatória (EVP) deve ser um UUID');
      return { ok: true, value: { type: kind, key: evp } };
    }
  }
}

/** The key kind implied by the text's shape, or undefined when it matches none. */
export function detectKeyType(text: string): PixKeyType | undefined {
  const t = text.trim();
  if (t.includes('@')) return 'email';
  if (EVP_RE.test(t.toLowerCase())) return 'evp';
  if (t.startsWith('+')) return 'phone';
  const compact = t.replace(/[.\-/\s]/g, '');
  if (/^\d{11}$/.test(compact)) return 'cpf';
  // Alphanumeric CNPJs (from July 2026) keep two numeric check digits at the end.
  if (/^[0-9A-Za-z]{12}\d{2}$/.test(compact)) return 'cnpj';
  return undefined;
}
