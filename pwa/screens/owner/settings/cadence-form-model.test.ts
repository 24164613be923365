import * as v from 'valibot';
import { beforeAll, describe, expect, test } from 'vitest';
import { issuesToProblem } from '#shared/api/problem';
import {
  CadencePolicySchema,
  ContactWindowsSchema,
  DEFAULT_CADENCE_POLICY,
  type CadencePolicy,
} from '#shared/cadence/cadence.schema';
import { UfSchema } from '#shared/identity/uf';
import { DEFAULT_TEMPLATES } from '#shared/templates/default-templates';
import { loadMessages, t } from '../../../i18n/messages';
import {
  moveStep,
  newStepDraft,
  newStepId,
  parseOffset,
  policyWithSteps,
  problemFieldErrors,
  remapStepErrors,
  stepsFromDrafts,
  stepsToDrafts,
  templateForChannel,
  windowsFromDraft,
  windowsToDraft,
  type StepDraft,
  type WindowsDraft,
  type WindowsSettings,
} from './cadence-form-model';

// The settings screens' text is the office area's (the route loads it before the screen).
beforeAll(() => loadMessages('office'));

const TEMPLATES = DEFAULT_TEMPLATES.map((x) => ({ id: x.id, channel: x.channel }));
const DEFAULT_WINDOWS: WindowsSettings = {
  windows: DEFAULT_CADENCE_POLICY.windows,
  stateWindows: DEFAULT_CADENCE_POLICY.stateWindows,
  budget: DEFAULT_CADENCE_POLICY.budget,
};
/** The server's body schema for PUT /api/settings/contact-windows (server/routes/settings). */
const WindowsBody = v.object({
  windows: ContactWindowsSchema,
  stateWindows: v.record(UfSchema, v.optional(ContactWindowsSchema)),
  budget: v.object({
    maxPerDay: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
    maxPer7Days: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
  }),
});

const drafts = () => stepsToDrafts(DEFAULT_CADENCE_POLICY.steps);
const edit = (list: StepDraft[], i: number, patch: Partial<StepDraft>) =>
  list.map((d, k) => (k === i ? { ...d, ...patch } : d));

