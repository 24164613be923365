/**
 * The debtor's contact points with their one-tap links (WhatsApp, SMS, call, e-mail), each guarded
 * by the contact window and budget and logged as `contact.logged` before it opens (./contact.ts).
 */
import { useState } from 'preact/hooks';
import type { CadencePolicy, ContactLogEntry } from '#shared/cadence/cadence.schema';
import { formatPhoneBR, tryToE164 } from '#shared/identity/phone';
import type { MessageFacts } from '#shared/templates/placeholders';
import { orgSettings, runtime } from '../../app/collector';
import { t } from '../../i18n/messages';
import type { ContactPoint } from './collector-data';
import { guard, message, openLoggedContact, waDigits, type OpenedContact } from './contact';

/** "(11) 98765-4321" for a Brazilian number; anything else exactly as stored. */
function shownPhone(value: string): string {
  return tryToE164(value).ok ? formatPhoneBR(value) : value;
}

/** A guarded link that is saved as `contact.logged` before it opens (./contact.ts). */
function ContactLink({
  contact,
  label,
  testId,
}: {
  contact: OpenedContact;
  label: string;
  testId?: string;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const rt = runtime.value;
  async function open(e: MouseEvent) {
    e.preventDefault();
    if (!rt || busy) return;
    setBusy(true);
    const failed = await openLoggedContact(
      (input) => rt.engine.save(input),
      (href) => window.location.assign(href),
      contact,
    );
    setBusy(false);
    setError(failed);
  }
  return (
    <>
      <a
        class="button"
        href={contact.href}
        data-testid={testId}
        aria-disabled={busy}
        onClick={(e) => void open(e)}
      >
        {label}
      </a>
      {error ? (
        <p class="notice error" role="alert">
          {t('debtor.contactNotLogged')}: {error}
        </p>
      ) : null}
    </>
  );
}

export function ContactLinks({
  debtorId,
  point,
  data,
  history,
  policy,
  days,
  facts,
}: {
  debtorId: string;
  point: ContactPoint;
  data: Record<string, unknown>;
  history: readonly ContactLogEntry[];
  policy: CadencePolicy;
  days: number | null;
  facts: MessageFacts;
}) {
  const settings = orgSettings.value;
  const digits = point.value.replace(/[^\d+]/g, '');
  if (point.kind === 'email') {
    const why = guard(data, history, 'email', policy, settings);
    const msg = message(settings, policy, days, 'email', point.verified, facts);
    return (
      <li>
        <span>{point.value}</span>
        {why ? (
          <p class="blocked">{why}</p>
        ) : msg.ok ? (
          <div class="contact-actions">
            <ContactLink
              contact={{
                debtorId,
                channel: 'email',
                href: `mailto:${point.value}?subject=${encodeURIComponent(msg.subject ?? '')}&body=${encodeURIComponent(msg.text)}`,
                message: msg,
              }}
              label={t('debtor.email')}
              testId="link-email"
            />
          </div>
        ) : (
          <p class="blocked">
            {t('debtor.noTemplate')}: {msg.why}
          </p>
        )}
      </li>
    );
  }
  const callWhy = guard(data, history, 'phone', policy, settings);
  const channels = point.isWhatsapp ? (['whatsapp', 'sms'] as const) : (['sms'] as const);
  return (
    <li>
      <span>
        {shownPhone(point.value)}
        {point.label ? ` (${point.label})` : ''}
      </span>
      <div class="contact-actions">
        {callWhy ? null : (
          <ContactLink
            contact={{ debtorId, channel: 'phone', href: `tel:${digits}` }}
            label={t('debtor.call')}
            testId="link-phone"
          />
        )}
        {channels.map((channel) => {
          const why = guard(data, history, channel, policy, settings);
          if (why) return null;
          const msg = message(settings, policy, days, channel, point.verified, facts);
          if (!msg.ok) return null;
          const href =
            channel === 'whatsapp'
              ? `https://wa.me/${waDigits(point.value)}?text=${encodeURIComponent(msg.text)}`
              : `sms:${digits}?body=${encodeURIComponent(msg.text)}`;
          return (
            <ContactLink
              key={channel}
              contact={{ debtorId, channel, href, message: msg }}
              label={t(channel === 'whatsapp' ? 'debtor.whatsapp' : 'debtor.sms')}
              testId={`link-${channel}`}
            />
          );
        })}
      </div>
      {channels.map((channel) => {
        const why = guard(data, history, channel, policy, settings);
        const msg = why ? null : message(settings, policy, days, channel, point.verified, facts);
        const reason = why ?? (msg && !msg.ok ? msg.why : null);
        if (!reason) return null;
        return (
          <p class="blocked" key={channel} data-testid={`blocked-${channel}`}>
            {t(channel === 'whatsapp' ? 'debtor.whatsapp' : 'debtor.sms')}:{' '}
            {why ? `${t('debtor.blocked')} — ${why}` : `${t('debtor.noTemplate')} — ${reason}`}
          </p>
        );
      })}
      {callWhy ? (
        <p class="blocked">
          {t('debtor.call')}: {t('debtor.blocked')} — {callWhy}
        </p>
      ) : null}
    </li>
  );
}
