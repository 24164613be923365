/**
 * Who paid, read from a bank statement line: a name to compare with debtors' names, and a CPF or
 * CNPJ when the bank printed one. Statements upper-case, strip accents, truncate and glue words,
 * so names are compared as keys: lower case, accents folded, anything else a single space — the
 * same key the database keeps for every debtor (`debtors.name_key`, migration 0170), so a name
 * lookup is an indexed equality (or prefix, for a truncated name).
 */
import { tryParseCnpj, tryParseCpf } from '../identity/document';

const FOLD_FROM = 'áàâãäåéèêëíìîïóòôõöúùûüçñýÿ';
const FOLD_TO = 'aaaaaaeeeeiiiiooooouuuucnyy';

/** The comparison key of a name; mirrors `debtors.name_key`. */
export function nameKey(name: string): string {
  let out = '';
  for (const ch of name.toLowerCase()) {
    const i = FOLD_FROM.indexOf(ch);
    out += i >= 0 ? FOLD_TO.charAt(i) : ch;
  }
  return out.replace(/[^a-z0-9]+/g, ' ').trim();
}

/** Words statements put around a payer's name, dropped before the name is used. */
const NOISE = new Set([
  'pix',
  'recebido',
  'receb',
  'rec',
  'credito',
  'cred',
  'transf',
  'transferencia',
  'ted',
  'doc',
  'de',
  'da',
  'do',
  'recebimento',
  'deposito',
  'dep',
  'entrada',
  'qr',
  'code',
  'qrcode',
  'cpf',
  'cnpj',
]);

/**
 * The payer's name key from a statement's NAME/MEMO text, with transaction words, dates, times,
 * digits and txids removed; '' when nothing name-like is left. Articles inside a name are kept
 * ("maria da silva"); only leading transaction words are dropped.
 */
export function payerNameKey(text: string): string {
  const words = nameKey(text.replace(/Q[DPC][0-9A-F]{23}/gi, ' ').replace(/[0-9]+/g, ' '))
    .split(' ')
    .filter((w) => w !== '');
  let start = 0;
  while (start < words.length && NOISE.has(words[start] ?? '')) start++;
  const rest = words.slice(start);
  // A name needs two words of at least two letters; a lone word is too weak to match on.
  if (rest.filter((w) => w.length >= 2).length < 2) return '';
  return rest.join(' ');
}

/**
 * Every valid CPF/CNPJ written in `text` (punctuated or not), check digits verified, as digits.
 * Masked ones (***.456.789-**) are not documents and are left out.
 */
export function findDocuments(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(
    /(?<![0-9A-Za-z])(\d{2}\.?\d{3}\.?\d{3}\/?\d{4}-?\d{2}|\d{3}\.?\d{3}\.?\d{3}-?\d{2})(?![0-9A-Za-z])/g,
  )) {
    const raw = (m[1] ?? '').replace(/\D/g, '');
    if (raw.length === 11) {
      const cpf = tryParseCpf(raw);
      if (cpf.ok) found.add(cpf.value);
    } else if (raw.length === 14) {
      const cnpj = tryParseCnpj(raw);
      if (cnpj.ok) found.add(cnpj.value);
    }
  }
  return [...found];
}
