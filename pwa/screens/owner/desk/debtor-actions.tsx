/**
 * What the office records on a debtor's page: a payment received at the counter (confirmed at
 * once: the office holds the money), a dispute opened or resolved, a contact made on any channel
 * (the server's send-time guard answers when it is not allowed), and a written notice sent
 * before negativação or protesto (CDC art. 43 §2; its waiting period starts that day).
 */
import { useState } from 'preact/hooks';
import { DisputeReasons } from '#shared/domain/dispute.schema';
import { ContactChannels } from '#shared/domain/common.schema';
import { NoticeMethods, NoticePurposes } from '#shared/domain/notice.schema';
import { PaymentMethods } from '#shared/domain/payment.schema';
import { api, errorMessage } from '../../../app/api';
import { brl, date } from '../../../i18n/format';
import { t, type MessageKey } from '../../../i18n/messages';
import { centsOf, todayIso, word, type Story } from './story';

type Notice = { ok: boolean; text: string } | null;

function useAct(reload: () => void) {
  const [notice, setNotice] = useState<Notice>(null);
  const act = async (run: () => Promise<unknown>, done: MessageKey) => {
    setNotice(null);
    try {
      await run();
      setNotice({ ok: true, text: t(done) });
      reload();
    } catch (e) {
      setNotice({ ok: false, text: errorMessage(e) });
    }
  };
  const view = notice ? (
    <p class={`notice ${notice.ok ? 'ok' : 'error'}`} role={notice.ok ? 'status' : 'alert'}>
      {notice.text}
    </p>
  ) : null;
  return { act, view, setNotice };
}

function DebtSelect({
  story,
  id,
  value,
  onChange,
}: {
  story: Story;
  id: string;
  value: string;
  onChange: (v: string) => void;
}) {
  return (
    <>
      <label for={id}>{t('desk.pickDebt')}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {story.debts.map((d) => (
          <option key={d.id} value={d.id}>
            {(d.description || t('desk.debt')) +
              ` · ${date(d.dueDate)} · ${brl(d.balance.totalDue)}`}
          </option>
        ))}
      </select>
    </>
  );
}

function CounterPayment({ story, reload }: { story: Story; reload: () => void }) {
  const open = story.debts.filter((d) => d.status === 'open');
  const [debt, setDebt] = useState(open[0]?.id ?? '');
  const [amount, setAmount] = useState('');
  const [day, setDay] = useState(todayIso());
  const [method, setMethod] = useState('cash');
  const [reference, setReference] = useState('');
  const { act, view, setNotice } = useAct(reload);
  const submit = (e: Event) => {
    e.preventDefault();
    const cents = centsOf(amount);
    if (cents === null) return setNotice({ ok: false, text: t('desk.badAmount') });
    void act(
      () =>
        api('POST', '/api/payments', {
          json: {
            debtId: debt,
            date: day,
            amount: cents,
            method,
            ...(reference.trim() ? { reference: reference.trim() } : {}),
          },
        }),
      'desk.paymentSaved',
    );
  };
  return (
    <details class="action">
      <summary>{t('desk.action.payment')}</summary>
      <form onSubmit={submit}>
        <DebtSelect
          story={{ ...story, debts: open }}
          id="pay-debt"
          value={debt}
          onChange={setDebt}
        />
        <label for="pay-amount">{t('desk.amount')}</label>
        <input
          id="pay-amount"
          inputMode="decimal"
          value={amount}
          onInput={(e) => setAmount(e.currentTarget.value)}
        />
        <label for="pay-date">{t('desk.date')}</label>
        <input
          id="pay-date"
          type="date"
          value={day}
          onInput={(e) => setDay(e.currentTarget.value)}
        />
        <label for="pay-method">{t('desk.method')}</label>
        <select id="pay-method" value={method} onChange={(e) => setMethod(e.currentTarget.value)}>
          {PaymentMethods.map((m) => (
            <option key={m} value={m}>
              {word('method', m)}
            </option>
          ))}
        </select>
        <label for="pay-ref">{t('desk.reference')}</label>
        <input
          id="pay-ref"
          value={reference}
          onInput={(e) => setReference(e.currentTarget.value)}
        />
        <button type="submit" class="primary" disabled={open.length === 0}>
          {t('desk.recordPayment')}
        </button>
      </form>
      {view}
    </details>
  );
}

