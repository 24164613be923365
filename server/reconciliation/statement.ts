/**
 * Bank statements as Brazilian banks export them, read into one shape: the credits (money in) with
 * the bank's transaction id (FITID), the day, the amount in centavos, the payer's name and memo.
 *
 * - OFX (every bank): OFX 1.x SGML with unclosed tags, usually declared CHARSET:1252 (Windows-1252)
 *   — BB, Itaú, Bradesco, Caixa and Santander export it so — or OFX 2.x XML in UTF-8. The bytes are
 *   decoded by the header's declaration (falling back to UTF-8, then Windows-1252), then parsed by
 *   `ofx-js` (SGML to XML, no hand-written parser here); this module only validates and
 *   normalises what it returns: amounts with a dot or a comma, dates YYYYMMDD[HHMMSS][tz].
 * - CSV: two layouts, of Nubank (conta: "Data,Valor,Identificador,Descrição", the UUID identifier
 *   as FITID) and of Banco Inter ("Data Lançamento;Histórico;Descrição;Valor;Saldo" after a few
 *   lines of header, no identifier: the FITID is derived from the line, its running balance
 *   included, so two equal payments on a day stay two). Neither bank publishes a CSV layout; these
 *   are the layouts their apps export, as several independent importers describe them. OFX is the
 *   format to prefer.
 *
 * Anything that cannot be read is a `StatementError` with a pt-BR message that names the line or
 * the transaction, and nothing is written (the caller parses before touching the database).
 */
import { createHash } from 'node:crypto';
import Papa from 'papaparse';
import { parseSync } from 'ofx-js';
import { isRealDate, type CalendarDate } from '#shared/time/calendar-date';

export const StatementFormats = ['ofx', 'csv-nubank', 'csv-inter'] as const;
export type StatementFormat = (typeof StatementFormats)[number];

/** One movement of the statement (credits and debits; the caller keeps the credits). */
export interface StatementLine {
  /** The bank's transaction id, unique within the account. */
  fitid: string;
  accountKey: string;
  postedOn: CalendarDate;
  /** Centavos; negative for debits. */
  amount: number;
  name: string | null;
  memo: string | null;
}

export interface ParsedStatement {
  format: StatementFormat;
  accountKeys: string[];
  periodStart: CalendarDate | null;
  periodEnd: CalendarDate | null;
  lines: StatementLine[];
}

/** A statement that cannot be read; `message` is pt-BR and says where. */
export class StatementError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StatementError';
  }
}

/** At most this many movements in one file (a large business's year of statements). */
export const MAX_LINES = 200_000;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const cp1252 = new TextDecoder('windows-1252');

