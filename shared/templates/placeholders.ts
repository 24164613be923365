/**
 * The closed list of `{{placeholders}}` a template may use, and the facts that fill them. A
 * placeholder outside this list is a lint ERROR, so a typo such as `{{valor}}` is refused when the
 * template is saved instead of reaching a debtor as raw braces. Each fact has a kind that fixes its
 * formatting: money as BRL ("R$ 1.234,56"), dates as DD/MM/AAAA, counts as plain integers.
 */
import * as v from 'valibot';
import { cents } from '../money/money';
import { CentsSchema } from '../money/cents.schema';
import { calendarDate } from '../time/calendar-date';
import { CalendarDateSchema } from '../time/calendar-date.schema';

const TextFact = v.pipe(v.string(), v.trim(), v.minLength(1));
const MoneyFact = CentsSchema;
const DateFact = CalendarDateSchema;
const CountFact = v.pipe(v.number(), v.safeInteger());

/** The facts a message can be rendered with; every one is optional, a used one must be present. */
export const MessageFactsSchema = v.partial(
  v.object({
    debtor_first_name: TextFact,
    debtor_name: TextFact,
    creditor_name: TextFact,
    creditor_document: TextFact,
    creditor_address: TextFact,
    creditor_phone: TextFact,
    debt_reference: TextFact,
    amount_due: MoneyFact,
    original_amount: MoneyFact,
    fine_amount: MoneyFact,
    interest_amount: MoneyFact,
    due_date: DateFact,
    days_overdue: CountFact,
    pix_copy_paste: TextFact,
    payment_link: TextFact,
    discount_amount: MoneyFact,
    discounted_amount: MoneyFact,
    discount_until: DateFact,
    promise_date: DateFact,
    promise_amount: MoneyFact,
    installment_amount: MoneyFact,
    installment_count: CountFact,
    installment_number: CountFact,
    agreement_deadline: DateFact,
    collector_name: TextFact,
    notice_deadline: DateFact,
    today: DateFact,
  }),
);
export type MessageFacts = v.InferOutput<typeof MessageFactsSchema>;
export type PlaceholderName = keyof MessageFacts;

export const PlaceholderKinds = ['text', 'money', 'date', 'count'] as const;
export type PlaceholderKind = (typeof PlaceholderKinds)[number];

export interface PlaceholderSpec {
  kind: PlaceholderKind;
  /** pt-BR, shown in the template editor. */
  description: string;
  /**
   * False when the value reveals a debt, its amount, or (document, address) makes the contact read
   * as a formal collection: banned in privacy-safe templates, which carry the creditor's name only.
   */
  privacySafe: boolean;
}

/** The documented placeholder list; the template editor shows it and the linter enforces it. */
export const PLACEHOLDERS = {
  debtor_first_name: { kind: 'text', description: 'Primeiro nome do cliente', privacySafe: true },
  debtor_name: { kind: 'text', description: 'Nome completo do cliente', privacySafe: true },
  creditor_name: { kind: 'text', description: 'Nome da empresa credora', privacySafe: true },
  creditor_document: { kind: 'text', description: 'CNPJ ou CPF do credor', privacySafe: false },
  creditor_address: { kind: 'text', description: 'Endereço do credor', privacySafe: false },
  creditor_phone: { kind: 'text', description: 'Telefone de contato do credor', privacySafe: true },
  debt_reference: {
    kind: 'text',
    description: 'A que se refere a conta (ex.: mensalidade de março)',
    privacySafe: false,
  },
  amount_due: { kind: 'money', description: 'Valor atualizado a pagar', privacySafe: false },
  original_amount: { kind: 'money', description: 'Valor original', privacySafe: false },
  fine_amount: { kind: 'money', description: 'Multa por atraso', privacySafe: false },
  interest_amount: { kind: 'money', description: 'Juros de mora', privacySafe: false },
  due_date: { kind: 'date', description: 'Data de vencimento', privacySafe: false },
  days_overdue: { kind: 'count', description: 'Dias desde o vencimento', privacySafe: false },
  pix_copy_paste: { kind: 'text', description: 'Código PIX copia e cola', privacySafe: false },
  payment_link: { kind: 'text', description: 'Link para pagamento', privacySafe: false },
  discount_amount: { kind: 'money', description: 'Valor do desconto', privacySafe: false },
  discounted_amount: { kind: 'money', description: 'Valor com desconto', privacySafe: false },
  discount_until: { kind: 'date', description: 'Desconto válido até', privacySafe: false },
  promise_date: { kind: 'date', description: 'Data combinada para pagamento', privacySafe: false },
  promise_amount: { kind: 'money', description: 'Valor combinado', privacySafe: false },
  installment_amount: { kind: 'money', description: 'Valor de cada parcela', privacySafe: false },
  installment_count: { kind: 'count', description: 'Número de parcelas', privacySafe: false },
  installment_number: {
    kind: 'count',
    description: 'Número da parcela do acordo (0 = entrada)',
    privacySafe: false,
  },
  agreement_deadline: {
    kind: 'date',
    description: 'Último dia para pagar a parcela sem desfazer o acordo',
    privacySafe: false,
  },
  collector_name: { kind: 'text', description: 'Nome de quem atende o cliente', privacySafe: true },
  notice_deadline: {
    kind: 'date',
    description: 'Prazo do comunicado antes da negativação',
    privacySafe: false,
  },
  today: { kind: 'date', description: 'Data de hoje', privacySafe: true },
} as const satisfies Record<PlaceholderName, PlaceholderSpec>;

