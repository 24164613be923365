/**
 * The régua de cobrança as data: steps keyed on days from the due date, when contact is allowed,
 * how often, and what escalation needs. Also the plain facts the planner reads (debtor contact
 * profile, debts, contact log, promises, agreements, disputes, written notices), each a valibot
 * schema because they travel between server, PWA and extension.
 *
 * Legal sources (reference/collections.md §(c)): contact hours SP Lei 15.426/2014 (Mon–Fri 8–20h,
 * Sat 8–14h, never on holidays; Sundays are not an allowed day); RJ Lei 7.868/2018 (weekdays 9–19h,
 * no weekends) and ES Lei 10.626/2017 (weekdays 8–19h, no weekends) from a secondary source only;
 * AM has two conflicting reports, so the default takes their intersection (weekdays 8–18h, no
 * weekends). Notice periods before negativação as practised by Asaas: MT 45, SP and PE 20, PI 15,
 * others 10 days, and more than 5 days overdue (CDC art. 43 §2, STJ Súmula 359).
 */
import * as v from 'valibot';
import { CentsSchema } from '../money/cents.schema';
import { UfSchema } from '../identity/uf';
import { CalendarDateSchema } from '../time/calendar-date.schema';
import { ChannelSchema, Channels, TemplateIdSchema } from '../templates/template.schema';

/** 'HH:MM' on a 24-hour clock; '24:00' closes a window at midnight. */
export const ClockTimeSchema = v.pipe(
  v.string('o horário deve ser um texto no formato HH:MM'),
  v.regex(
    /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/,
    'o horário deve estar no formato HH:MM, como 08:00',
  ),
);

