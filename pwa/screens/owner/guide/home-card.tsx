/**
 * The owner's home: what is still missing before the business can collect, each item saying what
 * goes wrong without it ("Sem chave PIX: os clientes não conseguem pagar pelo QR") with a link to
 * its step; the demo offer on an organisation without debtors; the demo's collectors and their
 * sign-in QR codes once it is loaded. On an organisation without a creditor whose owner has not
 * skipped that step, the first visit of this page load opens the guide instead.
 */
import { useEffect, useState } from 'preact/hooks';
import type { OnboardingStatus } from '#shared/onboarding/onboarding.schema';
import { api } from '../../../app/api';
import { navigate } from '../../../app/router';
import { num } from '../../../i18n/format';
import { t, type MessageKey } from '../../../i18n/messages';
import { DemoCollectors, DemoOffer } from './demo-panel';
import { GUIDE_PATH } from './guide-path';
import './guide.css';

let ledToGuide = false;

export function HomeCard() {
  const [status, setStatus] = useState<OnboardingStatus | null>(null);
  const load = () =>
    void api<OnboardingStatus>('GET', '/api/onboarding').then(
      (s) => {
        const creditor = s.steps.find((x) => x.id === 'creditor')?.state;
        if (creditor === 'todo' && !ledToGuide) {
          ledToGuide = true;
          navigate(GUIDE_PATH, { replace: true });
          return;
        }
        setStatus(s);
      },
      () => undefined,
    );
  useEffect(load, []);
  if (!status) return null;
  const missing = status.steps.filter((s) => s.state !== 'done');
  const unassigned = status.facts.collectors > 0 ? status.facts.unassignedDebtors : 0;
  return (
    <>
      <section class="setup-card" aria-labelledby="setup-title" data-testid="home-setup">
        <h2 id="setup-title">{t('guide.home.title')}</h2>
        {missing.length === 0 && unassigned === 0 ? (
          <p class="ok-text">{t('guide.home.ready')}</p>
        ) : (
          <ul class="missing">
            {missing.map((s) => (
              <li key={s.id} data-testid={`missing-${s.id}`}>
                <span>{t(`guide.missing.${s.id}` as MessageKey)}</span>
                <a href={`${GUIDE_PATH}?passo=${s.id}`}>{t('guide.missing.fix')}</a>
              </li>
            ))}
            {unassigned > 0 ? (
              <li data-testid="missing-unassigned">
                <span>
                  {num(unassigned)} {t('guide.missing.unassigned')}
                </span>
                <a href={`${GUIDE_PATH}?passo=import`}>{t('guide.missing.fix')}</a>
              </li>
            ) : null}
          </ul>
        )}
        <p>
          <a href={GUIDE_PATH}>
            {missing.length > 0 ? t('guide.home.continue') : t('guide.home.review')}
          </a>
        </p>
      </section>
      {status.demo.available && status.facts.debtors === 0 ? <DemoOffer onLoaded={load} /> : null}
      <DemoCollectors demo={status.demo} />
    </>
  );
}
