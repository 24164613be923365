/**
 * `/api/lgpd` (owner): the data subject's rights and the retention rule.
 *
 * - `GET /api/lgpd/report?document=CPF|CNPJ`: everything held about that person
 *   (server/lgpd/subject-report.ts), audited as `debtor.subject_report`. The owner's app shows it
 *   as a printable page and offers the JSON for download.
 * - `GET /api/lgpd/anonymisation`: the debtors whose retention period has passed (all debts
 *   settled or cancelled, nothing pending, closed ≥ retention days ago) with the setting in force.
 * - `POST /api/lgpd/anonymisation` `{debtorIds}`: anonymises them (server/lgpd/anonymise.ts);
 *   ids that are not (or no longer) eligible are answered in `skipped`, nothing done to them.
 */
import { Hono } from 'hono';
import { AnonymiseRequestSchema, SubjectReportQuerySchema } from '#shared/api/lgpd.schema';
import { todayIn } from '#shared/time/calendar-date';
import type { Deps } from '../app';
import { requireRole, type AppEnv } from '../http/auth';
import { jsonBody } from '../http/validate';
import { queryParams } from '../ledger/http';
import { loadLedgerSettings } from '../ledger/settings';
import { anonymiseEligible, eligibleForAnonymisation } from '../lgpd/anonymise';
import { recordDebtorRead } from '../lgpd/read-audit';
import { subjectReport } from '../lgpd/subject-report';

/** `/api/lgpd`. */
export function lgpdRoutes({ db, now }: Deps) {
  const today = async () => todayIn(now().getTime(), (await loadLedgerSettings(db)).timeZone);
  return new Hono<AppEnv>()
    .get('/report', requireRole('owner'), queryParams(SubjectReportQuerySchema), async (c) => {
      const { document } = c.req.valid('query');
      const user = c.get('user');
      const report = await subjectReport(db, document, now());
      await recordDebtorRead(db, {
        actor: user.id,
        ip: c.get('ip'),
        action: 'debtor.subject_report',
        debtorIds: report.subjects.map((s) => s.debtor.id),
      });
      return c.json(report);
    })
    .get('/anonymisation', requireRole('owner'), async (c) => {
      const day = await today();
      const { retentionDays, items } = await eligibleForAnonymisation(db, day);
      return c.json({ today: day, retentionDays, items });
    })
    .post('/anonymisation', requireRole('owner'), jsonBody(AnonymiseRequestSchema), async (c) => {
      const { debtorIds } = c.req.valid('json');
      const user = c.get('user');
      const result = await anonymiseEligible(db, {
        today: await today(),
        now: now(),
        actor: user.id,
        ip: c.get('ip'),
        debtorIds,
      });
      const done = new Set(result.anonymised);
      return c.json({
        anonymised: result.anonymised,
        skipped: [...new Set(debtorIds)]
          .filter((id) => !done.has(id))
          .map((id) => ({
            id,
            reason:
              'não está apto: há dívida em aberto, algo pendente ou o prazo de retenção não passou',
          })),
        retentionDays: result.retentionDays,
      });
    });
}