function Dispute({ story, reload }: { story: Story; reload: () => void }) {
  const [debt, setDebt] = useState(story.debts[0]?.id ?? '');
  const [reason, setReason] = useState<string>(DisputeReasons[0]);
  const [description, setDescription] = useState('');
  const [outcome, setOutcome] = useState('upheld');
  const [note, setNote] = useState('');
  const { act, view } = useAct(reload);
  const openDispute = story.timeline.find(
    (e) => e.type === 'dispute' && e.data['status'] === 'open',
  );
  if (openDispute) {
    const id = String(openDispute.data['id']);
    return (
      <details class="action">
        <summary>{t('desk.resolveDispute')}</summary>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void act(
              () => api('POST', `/api/disputes/${id}/resolve`, { json: { outcome, note } }),
              'desk.resolved',
            );
          }}
        >
          <label for="dsp-outcome">{t('desk.outcome')}</label>
          <select
            id="dsp-outcome"
            value={outcome}
            onChange={(e) => setOutcome(e.currentTarget.value)}
          >
            <option value="upheld">{t('desk.outcome.upheld')}</option>
            <option value="rejected">{t('desk.outcome.rejected')}</option>
          </select>
          <label for="dsp-note">{t('desk.note')}</label>
          <textarea id="dsp-note" value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          <button type="submit" class="primary">
            {t('desk.resolve')}
          </button>
        </form>
        {view}
      </details>
    );
  }
  return (
    <details class="action">
      <summary>{t('desk.action.dispute')}</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void act(
            () =>
              api('POST', '/api/disputes', {
                json: {
                  debtorId: story.debtor.id,
                  debtId: debt,
                  reason,
                  ...(description.trim() ? { description } : {}),
                },
              }),
            'desk.disputeSaved',
          );
        }}
      >
        <DebtSelect story={story} id="dsp-debt" value={debt} onChange={setDebt} />
        <label for="dsp-reason">{t('desk.disputeReason')}</label>
        <select id="dsp-reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)}>
          {DisputeReasons.map((r) => (
            <option key={r} value={r}>
              {word('disputeReason', r)}
            </option>
          ))}
        </select>
        <label for="dsp-desc">{t('desk.description')}</label>
        <textarea
          id="dsp-desc"
          value={description}
          onInput={(e) => setDescription(e.currentTarget.value)}
        />
        <button type="submit" class="primary">
          {t('desk.openDispute')}
        </button>
      </form>
      {view}
    </details>
  );
}

function LogContact({ story, reload }: { story: Story; reload: () => void }) {
  const [channel, setChannel] = useState('phone');
  const [direction, setDirection] = useState('outbound');
  const [body, setBody] = useState('');
  const { act, view } = useAct(reload);
  return (
    <details class="action">
      <summary>{t('desk.action.contact')}</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void act(
            () =>
              api('POST', '/api/contacts', {
                json: {
                  debtorId: story.debtor.id,
                  channel,
                  direction,
                  ...(body.trim() ? { body } : {}),
                },
              }),
            'desk.contactSaved',
          );
        }}
      >
        <label for="ct-channel">{t('desk.channel')}</label>
        <select id="ct-channel" value={channel} onChange={(e) => setChannel(e.currentTarget.value)}>
          {ContactChannels.map((c) => (
            <option key={c} value={c}>
              {word('channel', c)}
            </option>
          ))}
        </select>
        <label for="ct-dir">{t('desk.direction')}</label>
        <select id="ct-dir" value={direction} onChange={(e) => setDirection(e.currentTarget.value)}>
          <option value="outbound">{t('desk.direction.outbound')}</option>
          <option value="inbound">{t('desk.direction.inbound')}</option>
        </select>
        <label for="ct-body">{t('desk.note')}</label>
        <textarea id="ct-body" value={body} onInput={(e) => setBody(e.currentTarget.value)} />
        <button type="submit" class="primary">
          {t('desk.logContact')}
        </button>
      </form>
      {view}
    </details>
  );
}

function WrittenNotice({ story, reload }: { story: Story; reload: () => void }) {
  const open = story.debts.filter((d) => d.status === 'open');
  const [debt, setDebt] = useState(open[0]?.id ?? '');
  const [purpose, setPurpose] = useState<string>(NoticePurposes[0]);
  const [method, setMethod] = useState<string>(NoticeMethods[0]);
  const [sentTo, setSentTo] = useState(story.debtor.address?.line ?? '');
  const [day, setDay] = useState(todayIso());
  const { act, view } = useAct(reload);
  const stated = open.find((d) => d.id === debt)?.balance.totalDue ?? 0;
  return (
    <details class="action">
      <summary>{t('desk.action.notice')}</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void act(
            () =>
              api('POST', '/api/notices', {
                json: {
                  debtorId: story.debtor.id,
                  debtId: debt,
                  purpose,
                  method,
                  sentTo,
                  sentOn: day,
                  amountStated: stated,
                },
              }),
            'desk.noticeSaved',
          );
        }}
      >
        <DebtSelect
          story={{ ...story, debts: open }}
          id="nt-debt"
          value={debt}
          onChange={setDebt}
        />
        <label for="nt-purpose">{t('desk.noticePurpose')}</label>
        <select id="nt-purpose" value={purpose} onChange={(e) => setPurpose(e.currentTarget.value)}>
          {NoticePurposes.map((p) => (
            <option key={p} value={p}>
              {word('purpose', p)}
            </option>
          ))}
        </select>
        <label for="nt-method">{t('desk.noticeMethod')}</label>
        <select id="nt-method" value={method} onChange={(e) => setMethod(e.currentTarget.value)}>
          {NoticeMethods.map((m) => (
            <option key={m} value={m}>
              {word('noticeMethod', m)}
            </option>
          ))}
        </select>
        <label for="nt-to">{t('desk.sentTo')}</label>
        <input id="nt-to" value={sentTo} onInput={(e) => setSentTo(e.currentTarget.value)} />
        <label for="nt-date">{t('desk.date')}</label>
        <input
          id="nt-date"
          type="date"
          value={day}
          onInput={(e) => setDay(e.currentTarget.value)}
        />
        <button type="submit" class="primary" disabled={open.length === 0 || stated <= 0}>
          {t('desk.sendNotice')}
        </button>
      </form>
      {view}
    </details>
  );
}

export function Actions({ story, reload }: { story: Story; reload: () => void }) {
  return (
    <div class="desk-card">
      <h2>{t('desk.actions')}</h2>
      <CounterPayment story={story} reload={reload} />
      <Dispute story={story} reload={reload} />
      <LogContact story={story} reload={reload} />
      <WrittenNotice story={story} reload={reload} />
    </div>
  );
}
