/**
 * The default régua and contact windows as plain data, apart from cadence.schema.ts so the
 * collector's first screen can fall back to them without bundling the schemas.
 */
import { DEFAULT_TIME_ZONE } from '../time/calendar-date';
import type { CadencePolicy, ContactWindows } from './cadence.schema';

/** Default contact windows: SP Lei 15.426/2014, also the CDL market guidance. */
export const DEFAULT_CONTACT_WINDOWS: ContactWindows = {
  weekdays: { from: '08:00', to: '20:00' },
  saturday: { from: '08:00', to: '14:00' },
  sunday: null,
  allowHolidays: false,
};

/**
 * The régua of an active agreement, keyed on days from each installment's due date: a reminder
 * two days before and a nudge the day after (still inside the tolerance that keeps the agreement,
 * shared/negotiation/agreement-rules.ts). Reminders only, never a discount.
 */
export const DEFAULT_INSTALLMENT_STEPS: CadencePolicy['steps'] = [
  {
    id: 'parcela-2',
    offsetDays: -2,
    channel: 'whatsapp',
    mode: 'automatic',
    templateId: 'parcela-2.whatsapp',
    kind: 'reminder',
    allowsDiscount: false,
  },
  {
    id: 'parcela+1',
    offsetDays: 1,
    channel: 'whatsapp',
    mode: 'automatic',
    templateId: 'parcela+1.whatsapp',
    kind: 'reminder',
    allowsDiscount: false,
  },
];

/** The default régua, from the D-3 preventive reminder to the D+60 manual review. */
export const DEFAULT_CADENCE_POLICY: CadencePolicy = {
  steps: [
    {
      id: 'd-3',
      offsetDays: -3,
      channel: 'whatsapp',
      mode: 'automatic',
      templateId: 'd-3.whatsapp',
      kind: 'reminder',
      allowsDiscount: false,
    },
    {
      id: 'd0',
      offsetDays: 0,
      channel: 'sms',
      mode: 'automatic',
      templateId: 'd0.sms',
      kind: 'reminder',
      allowsDiscount: false,
    },
    {
      id: 'd+1',
      offsetDays: 1,
      channel: 'whatsapp',
      mode: 'automatic',
      templateId: 'd+1.whatsapp',
      kind: 'reminder',
      allowsDiscount: false,
    },
    {
      id: 'd+5',
      offsetDays: 5,
      channel: 'email',
      mode: 'automatic',
      templateId: 'd+5.email',
      kind: 'reminder',
      allowsDiscount: false,
    },
    {
      id: 'd+10',
      offsetDays: 10,
      channel: 'whatsapp',
      mode: 'manual',
      templateId: 'd+10.whatsapp',
      kind: 'reminder',
      allowsDiscount: false,
    },
    {
      id: 'd+15',
      offsetDays: 15,
      channel: 'visit',
      mode: 'manual',
      templateId: 'd+15.visit',
      kind: 'negotiation',
      allowsDiscount: false,
    },
    {
      id: 'd+30',
      offsetDays: 30,
      channel: 'whatsapp',
      mode: 'manual',
      templateId: 'd+30.whatsapp',
      kind: 'negotiation',
      allowsDiscount: true,
    },
    {
      id: 'd+45',
      offsetDays: 45,
      channel: 'email',
      mode: 'manual',
      templateId: 'd+45.email',
      kind: 'notice',
      allowsDiscount: true,
    },
    {
      id: 'd+60',
      offsetDays: 60,
      channel: 'email',
      mode: 'manual',
      templateId: 'd+60.email',
      kind: 'escalation',
      allowsDiscount: true,
      requires: ['written_notice', 'min_days_overdue'],
    },
  ],
  windows: DEFAULT_CONTACT_WINDOWS,
  stateWindows: {
    RJ: {
      weekdays: { from: '09:00', to: '19:00' },
      saturday: null,
      sunday: null,
      allowHolidays: false,
    },
    ES: {
      weekdays: { from: '08:00', to: '19:00' },
      saturday: null,
      sunday: null,
      allowHolidays: false,
    },
    AM: {
      weekdays: { from: '08:00', to: '18:00' },
      saturday: null,
      sunday: null,
      allowHolidays: false,
    },
  },
  budget: { maxPerDay: 1, maxPer7Days: 2 },
  noticeDays: { default: 10, byState: { SP: 20, PE: 20, MT: 45, PI: 15 } },
  minDaysOverdueForNegativacao: 5,
  timeZone: DEFAULT_TIME_ZONE,
  installmentSteps: DEFAULT_INSTALLMENT_STEPS,
};
