/**
 * Outgoing e-mail through SMTP (nodemailer), behind a two-method interface so the cadence worker
 * can be driven in tests by a real SMTP server (the `smtp-server` package) on a random port.
 */
import nodemailer from 'nodemailer';

/** One message; `messageId` is stable per outbox task so a receiver can drop a duplicate. */
export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  text: string;
  messageId: string;
  headers?: Record<string, string>;
}

export interface Mailer {
  send(mail: OutgoingEmail): Promise<{ messageId: string; response: string }>;
  close(): void;
}

/** A mailer for `SMTP_URL` (smtp:// or smtps://, credentials in the URL). */
export function smtpMailer(url: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    async send(mail) {
      const info = await transport.sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
        ...(mail.headers ? { headers: mail.headers } : {}),
      });
      return { messageId: String(info.messageId), response: String(info.response) };
    },
    close() {
      transport.close();
    },
  };
}

/**
 * What a failed send means for "at most once":
 * - 'retry': the server refused with a 4xx reply, or the message never reached DATA (connection,
 *   DNS, TLS, authentication): nothing was delivered, try again later;
 * - 'permanent': a 5xx reply (bad address, rejected content): nothing delivered, don't retry;
 * - 'uncertain': no reply while the message was in flight (timeout, dropped connection during
 *   DATA): it may have been delivered, so it is NOT retried automatically.
 */
export type SendFailure = 'retry' | 'permanent' | 'uncertain';

const BEFORE_DATA = new Set(['ECONNECTION', 'EDNS', 'ETLS', 'EAUTH', 'ESOCKET', 'EENVELOPE']);

export function classifySendError(error: unknown): SendFailure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    responseCode?: unknown;
    code?: unknown;
    command?: unknown;
  };
  if (typeof e.responseCode === 'number')
    return e.responseCode >= 500 && e.responseCode !== 503 ? 'permanent' : 'retry';
  if (typeof e.code === 'string' && BEFORE_DATA.has(e.code) && e.command !== 'DATA') return 'retry';
  return 'uncertain';
}

/** A short, log-safe description of a send error. */
export function describeSendError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]?.slice(0, 300) ?? 'erro desconhecido';
}
