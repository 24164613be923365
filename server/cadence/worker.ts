/**
 * The automatic e-mail sender. Each run:
 * 1. marks 'sending' tasks whose lease ran out as 'uncertain' (a worker died mid-send: the message
 *    may have left, so it is never re-sent automatically; the owner sees it in the queue);
 * 2. walks today's queue and records an outbox task for every automatic e-mail step that is due,
 *    allowed by the guard right now, renderable and has an address (the unique key
 *    (debtor, debt, cycle due date, step) makes this idempotent across runs and processes);
 * 3. claims due tasks one by one (`FOR UPDATE SKIP LOCKED` + status check, so two processes never
 *    claim the same row), re-checking the plan and the guard inside the claim transaction against
 *    the latest contact log, then sends outside any transaction and records the outcome: on
 *    success the contact is written to the contact log (status 'sent') in the same transaction
 *    that marks the task sent; a refused send is retried with backoff up to `maxAttempts`.
 *
 * The clock is injected (`now`), never read from SQL, so tests drive time.
 */
import { randomUUID } from 'node:crypto';
import { uuidv7 } from 'uuidv7';
import type { Db, Queryable } from '../db/db';
import { insertEntity } from '../db/write';
import { contactVerdict, debtorState } from '../ledger/debtor-state';
import { loadSettings, type EffectiveSettings } from '../settings/settings.repo';
import { classifySendError, describeSendError, type Mailer } from '../email/mailer';
import { ensurePortalLinksTx, portalLinkUrls } from '../portal/portal-links.repo';
import { portalUrl, type PortalKey } from '../portal/portal-token';
import { endOfDay, isServerSent, todaysAction } from './queue';
import { renderAction, type PortalLinkMap } from './queue-item';
import { loadQueuePage, taskKey, type TaskRow } from './queue-page';
import type { DebtorFacts } from '../ledger/debtor-state';
import { startPeriodic } from '../ops/periodic';

export interface CadenceWorkerDeps {
  db: Db;
  mailer: Mailer;
  now: () => Date;
  /** Envelope sender address; the display name is the creditor's legal name. */
  fromAddress: string;
  /** Identifies this process in `claimed_by`. */
  workerId?: string;
  /** How long a claim holds while talking to SMTP; default 2 minutes. */
  leaseMs?: number;
  /** Attempts before a retryable failure becomes 'failed'; default 5. */
  maxAttempts?: number;
  /** Debtors per page while scanning the queue; default 1000. */
  pageSize?: number;
  log?: (line: string) => void;
  /**
   * The debtor's page links `{{payment_link}}` carries when the owner configured no outside page:
   * the server's link key and public origin (QUITA_PUBLIC_URL). Without it such e-mails wait.
   */
  portal?: { key: PortalKey; base: string };
  /** Told after every run of `startCadenceWorker` (metrics, the owner's server page). */
  onRun?: (result: CadenceRunResult | Error, seconds: number, at: Date) => void;
}

export interface CadenceRunResult {
  created: number;
  sent: number;
  retrying: number;
  failed: number;
  uncertain: number;
  deferred: number;
  cancelled: number;
}

/** Delay before attempt n+1 after n failed attempts: 1 min, 5 min, 30 min, 2 h, then 6 h. */
export function retryDelayMs(attempts: number): number {
  const minutes = [1, 5, 30, 120, 360];
  return (minutes[Math.min(attempts, minutes.length) - 1] ?? 1) * 60_000;
}

interface Prepared {
  to: string;
  contactPointId: string;
  subject: string;
  body: string;
}

/** The e-mail a debtor should get now for `task`, or why not (re-derived from fresh facts). */
function prepare(
  facts: DebtorFacts | undefined,
  settings: EffectiveSettings,
  now: Date,
  task: Pick<TaskRow, 'debt_id' | 'cycle_due_on' | 'step_id'>,
  links?: PortalLinkMap,
):
  | { ok: true; value: Prepared }
  | { ok: false; outcome: 'cancel' | 'defer'; reason: string; until?: number } {
  if (!facts) return { ok: false, outcome: 'cancel', reason: 'nada mais em aberto' };
  const state = debtorState(facts, settings, now);
  if (state.plan.state === 'paused')
    return { ok: false, outcome: 'defer', reason: `régua pausada (${state.plan.reason})` };
  const action = todaysAction(state, endOfDay(state.today, settings.timeZone));
  const carrying = state.plan.carrying;
  if (
    !action ||
    !carrying ||
    !isServerSent(action) ||
    taskKey(carrying.debtId, carrying.dueDate, action.stepId) !==
      taskKey(task.debt_id, task.cycle_due_on, task.step_id)
  )
    return {
      ok: false,
      outcome: 'cancel',
      reason: `etapa não é mais devida (${state.plan.reason})`,
    };
  const verdict = contactVerdict(state, settings, 'email', now, true);
  if (!verdict.allowed)
    return {
      ok: false,
      outcome: 'defer',
      reason: verdict.message,
      ...(verdict.nextAllowedAt === undefined ? {} : { until: verdict.nextAllowedAt }),
    };
  const point = facts.contactPoints.find((p) => p.kind === 'email');
  if (!point) return { ok: false, outcome: 'defer', reason: 'cliente sem e-mail' };
  const rendered = renderAction(settings, facts, state, action, links);
  if (!rendered.message)
    return {
      ok: false,
      outcome: 'defer',
      reason: rendered.renderError?.message ?? 'modelo inválido',
    };
  return {
    ok: true,
    value: {
      to: point.value,
      contactPointId: point.id,
      subject: rendered.message.subject ?? '',
      body: rendered.message.body,
    },
  };
}

