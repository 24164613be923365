/**
 * One debtor's page (owner and staff): who they are, where they live (with a map link), how to
 * reach them (each phone with WhatsApp and verification, fixed and marked in one tap), what they
 * owe today line by line, the whole story, what the régua does next and why, who collects, and
 * the office's actions (counter payment, dispute, contact, written notice, assignment,
 * preferences and do-not-contact, identity, merging a duplicate). Everything reloads from the
 * server after each action: balances are derived there, never here.
 */
import { useRef } from 'preact/hooks';
import { api } from '../../../app/api';
import { role } from '../../../app/session';
import { query } from '../../../app/router';
import { brl, date, num } from '../../../i18n/format';
import { t } from '../../../i18n/messages';
import { Failure, Loading, useLoad } from '../../../ui/async';
import { Actions } from './debtor-actions';
import { Cadence, Collector, Duplicates } from './debtor-side';
import { Identity, Preferences } from './debtor-profile';
import { ContactPoints } from './contact-points';
import { shownDocument } from './debtors';
import { Timeline } from './timeline';
import { word, type Story } from './story';
import './desk.css';

export function DebtorPage() {
  const id = query.value.get('id') ?? '';
  const [loaded, reload] = useLoad(
    () => api<Story>('GET', `/api/debtors/${encodeURIComponent(id)}/story`),
    [id],
  );
  // While an action's reload is in flight the page keeps showing what it had (forms keep their
  // messages); only the first load of a debtor shows "Carregando".
  const last = useRef<{ id: string; story: Story } | null>(null);
  if (loaded.state === 'ready') last.current = { id, story: loaded.value };
  const story =
    loaded.state === 'loading' && last.current?.id === id
      ? { state: 'ready' as const, value: last.current.story }
      : loaded;
  if (story.state === 'loading') return <Loading />;
  if (story.state === 'error')
    return (
      <section class="desk">
        <h1 tabIndex={-1}>{t('desk.notFound')}</h1>
        <Failure message={story.message} retry={reload} />
        <p>
          <a href="/devedores">{t('desk.back')}</a>
        </p>
      </section>
    );
  const s = story.value;
  const d = s.debtor;
  if (s.mergedInto)
    return (
      <section class="desk">
        <h1 tabIndex={-1}>{d.name}</h1>
        <p class="notice">
          {t('desk.merged')} <strong>{s.mergedInto.name}</strong>.{' '}
          <a href={`/devedor?id=${s.mergedInto.id}`}>{t('desk.openMerged')}</a>
        </p>
      </section>
    );
  return (
    <section class="desk">
      <p class="small">
        <a href="/devedores">{t('desk.back')}</a>
      </p>
      <div class="desk-head">
        <h1 tabIndex={-1}>{d.name}</h1>
        <span class={`badge status-${s.status}`}>{word('status', s.status)}</span>
        <span class="muted">
          {t('desk.stageLabel')}: {word('stage', s.stage)}
        </span>
      </div>
      <p class="muted small">
        {word('kind', d.kind)} · {shownDocument(d.document)}
        {d.externalId ? ` · ${t('desk.externalId')}: ${d.externalId}` : ''}
      </p>
      {s.duplicates.length > 0 ? (
        <Duplicates story={s} owner={role.value === 'owner'} reload={reload} />
      ) : null}
      <div class="desk-grid">
        <div>
          <Balance story={s} />
          <div class="desk-card">
            <Timeline story={s} />
          </div>
        </div>
        <div>
          <ContactPoints story={s} reload={reload} />
          <Address story={s} />
          <Cadence story={s} />
          <Collector story={s} reload={reload} />
          <Actions story={s} reload={reload} />
          <Preferences story={s} reload={reload} />
          <Identity story={s} reload={reload} />
        </div>
      </div>
    </section>
  );
}

function Address({ story }: { story: Story }) {
  const a = story.debtor.address;
  return (
    <div class="desk-card">
      <h2>{t('desk.address')}</h2>
      {a ? (
        <p>
          <span data-testid="address-line">{a.line}</span>
          <br />
          <a
            href={`https://www.google.com/maps/search/?api=1&query=${encodeURIComponent(a.line)}`}
            target="_blank"
            rel="noopener noreferrer"
          >
            {t('desk.map')}
          </a>
        </p>
      ) : (
        <p class="muted">{t('desk.noAddress')}</p>
      )}
    </div>
  );
}

function Balance({ story }: { story: Story }) {
  const rows = [
    ['desk.original', 'principal'],
    ['desk.fine', 'fine'],
    ['desk.interest', 'interest'],
    ['desk.fees', 'fees'],
    ['desk.paid', 'paid'],
    ['desk.discount', 'discount'],
  ] as const;
  return (
    <div class="desk-card">
      <h2>
        {t('desk.balance')}: <span data-testid="total-due">{brl(story.totals.totalDue)}</span>
      </h2>
      <p class="small muted">
        {t('desk.asOf')} {date(story.totals.asOf)}
        {story.daysOverdue > 0 ? ` · ${num(story.daysOverdue)} ${t('desk.daysLate')}` : ''}
      </p>
      <h3>{t('desk.debts')}</h3>
      <div class="table-wrap" tabIndex={0} role="region" aria-label={t('desk.debts')}>
        <table class="breakdown">
          <thead>
            <tr>
              <th scope="col">{t('desk.debt')}</th>
              <th scope="col">{t('desk.dueDate')}</th>
              {rows.map(([key]) => (
                <th scope="col" class="num" key={key}>
                  {t(key)}
                </th>
              ))}
              <th scope="col" class="num">
                {t('desk.totalDue')}
              </th>
            </tr>
          </thead>
          <tbody>
            {story.debts.map((debt) => (
              <tr key={debt.id}>
                <td>
                  {debt.description || '—'}
                  <br />
                  <span class="small muted">{word('debtStatus', debt.status)}</span>
                </td>
                <td>{date(debt.dueDate)}</td>
                {rows.map(([key, field]) => (
                  <td class="num" key={key}>
                    {brl(debt.balance[field])}
                  </td>
                ))}
                <td class="num">
                  <strong>{brl(debt.balance.totalDue)}</strong>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