/** Decodes the file's bytes: a declared charset first, else UTF-8, else Windows-1252. */
export function decodeStatement(bytes: Uint8Array): string {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 512));
  const declared =
    /CHARSET:\s*(1252|ISO-8859-1|8859-1)/i.test(head) ||
    /encoding=["'](windows-1252|iso-8859-1)["']/i.test(head)
      ? 'cp1252'
      : /ENCODING:\s*UTF-?8|encoding=["']utf-?8["']/i.test(head)
        ? 'utf8'
        : null;
  let text: string;
  if (declared === 'cp1252') text = cp1252.decode(bytes);
  else {
    try {
      text = utf8.decode(bytes);
    } catch {
      if (declared === 'utf8')
        throw new StatementError('o arquivo declara UTF-8, mas tem bytes que não são UTF-8');
      text = cp1252.decode(bytes);
    }
  }
  return text.replace(/^\uFEFF/, '');
}

/** Reads a statement file of any supported format. */
export function parseStatement(bytes: Uint8Array): ParsedStatement {
  if (bytes.length === 0) throw new StatementError('o arquivo está vazio');
  const text = decodeStatement(bytes);
  if (/<OFX>/i.test(text) || /^\s*OFXHEADER\s*:/i.test(text)) return parseOfx(text);
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  if (/^"?data"?,"?valor"?,"?identificador"?,"?descri/i.test(firstLine)) return parseNubank(text);
  if (/data lan[çc]amento\s*;/i.test(text.slice(0, 2_000))) return parseInter(text);
  throw new StatementError(
    'o arquivo não é um extrato reconhecido: envie o OFX do banco (ou o CSV de conta do Nubank ou do Inter)',
  );
}

type OfxNode = Record<string, unknown>;

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

function field(node: OfxNode, key: string): string | null {
  const value = node[key];
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** YYYYMMDD[HHMMSS[.XXX]][[-3:BRT]] → the calendar day as the bank wrote it. */
function ofxDate(text: string | null, what: string): CalendarDate {
  const m = text === null ? null : /^(\d{4})(\d{2})(\d{2})/.exec(text);
  const day = m ? `${m[1]}-${m[2]}-${m[3]}` : '';
  if (!m || !isRealDate(day))
    throw new StatementError(`${what} tem data inválida: ${JSON.stringify(text ?? '')}`);
  return day as CalendarDate;
}

/** "124.17", "-10,00", "1.234,56", "+5" → centavos; null when it is not an amount. */
export function amountToCents(text: string): number | null {
  const t = text.replace(/\s|R\$/g, '');
  const m = /^([+-])?(\d{1,3}(?:[.,]\d{3})*|\d+)(?:([.,])(\d{1,2}))?$/.exec(t);
  if (!m) return null;
  const [, sign, whole = '', sep, frac] = m;
  // "1.234" with no decimals is ambiguous in a statement only when the separator could be a
  // thousands one; amounts with exactly three digits after the only separator are refused.
  if (sep === undefined && /[.,]/.test(whole)) {
    const groups = whole.split(/[.,]/);
    if (groups.length === 2 && groups[1]?.length === 3) return null;
  }
  const reais = Number(whole.replace(/[.,]/g, ''));
  const centavos = Number((frac ?? '').padEnd(2, '0'));
  if (!Number.isSafeInteger(reais * 100 + centavos)) return null;
  const value = reais * 100 + centavos;
  return sign === '-' ? -value : value;
}

function accountKeyOf(from: OfxNode | undefined, prefix: string): string {
  if (!from) return prefix;
  const parts = ['BANKID', 'BRANCHID', 'ACCTID'].map((k) => field(from, k) ?? '');
  return `${prefix}:${parts.filter((p) => p !== '').join(':')}`;
}

/** OFX 1.x (SGML) or 2.x (XML). */
export function parseOfx(text: string): ParsedStatement {
  if (!/<OFX>/i.test(text))
    throw new StatementError('o arquivo não é um extrato OFX: não há a marcação <OFX>');
  let parsed: { OFX: unknown };
  try {
    // ofx-js is case-sensitive about tags: OFX tags are upper case by the spec.
    parsed = parseSync(text.replace(/<(\/?)ofx>/gi, '<$1OFX>'));
  } catch (error) {
    const tag = /Missing closing tag for (\S+)/.exec(
      error instanceof Error ? error.message : '',
    )?.[1];
    throw new StatementError(
      tag
        ? `o extrato OFX está malformado: a marcação <${tag}> não foi fechada`
        : 'o extrato OFX está malformado e não pôde ser lido',
    );
  }
  const root = parsed.OFX;
  if (typeof root !== 'object' || root === null)
    throw new StatementError('o extrato OFX está vazio ou malformado');
  const ofx = root as OfxNode;
  const statements: { rs: OfxNode; key: string }[] = [];
  for (const rs of asList((ofx['BANKMSGSRSV1'] as OfxNode | undefined)?.['STMTTRNRS'])) {
    const stmt = (rs as OfxNode)['STMTRS'] as OfxNode | undefined;
    if (stmt)
      statements.push({ rs: stmt, key: accountKeyOf(stmt['BANKACCTFROM'] as OfxNode, 'banco') });
  }
  for (const rs of asList((ofx['CREDITCARDMSGSRSV1'] as OfxNode | undefined)?.['CCSTMTTRNRS'])) {
    const stmt = (rs as OfxNode)['CCSTMTRS'] as OfxNode | undefined;
    if (stmt)
      statements.push({ rs: stmt, key: accountKeyOf(stmt['CCACCTFROM'] as OfxNode, 'cartao') });
  }
  if (statements.length === 0)
    throw new StatementError(
      'o OFX não traz extrato de conta (BANKMSGSRSV1/STMTTRNRS): exporte o extrato da conta corrente',
    );
  const lines: StatementLine[] = [];
  let periodStart: CalendarDate | null = null;
  let periodEnd: CalendarDate | null = null;
  for (const { rs, key } of statements) {
    const currency = field(rs, 'CURDEF');
    if (currency !== null && currency.toUpperCase() !== 'BRL')
      throw new StatementError(
        `o extrato está em ${currency}; só extratos em reais (BRL) são aceitos`,
      );
    const list = rs['BANKTRANLIST'] as OfxNode | undefined;
    if (!list) continue;
    const start = field(list, 'DTSTART');
    const end = field(list, 'DTEND');
    if (start) {
      const s = ofxDate(start, 'o início do período (DTSTART)');
      if (periodStart === null || s < periodStart) periodStart = s;
    }
    if (end) {
      const e = ofxDate(end, 'o fim do período (DTEND)');
      if (periodEnd === null || e > periodEnd) periodEnd = e;
    }
    for (const [i, raw] of asList(list['STMTTRN']).entries()) {
      if (typeof raw !== 'object' || raw === null)
        throw new StatementError(`a transação nº ${i + 1} do extrato está vazia`);
      const trn = raw as OfxNode;
      const fitid = field(trn, 'FITID');
      const where = `a transação nº ${i + 1}${fitid ? ` (FITID ${fitid})` : ''}`;
      if (fitid === null)
        throw new StatementError(
          `${where} não tem identificador (FITID); sem ele o mesmo extrato seria contado duas vezes`,
        );
      if (fitid.length > 255) throw new StatementError(`${where} tem um FITID longo demais`);
      const amountText = field(trn, 'TRNAMT');
      if (amountText === null) throw new StatementError(`${where} não tem valor (TRNAMT)`);
      const amount = amountToCents(amountText);
      if (amount === null)
        throw new StatementError(`${where} tem valor inválido: ${JSON.stringify(amountText)}`);
      const postedOn = ofxDate(field(trn, 'DTPOSTED'), where);
      lines.push({
        fitid,
        accountKey: key,
        postedOn,
        amount,
        name: field(trn, 'NAME') ?? field(trn, 'PAYEE'),
        memo:
          [field(trn, 'MEMO'), field(trn, 'CHECKNUM'), field(trn, 'REFNUM')]
            .filter((x): x is string => x !== null)
            .join(' ') || null,
      });
      if (lines.length > MAX_LINES)
        throw new StatementError(`o extrato passa de ${MAX_LINES} lançamentos; divida o período`);
    }
  }
  return {
    format: 'ofx',
    accountKeys: [...new Set(statements.map((s) => s.key))],
    periodStart,
    periodEnd,
    lines,
  };
}

/** DD/MM/YYYY → calendar day, or null. */
function brDate(text: string): CalendarDate | null {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text.trim());
  if (!m) return null;
  const day = `${m[3]}-${m[2]}-${m[1]}`;
  return isRealDate(day) ? (day as CalendarDate) : null;
}

function csvRows(text: string, delimiter: string): string[][] {
  const result = Papa.parse<string[]>(text, { delimiter, skipEmptyLines: true });
  const fatal = result.errors.find((e) => e.type === 'Quotes');
  if (fatal)
    throw new StatementError(
      `o CSV está malformado na linha ${(fatal.row ?? 0) + 1}: aspas sem fechamento`,
    );
  return result.data;
}

/** Nubank (conta): Data,Valor,Identificador,Descrição — DD/MM/YYYY, dot decimals, UUID ids. */
export function parseNubank(text: string): ParsedStatement {
  const rows = csvRows(text, ',');
  const lines: StatementLine[] = [];
  for (const [i, row] of rows.slice(1).entries()) {
    const n = i + 2;
    const [date = '', value = '', id = '', description = ''] = row;
    const postedOn = brDate(date);
    if (postedOn === null)
      throw new StatementError(`linha ${n}: data inválida ${JSON.stringify(date)}`);
    const amount = amountToCents(value);
    if (amount === null)
      throw new StatementError(`linha ${n}: valor inválido ${JSON.stringify(value)}`);
    if (id.trim() === '')
      throw new StatementError(`linha ${n}: falta o Identificador da transação`);
    lines.push({
      fitid: id.trim(),
      accountKey: 'nubank',
      postedOn,
      amount,
      name: null,
      memo: description.trim() || null,
    });
  }
  return summary('csv-nubank', ['nubank'], lines);
}

/** Banco Inter: header lines, then Data Lançamento;Histórico;Descrição;Valor;Saldo. */
export function parseInter(text: string): ParsedStatement {
  const rows = csvRows(text, ';');
  const headerAt = rows.findIndex((r) => /data lan[çc]amento/i.test(r[0] ?? ''));
  if (headerAt < 0)
    throw new StatementError('o CSV do Inter não tem a linha de cabeçalho "Data Lançamento"');
  const account = rows
    .slice(0, headerAt)
    .find((r) => /^conta/i.test((r[0] ?? '').trim()))?.[1]
    ?.replace(/\D/g, '');
  const accountKey = account ? `inter:${account}` : 'inter';
  const lines: StatementLine[] = [];
  for (const [i, row] of rows.slice(headerAt + 1).entries()) {
    const n = headerAt + i + 2;
    const [date = '', history = '', description = '', value = '', balance = ''] = row.map((c) =>
      c.trim(),
    );
    const postedOn = brDate(date);
    if (postedOn === null)
      throw new StatementError(`linha ${n}: data inválida ${JSON.stringify(date)}`);
    const amount = amountToCents(value);
    if (amount === null)
      throw new StatementError(`linha ${n}: valor inválido ${JSON.stringify(value)}`);
    // No transaction id in this layout: the line itself (with the balance after it) names it.
    const fitid = `inter:${createHash('sha256')
      .update([date, history, description, value, balance].join('\u0001'))
      .digest('hex')
      .slice(0, 40)}`;
    lines.push({
      fitid,
      accountKey,
      postedOn,
      amount,
      name: null,
      memo: [history, description].filter((x) => x !== '').join(' ') || null,
    });
  }
  return summary('csv-inter', [accountKey], lines);
}

function summary(
  format: StatementFormat,
  accountKeys: string[],
  lines: StatementLine[],
): ParsedStatement {
  if (lines.length > MAX_LINES)
    throw new StatementError(`o extrato passa de ${MAX_LINES} lançamentos; divida o período`);
  const days = lines.map((l) => l.postedOn).sort();
  return {
    format,
    accountKeys,
    periodStart: days[0] ?? null,
    periodEnd: days.at(-1) ?? null,
    lines,
  };
}
