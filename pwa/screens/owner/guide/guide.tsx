/**
 * Primeiros passos (owner): the first-run guide. The steps in order — the owner's name, the
 * creditor (CDC art. 42-A), the PIX key with a test QR, the first collector with a sign-in QR for
 * the phone, the portfolio (template, file, who visits whom) — with the progress, each step
 * skippable ("Pular por agora", remembered by the server; the home screen keeps listing it) and
 * revisitable (`?passo=`). Opened by the home screen on an organisation without a creditor.
 */
import { useEffect, useState } from 'preact/hooks';
import {
  ONBOARDING_STEPS,
  type OnboardingStatus,
  type OnboardingStep,
} from '#shared/onboarding/onboarding.schema';
import { api, errorMessage } from '../../../app/api';
import { navigate, query } from '../../../app/router';
import { num } from '../../../i18n/format';
import { t, type MessageKey } from '../../../i18n/messages';
import { Failure, Loading } from '../../../ui/async';
import { DemoCollectors } from './demo-panel';
import { CollectorStep } from './step-collector';
import { CreditorStep } from './step-creditor';
import { ImportStep } from './step-import';
import { NameStep } from './step-name';
import { GUIDE_PATH } from './guide-path';
import { PixStep } from './step-pix';
import type { StepProps } from './steps';
import './guide.css';

const SCREENS: Record<OnboardingStep, (p: StepProps) => preact.JSX.Element> = {
  name: NameStep,
  creditor: CreditorStep,
  pix: PixStep,
  collector: CollectorStep,
  import: ImportStep,
};

function isStep(s: string | null): s is OnboardingStep {
  return s !== null && (ONBOARDING_STEPS as readonly string[]).includes(s);
}

/** The step after `from` that is still to do (wrapping around), else the finish page. */
function after(status: OnboardingStatus, from: OnboardingStep): OnboardingStep | 'pronto' {
  const order = ONBOARDING_STEPS;
  const at = order.indexOf(from);
  const rest = [...order.slice(at + 1), ...order.slice(0, at)];
  const todo = rest.find((id) => status.steps.find((s) => s.id === id)?.state === 'todo');
  return todo ?? 'pronto';
}

function Finish({ status }: { status: OnboardingStatus }) {
  const left = status.steps.filter((s) => s.state !== 'done');
  return (
    <div>
      <h2 tabIndex={-1}>{left.length === 0 ? t('guide.allDone') : t('guide.somethingLeft')}</h2>
      {left.length > 0 ? (
        <ul class="missing">
          {left.map((s) => (
            <li key={s.id}>
              <span>{t(`guide.missing.${s.id}` as MessageKey)}</span>
              <a href={`${GUIDE_PATH}?passo=${s.id}`}>{t('guide.missing.fix')}</a>
            </li>
          ))}
        </ul>
      ) : null}
      <p>{t('guide.allDoneText')}</p>
      <ul class="tiles">
        <li>
          <a href="/ajustes">{t('guide.goSettings')}</a>
        </li>
        <li>
          <a href="/carteira">{t('guide.goPortfolio')}</a>
        </li>
        <li>
          <a href="/pessoas">{t('guide.goPeople')}</a>
        </li>
      </ul>
    </div>
  );
}

export function Guide() {
  const [status, setStatus] = useState<OnboardingStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = async (): Promise<OnboardingStatus | null> => {
    try {
      const next = await api<OnboardingStatus>('GET', '/api/onboarding');
      setStatus(next);
      setError(null);
      return next;
    } catch (e) {
      setError(errorMessage(e));
      return null;
    }
  };
  useEffect(() => {
    void refresh();
  }, []);
  if (error && !status) return <Failure message={error} retry={() => void refresh()} />;
  if (!status) return <Loading />;
  const asked = query.value.get('passo');
  const current: OnboardingStep | 'pronto' = isStep(asked)
    ? asked
    : asked === 'pronto'
      ? 'pronto'
      : (status.next ?? 'pronto');
  const go = (step: string) => navigate(`${GUIDE_PATH}?passo=${step}`);
  const doneCount = status.steps.filter((s) => s.state === 'done').length;
  const stateOf = (id: OnboardingStep) => status.steps.find((s) => s.id === id)?.state ?? 'todo';
  const moveOn = async (from: OnboardingStep) => {
    const next = (await refresh()) ?? status;
    go(after(next, from));
  };
  const skip = async (step: OnboardingStep, state: 'skipped' | 'todo') => {
    try {
      const next = await api<OnboardingStatus>('PUT', `/api/onboarding/steps/${step}`, {
        json: { state },
      });
      setStatus(next);
      if (state === 'skipped') go(after(next, step));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const Step = current === 'pronto' ? null : SCREENS[current];
  const state = current === 'pronto' ? 'done' : stateOf(current);
  return (
    <section class="guide">
      <h1 tabIndex={-1}>{t('guide.title')}</h1>
      <p class="muted">{t('guide.intro')}</p>
      <label for="guide-progress">
        {t('guide.progress')}: {num(doneCount)} {t('guide.progressOf')} {num(status.steps.length)}{' '}
        {t('guide.progressDone')}
      </label>
      <progress id="guide-progress" max={status.steps.length} value={doneCount} />
      <div class="guide-layout">
        <nav aria-label={t('guide.steps')}>
          <ol class="guide-steps">
            {status.steps.map((s, i) => (
              <li key={s.id}>
                <a
                  href={`${GUIDE_PATH}?passo=${s.id}`}
                  aria-current={s.id === current ? 'step' : undefined}
                  data-testid={`step-${s.id}`}
                >
                  <span>
                    {i + 1}. {t(`guide.step.${s.id}` as MessageKey)}
                  </span>
                  <span class={`step-state ${s.state}`}>
                    {t(`guide.state.${s.state}` as MessageKey)}
                  </span>
                </a>
              </li>
            ))}
          </ol>
        </nav>
        <div class="guide-panel" data-testid={`guide-${current}`}>
          {error ? (
            <p class="notice error" role="alert">
              {error}
            </p>
          ) : null}
          {state === 'skipped' && current !== 'pronto' ? (
            <p class="notice small">
              {t('guide.skippedNote')}{' '}
              <button type="button" class="link" onClick={() => void skip(current, 'todo')}>
                {t('guide.unskip')}
              </button>
            </p>
          ) : null}
          {Step && current !== 'pronto' ? (
            <Step
              key={current}
              status={status}
              done={state === 'done'}
              onSaved={() => void moveOn(current)}
              refresh={() => void refresh()}
              go={go}
              skipButton={
                state === 'done' ? (
                  <button type="button" onClick={() => go(after(status, current))}>
                    {t('guide.next')}
                  </button>
                ) : (
                  <button type="button" onClick={() => void skip(current, 'skipped')}>
                    {t('guide.skip')}
                  </button>
                )
              }
            />
          ) : (
            <Finish status={status} />
          )}
        </div>
      </div>
      <DemoCollectors demo={status.demo} />
    </section>
  );
}
