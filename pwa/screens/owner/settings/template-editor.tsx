/** Message templates with the linter's findings and the SMS segment count as you type. */
import { useEffect, useState } from 'preact/hooks';
import { smsSegments, toGsm7 } from '#shared/templates/sms-segments';
import { api, errorMessage } from '../../../app/api';
import { useDirty } from '../../../app/dirty';
import { role } from '../../../app/session';
import { Failure, Loading, useLoad } from '../../../ui/async';
import { num } from '../../../i18n/format';
import { t, type MessageKey } from '../../../i18n/messages';
import { Saved, type Message } from './form-bits';
import { SmsChoice, useSmsChoice } from './sms-choice';

/** "SMS · 3 dias antes do vencimento": a template named in words, never by its id. */
/** "1 dia após…", "3 dias antes…": the count beside its words, singular for one. */
function daysWords(n: number, key: MessageKey): string {
  const words = t(key);
  return n === 1 ? `1 ${words.replace(/^dias\b/, 'dia')}` : `${n} ${words}`;
}

export function templateLabel(id: string, channel: string): string {
  const key = id.slice(0, id.lastIndexOf('.'));
  const step = /^d([+-]?)(\d+)$/.exec(key);
  // The agreement's installment steps (parcela-2, parcela+1): days from each installment's due date.
  const installment = /^parcela([+-])(\d+)$/.exec(key);
  const when =
    key === 'privacy'
      ? t('settings.templates.privacy')
      : installment
        ? daysWords(
            Number(installment[2]),
            installment[1] === '-'
              ? 'settings.templates.beforeInstallment'
              : 'settings.templates.afterInstallment',
          )
        : step
          ? step[2] === '0'
            ? t('settings.templates.dueDay')
            : daysWords(
                Number(step[2]),
                step[1] === '-' ? 'settings.templates.before' : 'settings.templates.after',
              )
          : `${t('settings.templates.custom')} "${key || id}"`;
  const via = t(`settings.cadence.channel.${channel}` as MessageKey) ?? channel;
  return `${via} · ${when}`;
}

/** The segment count of an SMS both ways, so "economizar SMS" is chosen knowing what it changes. */
function SmsCount({ body, saving }: { body: string; saving: boolean }) {
  const kept = smsSegments(body);
  const folded = smsSegments(toGsm7(body));
  const line = (n: { segments: number; characters: number; perSegment: number }) =>
    `${num(n.segments)} ${t(n.segments === 1 ? 'settings.templates.segment' : 'settings.templates.segments')} · ${num(n.characters)} ${t('settings.templates.chars')} (${t('settings.templates.perSegment')} ${num(n.perSegment)})`;
  return (
    <div id="tpl-sms" class="small" aria-live="polite" data-testid="sms-count">
      <p>
        <strong>{t(saving ? 'settings.templates.smsFolded' : 'settings.templates.smsKept')}</strong>{' '}
        {line(saving ? folded : kept)}
      </p>
      {kept.segments !== folded.segments ? (
        <p class="muted">
          {t(saving ? 'settings.templates.smsIfKept' : 'settings.templates.smsIfFolded')}{' '}
          {line(saving ? kept : folded)}
        </p>
      ) : null}
    </div>
  );
}

interface Template {
  id: string;
  channel: 'sms' | 'whatsapp' | 'email' | 'visit';
  tone: string;
  privacySafe: boolean;
  stepId?: string;
  subject?: string;
  body: string;
}

interface Finding {
  severity: 'error' | 'warning';
  rule: string;
  message: string;
}

export function TemplateEditor() {
  const [list, reload] = useLoad(() =>
    api<{ templates: { template: Template; findings: Finding[] }[] }>(
      'GET',
      '/api/settings/templates',
    ),
  );
  const [id, setId] = useState('');
  const [body, setBody] = useState('');
  const [original, setOriginal] = useState('');
  const [findings, setFindings] = useState<Finding[]>([]);
  const [message, setMessage] = useState<Message>(null);
  useDirty(body !== original);
  const templates = list.state === 'ready' ? list.value.templates.map((x) => x.template) : [];
  const current = templates.find((x) => x.id === id);

  useEffect(() => {
    const first = templates[0];
    if (!current && first) choose(first.id);
  }, [list.state]);

  function choose(next: string) {
    const tpl = templates.find((x) => x.id === next);
    setId(next);
    setBody(tpl?.body ?? '');
    setOriginal(tpl?.body ?? '');
    setFindings(
      list.state === 'ready'
        ? (list.value.templates.find((x) => x.template.id === next)?.findings ?? [])
        : [],
    );
    setMessage(null);
  }

  // Lint after a pause in typing; the linter lives on the server with the creditor's data.
  useEffect(() => {
    if (!current || body === original) return;
    const timer = setTimeout(() => {
      api<{ findings: Finding[] }>('POST', '/api/settings/templates/lint', {
        json: { ...current, body },
      }).then(
        (r) => setFindings(r.findings),
        () => undefined,
      );
    }, 400);
    return () => clearTimeout(timer);
  }, [body, id]);

  const smsChoice = useSmsChoice();
  if (list.state === 'loading') return <Loading />;
  if (list.state === 'error') return <Failure message={list.message} retry={reload} />;

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    if (!current) return;
    try {
      await api('PUT', `/api/settings/templates/${encodeURIComponent(current.id)}`, {
        json: { ...current, body },
      });
      setOriginal(body);
      setMessage({ ok: true, text: t('common.saved') });
    } catch (e) {
      setMessage({ ok: false, text: errorMessage(e) });
    }
  };

  return (
    <form onSubmit={(e) => void save(e)} aria-labelledby="tpl-title">
      <h2 id="tpl-title">{t('settings.templates.title')}</h2>
      <label for="tpl-id">{t('settings.templates.pick')}</label>
      <select
        id="tpl-id"
        value={id}
        onChange={(e) => {
          if (body !== original && !confirm(t('dirty.leave'))) return;
          choose(e.currentTarget.value);
        }}
      >
        {templates.map((x) => (
          <option key={x.id} value={x.id}>
            {templateLabel(x.id, x.channel)}
          </option>
        ))}
      </select>
      <label for="tpl-body">{t('settings.templates.body')}</label>
      <textarea
        id="tpl-body"
        rows={6}
        value={body}
        onInput={(e) => setBody(e.currentTarget.value)}
        aria-describedby={current?.channel === 'sms' ? 'tpl-sms tpl-findings' : 'tpl-findings'}
      />
      {current?.channel === 'sms' ? (
        <>
          <SmsCount body={body} saving={smsChoice.saving} />
          <SmsChoice choice={smsChoice} />
        </>
      ) : null}
      <div id="tpl-findings" aria-live="polite">
        {findings.length === 0 ? (
          <p class="small ok-text">{t('settings.templates.clean')}</p>
        ) : (
          <ul class="findings">
            {findings.map((f, i) => (
              <li key={`${f.rule}-${i}`} class={f.severity}>
                <strong>{f.severity === 'error' ? t('lint.error') : t('lint.warning')}:</strong>{' '}
                {f.message}
              </li>
            ))}
          </ul>
        )}
      </div>
      {role.value === 'owner' ? (
        <button type="submit" class="primary" disabled={body === original}>
          {t('common.save')}
        </button>
      ) : null}
      <Saved message={message} />
    </form>
  );
}
