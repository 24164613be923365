/**
 * The automatic e-mail worker against a REAL SMTP server (smtp-server on 127.0.0.1, random port)
 * and real databases: exactly one e-mail per due step, retry after a 451, no resend after a
 * restart, nothing outside the contact window, and two workers racing on PostgreSQL send once.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Db } from '../db/db';
import { migrate } from '../db/migrate';
import { openPostgres } from '../db/postgres';
import { smtpMailer, type Mailer } from '../email/mailer';
import {
  availableDbKinds,
  createPostgresDatabase,
  forEachDb,
  openTestDb,
} from '#test/helpers/test-db';
import { configureTestOrganisation, seedDebtor } from './testing';
import { cadenceToday } from './today';
import { runCadenceOnce, type CadenceWorkerDeps } from './worker';

// Monday 2025-03-10, 09:00 in São Paulo.
const MONDAY_9H = new Date('2025-03-10T12:00:00Z');

interface Received {
  to: string[];
  raw: string;
}

/** A real SMTP server; `rejectFirst` answers that many DATA commands with 451. */
async function startSmtp(options: { rejectFirst?: number; delayMs?: number } = {}) {
  const received: Received[] = [];
  let rejections = options.rejectFirst ?? 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        setTimeout(() => {
          if (rejections > 0) {
            rejections -= 1;
            return callback(Object.assign(new Error('Tente mais tarde'), { responseCode: 451 }));
          }
          received.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        }, options.delayMs ?? 0);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The text of a MIME message with quoted-printable and encoded-word headers decoded. */
function decoded(raw: string): string {
  const unfolded = raw.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < unfolded.length; i++) {
    const m = /^=([0-9A-F]{2})/.exec(unfolded.slice(i, i + 3));
    if (m?.[1]) {
      bytes.push(parseInt(m[1], 16));
      i += 2;
    } else bytes.push(...Buffer.from(unfolded[i] ?? '', 'utf8'));
  }
  return Buffer.from(bytes)
    .toString('utf8')
    .replace(/=\?UTF-8\?Q\?([^?]*)\?=/gi, (_, q: string) => q.replaceAll('_', ' '));
}

function deps(db: Db, mailer: Mailer, now: Date, workerId: string): CadenceWorkerDeps {
  return { db, mailer, now: () => now, fromAddress: 'cobranca@paoquente.com.br', workerId };
}

async function seedLate(db: Db, n: number) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const seeded = await seedDebtor(db, {
      name: `Cliente ${i} Silva`,
      email: `cliente${i}@example.com`,
      debts: [{ principal: 15_000 + i, dueOn: '2025-03-05', description: 'compra de fevereiro' }],
    });
    ids.push(seeded.debtorId);
  }
  return ids;
}

