/**
 * Contact windows: the default week (weekdays, Saturday, Sunday, holidays), per-state (UF)
 * overrides that replace it for debtors of that state, and the contact budget. Ranges are checked
 * with the shared HourRangeSchema before sending; the server's field errors land beside the day.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { UFS, type UF } from '#shared/identity/uf';
import { api } from '../../../app/api';
import { useDirty } from '../../../app/dirty';
import { role } from '../../../app/session';
import { t, type MessageKey } from '../../../i18n/messages';
import {
  DAYS,
  unplaced,
  windowsFromDraft,
  windowsToDraft,
  type Day,
  type FieldErrors,
  type WeekDraft,
  type WindowsDraft,
  type WindowsSettings,
} from './cadence-form-model';
import {
  FieldError,
  FormErrors,
  invalidAttrs,
  saveFailure,
  Saved,
  type Message,
  type PolicyFormProps,
  type Section,
} from './form-bits';

const DAY_LABELS: Record<Day, MessageKey> = {
  weekdays: 'settings.windows.weekdays',
  saturday: 'settings.windows.saturday',
  sunday: 'settings.windows.sunday',
};

function WeekFields({
  idPrefix,
  path,
  week,
  errors,
  onChange,
}: {
  idPrefix: string;
  path: string;
  week: WeekDraft;
  errors: FieldErrors;
  onChange: (next: WeekDraft) => void;
}) {
  return (
    <>
      {DAYS.map((d) => {
        const r = week[d];
        const set = (patch: Partial<WeekDraft[Day]>) =>
          onChange({ ...week, [d]: { ...r, ...patch } });
        const field = `${path}.${d}`;
        return (
          <fieldset key={d} class="day win-day">
            <legend>{t(DAY_LABELS[d])}</legend>
            <label class="check">
              <input
                type="checkbox"
                id={`${idPrefix}${d}-open`}
                checked={r.open}
                onChange={(e) => set({ open: e.currentTarget.checked })}
              />{' '}
              {t('settings.windows.allowed')}
            </label>
            <div>
              <label for={`${idPrefix}${d}-from`}>{t('settings.windows.from')}</label>
              <input
                id={`${idPrefix}${d}-from`}
                type="time"
                value={r.from}
                disabled={!r.open}
                onInput={(e) => set({ from: e.currentTarget.value })}
                {...invalidAttrs(errors, field)}
              />
            </div>
            <div>
              <label for={`${idPrefix}${d}-to`}>{t('settings.windows.to')}</label>
              <input
                id={`${idPrefix}${d}-to`}
                type="time"
                value={r.to}
                disabled={!r.open}
                onInput={(e) => set({ to: e.currentTarget.value })}
                {...invalidAttrs(errors, field)}
              />
            </div>
            <FieldError errors={errors} field={field} />
          </fieldset>
        );
      })}
      <label class="check">
        <input
          type="checkbox"
          id={`${idPrefix}holidays`}
          checked={week.allowHolidays}
          onChange={(e) => onChange({ ...week, allowHolidays: e.currentTarget.checked })}
        />{' '}
        {t('settings.windows.holidays')}
      </label>
    </>
  );
}

export function WindowsForm({ saved, onSaved, reload }: PolicyFormProps) {
  const [draft, setDraft] = useState(() => windowsToDraft(saved.value));
  const [edited, setEdited] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<Message>(null);
  const [stale, setStale] = useState(false);
  const [adding, setAdding] = useState<UF | ''>('');
  const [focus, setFocus] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);
  useDirty(edited);
  const owner = role.value === 'owner';
  const free = UFS.filter((uf) => !draft.states.some((s) => s.uf === uf));
  const pick = adding !== '' && free.includes(adding) ? adding : (free[0] ?? '');

  useEffect(() => {
    if (focus === null) return;
    const target =
      focus === 'invalid'
        ? form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')
        : document.getElementById(focus);
    target?.focus();
    setFocus(null);
  }, [focus]);

  const change = (next: WindowsDraft, clear?: string) => {
    setDraft(next);
    setEdited(true);
    setMessage(null);
    if (clear !== undefined)
      setErrors((all) =>
        Object.fromEntries(Object.entries(all).filter(([f]) => !f.startsWith(clear))),
      );
  };

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const { value, errors: found } = windowsFromDraft(draft);
    setErrors(found);
    setMessage(null);
    if (Object.keys(found).length > 0) {
      setMessage({ ok: false, text: t('settings.err.fix') });
      setFocus('invalid');
      return;
    }
    try {
      const next = await api<Section<WindowsSettings>>('PUT', '/api/settings/contact-windows', {
        headers: { 'if-match': `"${saved.version}"` },
        json: value,
      });
      onSaved({ ...saved, value: { ...saved.value, ...next.value }, version: next.version });
      setDraft(windowsToDraft(next.value));
      setEdited(false);
      setStale(false);
      setMessage({ ok: true, text: t('common.saved') });
    } catch (e) {
      const failure = saveFailure(e);
      setErrors(failure.errors);
      setStale(failure.stale);
      setFocus('invalid');
    }
  };

  const placed = (field: string) =>
    /^windows\.(weekdays|saturday|sunday)$/.test(field) ||
    /^budget\.maxPer(Day|7Days)$/.test(field) ||
    draft.states.some(
      (s) => field === `stateWindows.${s.uf}` || field.startsWith(`stateWindows.${s.uf}.`),
    );

  return (
    <form ref={form} onSubmit={(e) => void submit(e)} aria-labelledby="win-title" noValidate>
      <h2 id="win-title">{t('settings.windows.title')}</h2>
      <fieldset disabled={!owner}>
        <legend class="sr-only">{t('settings.windows.title')}</legend>
        <h3>{t('settings.windows.default')}</h3>
        <WeekFields
          idPrefix=""
          path="windows"
          week={draft.base}
          errors={errors}
          onChange={(base) => change({ ...draft, base }, 'windows.')}
        />
        <h3>{t('settings.windows.states')}</h3>
        <p class="small muted">{t('settings.windows.statesIntro')}</p>
        {draft.states.map((s, i) => (
          <fieldset key={s.uf} class="state" data-testid="state-window">
            <legend>{s.uf}</legend>
            <FieldError errors={errors} field={`stateWindows.${s.uf}`} />
            <WeekFields
              idPrefix={`st-${s.uf}-`}
              path={`stateWindows.${s.uf}`}
              week={s.week}
              errors={errors}
              onChange={(week) =>
                change(
                  { ...draft, states: draft.states.map((x, k) => (k === i ? { ...x, week } : x)) },
                  `stateWindows.${s.uf}.`,
                )
              }
            />
            {owner ? (
              <button
                type="button"
                onClick={() => {
                  change({ ...draft, states: draft.states.filter((_, k) => k !== i) });
                  setFocus('win-add-uf');
                }}
              >
                {t('settings.windows.removeState')} {s.uf}
              </button>
            ) : null}
          </fieldset>
        ))}
        {owner && pick !== '' ? (
          <div class="row">
            <label for="win-add-uf">{t('settings.windows.pickState')}</label>
            <select
              id="win-add-uf"
              value={pick}
              onChange={(e) => setAdding(e.currentTarget.value as UF)}
            >
              {free.map((uf) => (
                <option key={uf} value={uf}>
                  {uf}
                </option>
              ))}
            </select>
            <button
              type="button"
              onClick={() => {
                // A new state's rule starts as a copy of the default, to be narrowed.
                change({
                  ...draft,
                  states: [...draft.states, { uf: pick, week: structuredClone(draft.base) }],
                });
                setAdding('');
                setFocus(`st-${pick}-weekdays-open`);
              }}
            >
              {t('settings.windows.addState')}
            </button>
          </div>
        ) : null}
        <h3>{t('settings.windows.budget')}</h3>
        <label for="win-day">
          {t('settings.windows.budget')} {t('settings.windows.perDay')}
        </label>
        <input
          id="win-day"
          inputMode="numeric"
          value={draft.perDay}
          onInput={(e) => change({ ...draft, perDay: e.currentTarget.value }, 'budget.maxPerDay')}
          {...invalidAttrs(errors, 'budget.maxPerDay')}
        />
        <FieldError errors={errors} field="budget.maxPerDay" />
        <label for="win-7">
          {t('settings.windows.budget')} {t('settings.windows.per7')}
        </label>
        <input
          id="win-7"
          inputMode="numeric"
          value={draft.per7}
          onInput={(e) => change({ ...draft, per7: e.currentTarget.value }, 'budget.maxPer7Days')}
          {...invalidAttrs(errors, 'budget.maxPer7Days')}
        />
        <FieldError errors={errors} field="budget.maxPer7Days" />
        {owner ? (
          <button type="submit" class="primary">
            {t('common.save')}
          </button>
        ) : (
          <p class="small muted">{t('settings.ownerOnly')}</p>
        )}
      </fieldset>
      <FormErrors messages={unplaced(errors, placed)} />
      {stale ? (
        <button type="button" onClick={reload}>
          {t('settings.reload')}
        </button>
      ) : null}
      <Saved message={message} />
    </form>
  );
}