describe('steps: form model ↔ policy', () => {
  test('the default régua survives the round trip unchanged and valid', () => {
    const r = stepsFromDrafts(drafts(), TEMPLATES);
    expect(r.errors).toEqual({});
    expect(r.steps).toEqual(DEFAULT_CADENCE_POLICY.steps);
    const { policy, errors } = policyWithSteps(DEFAULT_CADENCE_POLICY, r);
    expect(errors).toEqual({});
    expect(v.is(CadencePolicySchema, policy)).toBe(true);
  });

  test.each([
    ['-3', -3],
    ['+5', 5],
    ['0', 0],
    [' 12 ', 12],
    ['', undefined],
    ['1.5', undefined],
    ['1e3', undefined],
    ['abc', undefined],
    ['--1', undefined],
  ])('parseOffset(%j) → %s', (text, expected) => {
    expect(parseOffset(text)).toBe(expected);
  });

  test.each([
    [-3, [], 'd-3'],
    [0, [], 'd0'],
    [7, [], 'd+7'],
    [7, ['d+7'], 'd+7-2'],
    [7, ['d+7', 'd+7-2'], 'd+7-3'],
  ])('newStepId(%i, %j) → %s', (offset, taken, expected) => {
    expect(newStepId(offset, new Set(taken))).toBe(expected);
  });

  test.each([
    ['d+5.email', 'email', 'd+5.email'],
    ['d+5.email', 'sms', 'd+5.sms'],
    ['d+1.whatsapp', 'visit', 'd+1.visit'],
  ] as const)('templateForChannel(%s, %s) → %s', (current, channel, expected) => {
    expect(templateForChannel(current, channel, TEMPLATES)).toBe(expected);
  });

  test('templateForChannel falls back to a template of the channel, or "" when none', () => {
    const picked = templateForChannel('nope.whatsapp', 'sms', TEMPLATES);
    expect(TEMPLATES.find((x) => x.id === picked)?.channel).toBe('sms');
    expect(templateForChannel('d0.sms', 'email', [{ id: 'd0.sms', channel: 'sms' }])).toBe('');
  });

  test('moving a step swaps it with its neighbour and the days stay in place', () => {
    const before = drafts();
    const after = moveStep(before, 1, 1);
    expect(after.map((d) => d.offset)).toEqual(before.map((d) => d.offset));
    expect(after[1]?.id).toBe('d+1');
    expect(after[2]?.id).toBe('d0');
    expect(after[2]?.channel).toBe('sms');
    expect(moveStep(before, 0, -1).map((d) => d.key)).toEqual(before.map((d) => d.key));
    const r = stepsFromDrafts(after, TEMPLATES);
    expect(r.errors).toEqual({});
    expect(r.steps.map((s) => [s.id, s.offsetDays])).toContainEqual(['d0', 1]);
  });

  test('a new step lands 5 days after the last, gets an id from its day, and sorts into place', () => {
    const list = drafts();
    const added = newStepDraft(list, TEMPLATES);
    expect(added).toMatchObject({ offset: '65', channel: 'whatsapp', mode: 'manual' });
    const r = stepsFromDrafts([...list, { ...added, offset: '7' }], TEMPLATES);
    expect(r.errors).toEqual({});
    const i = r.steps.findIndex((s) => s.id === 'd+7');
    expect(r.steps[i - 1]?.id).toBe('d+5');
    expect(r.order[i]).toBe(list.length);
  });

  test('a new step on a day whose old id moved elsewhere gets a fresh id', () => {
    const list = edit(drafts(), 4, { offset: '11' }); // the 'd+10' step now falls on day 11
    const r = stepsFromDrafts(
      [...list, { ...newStepDraft(list, TEMPLATES), offset: '10' }],
      TEMPLATES,
    );
    expect(r.errors).toEqual({});
    expect(r.steps.filter((s) => s.offsetDays === 10).map((s) => s.id)).toEqual(['d+10-2']);
  });

  test('an escalation step always carries its requirements; other kinds carry none', () => {
    const list = edit(edit(drafts(), 7, { kind: 'escalation' }), 8, { kind: 'notice' });
    const r = stepsFromDrafts(list, TEMPLATES);
    expect(r.steps[7]?.requires).toEqual(['written_notice', 'min_days_overdue']);
    expect(r.steps[8]).not.toHaveProperty('requires');
  });

  const ERROR_CASES: [string, (list: StepDraft[]) => StepDraft[], Record<string, string>][] = [
    [
      'an empty day',
      (l) => edit(l, 2, { offset: '' }),
      { 'steps[2].offsetDays': 'settings.err.offset' },
    ],
    [
      'a fractional day',
      (l) => edit(l, 2, { offset: '1.5' }),
      { 'steps[2].offsetDays': 'settings.err.offset' },
    ],
    [
      'two steps on one day',
      (l) => edit(l, 3, { offset: '1' }),
      {
        'steps[2].offsetDays': 'settings.err.sameDay',
        'steps[3].offsetDays': 'settings.err.sameDay',
      },
    ],
    [
      'a template of another channel',
      (l) => edit(l, 0, { templateId: 'd0.sms' }),
      { 'steps[0].templateId': 'settings.err.template' },
    ],
    [
      'a template that does not exist',
      (l) => edit(l, 0, { templateId: 'nope.whatsapp' }),
      { 'steps[0].templateId': 'settings.err.template' },
    ],
    [
      'a discount in a reminder',
      (l) => edit(l, 4, { allowsDiscount: true }),
      { 'steps[4].allowsDiscount': 'settings.err.discount' },
    ],
    [
      'a discount before the due date',
      (l) => edit(l, 0, { allowsDiscount: true, kind: 'negotiation' }),
      { 'steps[0].allowsDiscount': 'settings.err.discount' },
    ],
    [
      'a discount on the due date itself',
      (l) => edit(l, 1, { allowsDiscount: true, kind: 'negotiation' }),
      { 'steps[1].allowsDiscount': 'settings.err.discount' },
    ],
    ['no steps at all', () => [], { steps: 'settings.err.noSteps' }],
  ];

  test.each(ERROR_CASES)(
    '%s is named on its field and the schema agrees',
    (_, mutate, expected) => {
      const list = mutate(drafts());
      const r = stepsFromDrafts(list, TEMPLATES);
      expect(r.errors).toEqual(
        Object.fromEntries(Object.entries(expected).map(([f, key]) => [f, t(key as never)])),
      );
      // Every case but the template ones breaks the shared schema too (templates are the server's).
      const policy: CadencePolicy = { ...DEFAULT_CADENCE_POLICY, steps: r.steps };
      const schemaRefuses = !v.is(CadencePolicySchema, policy) || r.steps.length < list.length;
      expect(schemaRefuses).toBe(!Object.keys(expected).some((f) => f.endsWith('templateId')));
    },
  );

  test("the server's steps[k] (sent in day order) point back at the draft's row", () => {
    const list = [...drafts()];
    const last = list.pop();
    if (!last) throw new Error('fixture');
    const r = stepsFromDrafts([last, ...list], TEMPLATES); // the D+60 step is row 0 on screen
    expect(r.order[8]).toBe(0);
    expect(
      remapStepErrors({ 'steps[8].templateId': 'x', timeZone: 'y', 'steps[0].mode': 'z' }, r.order),
    ).toEqual({ 'steps[0].templateId': 'x', timeZone: 'y', 'steps[1].mode': 'z' });
  });
});

