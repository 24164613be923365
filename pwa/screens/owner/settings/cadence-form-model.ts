/**
 * The editable forms of the cadence policy as plain data: the steps of the régua and the contact
 * windows (default and per state) as the text the inputs hold, converted to and from the shared
 * schema's shape. Errors are keyed by the same "a.b[0].c" paths the server's problem+json uses,
 * so a client-side finding and a server-side one land beside the same input.
 */
import * as v from 'valibot';
import {
  CadencePolicySchema,
  CadenceStepSchema,
  HourRangeSchema,
  type CadencePolicy,
  type CadenceStep,
  type ContactWindows,
  type HourRange,
  type StepKinds,
  type StepModes,
  type StepRequirements,
} from '#shared/cadence/cadence.schema';
import { formatIssuePath } from '#shared/api/problem';
import { isUf, type UF } from '#shared/identity/uf';
import type { Channel } from '#shared/templates/template.schema';
import { t } from '../../../i18n/messages';

/** Field path → message to show beside that field; "" is the form as a whole. */
export type FieldErrors = Record<string, string>;

export type StepMode = (typeof StepModes)[number];
export type StepKind = (typeof StepKinds)[number];
type StepRequirement = (typeof StepRequirements)[number];

export interface StepDraft {
  /** Stable across edits and moves, for list keys and focus; never sent. */
  key: string;
  /** Kept from the saved step: the contact log refers to steps by id. New steps get one on save. */
  id?: string;
  offset: string;
  channel: Channel;
  mode: StepMode;
  templateId: string;
  kind: StepKind;
  allowsDiscount: boolean;
  requires?: StepRequirement[];
}

export interface TemplateRef {
  id: string;
  channel: Channel;
}

let keys = 0;
export const nextKey = (): string => `k${++keys}`;

export function stepsToDrafts(steps: readonly CadenceStep[]): StepDraft[] {
  return [...steps]
    .sort((a, b) => a.offsetDays - b.offsetDays)
    .map((s) => ({
      key: nextKey(),
      id: s.id,
      offset: String(s.offsetDays),
      channel: s.channel,
      mode: s.mode,
      templateId: s.templateId,
      kind: s.kind,
      allowsDiscount: s.allowsDiscount,
      ...(s.requires ? { requires: [...s.requires] } : {}),
    }));
}

