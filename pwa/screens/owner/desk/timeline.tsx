/**
 * The whole story, newest first: every contact on every channel, visits, payments, promises,
 * agreements with their installments, disputes, notices and escalations with the Súmula 548
 * removal deadline; each with who recorded it. Every code the server sends is shown in words.
 */
import { brl, date, dateTime } from '../../../i18n/format';
import { t } from '../../../i18n/messages';
import { word, type Story, type TimelineEvent } from './story';

const s = (v: unknown): string => (typeof v === 'string' ? v : '');
const n = (v: unknown): number => (typeof v === 'number' ? v : 0);

function Detail({ e }: { e: TimelineEvent }) {
  const d = e.data;
  switch (e.type) {
    case 'contact':
      return (
        <>
          {word('channel', s(d['channel']))} · {word('direction', s(d['direction']))} ·{' '}
          {word('contactStatus', s(d['status']))}
          {d['automated'] === true ? ` · ${t('desk.automatic')}` : ''}
          {d['privacySafe'] === true ? ` · ${t('desk.privacySafe')}` : ''}
        </>
      );
    case 'visit':
      return (
        <>
          {word('outcomeVisit', s(d['outcome']))}
          {s(d['note']) ? ` · ${s(d['note'])}` : ''}
        </>
      );
    case 'payment':
      return (
        <>
          {brl(n(d['amount']))} · {word('method', s(d['method']))} · {date(s(d['date']))} ·{' '}
          {word('paymentStatus', s(d['status']))}
        </>
      );
    case 'promise':
      return (
        <>
          {brl(n(d['amount']))} {t('desk.promiseDue')} {date(s(d['dueDate']))} ·{' '}
          {word('promiseStatus', s(d['status']))}
        </>
      );
    case 'agreement': {
      const installments = Array.isArray(d['installments'])
        ? (d['installments'] as { number: number; dueDate: string; amount: number }[])
        : [];
      return (
        <>
          {brl(n(d['total']))} · {word('agreementStatus', s(d['status']))}
          {installments.length > 0 ? (
            <ul class="small" aria-label={t('desk.installments')}>
              {installments.map((i) => (
                <li key={i.number}>
                  {i.number === 0 ? t('desk.downPayment') : `${t('desk.installment')} ${i.number}`}:{' '}
                  {brl(i.amount)} · {date(i.dueDate)}
                </li>
              ))}
            </ul>
          ) : null}
        </>
      );
    }
    case 'dispute':
      return (
        <>
          {word('disputeReason', s(d['reason']))} · {word('disputeStatus', s(d['status']))}
        </>
      );
    case 'notice':
      return (
        <>
          {word('purpose', s(d['purpose']))} · {word('noticeMethod', s(d['method']))} ·{' '}
          {date(s(d['sentOn']))}
        </>
      );
    case 'escalation':
      return (
        <>
          {word('purpose', s(d['kind']))} · {word('escalationStatus', s(d['status']))}
          {s(d['removalDueBy']) ? ` · ${t('desk.removalDue')} ${date(s(d['removalDueBy']))}` : ''}
          {d['removalOverdue'] === true ? (
            <strong class="badge wrong"> {t('desk.removalOverdue')}</strong>
          ) : null}
        </>
      );
    default:
      return null;
  }
}

export function Timeline({ story }: { story: Story }) {
  return (
    <>
      <h2>{t('desk.timeline')}</h2>
      {story.timeline.length === 0 ? <p class="muted">{t('desk.timelineEmpty')}</p> : null}
      <ol class="timeline" data-testid="timeline">
        {story.timeline.map((e, i) => (
          <li key={`${e.type}-${i}`}>
            <strong>{word('event', e.type)}</strong> <span class="when">{dateTime(e.at)}</span>
            <br />
            <Detail e={e} />
            {e.by?.name ? (
              <span class="small muted">
                {' '}
                · {t('desk.by')} {e.by.name}
              </span>
            ) : null}
          </li>
        ))}
      </ol>
    </>
  );
}
