/**
 * "Words, not codes": the list of internal codes a screen must never show, DERIVED from the
 * project's own contracts so that a new enum or field cannot slip through unchecked, and the check
 * that reads a page the way a person does.
 *
 * The list is built from every module under shared/ (tests and fixtures aside):
 * - every valibot schema exported there, walked to the leaves: each object's FIELD NAMES
 *   ("legalName", "due_date"), each picklist/enum option and string literal ("pending",
 *   "pending_approval", "em_dia"), variants and unions, arrays, records, optionals, pipes;
 * - every exported array of strings (the `as const` enum lists: "UCS-2", "not_assigned", …);
 * - the default régua's step and template ids ("d+15", "d-3.sms") and the default templates' ids;
 * plus patterns for what data can mint anew (any step id "d+N", any "step.channel" template id)
 * and the browser's own English failures ("Failed to fetch", "undefined", "[object Object]").
 *
 * A few derived tokens are also plain Portuguese or the names people use ("total", "data",
 * "PIX", "SMS", "CPF"…): ALLOWED lists them, each with why, and the test of this module proves
 * every allowed entry is really derived (an entry that no longer is must go).
 *
 * What a person reads: the page's rendered text (`innerText`: visible text, option labels) and
 * the names assistive technology reads (aria-label, title, placeholder, alt), in every frame.
 * Not read: what the person typed or the data itself (input and textarea values), `<code>`
 * elements (literal text the person types elsewhere, e.g. a CSV header), e-mail addresses and
 * URLs inside the text.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Frame, Page } from 'playwright-core';

const ROOT = join(import.meta.dirname, '..', '..');
const SHARED = join(ROOT, 'shared');

/** Derived tokens that are also words on a pt-BR screen, and why each may show. */
export const ALLOWED: Readonly<Record<string, string>> = {
  total: 'Portuguese word ("Total do acordo")',
  data: 'Portuguese word ("data" = date)',
  local: 'Portuguese word ("local de trabalho")',
  principal: 'Portuguese word ("Menu principal")',
  original: 'Portuguese word ("Valor original")',
  manual: 'Portuguese word (a step\'s mode: "manual")',
  code: 'part of "QR Code", as Brazilians call it',
  formal: 'Portuguese word (a tone name in words is "formal")',
  individual: 'Portuguese word',
  judicial: 'Portuguese word ("cobrança judicial")',
  extra: 'Portuguese word ("feriado extra")',
  boleto: 'Portuguese word: the payment slip',
  site: 'Portuguese word in Brazil ("o site")',
  chat: 'Portuguese word in Brazil ("o chat")',
  token: 'Portuguese word in Brazil ("token pessoal" in the extension options)',
  acordo: "Portuguese word; a debtor's status shows as its label (pwa words test)",
  promessa: "Portuguese word; a debtor's status shows as its label (pwa words test)",
  vencido: "Portuguese word; a debtor's status shows as its label (pwa words test)",
  disputa: "Portuguese word; a debtor's status shows as its label (pwa words test)",
  negativado: "Portuguese word; a debtor's status shows as its label (pwa words test)",
  protesto: 'Portuguese word (the escalation "protesto")',
  gmail: 'the product\'s name ("Gmail")',
  pix: 'the payment system\'s name ("PIX")',
  sms: 'the channel\'s name ("SMS")',
  whatsapp: 'the channel\'s name ("WhatsApp")',
  cpf: 'the Brazilian document\'s name ("CPF")',
  cnpj: 'the Brazilian document\'s name ("CNPJ")',
  evp: 'how banks name a random PIX key ("chave aleatória (EVP)")',
  ofx: 'the bank statement file format as banks name it ("extrato OFX")',
};

/** Patterns for codes that data can create, beside the derived list. */
export const CODE_PATTERNS: readonly { name: string; re: RegExp }[] = [
  { name: 'cadence step id', re: /(?<![\p{L}\p{N}])d[+-]\d+(?![\p{L}\p{N}])/u },
  { name: 'template id', re: /(?<![\p{L}\p{N}_])[a-z][\w+-]*\.(?:sms|whatsapp|email)\b/u },
  { name: 'browser error', re: /Failed to fetch|NetworkError|Load failed|TypeError/ },
  { name: 'missing value', re: /(?<![\p{L}])(?:undefined|NaN|null)(?![\p{L}])|\[object \w+\]/u },
  { name: 'ISO instant', re: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/ },
  { name: 'ISO date', re: /(?<![\d/])\d{4}-\d{2}-\d{2}(?![\d/])/ },
];

function sharedModules(dir = SHARED): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sharedModules(path));
    else if (entry.name.endsWith('.ts') && !/\.(test|fixture)\.ts$/.test(entry.name))
      out.push(path);
  }
  return out.sort();
}

interface SchemaLike {
  kind?: unknown;
  type?: unknown;
  entries?: Record<string, unknown>;
  options?: unknown;
  literal?: unknown;
  enum?: Record<string, unknown>;
  item?: unknown;
  items?: unknown[];
  key?: unknown;
  value?: unknown;
  wrapped?: unknown;
  pipe?: unknown[];
  rest?: unknown;
}

const isSchema = (x: unknown): x is SchemaLike =>
  typeof x === 'object' && x !== null && (x as SchemaLike).kind === 'schema';