/** "-3", "+5", "0" → the number; anything else (empty, "1.5", "abc") → undefined. */
export function parseOffset(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^[+-]?\d{1,6}$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

/** 'd-3', 'd0', 'd+7', then 'd+7-2' if that id is taken (a moved step keeps its old id). */
export function newStepId(offset: number, taken: ReadonlySet<string>): string {
  const base = offset === 0 ? 'd0' : offset > 0 ? `d+${offset}` : `d${offset}`;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

/** The template to use when a step moves to `channel`: same key (`d+5.email` → `d+5.sms`) or the first. */
export function templateForChannel(
  current: string,
  channel: Channel,
  templates: readonly TemplateRef[],
): string {
  const ofChannel = templates.filter((x) => x.channel === channel);
  if (ofChannel.some((x) => x.id === current)) return current;
  const key = current.includes('.') ? current.slice(0, current.lastIndexOf('.')) : current;
  return (ofChannel.find((x) => x.id === `${key}.${channel}`) ?? ofChannel[0])?.id ?? '';
}

/** A new step a few days after the last one, manual, on WhatsApp (what owners add most). */
export function newStepDraft(
  drafts: readonly StepDraft[],
  templates: readonly TemplateRef[],
): StepDraft {
  const offsets = drafts.map((d) => parseOffset(d.offset)).filter((o) => o !== undefined);
  const offset = offsets.length === 0 ? 0 : Math.max(...offsets) + 5;
  return {
    key: nextKey(),
    offset: String(offset),
    channel: 'whatsapp',
    mode: 'manual',
    templateId: templateForChannel(`d+${offset}.whatsapp`, 'whatsapp', templates),
    kind: 'reminder',
    allowsDiscount: false,
  };
}

/** Moves step `from` one place up or down; the two swap days so the timeline's days stay put. */
export function moveStep(drafts: readonly StepDraft[], from: number, by: -1 | 1): StepDraft[] {
  const to = from + by;
  const a = drafts[from];
  const b = drafts[to];
  if (!a || !b) return [...drafts];
  const next = [...drafts];
  next[to] = { ...a, offset: b.offset };
  next[from] = { ...b, offset: a.offset };
  return next;
}

function put(errors: FieldErrors, field: string, message: string): void {
  errors[field] ??= message;
}

export interface StepsResult {
  /** In timeline order (by day), as they are sent. */
  steps: CadenceStep[];
  /** `order[k]` is the draft index of `steps[k]`, to put the server's `steps[k]…` errors back. */
  order: number[];
  errors: FieldErrors;
}

/**
 * The drafts as cadence steps, with every rule of CadenceStepSchema and of the policy's checks
 * (unique days, discounts only late and not in reminders) found per field, keyed by draft index.
 */
export function stepsFromDrafts(
  drafts: readonly StepDraft[],
  templates: readonly TemplateRef[],
): StepsResult {
  const errors: FieldErrors = {};
  if (drafts.length === 0) put(errors, 'steps', t('settings.err.noSteps'));
  const offsets = drafts.map((d) => parseOffset(d.offset));
  const taken = new Set(drafts.flatMap((d) => (d.id === undefined ? [] : [d.id])));
  const built: { step: CadenceStep; index: number }[] = [];
  drafts.forEach((d, i) => {
    const at = (field: string) => `steps[${i}].${field}`;
    const offset = offsets[i];
    if (offset === undefined) {
      put(errors, at('offsetDays'), t('settings.err.offset'));
      return;
    }
    const first = offsets.indexOf(offset);
    if (first !== i) {
      put(errors, at('offsetDays'), t('settings.err.sameDay'));
      put(errors, `steps[${first}].offsetDays`, t('settings.err.sameDay'));
    }
    const template = templates.find((x) => x.id === d.templateId);
    if (!template || template.channel !== d.channel)
      put(errors, at('templateId'), t('settings.err.template'));
    if (d.allowsDiscount && (offset <= 0 || d.kind === 'reminder'))
      put(errors, at('allowsDiscount'), t('settings.err.discount'));
    const id = d.id ?? newStepId(offset, taken);
    taken.add(id);
    const requires =
      d.kind !== 'escalation'
        ? undefined
        : d.requires && d.requires.length > 0
          ? d.requires
          : (['written_notice', 'min_days_overdue'] as StepRequirement[]);
    const step: CadenceStep = {
      id,
      offsetDays: offset,
      channel: d.channel,
      mode: d.mode,
      templateId: d.templateId,
      kind: d.kind,
      allowsDiscount: d.allowsDiscount,
      ...(requires ? { requires } : {}),
    };
    const parsed = v.safeParse(CadenceStepSchema, step);
    if (!parsed.success)
      for (const issue of parsed.issues)
        put(errors, at(formatIssuePath(issue.path) || 'offsetDays'), issue.message);
    built.push({ step, index: i });
  });
  built.sort((a, b) => a.step.offsetDays - b.step.offsetDays);
  return { steps: built.map((b) => b.step), order: built.map((b) => b.index), errors };
}

/** The policy to PUT: the saved one with these steps; a rule no field check caught goes to "". */
export function policyWithSteps(
  saved: CadencePolicy,
  result: StepsResult,
): { policy: CadencePolicy; errors: FieldErrors } {
  const policy = { ...saved, steps: result.steps };
  const errors = { ...result.errors };
  if (Object.keys(errors).length === 0) {
    const parsed = v.safeParse(CadencePolicySchema, policy);
    if (!parsed.success) put(errors, '', parsed.issues[0].message);
  }
  return { policy, errors };
}

/** The server's `steps[k]…` (sent order) as `steps[draft index]…`. */
export function remapStepErrors(errors: FieldErrors, order: readonly number[]): FieldErrors {
  const out: FieldErrors = {};
  for (const [field, message] of Object.entries(errors)) {
    const m = /^steps\[(\d+)\](.*)$/.exec(field);
    const draft = m ? order[Number(m[1])] : undefined;
    put(out, m && draft !== undefined ? `steps[${draft}]${m[2] ?? ''}` : field, message);
  }
  return out;
}

// ---- Contact windows

export const DAYS = ['weekdays', 'saturday', 'sunday'] as const;
export type Day = (typeof DAYS)[number];

export interface DayDraft {
  open: boolean;
  from: string;
  to: string;
}
export type WeekDraft = Record<Day, DayDraft> & { allowHolidays: boolean };

export interface WindowsSettings {
  windows: ContactWindows;
  stateWindows: CadencePolicy['stateWindows'];
  budget: { maxPerDay: number; maxPer7Days: number };
}

export interface WindowsDraft {
  base: WeekDraft;
  states: { uf: UF; week: WeekDraft }[];
  perDay: string;
  per7: string;
}

/** What a closed day shows when reopened. */
const CLOSED_DEFAULT: Record<Day, HourRange> = {
  weekdays: { from: '08:00', to: '20:00' },
  saturday: { from: '08:00', to: '14:00' },
  sunday: { from: '08:00', to: '14:00' },
};

export function weekToDraft(w: ContactWindows): WeekDraft {
  const day = (d: Day): DayDraft => {
    const r = w[d] ?? CLOSED_DEFAULT[d];
    return { open: w[d] !== null, from: r.from, to: r.to };
  };
  return {
    weekdays: day('weekdays'),
    saturday: day('saturday'),
    sunday: day('sunday'),
    allowHolidays: w.allowHolidays,
  };
}

export function windowsToDraft(s: WindowsSettings): WindowsDraft {
  const states = Object.keys(s.stateWindows)
    .filter(isUf)
    .sort()
    .flatMap((uf) => {
      const w = s.stateWindows[uf];
      return w ? [{ uf, week: weekToDraft(w) }] : [];
    });
  return {
    base: weekToDraft(s.windows),
    states,
    perDay: String(s.budget.maxPerDay),
    per7: String(s.budget.maxPer7Days),
  };
}

function weekFromDraft(d: WeekDraft, prefix: string, errors: FieldErrors): ContactWindows {
  const day = (name: Day): HourRange | null => {
    const r = d[name];
    if (!r.open) return null;
    const range = { from: r.from, to: r.to };
    const parsed = v.safeParse(HourRangeSchema, range);
    // Classified by where the issue is, not by its wording: a bad time sits on `from`/`to`, the
    // order check on the range itself; a bad time is told first (an empty "to" is not "before").
    if (!parsed.success)
      put(
        errors,
        `${prefix}.${name}`,
        t(
          parsed.issues.some((i) => i.path !== undefined)
            ? 'settings.err.time'
            : 'settings.err.range',
        ),
      );
    return range;
  };
  return {
    weekdays: day('weekdays'),
    saturday: day('saturday'),
    sunday: day('sunday'),
    allowHolidays: d.allowHolidays,
  };
}

function positive(text: string): number | undefined {
  const trimmed = text.trim();
  return /^\d{1,4}$/.test(trimmed) && Number(trimmed) >= 1 ? Number(trimmed) : undefined;
}

/** The draft as the `/contact-windows` body; errors keyed `windows.saturday`, `stateWindows.RJ.sunday`… */
export function windowsFromDraft(d: WindowsDraft): { value: WindowsSettings; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const windows = weekFromDraft(d.base, 'windows', errors);
  const stateWindows: CadencePolicy['stateWindows'] = {};
  for (const s of d.states) {
    if (stateWindows[s.uf]) put(errors, `stateWindows.${s.uf}`, t('settings.err.stateTwice'));
    stateWindows[s.uf] = weekFromDraft(s.week, `stateWindows.${s.uf}`, errors);
  }
  const maxPerDay = positive(d.perDay);
  const maxPer7Days = positive(d.per7);
  if (maxPerDay === undefined) put(errors, 'budget.maxPerDay', t('settings.err.positive'));
  if (maxPer7Days === undefined) put(errors, 'budget.maxPer7Days', t('settings.err.positive'));
  return {
    value: {
      windows,
      stateWindows,
      budget: { maxPerDay: maxPerDay ?? 0, maxPer7Days: maxPer7Days ?? 0 },
    },
    errors,
  };
}

// ---- Server answers

interface ProblemErrors {
  errors?: unknown;
  detail?: unknown;
}

/**
 * The field errors of a problem+json body (the server's messages are pt-BR), with an hour range's
 * `.from`/`.to` folded into the range: one message beside the day. A problem without field errors
 * becomes the form's own error ("").
 */
export function problemFieldErrors(body: unknown, fallback: string): FieldErrors {
  const out: FieldErrors = {};
  const list = (body as ProblemErrors | null)?.errors;
  const pairs = (Array.isArray(list) ? (list as unknown[]) : []).flatMap((e) => {
    const { field, message } = (e ?? {}) as { field?: unknown; message?: unknown };
    return typeof field === 'string' && typeof message === 'string' ? [{ field, message }] : [];
  });
  const RANGE_END = /^(windows|stateWindows\.[A-Z]{2})\.(weekdays|saturday|sunday)\.(from|to)$/;
  // A bad time also fails the order check on its range; the time is the one worth telling.
  for (const { field, message } of pairs)
    if (RANGE_END.test(field)) put(out, field.replace(/\.(from|to)$/, ''), message);
  for (const { field, message } of pairs) if (!RANGE_END.test(field)) put(out, field, message);
  if (Object.keys(out).length === 0) out[''] = fallback;
  return out;
}

/** Errors no input on the form shows, for the form-level alert. */
export function unplaced(errors: FieldErrors, placed: (field: string) => boolean): string[] {
  return Object.entries(errors)
    .filter(([field]) => !placed(field))
    .map(([field, message]) => (field === '' ? message : `${field}: ${message}`));
}