async function loadOne(q: Queryable, now: Date, debtorId: string) {
  const page = await loadQueuePage(q, now, { debtorIds: [debtorId], limit: 1 });
  return page.facts[0];
}

/** Records outbox tasks for today's due automatic e-mails; returns how many were new. */
async function enqueueDue(deps: CadenceWorkerDeps, settings: EffectiveSettings, now: Date) {
  let created = 0;
  let cursor: string | undefined;
  const limit = deps.pageSize ?? 1000;
  for (;;) {
    const page = await loadQueuePage(deps.db, now, { limit, ...(cursor ? { cursor } : {}) });
    const links = await portalLinkUrls(
      deps.portal && { db: deps.db, ...deps.portal },
      settings.organisation,
      page.facts.map((f) => f.debtor.id),
      now,
    );
    const rows: unknown[][] = [];
    for (const facts of page.facts) {
      const state = debtorState(facts, settings, now);
      const action = todaysAction(state, endOfDay(state.today, settings.timeZone));
      const carrying = state.plan.carrying;
      if (!action || !carrying || !isServerSent(action)) continue;
      if (page.tasks.has(taskKey(carrying.debtId, carrying.dueDate, action.stepId))) continue;
      if (!contactVerdict(state, settings, 'email', now, true).allowed) continue;
      const point = facts.contactPoints.find((p) => p.kind === 'email');
      if (!point || !renderAction(settings, facts, state, action, links).message) continue;
      rows.push([
        uuidv7(),
        facts.debtor.id,
        carrying.debtId,
        carrying.dueDate,
        action.stepId,
        action.templateId,
        point.value,
      ]);
    }
    if (rows.length > 0) {
      const values = rows
        .map(
          (_, i) =>
            `($${i * 7 + 1}, $${i * 7 + 2}, $${i * 7 + 3}, $${i * 7 + 4}, $${i * 7 + 5}, 'email', $${i * 7 + 6}, $${i * 7 + 7}, $${rows.length * 7 + 1}, $${rows.length * 7 + 1}, $${rows.length * 7 + 1})`,
        )
        .join(', ');
      const inserted = await deps.db.query(
        `INSERT INTO cadence_tasks (id, debtor_id, debt_id, cycle_due_on, step_id, channel, template_id, recipient, next_attempt_at, created_at, updated_at)
         VALUES ${values} ON CONFLICT DO NOTHING RETURNING id`,
        [...rows.flat(), now],
      );
      created += inserted.length;
    }
    if (page.nextCursor === null) break;
    cursor = page.nextCursor;
  }
  return created;
}