/** Adds the field names and string options reachable from a schema to `add`. */
function walkSchema(schema: SchemaLike, add: (code: string) => void, seen: Set<unknown>): void {
  if (seen.has(schema)) return;
  seen.add(schema);
  const visit = (x: unknown) => {
    if (isSchema(x)) walkSchema(x, add, seen);
  };
  if (schema.entries)
    for (const [field, inner] of Object.entries(schema.entries)) {
      add(field);
      visit(inner);
    }
  if (Array.isArray(schema.options))
    for (const option of schema.options) {
      if (typeof option === 'string') add(option);
      else visit(option);
    }
  if (typeof schema.literal === 'string') add(schema.literal);
  if (schema.enum) for (const v of Object.values(schema.enum)) if (typeof v === 'string') add(v);
  for (const x of [schema.item, schema.key, schema.value, schema.wrapped, schema.rest]) visit(x);
  for (const x of schema.items ?? []) visit(x);
  for (const x of schema.pipe ?? []) if (x !== schema) visit(x);
}

/** A token worth checking: long enough to mean something, not a 2-letter UF or a bare number. */
function worthChecking(code: string): boolean {
  if (code.length < 3) return false;
  if (/^\d+$/.test(code)) return false;
  if (/\s/.test(code)) return false;
  return true;
}

export interface RawCodeList {
  /** Lower-cased code → the shared module(s) it comes from. */
  codes: Map<string, string>;
}

let cached: Promise<RawCodeList> | null = null;

/** The derived list (built once per test process). */
export function rawCodeList(): Promise<RawCodeList> {
  cached ??= (async () => {
    const codes = new Map<string, string>();
    const seen = new Set<unknown>();
    for (const file of sharedModules()) {
      const from = relative(ROOT, file);
      const add = (code: string) => {
        if (!worthChecking(code)) return;
        const key = code.toLowerCase();
        if (!codes.has(key)) codes.set(key, from);
      };
      const mod = (await import(file)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) {
        if (isSchema(value)) walkSchema(value, add, seen);
        else if (
          Array.isArray(value) &&
          value.length > 0 &&
          value.every((x) => typeof x === 'string')
        )
          // The `as const` enum lists; lists of real words (holiday names…) are not exported so.
          for (const x of value as string[]) add(x);
        else if (name === 'DEFAULT_CADENCE_POLICY' || name === 'DEFAULT_TEMPLATES') {
          const json = JSON.stringify(value);
          for (const m of json.matchAll(/"(?:id|templateId)":"([^"]+)"/g)) add(m[1] ?? '');
        }
      }
    }
    return { codes };
  })();
  return cached;
}

/** What a person reads in one frame: rendered text and accessible names, data left out. */
async function readFrame(frame: Frame): Promise<string[]> {
  return frame.evaluate(() => {
    const out: string[] = [];
    const body = document.body;
    if (!body) return out;
    // `innerText`: visible text only, option labels included. <code> runs are literal input,
    // reported apart so the check can take them out of the text.
    out.push(body.innerText);
    for (const code of body.querySelectorAll('code')) {
      const text = (code as HTMLElement).innerText;
      if (text) out.push(`\u0000code:${text}`);
    }
    for (const el of body.querySelectorAll('[aria-label],[title],[placeholder],[alt]')) {
      for (const attr of ['aria-label', 'title', 'placeholder', 'alt']) {
        const v = el.getAttribute(attr);
        if (v) out.push(v);
      }
    }
    for (const el of body.querySelectorAll('input[type=button],input[type=submit]'))
      out.push((el as HTMLInputElement).value);
    return out;
  });
}

export interface RawCodeFinding {
  code: string;
  source: string;
  context: string;
}

/** Words that are data, not interface: e-mail addresses and URLs. */
function withoutData(text: string): string {
  return text
    .replace(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, ' ')
    .replace(/\bhttps?:\/\/\S+/g, ' ')
    .replace(/\bwww\.\S+/g, ' ');
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The codes found in `texts` (already read from a page). */
export async function findRawCodes(texts: readonly string[]): Promise<RawCodeFinding[]> {
  const { codes } = await rawCodeList();
  let literal = '';
  const parts: string[] = [];
  for (const t of texts) {
    if (t.startsWith('\u0000code:')) literal += ` ${t.slice(6)}`;
    else parts.push(t);
  }
  let text = withoutData(parts.join('\n'));
  // Text inside <code> shows once in innerText too: remove those literal runs first.
  for (const run of literal.split(/\s+/).filter(Boolean)) text = text.split(run).join(' ');
  const findings: RawCodeFinding[] = [];
  const around = (index: number, length: number) =>
    text.slice(Math.max(0, index - 30), index + length + 30).replace(/\s+/g, ' ');
  for (const [code, source] of codes) {
    if (code in ALLOWED) continue;
    const re = new RegExp(`(?<![\\p{L}\\p{N}_])${escape(code)}(?![\\p{L}\\p{N}_])`, 'iu');
    const m = re.exec(text);
    if (m) findings.push({ code, source, context: around(m.index, m[0].length) });
  }
  for (const { name, re } of CODE_PATTERNS) {
    const m = re.exec(text);
    if (m) findings.push({ code: m[0], source: name, context: around(m.index, m[0].length) });
  }
  return findings;
}

/** Every raw code on `page` (all its frames). */
export async function rawCodesOn(page: Page): Promise<RawCodeFinding[]> {
  const texts: string[] = [];
  for (const frame of page.frames()) {
    try {
      texts.push(...(await readFrame(frame)));
    } catch {
      // A frame navigating away or cross-origin without access: nothing a person reads here.
    }
  }
  return findRawCodes(texts);
}
