/**
 * The sign-in QR code for one person (a collector or staff): a one-time code made on demand
 * (`POST /api/users/:id/sign-in-code`, 15 minutes, once), drawn as a QR of the app's address with
 * the code in the fragment, plus the link to copy or send by WhatsApp. The address is
 * QUITA_PUBLIC_URL when the server has one, else the one this page was opened at (a warning says
 * when that is this computer only). Used by the guide, the home screen's demo panel and Pessoas;
 * it loads its own text, so any owner screen can show it.
 */
import { useEffect, useState } from 'preact/hooks';
import type { SignInCodeCreated } from '#shared/auth/sign-in-code.schema';
import { api, errorMessage } from '../../../app/api';
import { dateTime } from '../../../i18n/format';
import { loadMessages, t } from '../../../i18n/messages';
import { copyText } from '../../../ui/clipboard';
import { QrSvg } from '../../../ui/qr-svg';
import './guide.css';

const LOCAL_HOSTS = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

/** The address a phone opens: the server's public URL, else this page's origin. */
export function phoneUrl(created: SignInCodeCreated, origin: string): string {
  return `${created.publicUrl ?? origin}${created.path}`;
}

export function SignInQr({
  userId,
  name,
  autoShow = false,
}: {
  userId: string;
  name: string;
  /** Make and show a code at once (right after the person was added). */
  autoShow?: boolean;
}) {
  const [ready, setReady] = useState(false);
  const [code, setCode] = useState<SignInCodeCreated | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void loadMessages('guide').then(() => {
      setReady(true);
      if (autoShow) void make();
    });
  }, []);
  if (!ready) return null;
  async function make() {
    setBusy(true);
    setError(null);
    setCopied(false);
    try {
      setCode(await api<SignInCodeCreated>('POST', `/api/users/${userId}/sign-in-code`));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }
  const url = code ? phoneUrl(code, location.origin) : '';
  const local = code !== null && LOCAL_HOSTS.test(new URL(url).hostname);
  return (
    <div class="sign-in-qr" data-testid={`sign-in-qr-${userId}`}>
      <div class="tap-row">
        <button type="button" disabled={busy} onClick={() => void make()}>
          {code ? t('qr.again') : t('qr.show')}
        </button>
        {code ? (
          <button type="button" class="link" onClick={() => setCode(null)}>
            {t('qr.hide')}
          </button>
        ) : null}
      </div>
      {error ? (
        <p class="notice error" role="alert">
          {error}
        </p>
      ) : null}
      {code ? (
        <div class="qr-panel" role="group" aria-label={`${t('qr.label')} ${name}`}>
          <QrSvg text={url} label={`${t('qr.label')} ${name}`} testId="sign-in-qr-code" />
          <div>
            <p>{t('qr.instructions')}</p>
            <p class="small" role="status">
              {t('qr.validUntil')} {dateTime(code.expiresAt)}.
            </p>
            {local ? <p class="notice small">{t('qr.localhost')}</p> : null}
            <p class="small">{t('qr.link')}:</p>
            <p class="link-box" data-testid="sign-in-link">
              {url}
            </p>
            <div class="tap-row">
              <button type="button" onClick={() => void copyText(url).then(setCopied)}>
                {t('qr.copy')}
              </button>
              <a
                class="button"
                href={`https://wa.me/?text=${encodeURIComponent(`${t('qr.whatsappText')} ${url}`)}`}
                target="_blank"
                rel="noopener noreferrer"
              >
                {t('qr.whatsapp')}
              </a>
            </div>
            {copied ? (
              <p class="notice ok small" role="status">
                {t('qr.copied')}
              </p>
            ) : null}
          </div>
        </div>
      ) : null}
    </div>
  );
}
