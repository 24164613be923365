/**
 * The steps of the régua: add, remove, move, and edit each step's day (from the due date),
 * channel, template, mode, kind and discount. Checked against the shared schema before sending;
 * the server checks again (templates must exist for the step's channel) and its field errors are
 * shown beside the same inputs.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { Channels } from '#shared/templates/template.schema';
import { StepKinds, StepModes } from '#shared/cadence/cadence.schema';
import { api } from '../../../app/api';
import { useDirty } from '../../../app/dirty';
import { role } from '../../../app/session';
import { templateLabel } from './template-editor';
import { t } from '../../../i18n/messages';
import {
  moveStep,
  newStepDraft,
  parseOffset,
  policyWithSteps,
  remapStepErrors,
  stepsFromDrafts,
  stepsToDrafts,
  templateForChannel,
  unplaced,
  type FieldErrors,
  type StepDraft,
  type TemplateRef,
} from './cadence-form-model';
import {
  FieldError,
  FormErrors,
  invalidAttrs,
  saveFailure,
  Saved,
  type Message,
  type PolicyFormProps,
  type PolicySection,
} from './form-bits';

const STEP_FIELDS = ['offsetDays', 'channel', 'mode', 'kind', 'templateId', 'allowsDiscount'];

/** "3 dias antes do vencimento", "no dia do vencimento": a step's day in words, not "D-3". */
function dayLabel(offset: string): string {
  const n = parseOffset(offset);
  if (n === undefined) return '';
  if (n === 0) return t('settings.templates.dueDay');
  return `${Math.abs(n)} ${t(n < 0 ? 'settings.templates.before' : 'settings.templates.after')}`;
}