describe('contact windows: form model ↔ settings', () => {
  test('the defaults survive the round trip, states in UF order', () => {
    const draft = windowsToDraft(DEFAULT_WINDOWS);
    expect(draft.states.map((s) => s.uf)).toEqual(['AM', 'ES', 'RJ']);
    const { value, errors } = windowsFromDraft(draft);
    expect(errors).toEqual({});
    expect(value).toEqual(DEFAULT_WINDOWS);
  });

  test('a closed day keeps hours to reopen with, and is sent as null whatever they say', () => {
    const draft = windowsToDraft(DEFAULT_WINDOWS);
    expect(draft.base.sunday).toEqual({ open: false, from: '08:00', to: '14:00' });
    draft.base.sunday = { open: false, from: '23:00', to: '' };
    expect(windowsFromDraft(draft)).toMatchObject({
      errors: {},
      value: { windows: { sunday: null } },
    });
  });

  const CASES: [string, (d: WindowsDraft) => void, Record<string, string>][] = [
    [
      'end before start',
      (d) => void (d.base.saturday = { open: true, from: '10:00', to: '09:00' }),
      { 'windows.saturday': 'settings.err.range' },
    ],
    [
      'end equal to start',
      (d) => void (d.base.weekdays = { open: true, from: '10:00', to: '10:00' }),
      { 'windows.weekdays': 'settings.err.range' },
    ],
    [
      'an empty end',
      (d) => void (d.base.weekdays = { open: true, from: '10:00', to: '' }),
      { 'windows.weekdays': 'settings.err.time' },
    ],
    [
      'until midnight',
      (d) => void (d.base.sunday = { open: true, from: '10:00', to: '24:00' }),
      {},
    ],
    [
      'a state override backwards',
      (d) => void (d.states[2]!.week.weekdays = { open: true, from: '19:00', to: '09:00' }),
      { 'stateWindows.RJ.weekdays': 'settings.err.range' },
    ],
    [
      'a state twice',
      (d) => void d.states.push({ uf: 'RJ', week: structuredClone(d.base) }),
      { 'stateWindows.RJ': 'settings.err.stateTwice' },
    ],
    [
      'no contact per day',
      (d) => void (d.perDay = '0'),
      { 'budget.maxPerDay': 'settings.err.positive' },
    ],
    [
      'a budget in words',
      (d) => void (d.per7 = 'dois'),
      { 'budget.maxPer7Days': 'settings.err.positive' },
    ],
  ];

  test.each(CASES)(
    '%s: named on its field, and the server schema agrees',
    (_, mutate, expected) => {
      const draft = windowsToDraft(DEFAULT_WINDOWS);
      mutate(draft);
      const { value, errors } = windowsFromDraft(draft);
      expect(errors).toEqual(
        Object.fromEntries(Object.entries(expected).map(([f, key]) => [f, t(key as never)])),
      );
      // A repeated state collapses into one record key, so only the schema-level rules are compared.
      if (!('stateWindows.RJ' in expected))
        expect(v.is(WindowsBody, value)).toBe(Object.keys(expected).length === 0);
    },
  );
});

describe("the server's problem+json → field errors", () => {
  test('schema issues land on the day with the server’s words; .from/.to fold into the range', () => {
    const body = {
      windows: { ...DEFAULT_WINDOWS.windows, saturday: { from: '10:00', to: '09:00' } },
      stateWindows: { RJ: { ...DEFAULT_WINDOWS.windows, sunday: { from: '8h', to: '12:00' } } },
      budget: { maxPerDay: 1, maxPer7Days: 2 },
    };
    const parsed = v.safeParse(WindowsBody, body);
    if (parsed.success) throw new Error('fixture must be invalid');
    const problem = issuesToProblem(parsed.issues);
    const said = (field: string) => problem.errors.find((e) => e.field === field)?.message;
    // '8h' fails its format and, read as a time, the order check of its range too.
    expect(problem.errors.map((e) => e.field).sort()).toEqual([
      'stateWindows.RJ.sunday',
      'stateWindows.RJ.sunday.from',
      'windows.saturday',
    ]);
    expect(problemFieldErrors(problem, problem.detail)).toEqual({
      'windows.saturday': said('windows.saturday'),
      'stateWindows.RJ.sunday': said('stateWindows.RJ.sunday.from'),
    });
  });

  test("the server's own pt-BR messages pass through; no field errors → the form's error", () => {
    const body = {
      errors: [{ field: 'steps[3].templateId', message: 'o modelo x.sms não existe' }],
    };
    expect(problemFieldErrors(body, 'ignored')).toEqual({
      'steps[3].templateId': 'o modelo x.sms não existe',
    });
    expect(problemFieldErrors({ detail: 'conflito' }, 'conflito')).toEqual({ '': 'conflito' });
    expect(problemFieldErrors(null, 'falhou')).toEqual({ '': 'falhou' });
  });
});