/** One pass of the worker at `now`. */
export async function runCadenceOnce(
  deps: CadenceWorkerDeps,
  now: Date = deps.now(),
): Promise<CadenceRunResult> {
  const { db } = deps;
  const me = deps.workerId ?? `worker-${randomUUID()}`;
  const leaseMs = deps.leaseMs ?? 120_000;
  const maxAttempts = deps.maxAttempts ?? 5;
  const result: CadenceRunResult = {
    created: 0,
    sent: 0,
    retrying: 0,
    failed: 0,
    uncertain: 0,
    deferred: 0,
    cancelled: 0,
  };

  const expired = await db.query(
    `UPDATE cadence_tasks SET status = 'uncertain', updated_at = $1,
       last_error = 'o envio foi interrompido; pode ter sido entregue, não será reenviado'
     WHERE status = 'sending' AND claimed_until < $1 RETURNING id`,
    [now],
  );
  result.uncertain += expired.length;

  const settings = await loadSettings(db);
  result.created = await enqueueDue(deps, settings, now);

  const due = await db.query<{ id: string }>(
    `SELECT id FROM cadence_tasks WHERE status = 'pending' AND next_attempt_at <= $1
     ORDER BY next_attempt_at, id LIMIT 500`,
    [now],
  );
  const orgName = settings.organisation.legalName ?? '';
  const from =
    orgName === '' ? deps.fromAddress : `"${orgName.replaceAll('"', '')}" <${deps.fromAddress}>`;

  for (const { id } of due) {
    const claimed = await db.transaction(async (tx) => {
      const [task] = await tx.query<TaskRow>(
        `SELECT * FROM cadence_tasks WHERE id = $1 AND status = 'pending' AND next_attempt_at <= $2
         FOR UPDATE SKIP LOCKED`,
        [id, now],
      );
      if (!task) return null;
      const links =
        deps.portal && !settings.organisation.paymentLinkTemplate
          ? new Map(
              [...(await ensurePortalLinksTx(tx, deps.portal.key, [task.debtor_id], now))].map(
                ([debtorId, link]) => [debtorId, portalUrl(deps.portal?.base ?? '', link.token)],
              ),
            )
          : undefined;
      const ready = prepare(await loadOne(tx, now, task.debtor_id), settings, now, task, links);
      if (!ready.ok) {
        if (ready.outcome === 'cancel')
          await tx.query(
            `UPDATE cadence_tasks SET status = 'cancelled', last_error = $2, updated_at = $3 WHERE id = $1`,
            [id, ready.reason, now],
          );
        else
          await tx.query(
            `UPDATE cadence_tasks SET next_attempt_at = $2, last_error = $3, updated_at = $4 WHERE id = $1`,
            [id, new Date(ready.until ?? now.getTime() + 3_600_000), ready.reason, now],
          );
        return { skipped: ready.outcome } as const;
      }
      await tx.query(
        `UPDATE cadence_tasks SET status = 'sending', attempts = attempts + 1, claimed_by = $2,
           claimed_until = $3, recipient = $4, updated_at = $5 WHERE id = $1`,
        [id, me, new Date(now.getTime() + leaseMs), ready.value.to, now],
      );
      return { task: { ...task, attempts: task.attempts + 1 }, mail: ready.value } as const;
    });
    if (!claimed) continue;
    if ('skipped' in claimed) {
      if (claimed.skipped === 'cancel') result.cancelled += 1;
      else result.deferred += 1;
      continue;
    }
    const { task, mail } = claimed;
    try {
      const info = await deps.mailer.send({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.body,
        messageId: `<${task.id}@quita.cadence>`,
        headers: { 'X-Quita-Step': task.step_id },
      });
      await db.transaction(async (tx) => {
        const contactId = uuidv7();
        await insertEntity(tx, 'contact', {
          id: contactId,
          debtor_id: task.debtor_id,
          debt_id: task.debt_id,
          contact_point_id: mail.contactPointId,
          channel: 'email',
          direction: 'outbound',
          automated: true,
          status: 'sent',
          template_id: task.template_id,
          cadence_step: task.step_id,
          body: `${mail.subject}\n\n${mail.body}`,
          at: now,
        });
        await tx.query(
          `UPDATE cadence_tasks SET status = 'sent', sent_at = $2, message_id = $3, contact_log_id = $4,
             claimed_until = NULL, last_error = NULL, updated_at = $2
           WHERE id = $1 AND claimed_by = $5 AND status IN ('sending', 'uncertain')`,
          [task.id, now, info.messageId, contactId, me],
        );
      });
      result.sent += 1;
    } catch (error) {
      const kind = classifySendError(error);
      const message = describeSendError(error);
      deps.log?.(`cadence: e-mail ${task.id} (${task.step_id}) failed [${kind}]: ${message}`);
      const status =
        kind === 'uncertain'
          ? 'uncertain'
          : kind === 'permanent' || task.attempts >= maxAttempts
            ? 'failed'
            : 'pending';
      await db.query(
        `UPDATE cadence_tasks SET status = $2, last_error = $3, next_attempt_at = $4,
           claimed_until = NULL, updated_at = $5 WHERE id = $1 AND claimed_by = $6`,
        [task.id, status, message, new Date(now.getTime() + retryDelayMs(task.attempts)), now, me],
      );
      if (status === 'pending') result.retrying += 1;
      else if (status === 'failed') result.failed += 1;
      else result.uncertain += 1;
    }
  }
  return result;
}

/** Runs `runCadenceOnce` every `intervalMs` (never two runs at once); `stop` waits for the current run. */
export function startCadenceWorker(
  deps: CadenceWorkerDeps,
  intervalMs = 300_000,
): { stop(): Promise<void> } {
  const workerId = deps.workerId ?? `worker-${randomUUID()}`;
  let start = 0;
  return startPeriodic(
    async () => {
      start = performance.now();
      const r = await runCadenceOnce({ ...deps, workerId });
      deps.onRun?.(r, (performance.now() - start) / 1000, deps.now());
      if (r.sent + r.failed + r.uncertain > 0)
        deps.log?.(
          `cadence: ${r.sent} e-mail(s) sent, ${r.retrying} to retry, ${r.failed} failed, ${r.uncertain} uncertain`,
        );
    },
    intervalMs,
    {
      onError: (error) => {
        deps.onRun?.(
          error instanceof Error ? error : new Error(String(error)),
          (performance.now() - start) / 1000,
          deps.now(),
        );
        deps.log?.(`cadence: run failed: ${describeSendError(error)}`);
      },
    },
  );
}