export const PLACEHOLDER_NAMES = Object.keys(PLACEHOLDERS) as PlaceholderName[];

/** Type guard for a name in the closed placeholder list. */
export function isPlaceholderName(name: string): name is PlaceholderName {
  return Object.hasOwn(PLACEHOLDERS, name);
}

/** Placeholder names that must never appear in a privacy-safe template. */
export const DEBT_REVEALING_PLACEHOLDERS = PLACEHOLDER_NAMES.filter(
  (name) => !PLACEHOLDERS[name].privacySafe,
);

/** A `{{name}}` occurrence; `name` is as written (trimmed), known or not. */
export interface PlaceholderToken {
  name: string;
  index: number;
  /** The full token text, braces included. */
  match: string;
}

/** Any `{{ word }}` token; names are validated afterwards so that typos are reported, not skipped. */
const TOKEN_RE = /\{\{\s*([^{}\s]*)\s*\}\}/g;

/** Every `{{…}}` token in `text`, in order. */
export function scanPlaceholders(text: string): PlaceholderToken[] {
  return [...text.matchAll(TOKEN_RE)].map((m) => ({
    name: m[1] ?? '',
    index: m.index,
    match: m[0],
  }));
}

/**
 * Positions of braces that are not part of a well-formed `{{name}}` token: `{x}`, `{{x`, `x}}`,
 * `{{{x}}}`. They would reach the debtor as literal braces.
 */
export function strayBraces(text: string): { index: number; match: string }[] {
  const masked = text.replace(TOKEN_RE, (m) => ' '.repeat(m.length));
  const found: { index: number; match: string }[] = [];
  for (const m of masked.matchAll(/\{+|\}+/g)) found.push({ index: m.index, match: m[0] });
  return found;
}

/** Realistic values for previews, SMS length estimates and tests. */
export const SAMPLE_FACTS = {
  debtor_first_name: 'Maria',
  debtor_name: 'Maria Aparecida da Silva',
  creditor_name: 'Padaria Pão Quente Ltda',
  creditor_document: '11.222.333/0001-81',
  creditor_address: 'Rua das Flores, 123, Centro, Campinas/SP',
  creditor_phone: '(19) 3232-1234',
  debt_reference: 'compra de 10/02/2025',
  amount_due: cents(15_890),
  original_amount: cents(15_000),
  fine_amount: cents(300),
  interest_amount: cents(590),
  due_date: calendarDate('2025-03-10'),
  days_overdue: 45,
  pix_copy_paste:
    '00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D',
  payment_link: 'https://quita.app/p/Ab12Cd',
  discount_amount: cents(1_590),
  discounted_amount: cents(14_300),
  discount_until: calendarDate('2025-04-30'),
  promise_date: calendarDate('2025-04-28'),
  promise_amount: cents(15_890),
  installment_amount: cents(5_300),
  installment_count: 3,
  installment_number: 1,
  agreement_deadline: calendarDate('2025-05-05'),
  collector_name: 'João',
  notice_deadline: calendarDate('2025-05-05'),
  today: calendarDate('2025-04-24'),
} as const satisfies Required<MessageFacts>;
