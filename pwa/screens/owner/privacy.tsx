/**
 * Privacy (owner): the data-subject report by CPF/CNPJ (`GET /api/lgpd/report`), shown as a
 * page that prints cleanly (the app's header and the forms are hidden in print) and downloadable
 * as JSON; and the debtors whose retention period has passed, to anonymise
 * (`GET/POST /api/lgpd/anonymisation`).
 */
import { useState } from 'preact/hooks';
import { api, errorMessage } from '../../app/api';
import { saveBlob } from '../../app/download';
import { Failure, Loading, useLoad } from '../../ui/async';
import { brl, date, dateTime, num } from '../../i18n/format';
import { t, type MessageKey } from '../../i18n/messages';
import { TableWrap } from '../../ui/table-wrap';
import { formatDocument, type Cnpj, type Cpf } from '#shared/identity/document';
import { formatPhoneBR } from '#shared/identity/phone';
import './privacy.css';

interface AuditEntry {
  at: string;
  who: { id: string; name: string | null; role: string | null } | null;
  action: string;
}
interface Subject {
  debtor: {
    id: string;
    name: string;
    kind: string;
    document: string | null;
    externalId?: string | null;
    addressLine?: string | null;
    city?: string | null;
    state?: string | null;
  };
  contactPoints: {
    id: string;
    kind: string;
    value: string;
    verification: string;
    isWhatsapp: boolean;
  }[];
  status: string;
  debts: {
    id: string;
    description: string;
    principal: number;
    dueDate: string;
    status: string;
    balance: { totalDue: number };
  }[];
  payments: { id: string; amount: number; date: string; method: string; status: string }[];
  contacts: { id: string; at: string; channel: string; direction: string; body: string | null }[];
  assignments: { collector: { name: string }; from: string; until: string | null }[];
  audit: { reads: AuditEntry[]; changes: AuditEntry[]; truncated: boolean };
}
interface Report {
  document: string;
  generatedAt: string;
  subjects: Subject[];
}

const ACTIONS: Readonly<Record<string, string>> = {
  'debtor.view': 'abriu o cadastro',
  'debtor.timeline': 'abriu o histórico',
  'debtor.story': 'abriu a ficha completa',
  'debtor.search': 'viu numa busca',
  'debtor.lookup': 'consultou pela extensão',
  'debtor.list': 'viu numa lista',
  'debtor.export': 'exportou para planilha',
  'debtor.subject_report': 'gerou o relatório do titular',
  'sync.pull': 'recebeu no celular',
  'cadence.queue': 'viu na fila do dia',
  'debtor.create': 'cadastrou',
  'debtor.update': 'alterou o cadastro',
};

const VERIFICATION: Readonly<Record<string, string>> = {
  unverified: 'não confirmado',
  verified: 'confirmado',
  wrong: 'número errado',
};
const DEBT_STATUS: Readonly<Record<string, string>> = {
  open: 'em aberto',
  settled: 'quitada',
  cancelled: 'cancelada',
};
const PAYMENT_STATUS: Readonly<Record<string, string>> = {
  pending: 'a conferir',
  confirmed: 'confirmado',
  rejected: 'recusado',
};
const CHANNEL: Readonly<Record<string, string>> = {
  whatsapp: 'WhatsApp',
  sms: 'SMS',
  email: 'e-mail',
  phone: 'telefone',
  visit: 'visita',
  letter: 'carta',
};

function shownDocument(value: string | null): string {
  if (!value) return '—';
  try {
    return formatDocument(value as Cpf | Cnpj);
  } catch {
    return value;
  }
}

function shownPoint(kind: string, value: string): string {
  if (kind !== 'phone') return value;
  try {
    return formatPhoneBR(value);
  } catch {
    return value;
  }
}

function who(entry: AuditEntry): string {
  return entry.who ? (entry.who.name ?? entry.who.id) : t('privacy.report.system');
}

