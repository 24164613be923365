/**
 * One debtor on the collector's phone: identity, contact links (guarded), debts and balance,
 * the merged timeline (server facts + this device's outbox), the active promise or agreement,
 * the recording forms and the PIX button. Everything reads the device database: works offline.
 */
import { Fragment } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { orgSettings, runtime } from '../../app/collector';
import { query } from '../../app/router';
import { session } from '../../app/session';
import type { QuitaDb, SrvDebt } from '../../db/db';
import { liveSignal } from '../../models/live-signal';
import type { DebtorView, TimelineItem } from '../../models/merge';
import { debtorModel } from '../../models/read-models';
import { addressLine, addressOf, mapLink, pinOf } from '../../models/where';
import { brl, date as fmtDate, dateTime } from '../../i18n/format';
import { t, type MessageKey } from '../../i18n/messages';
import {
  cadencePolicy,
  contactPoints,
  currentStep,
  daysOverdue,
  debtBreakdown,
  oldestOpenDebt,
  str,
  today,
} from './collector-data';
import { CONTACT_LOGGED, contactHistory, debtorFacts, pixCode } from './contact';
import { ContactLinks } from './contact-links';
import { PaymentForm, PromiseForm, VisitForm } from './forms';
import { reasonText } from '../../i18n/messages-sync';
import { AgreementForm } from './agreement';
import type { Breakdown } from '#shared/charges/charges.schema';
import { txidForBalance } from '#shared/pix/pix-txid';

type Tab = 'visit' | 'payment' | 'promise' | 'agreement';

/** An opened link waiting in the outbox shows as the contact it becomes on the server. */
const shownType = (item: TimelineItem) => (item.type === CONTACT_LOGGED ? 'contact' : item.type);

function itemText(item: TimelineItem): string {
  const d = item.data;
  switch (shownType(item)) {
    case 'visit': {
      const outcome = str(d['outcome']);
      return outcome ? t(`visit.${outcome}` as MessageKey) : '';
    }
    case 'payment':
    case 'promise':
      return typeof d['amount'] === 'number'
        ? `${brl(d['amount'])}${str(d['dueDate']) ? ` · ${fmtDate(str(d['dueDate']))}` : ''}`
        : '';
    case 'agreement':
      return typeof d['total'] === 'number' ? brl(d['total']) : '';
    case 'contact': {
      const channel = str(d['channel']);
      return `${channel ? t(`contact.channel.${channel}` as MessageKey) : ''} · ${t(
        d['direction'] === 'inbound' ? 'contact.inbound' : 'contact.outbound',
      )}`;
    }
    default:
      return '';
  }
}

/** A pulled item's status in words ("aguardando aprovação"); "" for none or one this build lacks. */
function statusText(item: TimelineItem): string {
  const status = str(item.data['status']);
  if (!status || item.origin !== 'server' || item.type === 'contact') return '';
  return t(`itemStatus.${shownType(item)}.${status}` as MessageKey) ?? '';
}

