/**
 * Reconciliation txids: a debt's UUID packed into 22 base-62 characters, optionally followed by a
 * 1–3 character base-62 sequence (installment or reissue number), so the txid a payment reports
 * maps back to the debt without a lookup table and stays within the 25 [A-Za-z0-9] limit.
 */
import { pixError, type PixResult } from './pix-error';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ID_CHARS = 22; // 62^22 > 2^128
/** The largest sequence number that fits in the 3 characters left. */
export const PIX_TXID_SEQ_MAX = 62 ** 3 - 1;

function toBase62(n: bigint, width: number): string {
  let out = '';
  let rest = n;
  do {
    out = ALPHABET[Number(rest % 62n)] + out;
    rest /= 62n;
  } while (rest > 0n);
  return out.padStart(width, '0');
}

function fromBase62(text: string): bigint {
  let n = 0n;
  for (const ch of text) n = n * 62n + BigInt(ALPHABET.indexOf(ch));
  return n;
}

/**
 * The txid for debt `debtId` (a UUID) and optional sequence `seq` (0–238327): deterministic,
 * reversible by `parsePixTxid`, 22 characters without `seq` and 23–25 with it.
 */
export function pixTxidFor(debtId: string, seq?: number): string {
  if (!UUID_RE.test(debtId))
    throw new RangeError(`debt id is not a UUID: ${JSON.stringify(debtId)}`);
  const id = toBase62(BigInt(`0x${debtId.replace(/-/g, '')}`), ID_CHARS);
  if (seq === undefined) return id;
  if (!Number.isSafeInteger(seq) || seq < 0 || seq > PIX_TXID_SEQ_MAX)
    throw new RangeError(`txid sequence must be a whole number 0–${PIX_TXID_SEQ_MAX}: ${seq}`);
  return id + toBase62(BigInt(seq), 1);
}

/** Recovers the debt UUID (lower-case) and sequence from a txid made by `pixTxidFor`. */
export function parsePixTxid(txid: string): PixResult<{ debtId: string; seq?: number }> {
  if (!/^[0-9A-Za-z]{22,25}$/.test(txid))
    return pixError(
      'invalid_txid',
      'txid',
      'não é um txid gerado por pixTxidFor (22 a 25 caracteres base-62)',
    );
  const n = fromBase62(txid.slice(0, ID_CHARS));
  if (n >= 1n << 128n)
    return pixError('invalid_txid', 'txid', 'o txid não codifica um identificador de 128 bits');
  const hex = n.toString(16).padStart(32, '0');
  const debtId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  if (txid.length === ID_CHARS) return { ok: true, value: { debtId } };
  return { ok: true, value: { debtId, seq: Number(fromBase62(txid.slice(ID_CHARS))) } };
}
