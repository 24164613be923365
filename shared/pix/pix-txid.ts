/**
 * Reconciliation txids: the reference label (BR Code field 62-05) every PIX code Quita emits
 * carries, so the credit on the bank statement names what it pays.
 *
 * Format (25 characters, the static-QR maximum): `Q` + a kind letter + 23 upper-case hex digits.
 *   - `QD…` a debt (título), from the debt's id;
 *   - `QP…` an installment of an agreement, from the agreement's id and the installment number
 *     (0 = down payment), so a phone that proposed an agreement offline knows every installment's
 *     txid before the server has seen it;
 *   - `QC…` a debtor (cliente): "everything this debtor owes", for a code over several debts.
 * The digits are the first 23 of md5(`quita:<kind>:<id>[:<number>]`) — 92 bits, so two live ids
 * collide with probability ~n²/2^93 (1 in 10^16 for a million ids); the database refuses a
 * collision anyway (unique index).
 *
 * Why not a reversible base-62 encoding of the UUID: bank statements (OFX MEMO/NAME, CSV exports)
 * often come upper-cased, and base-62 does not survive that. Hex letters and the two prefix
 * letters do, and `findQuitaTxids` reads them case-insensitively. The derivation is a pure
 * function of the id: the phone derives it offline, and PostgreSQL derives the same text in a
 * generated column (`md5()` is built in), so a statement is matched with one indexed join.
 * Never `***`: a code without a txid cannot be matched.
 */
import { md5Hex } from './md5';
import { pixError, type PixResult } from './pix-error';

/** What a txid names. */
export type TxidTarget =
  | { kind: 'debt'; debtId: string }
  | { kind: 'installment'; agreementId: string; number: number }
  | { kind: 'debtor'; debtorId: string };
export type TxidKind = TxidTarget['kind'];

/** The prefix letter of each kind (after the leading Q). */
export const TXID_KIND_LETTERS = { debt: 'D', installment: 'P', debtor: 'C' } as const;
const KIND_OF_LETTER: Readonly<Record<string, TxidKind>> = {
  D: 'debt',
  P: 'installment',
  C: 'debtor',
};

export const QUITA_TXID_LENGTH = 25;
const HASH_DIGITS = QUITA_TXID_LENGTH - 2;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TXID_RE = /^Q[DPC][0-9A-F]{23}$/;
/** Largest installment number (a schedule has at most 120 entries after the down payment). */
const INSTALLMENT_MAX = 999;

function uuid(id: string, what: string): string {
  if (!UUID_RE.test(id)) throw new RangeError(`${what} is not a UUID: ${JSON.stringify(id)}`);
  return id.toLowerCase();
}

/**
 * The text whose md5 gives the txid digits. The database's generated columns hash exactly this
 * (server/db/migrations/0170-reconciliation.sql); a test compares both on PGlite and PostgreSQL.
 */
export function txidSeed(target: TxidTarget): string {
  switch (target.kind) {
    case 'debt':
      return `quita:debt:${uuid(target.debtId, 'debt id')}`;
    case 'debtor':
      return `quita:debtor:${uuid(target.debtorId, 'debtor id')}`;
    case 'installment': {
      const n = target.number;
      if (!Number.isSafeInteger(n) || n < 0 || n > INSTALLMENT_MAX)
        throw new RangeError(`installment number must be 0–${INSTALLMENT_MAX}: ${n}`);
      return `quita:installment:${uuid(target.agreementId, 'agreement id')}:${n}`;
    }
  }
}

/** The txid of `target`: 25 characters of [0-9A-Z], stable for as long as the id exists. */
export function pixTxid(target: TxidTarget): string {
  return `Q${TXID_KIND_LETTERS[target.kind]}${md5Hex(txidSeed(target)).slice(0, HASH_DIGITS).toUpperCase()}`;
}

/** The txid of a debt. */
export function txidForDebt(debtId: string): string {
  return pixTxid({ kind: 'debt', debtId });
}

/** The txid of installment `number` (0 = down payment) of an agreement. */
export function txidForInstallment(agreementId: string, number: number): string {
  return pixTxid({ kind: 'installment', agreementId, number });
}

/** The txid of everything a debtor owes. */
export function txidForDebtor(debtorId: string): string {
  return pixTxid({ kind: 'debtor', debtorId });
}

/** Kept name: the txid of a debt (the payment-link `{txid}` and the cadence's PIX code). */
export const pixTxidFor = txidForDebt;

/** Checks that `txid` has the Quita shape (any case) and says which kind of thing it names. */
export function parseQuitaTxid(txid: string): PixResult<{ txid: string; kind: TxidKind }> {
  const upper = txid.trim().toUpperCase();
  if (!TXID_RE.test(upper))
    return pixError(
      'invalid_txid',
      'txid',
      'não é um txid do Quita (Q, uma letra D/P/C e 23 dígitos hexadecimais)',
    );
  return { ok: true, value: { txid: upper, kind: KIND_OF_LETTER[upper.charAt(1)] ?? 'debt' } };
}

/**
 * Every Quita txid inside free text (an OFX MEMO or NAME, a CSV description), upper-cased, in
 * order of appearance and without repeats. Case-insensitive, and not anchored to word breaks: a
 * bank that glues the txid to other text ("PIXQD1A…") still yields it.
 */
export function findQuitaTxids(text: string): string[] {
  const found = text.toUpperCase().match(/Q[DPC][0-9A-F]{23}/g) ?? [];
  return [...new Set(found)];
}

/**
 * The txid of a code for what a debtor owes now (the phone's "PIX do saldo", a message about the
 * whole balance): the next open installment of an active agreement; else the only open debt;
 * else the debtor, whose credit the server spreads over the open debts, oldest first.
 */
export function txidForBalance(input: {
  debtorId: string;
  openDebtIds: readonly string[];
  nextInstallment?: { agreementId: string; number: number } | null;
}): string {
  if (input.nextInstallment)
    return txidForInstallment(input.nextInstallment.agreementId, input.nextInstallment.number);
  const [only, ...rest] = input.openDebtIds;
  if (only !== undefined && rest.length === 0) return txidForDebt(only);
  return txidForDebtor(input.debtorId);
}