function Timeline({ items }: { items: readonly TimelineItem[] }) {
  if (items.length === 0) return <p class="muted">{t('debtor.timelineEmpty')}</p>;
  return (
    <ul class="timeline" data-testid="timeline">
      {items.map((item) => (
        <li key={item.id} class={item.origin === 'server' ? '' : 'local'}>
          <strong>{t(`entity.${shownType(item)}` as MessageKey) ?? t('entity.other')}</strong>{' '}
          {itemText(item)}
          <br />
          <span class="small muted">
            {item.occurred_at.length > 10 ? dateTime(item.occurred_at) : fmtDate(item.occurred_at)}
          </span>{' '}
          {item.origin === 'rejected' ? (
            <span class="badge rejected-badge">
              {t('sync.rejectedBadge')}: {reasonText(item.reason ?? '')}
            </span>
          ) : item.origin !== 'server' ? (
            <span class="badge">{t('sync.pendingBadge')}</span>
          ) : statusText(item) ? (
            <span class="small muted">{statusText(item)}</span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function BreakdownTable({
  breakdown,
  principal,
}: {
  breakdown: Breakdown | undefined;
  principal: number;
}) {
  if (!breakdown)
    return (
      <p class="small">
        {t('debtor.principal')} {brl(principal)}
      </p>
    );
  const rows: [string, number][] = [
    [t('debtor.breakdown.original'), breakdown.principal],
    [t('debtor.breakdown.fine'), breakdown.fine],
    [t('debtor.breakdown.interest'), breakdown.interest],
    [t('debtor.breakdown.fees'), breakdown.fees],
    [t('debtor.breakdown.paid'), -breakdown.paid],
    [t('debtor.breakdown.discount'), -breakdown.discount],
  ];
  return (
    <dl class="facts small" data-testid="breakdown">
      {rows
        .filter(([, amount], i) => i === 0 || amount !== 0)
        .map(([label, amount]) => (
          <Fragment key={label}>
            <dt>{label}</dt>
            <dd>{brl(amount)}</dd>
          </Fragment>
        ))}
      <dt>
        <strong>{t('debtor.breakdown.due')}</strong>
      </dt>
      <dd>
        <strong>{brl(breakdown.totalDue)}</strong>
      </dd>
    </dl>
  );
}

function activeOf(items: readonly TimelineItem[]): TimelineItem | undefined {
  return items.find(
    (i) =>
      (i.type === 'promise' || i.type === 'agreement') &&
      i.origin !== 'rejected' &&
      (i.origin !== 'server' ||
        ['open', 'active', 'pending_approval'].includes(str(i.data['status']))),
  );
}

function DebtorBody({ db, id }: { db: QuitaDb; id: string }) {
  const models = useMemo(
    () => ({
      debtor: debtorModel(db, id),
      debts: liveSignal<SrvDebt[]>(() => db.debts.where('debtor_id').equals(id).toArray(), []),
    }),
    [db, id],
  );
  useEffect(
    () => () => {
      models.debtor.dispose();
      models.debts.dispose();
    },
    [models],
  );
  const [tab, setTab] = useState<Tab | null>(null);
  // "Prometeu pagar" in a saved visit continues into the promise form, pre-filled.
  const [fromVisit, setFromVisit] = useState(false);
  const { debtor, timeline } = models.debtor.value.value;
  const debts = models.debts.value.value;
  const settings = orgSettings.value;
  if (!debtor)
    return (
      <>
        <h1 tabIndex={-1}>{t('debtor.notFound')}</h1>
        <p>
          <a href="/hoje">{t('debtor.back')}</a>
        </p>
      </>
    );
  const view: DebtorView = debtor;
  const day = today(settings);
  const policy = cadencePolicy(settings);
  const open = debts.filter((d) => d.data['status'] === 'open');
  const days = daysOverdue(open, day);
  const name = str(view.data['name']);
  const confirmed = timeline
    .filter(
      (i) => i.type === 'payment' && i.origin === 'server' && i.data['status'] === 'confirmed',
    )
    .map((i) => ({
      debtId: str(i.data['debtId']),
      date: str(i.data['date']),
      amount: typeof i.data['amount'] === 'number' ? i.data['amount'] : 0,
    }));
  const balances = open.flatMap((d) => {
    const breakdown = debtBreakdown(d, confirmed, day);
    return breakdown ? [{ debtId: d.id, breakdown }] : [];
  });
  // The simulator counts the field payments the office has not confirmed yet (this phone's
  // outbox and the reports the pull brought): what was already collected is not renegotiated.
  // The server judges the proposal with the same reports (server/agreements/negotiation-balances).
  const waiting = timeline
    .filter(
      (i) =>
        i.type === 'payment' &&
        i.origin !== 'rejected' &&
        (i.origin !== 'server' || i.data['status'] === 'pending'),
    )
    .map((i) => ({
      debtId: str(i.data['debtId']),
      date: str(i.data['date']) > day ? day : str(i.data['date']),
      amount: typeof i.data['amount'] === 'number' ? i.data['amount'] : 0,
    }));
  const negotiable = open.flatMap((d) => {
    const breakdown = debtBreakdown(d, [...confirmed, ...waiting], day);
    return breakdown ? [{ debtId: d.id, breakdown }] : [];
  });
  const breakdownOf = new Map(balances.map((b) => [b.debtId, b.breakdown]));
  const discountOffered = balances.reduce(
    (sum, b) => sum + (b.breakdown.discountStatus === 'offered' ? b.breakdown.discount : 0),
    0,
  );
  const step = currentStep(policy, days);
  const principal = (d: SrvDebt) =>
    typeof d.data['principal'] === 'number' ? d.data['principal'] : 0;
  // The code for the balance names what it pays, so the bank statement can be matched.
  const balanceTxid = txidForBalance({ debtorId: id, openDebtIds: open.map((d) => d.id) });
  const pixHref = (amount: number) =>
    `/pix?valor=${Math.max(0, amount)}&cliente=${encodeURIComponent(id)}&txid=${balanceTxid}`;
  const facts = debtorFacts({
    settings,
    policy,
    data: view.data,
    balance: view.provisionalBalance,
    days,
    oldest: oldestOpenDebt(open),
    breakdowns: balances.map((b) => b.breakdown),
    original: open.reduce((sum, d) => sum + principal(d), 0),
    reference: open.map((d) => str(d.data['description'])).join(', '),
    allowsDiscount: step?.allowsDiscount ?? false,
    collectorName: session.value?.user.name ?? '',
    pix: pixCode(settings, view.provisionalBalance, balanceTxid),
    day,
  });
  const history = contactHistory(timeline);
  const address = addressLine(addressOf(view.data));
  const map = mapLink(addressOf(view.data), pinOf(view.data));
  const points = contactPoints(view.data);
  const active = activeOf(timeline);
  const broken = timeline.filter(
    (i) => i.type === 'promise' && i.data['status'] === 'broken',
  ).length;
  return (
    <>
      <p class="small">
        <a href="/hoje">{t('debtor.back')}</a>
      </p>
      <h1 tabIndex={-1}>{name}</h1>
      <dl class="facts">
        <dt>{t('debtor.status')}</dt>
        <dd data-testid="debtor-status">
          {t(`debtorStatus.${str(view.data['status'])}` as MessageKey) ?? ''}
        </dd>
        <dt>{t('debtor.address')}</dt>
        <dd data-testid="debtor-address">
          {address ? (
            <>
              {address}{' '}
              {map ? (
                <a href={map} target="_blank" rel="noopener" data-testid="map-link">
                  {t('debtor.map')}
                </a>
              ) : null}
            </>
          ) : (
            <span class="muted">{t('debtor.noAddress')}</span>
          )}
        </dd>
        <dt>{t('debtor.balance')}</dt>
        <dd data-testid="debtor-balance">
          {brl(view.provisionalBalance)}
          {view.provisionalBalance !== view.serverBalance ? (
            <span class="small muted"> {t('debtor.provisional')}</span>
          ) : null}
          {str(view.data['balanceAsOf']) ? (
            <span class="small muted">
              {' '}
              · {t('debtor.asOf')} {fmtDate(str(view.data['balanceAsOf']))}
            </span>
          ) : null}
        </dd>
      </dl>
      <p>
        <a class="button-link" href={pixHref(view.provisionalBalance + discountOffered)}>
          {t('debtor.pixFull')}
        </a>
        {discountOffered > 0 ? (
          <>
            {' · '}
            <a href={pixHref(view.provisionalBalance)}>{t('debtor.pixDiscount')}</a>
          </>
        ) : null}
      </p>

      <h2>{t('debtor.contacts')}</h2>
      {view.data['doNotContact'] === true ? (
        <p class="blocked">{t('debtor.doNotContact')}</p>
      ) : null}
      {points.length === 0 ? (
        <p class="muted">{t('debtor.noContacts')}</p>
      ) : (
        <ul class="plain">
          {points.map((p) => (
            <ContactLinks
              key={p.id}
              debtorId={id}
              point={p}
              data={{ ...view.data, id }}
              history={history}
              policy={policy}
              days={days}
              facts={facts}
            />
          ))}
        </ul>
      )}

      <h2>{t('debtor.debts')}</h2>
      <ul class="plain">
        {debts.map((d) => (
          <li key={d.id}>
            {str(d.data['description'])} — {t('debtor.due')} {fmtDate(str(d.data['dueDate']))} ·{' '}
            {t(`debtStatus.${str(d.data['status'])}` as MessageKey) ?? ''}
            <BreakdownTable breakdown={breakdownOf.get(d.id)} principal={principal(d)} />
          </li>
        ))}
      </ul>

      <h2>{t('debtor.active')}</h2>
      {active ? (
        <p data-testid="active">
          {t(`entity.${active.type}` as MessageKey)} {itemText(active)}{' '}
          {active.origin === 'server' ? null : <span class="badge">{t('sync.pendingBadge')}</span>}
        </p>
      ) : (
        <p class="muted">{t('debtor.noActive')}</p>
      )}

      <h2>{t('debtor.record')}</h2>
      <div class="record-tabs">
        {(['visit', 'payment', 'promise', 'agreement'] as const).map((x) => (
          <button
            type="button"
            key={x}
            aria-pressed={tab === x}
            onClick={() => {
              setFromVisit(false);
              setTab(tab === x ? null : x);
            }}
          >
            {t(`${x}.title` as MessageKey)}
          </button>
        ))}
      </div>
      {tab === 'visit' ? (
        <VisitForm
          debtorId={id}
          onDone={(outcome) => {
            if (outcome !== 'promise') return;
            setFromVisit(true);
            setTab('promise');
          }}
        />
      ) : null}
      {tab === 'payment' ? (
        <PaymentForm
          debtorId={id}
          debtorName={name}
          debts={open}
          balance={view.provisionalBalance}
          collectorName={session.value?.user.name ?? ''}
          timeline={timeline}
          day={day}
          onDone={() => undefined}
          openOf={(debtId) => negotiable.find((b) => b.debtId === debtId)?.breakdown.totalDue}
        />
      ) : null}
      {tab === 'promise' ? (
        <PromiseForm
          debtorId={id}
          debts={open}
          balance={view.provisionalBalance}
          broken={broken}
          day={day}
          fromVisit={fromVisit}
          onDone={() => setFromVisit(false)}
        />
      ) : null}

      {tab === 'agreement' ? (
        <AgreementForm
          debtorId={id}
          balances={negotiable}
          discountUnlocked={step?.allowsDiscount === true}
          day={day}
        />
      ) : null}

      <h2>{t('debtor.timeline')}</h2>
      <Timeline items={timeline} />
    </>
  );
}

export function Debtor() {
  const rt = runtime.value;
  const id = query.value.get('id') ?? '';
  return (
    <section>
      {rt ? <DebtorBody db={rt.db} id={id} /> : <p class="muted">{t('common.loading')}</p>}
    </section>
  );
}