forEachDb((kind) => {
  let db: Db;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let mailer: Mailer;

  beforeEach(async () => {
    db = await openTestDb(kind);
    await configureTestOrganisation(db);
  });
  afterEach(async () => {
    mailer?.close();
    await smtp?.close();
    await db.close();
  });

  test('a due step sends exactly one e-mail, rendered, identifying the creditor, logged', async () => {
    smtp = await startSmtp();
    mailer = smtpMailer(smtp.url);
    const [debtorId] = await seedLate(db, 1);
    const result = await runCadenceOnce(deps(db, mailer, MONDAY_9H, 'a'));
    expect(result).toMatchObject({ created: 1, sent: 1, retrying: 0 });
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.to).toEqual(['cliente0@example.com']);
    const text = decoded(mail.raw);
    expect(text).toMatch(/^From: "?Padaria P\S+ Quente Ltda"? <cobranca@paoquente\.com\.br>/m);
    expect(text).toMatch(/^Subject: .*05\/03\/2025/m);
    expect(text).toMatch(/Total: R\$\s153,25/);
    expect(text).toContain('CNPJ 11.222.333/0001-81');
    expect(text).toContain('Rua das Flores, 123, Centro, Campinas/SP');
    const [task] = await db.query<{
      id: string;
      status: string;
      attempts: number;
      contact_log_id: string;
    }>('SELECT id, status, attempts, contact_log_id FROM cadence_tasks');
    expect(task).toMatchObject({ status: 'sent', attempts: 1 });
    expect(text).toContain(`Message-ID: <${task!.id}@quita.cadence>`);
    const log = await db.query<{
      id: string;
      cadence_step: string;
      automated: boolean;
      status: string;
    }>(`SELECT id, cadence_step, automated, status FROM contact_log WHERE debtor_id = $1`, [
      debtorId,
    ]);
    expect(log).toEqual([
      { id: task!.contact_log_id, cadence_step: 'd+5', automated: true, status: 'sent' },
    ]);
    // The same run again, later the same day: nothing more (step done, budget used).
    const again = await runCadenceOnce(deps(db, mailer, new Date('2025-03-10T15:00:00Z'), 'a'));
    expect(again).toMatchObject({ created: 0, sent: 0 });
    expect(smtp.received).toHaveLength(1);
  });

  test('a restarted worker (new process id, new transport) does not resend', async () => {
    smtp = await startSmtp();
    mailer = smtpMailer(smtp.url);
    await seedLate(db, 2);
    expect((await runCadenceOnce(deps(db, mailer, MONDAY_9H, 'before-restart'))).sent).toBe(2);
    mailer.close();
    mailer = smtpMailer(smtp.url);
    const after = await runCadenceOnce(
      deps(db, mailer, new Date('2025-03-11T12:00:00Z'), 'after-restart'),
    );
    expect(after.sent).toBe(0);
    expect(smtp.received).toHaveLength(2);
  });

  test('a 451 is retried after the backoff and then sent once, attempts recorded', async () => {
    smtp = await startSmtp({ rejectFirst: 1 });
    mailer = smtpMailer(smtp.url);
    await seedLate(db, 1);
    const first = await runCadenceOnce(deps(db, mailer, MONDAY_9H, 'a'));
    expect(first).toMatchObject({ sent: 0, retrying: 1 });
    const [pending] = await db.query<{ status: string; attempts: number; last_error: string }>(
      'SELECT status, attempts, last_error FROM cadence_tasks',
    );
    expect(pending).toMatchObject({ status: 'pending', attempts: 1 });
    expect(pending?.last_error).toContain('451');
    // Visible in the queue while it waits.
    const queue = await cadenceToday(db, MONDAY_9H, { role: 'staff', userId: null, limit: 100 });
    expect(queue.items[0]?.task).toMatchObject({ status: 'pending', attempts: 1 });
    // Not due again before the backoff…
    expect(
      (await runCadenceOnce(deps(db, mailer, new Date(MONDAY_9H.getTime() + 30_000), 'a'))).sent,
    ).toBe(0);
    // …then sent once.
    const later = new Date(MONDAY_9H.getTime() + 61_000);
    expect((await runCadenceOnce(deps(db, mailer, later, 'a'))).sent).toBe(1);
    expect(smtp.received).toHaveLength(1);
    const [sent] = await db.query<{ status: string; attempts: number }>(
      'SELECT status, attempts FROM cadence_tasks',
    );
    expect(sent).toEqual({ status: 'sent', attempts: 2 });
    const log = await db.query('SELECT id FROM contact_log WHERE automated');
    expect(log).toHaveLength(1);
  });

  test('outside the contact window nothing is sent or queued', async () => {
    smtp = await startSmtp();
    mailer = smtpMailer(smtp.url);
    await seedLate(db, 1);
    for (const at of ['2025-03-09T15:00:00Z', '2025-03-10T23:30:00Z', '2025-03-10T10:59:00Z']) {
      const result = await runCadenceOnce(deps(db, mailer, new Date(at), 'a'));
      expect(result).toMatchObject({ created: 0, sent: 0 });
    }
    expect(smtp.received).toHaveLength(0);
  });

  test('a send interrupted mid-flight (lease expired) becomes uncertain and is never resent', async () => {
    smtp = await startSmtp();
    mailer = smtpMailer(smtp.url);
    await seedLate(db, 1);
    // Another process claimed it, then died before recording the outcome.
    const crashed = {
      ...deps(db, mailer, MONDAY_9H, 'crashed'),
      mailer: { send: () => new Promise<never>(() => {}), close() {} },
    };
    void runCadenceOnce(crashed);
    await expect
      .poll(
        async () =>
          (await db.query<{ status: string }>('SELECT status FROM cadence_tasks'))[0]?.status,
      )
      .toBe('sending');
    const later = new Date(MONDAY_9H.getTime() + 10 * 60_000);
    const result = await runCadenceOnce(deps(db, mailer, later, 'survivor'));
    expect(result).toMatchObject({ uncertain: 1, sent: 0 });
    expect(smtp.received).toHaveLength(0);
    const [task] = await db.query<{ status: string }>('SELECT status FROM cadence_tasks');
    expect(task?.status).toBe('uncertain');
  });
});

describe.runIf(availableDbKinds().includes('postgres'))('on postgres, two server processes', () => {
  test('racing workers send each due e-mail exactly once', async () => {
    const smtp = await startSmtp({ delayMs: 30 });
    const { url, drop } = await createPostgresDatabase();
    const a = openPostgres(url, { max: 4 });
    const b = openPostgres(url, { max: 4 });
    const mailers = [smtpMailer(smtp.url), smtpMailer(smtp.url)] as const;
    try {
      await migrate(a);
      await configureTestOrganisation(a);
      await seedLate(a, 12);
      const results = await Promise.all([
        runCadenceOnce(deps(a, mailers[0], MONDAY_9H, 'process-a')),
        runCadenceOnce(deps(b, mailers[1], MONDAY_9H, 'process-b')),
      ]);
      expect(results[0].sent + results[1].sent).toBe(12);
      expect(smtp.received).toHaveLength(12);
      expect(new Set(smtp.received.map((m) => m.to[0])).size).toBe(12);
      const tasks = await a.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM cadence_tasks WHERE status = 'sent'`,
      );
      expect(tasks[0]?.n).toBe(12);
      const log = await a.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM contact_log WHERE automated',
      );
      expect(log[0]?.n).toBe(12);
    } finally {
      for (const m of mailers) m.close();
      await a.close();
      await b.close();
      await drop();
      await smtp.close();
    }
  });
});
