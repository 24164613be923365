/**
 * Renders a template with facts. Every used placeholder must have its fact; a missing one is an
 * error that names it, so a message never goes out with an empty amount or raw braces. The creditor
 * identification required by CDC art. 42-A (name, CPF/CNPJ, address) is appended to every message
 * unless the template already carries it; privacy-safe messages carry the creditor's NAME only,
 * because the document and address, next to an unexplained contact, would hint at a debt to a
 * recipient who may not be the debtor (CDC arts. 42 and 71).
 */
import { cents, formatBRL } from '../money/money';
import { calendarDate, type CalendarDate } from '../time/calendar-date';
import {
  PLACEHOLDERS,
  isPlaceholderName,
  scanPlaceholders,
  strayBraces,
  type MessageFacts,
  type PlaceholderName,
} from './placeholders';
import { toGsm7 } from './sms-segments';
import type { Channel, Template } from './template.schema';

export const TemplateErrorCodes = [
  'missing_fact',
  'unknown_placeholder',
  'malformed_braces',
] as const;
export type TemplateErrorCode = (typeof TemplateErrorCodes)[number];

/** The error thrown by rendering; `placeholders` names what was missing or unknown. */
export type TemplateRenderError = Error & { code: TemplateErrorCode; placeholders: string[] };

function renderError(
  code: TemplateErrorCode,
  message: string,
  placeholders: string[],
): TemplateRenderError {
  return Object.assign(new Error(message), { code, placeholders });
}

/** Type guard for errors thrown by `renderText` / `renderTemplate`. */
export function isTemplateRenderError(error: unknown): error is TemplateRenderError {
  return error instanceof Error && 'code' in error && 'placeholders' in error;
}