function AuditTable({ rows, caption }: { rows: AuditEntry[]; caption: string }) {
  if (rows.length === 0) return null;
  return (
    <TableWrap label={caption}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('privacy.report.when')}</th>
            <th scope="col">{t('privacy.report.who')}</th>
            <th scope="col">{t('privacy.report.what')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <td>{dateTime(r.at)}</td>
              <td>{who(r)}</td>
              <td>{ACTIONS[r.action] ?? r.action}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function SubjectView({ s }: { s: Subject }) {
  const d = s.debtor;
  return (
    <article class="subject" data-testid="subject">
      <h3>{d.name}</h3>
      <h4>{t('privacy.report.identity')}</h4>
      <dl>
        <dt>{t('privacy.report.document')}</dt>
        <dd>{shownDocument(d.document)}</dd>
        <dt>{t('sheets.col.external_id')}</dt>
        <dd>{d.externalId ?? '—'}</dd>
        <dt>{t('sheets.col.address')}</dt>
        <dd>{[d.addressLine, d.city, d.state].filter(Boolean).join(', ') || '—'}</dd>
      </dl>
      <h4>{t('privacy.report.contactPoints')}</h4>
      <ul>
        {s.contactPoints.map((p) => (
          <li key={p.id}>
            {shownPoint(p.kind, p.value)} · {t('privacy.report.verification')}:{' '}
            {VERIFICATION[p.verification] ?? p.verification}
            {p.isWhatsapp ? ' · WhatsApp' : ''}
          </li>
        ))}
      </ul>
      <TableWrap label={t('privacy.report.debts')}>
        <table>
          <caption>{t('privacy.report.debts')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('sheets.col.description')}</th>
              <th scope="col" class="num">
                {t('privacy.report.value')}
              </th>
              <th scope="col">{t('privacy.report.due')}</th>
              <th scope="col">{t('privacy.report.status')}</th>
              <th scope="col" class="num">
                {t('privacy.report.balance')}
              </th>
            </tr>
          </thead>
          <tbody>
            {s.debts.map((x) => (
              <tr key={x.id}>
                <td>{x.description || '—'}</td>
                <td class="num">{brl(x.principal)}</td>
                <td>{date(x.dueDate)}</td>
                <td>{DEBT_STATUS[x.status] ?? x.status}</td>
                <td class="num">{brl(x.balance.totalDue)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {s.payments.length > 0 ? (
        <>
          <h4>{t('privacy.report.payments')}</h4>
          <ul>
            {s.payments.map((p) => (
              <li key={p.id}>
                {date(p.date)} · {brl(p.amount)} ·{' '}
                {t(`method.${p.method}` as MessageKey) ?? p.method} ·{' '}
                {PAYMENT_STATUS[p.status] ?? p.status}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {s.contacts.length > 0 ? (
        <>
          <h4>{t('privacy.report.contacts')}</h4>
          <ul>
            {s.contacts.map((c) => (
              <li key={c.id}>
                {dateTime(c.at)} · {CHANNEL[c.channel] ?? c.channel} ·{' '}
                {c.direction === 'inbound' ? 'recebido' : 'enviado'}
                {c.body ? ` · “${c.body}”` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {s.assignments.length > 0 ? (
        <>
          <h4>{t('privacy.report.assignments')}</h4>
          <ul>
            {s.assignments.map((a, i) => (
              <li key={i}>
                {a.collector.name} · {t('privacy.report.from')} {dateTime(a.from)}{' '}
                {a.until
                  ? `· ${t('privacy.report.until')} ${dateTime(a.until)}`
                  : `(${t('privacy.report.current')})`}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <AuditTable rows={s.audit.reads} caption={t('privacy.report.reads')} />
      <AuditTable rows={s.audit.changes} caption={t('privacy.report.changes')} />
    </article>
  );
}

function SubjectReport() {
  const [document, setDocument] = useState('');
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setReport(
        await api<Report>('GET', `/api/lgpd/report?document=${encodeURIComponent(document)}`),
      );
    } catch (e) {
      setReport(null);
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="report-title">
      <h2 id="report-title">{t('privacy.report.title')}</h2>
      <p class="small muted no-print">{t('privacy.report.help')}</p>
      <form class="row no-print" onSubmit={(e) => void submit(e)}>
        <label for="subject-document">{t('privacy.report.document')}</label>
        <input
          id="subject-document"
          inputMode="text"
          autocomplete="off"
          value={document}
          onInput={(e) => setDocument(e.currentTarget.value)}
        />
        <button type="submit" class="primary" disabled={busy || document.trim() === ''}>
          {t('privacy.report.submit')}
        </button>
      </form>
      {error ? (
        <p class="notice error" role="alert">
          {error}
        </p>
      ) : null}
      {report ? (
        <div class="subject-report" data-testid="subject-report">
          <div class="row no-print">
            <button type="button" onClick={() => window.print()}>
              {t('privacy.report.print')}
            </button>
            <button
              type="button"
              onClick={() =>
                saveBlob(
                  new Blob([JSON.stringify(report, null, 2)], { type: 'application/json' }),
                  `titular-${report.document}.json`,
                )
              }
            >
              {t('privacy.report.json')}
            </button>
          </div>
          <p class="small">
            {t('privacy.report.document')}: {shownDocument(report.document)} ·{' '}
            {t('privacy.report.generatedAt')} {dateTime(report.generatedAt)}
          </p>
          {report.subjects.length === 0 ? <p>{t('privacy.report.nothing')}</p> : null}
          {report.subjects.map((s) => (
            <SubjectView key={s.debtor.id} s={s} />
          ))}
        </div>
      ) : null}
    </section>
  );
}

interface Eligible {
  today: string;
  retentionDays: number;
  items: { id: string; name: string; closedOn: string }[];
}

function Anonymisation() {
  const [loaded, reload] = useLoad(() => api<Eligible>('GET', '/api/lgpd/anonymisation'));
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const run = async () => {
    if (!window.confirm(t('privacy.anon.confirm'))) return;
    try {
      const r = await api<{ anonymised: string[] }>('POST', '/api/lgpd/anonymisation', {
        json: { debtorIds: [...selected] },
      });
      setMessage({ ok: true, text: `${num(r.anonymised.length)} ${t('privacy.anon.done')}` });
      setSelected(new Set());
      reload();
    } catch (e) {
      setMessage({ ok: false, text: errorMessage(e) });
    }
  };
  return (
    <section class="no-print" aria-labelledby="anon-title">
      <h2 id="anon-title">{t('privacy.anon.title')}</h2>
      <p class="small muted">{t('privacy.anon.help')}</p>
      {loaded.state === 'loading' ? <Loading /> : null}
      {loaded.state === 'error' ? <Failure message={loaded.message} retry={reload} /> : null}
      {loaded.state === 'ready' ? (
        <>
          <p class="small">
            {t('privacy.anon.retention')}: {num(loaded.value.retentionDays)}{' '}
            {t('privacy.anon.days')}
          </p>
          {loaded.value.items.length === 0 ? (
            <p class="muted">{t('privacy.anon.none')}</p>
          ) : (
            <ul class="pick-list">
              {loaded.value.items.map((d) => (
                <li key={d.id}>
                  <input
                    type="checkbox"
                    id={`anon-${d.id}`}
                    checked={selected.has(d.id)}
                    onChange={() => {
                      const next = new Set(selected);
                      if (next.has(d.id)) next.delete(d.id);
                      else next.add(d.id);
                      setSelected(next);
                    }}
                  />
                  <label for={`anon-${d.id}`}>
                    <span class="name">{d.name}</span>
                    <span class="small muted">
                      {t('privacy.anon.closedOn')} {date(d.closedOn)}
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          )}
          <button type="button" disabled={selected.size === 0} onClick={() => void run()}>
            {t('privacy.anon.run')} ({num(selected.size)})
          </button>
        </>
      ) : null}
      {message ? (
        <p class={`notice ${message.ok ? 'ok' : 'error'}`} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      ) : null}
    </section>
  );
}

export function Privacy() {
  return (
    <section>
      <h1 tabIndex={-1}>{t('privacy.title')}</h1>
      <SubjectReport />
      <Anonymisation />
    </section>
  );
}