export function StepsForm({
  saved,
  onSaved,
  reload,
  templates,
}: PolicyFormProps & { templates: TemplateRef[] }) {
  const [drafts, setDrafts] = useState(() => stepsToDrafts(saved.value.steps));
  const [edited, setEdited] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<Message>(null);
  const [stale, setStale] = useState(false);
  const [focus, setFocus] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);
  useDirty(edited);
  const owner = role.value === 'owner';

  useEffect(() => {
    if (focus === null) return;
    const target =
      focus === 'invalid'
        ? form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')
        : document.getElementById(focus);
    target?.focus();
    setFocus(null);
  }, [focus]);

  const change = (next: StepDraft[]) => {
    setDrafts(next);
    setEdited(true);
    setMessage(null);
  };
  /** An edit clears that step's errors; a move, add or remove clears them all (indices shift). */
  const update = (i: number, patch: Partial<StepDraft>) => {
    change(drafts.map((d, k) => (k === i ? { ...d, ...patch } : d)));
    setErrors((all) =>
      Object.fromEntries(Object.entries(all).filter(([f]) => !f.startsWith(`steps[${i}].`))),
    );
  };

  const move = (i: number, by: -1 | 1) => {
    const key = drafts[i]?.key;
    const next = moveStep(drafts, i, by);
    change(next);
    setErrors({});
    const at = i + by;
    // Keep focus on the moved step's button; at either end the other button is the live one.
    const edge = by === -1 ? at === 0 : at === next.length - 1;
    setFocus(`step-${key}-${edge ? (by === -1 ? 'down' : 'up') : by === -1 ? 'up' : 'down'}`);
  };

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const result = stepsFromDrafts(drafts, templates);
    const { policy, errors: found } = policyWithSteps(saved.value, result);
    setErrors(found);
    setMessage(null);
    if (Object.keys(found).length > 0) {
      setMessage({ ok: false, text: t('settings.err.fix') });
      setFocus('invalid');
      return;
    }
    try {
      const next = await api<PolicySection>('PUT', '/api/settings/cadence', {
        headers: { 'if-match': `"${saved.version}"` },
        json: policy,
      });
      onSaved(next);
      setStale(false);
      setDrafts(stepsToDrafts(next.value.steps));
      setEdited(false);
      setMessage({ ok: true, text: t('common.saved') });
    } catch (e) {
      const failure = saveFailure(e);
      setErrors(remapStepErrors(failure.errors, result.order));
      setStale(failure.stale);
      setFocus('invalid');
    }
  };

  const placed = (field: string) =>
    drafts.some((_, i) => STEP_FIELDS.some((f) => field === `steps[${i}].${f}`));

  return (
    <form ref={form} onSubmit={(e) => void submit(e)} aria-labelledby="steps-title" noValidate>
      <h2 id="steps-title">{t('settings.cadence.title')}</h2>
      <p class="small muted">{t('settings.cadence.intro')}</p>
      <fieldset disabled={!owner}>
        <legend class="sr-only">{t('settings.cadence.title')}</legend>
        <ol class="steps">
          {drafts.map((d, i) => {
            const id = (f: string) => `step-${d.key}-${f}`;
            const path = (f: string) => `steps[${i}].${f}`;
            const ofChannel = templates.filter((x) => x.channel === d.channel);
            const options =
              d.templateId !== '' && !ofChannel.some((x) => x.id === d.templateId)
                ? [{ id: d.templateId, channel: d.channel }, ...ofChannel]
                : ofChannel;
            const n = i + 1;
            const stepName = `${t('settings.cadence.step').toLowerCase()} ${n}`;
            return (
              <li key={d.key}>
                <fieldset class="step" data-testid="cadence-step">
                  <legend>
                    {t('settings.cadence.step')} {n}
                    {dayLabel(d.offset) ? ` · ${dayLabel(d.offset)}` : ''}
                  </legend>
                  <div class="pair">
                    <div>
                      <label for={id('offset')}>{t('settings.cadence.offset')}</label>
                      <input
                        id={id('offset')}
                        type="number"
                        step={1}
                        value={d.offset}
                        onInput={(e) => update(i, { offset: e.currentTarget.value })}
                        {...invalidAttrs(errors, path('offsetDays'))}
                      />
                    </div>
                    <div>
                      <label for={id('channel')}>{t('settings.cadence.channel')}</label>
                      <select
                        id={id('channel')}
                        value={d.channel}
                        onChange={(e) => {
                          const channel = e.currentTarget.value as StepDraft['channel'];
                          update(i, {
                            channel,
                            templateId: templateForChannel(d.templateId, channel, templates),
                          });
                        }}
                        {...invalidAttrs(errors, path('channel'))}
                      >
                        {Channels.map((c) => (
                          <option key={c} value={c}>
                            {t(`settings.cadence.channel.${c}`)}
                          </option>
                        ))}
                      </select>
                    </div>
                  </div>
                  <FieldError errors={errors} field={path('offsetDays')} />
                  <FieldError errors={errors} field={path('channel')} />
                  <label for={id('template')}>{t('settings.cadence.template')}</label>
                  <select
                    id={id('template')}
                    value={d.templateId}
                    onChange={(e) => update(i, { templateId: e.currentTarget.value })}
                    {...invalidAttrs(errors, path('templateId'))}
                  >
                    {options.length === 0 ? (
                      <option value="">{t('settings.cadence.noTemplate')}</option>
                    ) : null}
                    {options.map((x) => (
                      <option key={x.id} value={x.id}>
                        {templateLabel(x.id, x.channel)}
                      </option>
                    ))}
                  </select>
                  <FieldError errors={errors} field={path('templateId')} />
                  <div class="pair">
                    <div>
                      <label for={id('mode')}>{t('settings.cadence.mode')}</label>
                      <select
                        id={id('mode')}
                        value={d.mode}
                        onChange={(e) =>
                          update(i, { mode: e.currentTarget.value as StepDraft['mode'] })
                        }
                        {...invalidAttrs(errors, path('mode'))}
                      >
                        {StepModes.map((m) => (
                          <option key={m} value={m}>
                            {m === 'automatic'
                              ? t('settings.cadence.auto')
                              : t('settings.cadence.manual')}
                          </option>
                        ))}
                      </select>
                    </div>
                    <div>
                      <label for={id('kind')}>{t('settings.cadence.kind')}</label>
                      <select
                        id={id('kind')}
                        value={d.kind}
                        onChange={(e) =>
                          update(i, { kind: e.currentTarget.value as StepDraft['kind'] })
                        }
                        {...invalidAttrs(errors, path('kind'))}
                      >
                        {StepKinds.map((k) => (
                          <option key={k} value={k}>
                            {t(`settings.cadence.kind.${k}`)}
                          </option>
                        ))}
                      </select>
                    </div>
                  </div>
                  <FieldError errors={errors} field={path('mode')} />
                  <FieldError errors={errors} field={path('kind')} />
                  <label class="check">
                    <input
                      id={id('discount')}
                      type="checkbox"
                      checked={d.allowsDiscount}
                      onChange={(e) => update(i, { allowsDiscount: e.currentTarget.checked })}
                      {...invalidAttrs(errors, path('allowsDiscount'))}
                    />{' '}
                    {t('settings.cadence.discount')}
                  </label>
                  <FieldError errors={errors} field={path('allowsDiscount')} />
                  {owner ? (
                    <div class="step-actions">
                      <button
                        type="button"
                        id={id('up')}
                        aria-label={`${t('settings.cadence.up')} ${stepName}`}
                        disabled={i === 0}
                        onClick={() => move(i, -1)}
                      >
                        {t('settings.cadence.up')}
                      </button>
                      <button
                        type="button"
                        id={id('down')}
                        aria-label={`${t('settings.cadence.down')} ${stepName}`}
                        disabled={i === drafts.length - 1}
                        onClick={() => move(i, 1)}
                      >
                        {t('settings.cadence.down')}
                      </button>
                      <button
                        type="button"
                        aria-label={`${t('settings.cadence.remove')} ${stepName}`}
                        onClick={() => {
                          change(drafts.filter((_, k) => k !== i));
                          setErrors({});
                          setFocus('steps-add');
                        }}
                      >
                        {t('settings.cadence.remove')}
                      </button>
                    </div>
                  ) : null}
                </fieldset>
              </li>
            );
          })}
        </ol>
        <FieldError errors={errors} field="steps" />
        {owner ? (
          <>
            <button
              type="button"
              id="steps-add"
              onClick={() => {
                const step = newStepDraft(drafts, templates);
                change([...drafts, step]);
                setErrors({});
                setFocus(`step-${step.key}-offset`);
              }}
            >
              {t('settings.cadence.add')}
            </button>{' '}
            <button type="submit" class="primary">
              {t('common.save')}
            </button>
          </>
        ) : (
          <p class="small muted">{t('settings.ownerOnly')}</p>
        )}
      </fieldset>
      <FormErrors messages={unplaced(errors, (f) => f === 'steps' || placed(f))} />
      {stale ? (
        <button type="button" onClick={reload}>
          {t('settings.reload')}
        </button>
      ) : null}
      <Saved message={message} />
    </form>
  );
}