/** 'YYYY-MM-DD' → 'DD/MM/AAAA', the Brazilian date format. */
export function formatDateBR(date: CalendarDate): string {
  return `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
}

/** The text a fact becomes in a message, by the placeholder's kind (money in BRL, dates DD/MM/AAAA). */
export function formatFact(name: PlaceholderName, value: string | number): string {
  switch (PLACEHOLDERS[name].kind) {
    case 'money':
      return formatBRL(cents(Number(value)));
    case 'date':
      return formatDateBR(calendarDate(String(value)));
    case 'count':
    case 'text':
      return String(value);
  }
}

/** Placeholders the creditor identification needs for this kind of template. */
export function creditorPlaceholders(privacySafe: boolean): PlaceholderName[] {
  return privacySafe
    ? ['creditor_name']
    : ['creditor_name', 'creditor_document', 'creditor_address'];
}

function templateTexts(template: Template): string[] {
  return template.channel === 'email' ? [template.subject, template.body] : [template.body];
}

/** True when the template's own text already identifies the creditor, so nothing is appended. */
export function identifiesCreditor(template: Template): boolean {
  const used = new Set(
    templateTexts(template).flatMap((t) => scanPlaceholders(t).map((p) => p.name)),
  );
  return creditorPlaceholders(template.privacySafe).every((name) => used.has(name));
}

/** Facts the template needs (its placeholders plus the creditor identification) that are absent. */
export function missingFacts(template: Template, facts: MessageFacts): PlaceholderName[] {
  const needed = new Set<PlaceholderName>(creditorPlaceholders(template.privacySafe));
  for (const text of templateTexts(template))
    for (const { name } of scanPlaceholders(text)) if (isPlaceholderName(name)) needed.add(name);
  return [...needed].filter((name) => facts[name] === undefined);
}

/** `text` with every `{{placeholder}}` replaced; throws a `TemplateRenderError` naming what is wrong. */
export function renderText(text: string, facts: MessageFacts): string {
  const stray = strayBraces(text);
  if (stray.length > 0)
    throw renderError(
      'malformed_braces',
      `Chaves malformadas no texto: ${stray.map((s) => s.match).join(' ')}`,
      [],
    );
  const tokens = scanPlaceholders(text);
  const unknown = tokens.filter((t) => !isPlaceholderName(t.name)).map((t) => t.name);
  if (unknown.length > 0)
    throw renderError(
      'unknown_placeholder',
      `Campo desconhecido no texto: ${unknown.map((n) => `{{${n}}}`).join(', ')}`,
      unknown,
    );
  const missing = [...new Set(tokens.map((t) => t.name))].filter(
    (name) => isPlaceholderName(name) && facts[name] === undefined,
  );
  if (missing.length > 0)
    throw renderError(
      'missing_fact',
      `Faltam dados para a mensagem: ${missing.map((n) => `{{${n}}}`).join(', ')}`,
      missing,
    );
  let out = '';
  let last = 0;
  for (const t of tokens) {
    const name = t.name as PlaceholderName;
    out += text.slice(last, t.index) + formatFact(name, facts[name] ?? '');
    last = t.index + t.match.length;
  }
  return out + text.slice(last);
}

function documentLabel(doc: string): string {
  if (/^\s*(cpf|cnpj)\b/i.test(doc)) return doc;
  const digits = doc.replace(/\D/g, '').length;
  const label = digits === 14 ? 'CNPJ' : digits === 11 ? 'CPF' : 'CPF/CNPJ';
  return `${label} ${doc}`;
}

/**
 * The creditor identification block for `channel` (CDC art. 42-A); name only when privacy-safe.
 * SMS gets one compact line because every character costs.
 */
export function creditorIdentification(
  facts: MessageFacts,
  channel: Channel,
  privacySafe: boolean,
): string {
  const missing = creditorPlaceholders(privacySafe).filter((n) => facts[n] === undefined);
  if (missing.length > 0)
    throw renderError(
      'missing_fact',
      `Faltam dados do credor: ${missing.map((n) => `{{${n}}}`).join(', ')}`,
      missing,
    );
  const name = facts.creditor_name ?? '';
  if (privacySafe) return channel === 'sms' ? `\n${name}` : `\n\n${name}`;
  const doc = documentLabel(facts.creditor_document ?? '');
  const address = facts.creditor_address ?? '';
  return channel === 'sms' ? `\n${name} - ${doc} - ${address}` : `\n\n${name}\n${doc}\n${address}`;
}

function squash(text: string): string {
  return text.replace(/\s+/g, ' ').toLowerCase();
}

export interface RenderedMessage {
  channel: Channel;
  /** E-mail only. */
  subject?: string;
  body: string;
}

export interface RenderOptions {
  /**
   * Rewrite SMS into the GSM-7 alphabet (see `toGsm7`), the owner's "economizar SMS" choice
   * (shared/settings/message-settings.schema.ts); default false: accents are kept, because a
   * message in Portuguese without them reads careless, and dropping them silently is worse.
   */
  gsm7?: boolean;
}

/**
 * The message ready to send: placeholders filled, creditor identification appended unless already
 * present (as placeholders, or as the literal values), SMS transliterated to GSM-7 when asked.
 */
export function renderTemplate(
  template: Template,
  facts: MessageFacts,
  options: RenderOptions = {},
): RenderedMessage {
  const missing = missingFacts(template, facts);
  if (missing.length > 0)
    throw renderError(
      'missing_fact',
      `Faltam dados para a mensagem: ${missing.map((n) => `{{${n}}}`).join(', ')}`,
      missing,
    );
  let body = renderText(template.body, facts);
  const literal = creditorPlaceholders(template.privacySafe).every((n) =>
    squash(body).includes(squash(String(facts[n]))),
  );
  if (!identifiesCreditor(template) && !literal)
    body += creditorIdentification(facts, template.channel, template.privacySafe);
  if (template.channel === 'sms' && options.gsm7 === true) body = toGsm7(body);
  if (template.channel === 'email')
    return { channel: 'email', subject: renderText(template.subject, facts), body };
  return { channel: template.channel, body };
}