/** Minutes since midnight of an 'HH:MM' text. */
export function clockMinutes(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** A daily interval [from, to): a contact at `to` is already outside (Sat 13:59 yes, 14:00 no). */
export const HourRangeSchema = v.pipe(
  v.object({ from: ClockTimeSchema, to: ClockTimeSchema }),
  v.check(
    (r) => clockMinutes(r.from) < clockMinutes(r.to),
    'o horário de início deve ser anterior ao de término',
  ),
);
export type HourRange = v.InferOutput<typeof HourRangeSchema>;

/** When contact is allowed; `null` closes the day. Holidays follow `allowHolidays`. */
export const ContactWindowsSchema = v.object({
  weekdays: v.nullable(HourRangeSchema),
  saturday: v.nullable(HourRangeSchema),
  sunday: v.nullable(HourRangeSchema),
  allowHolidays: v.boolean('a permissão em feriados deve ser true ou false'),
});
export type ContactWindows = v.InferOutput<typeof ContactWindowsSchema>;

/** Channels a contact can happen on: the template channels plus a phone call. */
export const ContactChannels = [...Channels, 'phone'] as const;
export const ContactChannelSchema = v.picklist(
  ContactChannels,
  'o canal deve ser sms, whatsapp, email, visit ou phone',
);
export type ContactChannel = v.InferOutput<typeof ContactChannelSchema>;

/** Remote channels a debtor may prefer for reminders. */
export const PreferableChannels = ['sms', 'whatsapp', 'email'] as const;

export const StepModes = ['automatic', 'manual'] as const;
export const StepKinds = ['reminder', 'negotiation', 'notice', 'escalation'] as const;
/** What an escalation step needs before it can be acted on. */
export const StepRequirements = ['written_notice', 'min_days_overdue'] as const;

export const CadenceStepSchema = v.object({
  id: v.pipe(
    v.string('o identificador da etapa deve ser um texto'),
    v.regex(
      /^[a-z0-9][a-z0-9+._-]{0,31}$/,
      'o identificador da etapa deve ter até 32 letras minúsculas, dígitos ou + . _ -',
    ),
  ),
  /** Days from the due date; negative = before it (preventive). */
  offsetDays: v.pipe(
    v.number('o dia da etapa deve ser um número'),
    v.safeInteger('o dia da etapa deve ser um número inteiro'),
  ),
  channel: ChannelSchema,
  mode: v.picklist(StepModes, 'o modo deve ser automatic ou manual'),
  /** By convention `<key>.<channel>`, so a reminder can move to the debtor's preferred channel. */
  templateId: TemplateIdSchema,
  kind: v.picklist(
    StepKinds,
    'o tipo da etapa deve ser reminder, negotiation, notice ou escalation',
  ),
  allowsDiscount: v.boolean('a liberação de desconto deve ser true ou false'),
  requires: v.exactOptional(
    v.array(
      v.picklist(StepRequirements, 'o requisito deve ser written_notice ou min_days_overdue'),
      'os requisitos devem ser uma lista',
    ),
  ),
});
export type CadenceStep = v.InferOutput<typeof CadenceStepSchema>;

const PositiveInt = v.pipe(
  v.number('deve ser um número'),
  v.safeInteger('deve ser um número inteiro'),
  v.minValue(1, 'deve ser pelo menos 1'),
);
const NonNegativeInt = v.pipe(
  v.number('deve ser um número'),
  v.safeInteger('deve ser um número inteiro'),
  v.minValue(0, 'não pode ser menor que zero'),
);

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const CadencePolicySchema = v.pipe(
  v.object({
    steps: v.pipe(
      v.array(CadenceStepSchema, 'as etapas devem ser uma lista'),
      v.minLength(1, 'a régua precisa de pelo menos uma etapa'),
    ),
    windows: ContactWindowsSchema,
    /** Per-state rules replace `windows` entirely for debtors of that UF. */
    stateWindows: v.record(UfSchema, v.optional(ContactWindowsSchema)),
    /** One budget per debtor across every channel, automated and manual, visits included. */
    budget: v.object({ maxPerDay: PositiveInt, maxPer7Days: PositiveInt }),
    noticeDays: v.object({
      default: NonNegativeInt,
      byState: v.record(UfSchema, v.optional(NonNegativeInt)),
    }),
    /** Negativação needs the debt MORE than this many days overdue. */
    minDaysOverdueForNegativacao: NonNegativeInt,
    timeZone: v.pipe(
      v.string('o fuso horário deve ser um texto'),
      v.check(isTimeZone, 'o fuso horário deve ser um nome IANA, como America/Sao_Paulo'),
    ),
    /**
     * While an agreement is active the régua follows its installments instead: offsets are days
     * from each installment's due date. Absent: DEFAULT_INSTALLMENT_STEPS; empty: none.
     */
    installmentSteps: v.exactOptional(
      v.pipe(
        v.array(CadenceStepSchema, 'as etapas das parcelas devem ser uma lista'),
        v.check(
          (steps) => steps.every((s) => s.kind === 'reminder' && !s.allowsDiscount),
          'as etapas das parcelas (installmentSteps) são lembretes, sem desconto',
        ),
        v.check(
          (steps) => new Set(steps.map((s) => s.offsetDays)).size === steps.length,
          'duas etapas das parcelas não podem cair no mesmo dia (installmentSteps[].offsetDays)',
        ),
      ),
    ),
  }),
  v.check(
    (p) =>
      new Set([...p.steps, ...(p.installmentSteps ?? [])].map((s) => s.id)).size ===
      p.steps.length + (p.installmentSteps ?? []).length,
    'os identificadores das etapas (steps[].id e installmentSteps[].id) devem ser únicos',
  ),
  v.check(
    (p) => new Set(p.steps.map((s) => s.offsetDays)).size === p.steps.length,
    'duas etapas não podem cair no mesmo dia (steps[].offsetDays)',
  ),
  // Discount is a last resort: never in a reminder, never before the debt is late.
  v.check(
    (p) => p.steps.every((s) => !s.allowsDiscount || (s.offsetDays > 0 && s.kind !== 'reminder')),
    'o desconto só pode ser liberado em etapas depois do vencimento que não sejam lembrete (steps[].allowsDiscount)',
  ),
);
export type CadencePolicy = v.InferOutput<typeof CadencePolicySchema>;

export {
  DEFAULT_CADENCE_POLICY,
  DEFAULT_CONTACT_WINDOWS,
  DEFAULT_INSTALLMENT_STEPS,
} from './default-policy';

const IdSchema = v.pipe(v.string(), v.minLength(1));

/** What the cadence needs to know about a debtor to contact them properly. */
export const DebtorContactProfileSchema = v.object({
  id: IdSchema,
  /** Picks the state's contact windows, notice period and holidays. */
  state: UfSchema,
  doNotContact: v.object({
    all: v.exactOptional(v.boolean()),
    channels: v.exactOptional(v.array(ContactChannelSchema)),
  }),
  /** Replaces the channel of reminder steps (not negotiation, notice or escalation). */
  preferredChannel: v.exactOptional(v.picklist(PreferableChannels)),
  /** Narrows the contact windows further; never widens them. */
  preferredHours: v.exactOptional(HourRangeSchema),
  /** Where the debtor lives when it differs from the organisation's zone (e.g. America/Manaus). */
  timeZone: v.exactOptional(
    v.pipe(
      v.string('o fuso horário deve ser um texto'),
      v.check(isTimeZone, 'o fuso horário deve ser um nome IANA, como America/Sao_Paulo'),
    ),
  ),
});
export type DebtorContactProfile = v.InferOutput<typeof DebtorContactProfileSchema>;

export const CadenceDebtSchema = v.object({
  id: IdSchema,
  dueDate: CalendarDateSchema,
  status: v.picklist(['open', 'paid']),
  /** When given, a zero or negative balance counts as paid. */
  balance: v.exactOptional(CentsSchema),
});
export type CadenceDebt = v.InferOutput<typeof CadenceDebtSchema>;

/** One contact, in either direction, on any channel, automated or typed by a person. */
export const ContactLogEntrySchema = v.object({
  at: v.pipe(v.number(), v.safeInteger()),
  channel: ContactChannelSchema,
  direction: v.picklist(['outbound', 'inbound']),
  automated: v.boolean(),
  /** The cadence step this contact carried out, if any. */
  stepId: v.exactOptional(v.string()),
  /** The debt it was about; lets the planner tell this cycle's steps from an earlier debt's. */
  debtId: v.exactOptional(v.string()),
});
export type ContactLogEntry = v.InferOutput<typeof ContactLogEntrySchema>;

export const PaymentPromiseSchema = v.object({
  dueDate: CalendarDateSchema,
  amount: CentsSchema,
  status: v.picklist(['active', 'kept', 'broken']),
});
export type PaymentPromise = v.InferOutput<typeof PaymentPromiseSchema>;

export const AgreementStateSchema = v.object({
  status: v.picklist(['active', 'broken', 'completed']),
  /**
   * The first installment with something left, of an active agreement: its reminder before the
   * due date and nudge after are the régua's installment steps (`installmentSteps`).
   */
  nextInstallment: v.exactOptional(
    v.object({
      agreementId: IdSchema,
      number: v.number(),
      dueDate: CalendarDateSchema,
      amount: CentsSchema,
    }),
  ),
});
export type AgreementState = v.InferOutput<typeof AgreementStateSchema>;

export const DisputeStateSchema = v.object({ status: v.picklist(['open', 'resolved']) });
export type DisputeState = v.InferOutput<typeof DisputeStateSchema>;

/** A written pre-negativação notice (CDC art. 43 §2) that was sent. */
export const WrittenNoticeSchema = v.object({
  sentOn: CalendarDateSchema,
  debtId: v.exactOptional(v.string()),
});
export type WrittenNotice = v.InferOutput<typeof WrittenNoticeSchema>;
