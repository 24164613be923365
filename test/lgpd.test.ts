/**
 * LGPD, through the real API on both databases:
 * - the read audit covers the ways debtor data leaves the server: sync pull pages, the cadence
 *   queue, lists (by debtor and the office's review lists), one audit row per page naming the
 *   debtors in it;
 * - the data-subject report by CPF/CNPJ holds identity, contact points, debts, payments,
 *   contacts and the audit of who saw the data;
 * - a debtor whose debts are settled and whose retention passed is anonymised: identity and
 *   contact points gone, phones and lookups no longer find it, ledger totals the same.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../server/app';
import type { Db } from '../server/db/db';
import { forEachDb, openTestDb } from './helpers/test-db';
import { seedUser, testClock, type SeededUser } from './helpers/auth';
import { call, expectProblem } from './helpers/http';
import { assign, cpf, createDebt, createDebtor } from './helpers/ledger';
import { testDevice } from './helpers/sync';

interface AuditDetail {
  debtorIds: string[];
  count: number;
}

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  let owner: SeededUser;
  let staff: SeededUser;
  let collector: SeededUser;
  const clock = testClock('2026-03-16T13:00:00Z');
  const mine: string[] = [];

  async function auditSince(action: string, afterId: number) {
    return db.query<{ id: number; actor_id: string; detail: AuditDetail }>(
      'SELECT id, actor_id, detail FROM audit_log WHERE action = $1 AND id > $2 ORDER BY id',
      [action, afterId],
    );
  }
  async function lastAuditId(): Promise<number> {
    const [row] = await db.query<{ id: number | null }>('SELECT max(id)::int AS id FROM audit_log');
    return row?.id ?? 0;
  }

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test', now: clock.now });
    owner = await seedUser(db, 'owner', { now: clock.now() });
    staff = await seedUser(db, 'staff', { now: clock.now() });
    collector = await seedUser(db, 'collector', { now: clock.now() });
    for (let i = 0; i < 5; i++) {
      const id = await createDebtor(app, owner, {
        name: `Cliente LGPD ${i}`,
        document: cpf(9500 + i),
        contactPoints: [{ kind: 'phone', value: `1198765432${i}`, verified: true }],
      });
      await createDebt(app, owner, id, { issueDate: '2026-01-05', dueDate: '2026-02-05' });
      mine.push(id);
    }
    await assign(app, owner, collector.user.id, mine);
  });
  afterAll(async () => {
    await db.close();
  });

  describe('the read audit', () => {
    test('each sync pull page writes one row naming the debtors whose data it carries', async () => {
      const before = await lastAuditId();
      const device = testDevice(app, collector.headers, clock.now);
      const pages = [];
      let cursor: string | undefined;
      for (;;) {
        const res = await device.pull(cursor, 4);
        expect(res.status).toBe(200);
        pages.push(res.body);
        cursor = res.body.cursor;
        if (!res.body.has_more) break;
      }
      const rows = await auditSince('sync.pull', before);
      const withDebtors = pages.filter((p) =>
        p.changes.some((ch) => ch.op === 'put' && ch.entity !== 'setting'),
      );
      expect(rows).toHaveLength(withDebtors.length);
      expect(rows.every((r) => r.actor_id === collector.user.id)).toBe(true);
      expect(new Set(rows.flatMap((r) => r.detail.debtorIds))).toEqual(new Set(mine));
    });

    test('the cadence queue page names the debtors it shows', async () => {
      const before = await lastAuditId();
      const res = await call<{ items: { debtor: { id: string } }[] }>(
        app,
        'GET',
        '/api/cadence/today',
        { headers: staff.headers },
      );
      expect(res.status).toBe(200);
      const rows = await auditSince('cadence.queue', before);
      expect(rows).toHaveLength(res.body.items.length > 0 ? 1 : 0);
      if (res.body.items.length > 0)
        expect(rows[0]?.detail.debtorIds.sort()).toEqual(
          res.body.items.map((i) => i.debtor.id).sort(),
        );
    });

    test('lists by debtor, and the office lists that name debtors, are audited once per answer', async () => {
      const before = await lastAuditId();
      for (const path of ['/api/debts', '/api/payments', '/api/promises', '/api/contacts'])
        expect(
          (await call(app, 'GET', `${path}?debtorId=${mine[0]}`, { headers: staff.headers }))
            .status,
        ).toBe(200);
      const debt = await call<{ items?: unknown }>(app, 'GET', `/api/debts?debtorId=${mine[1]}`, {
        headers: staff.headers,
      });
      expect(debt.status).toBe(200);
      const rows = await auditSince('debtor.list', before);
      expect(rows).toHaveLength(5);
      expect(rows.slice(0, 4).every((r) => r.detail.debtorIds.includes(mine[0] ?? ''))).toBe(true);
      expect(rows[4]?.detail.debtorIds).toEqual([mine[1]]);
    });
    test('the duplicates worklist names every debtor it lists, once, not as a list too', async () => {
      // Duplicates that predate the one-document rule (the API refuses new ones).
      const twins = [
        '01890a5d-ac96-774b-bcce-b30209951001',
        '01890a5d-ac96-774b-bcce-b30209951002',
      ];
      for (const [i, id] of twins.entries())
        await db.query(
          `INSERT INTO debtors (id, kind, name, document) VALUES ($1, 'person', $2, $3)`,
          [id, `Gêmeo ${i}`, cpf(9590)],
        );
      const before = await lastAuditId();
      const res = await call<{ groups: { debtors: { id: string }[] }[] }>(
        app,
        'GET',
        '/api/debtor-duplicates',
        { headers: staff.headers },
      );
      expect(res.status).toBe(200);
      const rows = await auditSince('debtor.duplicates', before);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.detail.debtorIds.sort()).toEqual(
        res.body.groups.flatMap((g) => g.debtors.map((d) => d.id)).sort(),
      );
      expect(rows[0]?.detail.debtorIds).toEqual(expect.arrayContaining(twins));
      expect(await auditSince('debtor.list', before)).toHaveLength(0);
      await db.query('DELETE FROM debtors WHERE id = ANY($1::uuid[])', [twins]);
    });
  });

  describe('the data-subject report', () => {
    test('everything held about one CPF, including who saw it', async () => {
      const id = mine[2] ?? '';
      await call(app, 'GET', `/api/debtors/${id}`, { headers: staff.headers });
      await call(app, 'GET', `/api/debts?debtorId=${id}`, { headers: owner.headers });
      await call(app, 'POST', '/api/contacts', {
        headers: staff.headers,
        json: { debtorId: id, channel: 'phone', body: 'Ligação: prometeu pagar sexta' },
      });
      const doc = cpf(9502);
      const punctuated = `${doc.slice(0, 3)}.${doc.slice(3, 6)}.${doc.slice(6, 9)}-${doc.slice(9)}`;
      const res = await call<{
        document: string;
        subjects: {
          debtor: { id: string; name: string };
          contactPoints: { value: string; verification: string }[];
          debts: { balance: { totalDue: number } }[];
          contacts: { body: string | null }[];
          assignments: { collector: { name: string } }[];
          audit: {
            reads: { action: string; who: { id: string } | null }[];
            changes: { action: string }[];
          };
        }[];
      }>(app, 'GET', `/api/lgpd/report?document=${encodeURIComponent(punctuated)}`, {
        headers: owner.headers,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.document).toBe(doc);
      const [subject] = res.body.subjects;
      expect(subject?.debtor).toMatchObject({ id, name: 'Cliente LGPD 2' });
      expect(subject?.contactPoints).toEqual([
        expect.objectContaining({ value: '+5511987654322', verification: 'verified' }),
      ]);
      expect(subject?.debts[0]?.balance.totalDue).toBeGreaterThan(0);
      expect(subject?.contacts.map((c) => c.body)).toContain('Ligação: prometeu pagar sexta');
      expect(subject?.assignments[0]?.collector.name).toBe(collector.user.name);
      const reads = subject?.audit.reads ?? [];
      expect(reads.some((r) => r.action === 'debtor.view' && r.who?.id === staff.user.id)).toBe(
        true,
      );
      expect(reads.some((r) => r.action === 'sync.pull' && r.who?.id === collector.user.id)).toBe(
        true,
      );
      expect(reads.some((r) => r.action === 'debtor.list' && r.who?.id === owner.user.id)).toBe(
        true,
      );
      expect(subject?.audit.changes.map((c) => c.action)).toContain('debtor.create');
      const [logged] = await db.query<{ detail: AuditDetail }>(
        `SELECT detail FROM audit_log WHERE action = 'debtor.subject_report' ORDER BY id DESC LIMIT 1`,
      );
      expect(logged?.detail.debtorIds).toEqual([id]);
    });

    test('staff may not, a bad document is a 422 naming it, an unknown one holds nothing', async () => {
      const doc = cpf(9502);
      expect(
        (await call(app, 'GET', `/api/lgpd/report?document=${doc}`, { headers: staff.headers }))
          .status,
      ).toBe(403);
      expectProblem(
        await call(app, 'GET', '/api/lgpd/report?document=123', { headers: owner.headers }),
        422,
        'validation',
        'document',
      );
      const none = await call<{ subjects: unknown[] }>(
        app,
        'GET',
        `/api/lgpd/report?document=${cpf(9999)}`,
        { headers: owner.headers },
      );
      expect(none.body.subjects).toEqual([]);
    });
  });

  describe('anonymisation after the retention period', () => {
    let old: string;
    let recent: string;
    let open: string;

    async function ledgerTotals() {
      const [row] = await db.query(
        `SELECT (SELECT sum(principal_cents)::bigint FROM debts) AS principal,
                (SELECT sum(amount_cents)::bigint FROM payments WHERE status = 'confirmed') AS paid,
                (SELECT count(*)::int FROM debts) AS debts,
                (SELECT count(*)::int FROM payments) AS payments`,
      );
      return row;
    }

    beforeAll(async () => {
      const make = async (n: number, due: string, paidOn: string | null) => {
        const id = await createDebtor(app, owner, {
          name: `Quitado ${n}`,
          document: cpf(9600 + n),
          externalId: `RET-${n}`,
          contactPoints: [
            { kind: 'phone', value: `2198888000${n}` },
            { kind: 'email', value: `quitado${n}@exemplo.com` },
          ],
        });
        const debt = await createDebt(app, owner, id, {
          issueDate: '2019-01-01',
          dueDate: due,
          principal: 50_000,
        });
        if (paidOn) {
          const paid = await call(app, 'POST', '/api/payments', {
            headers: owner.headers,
            json: {
              debtId: debt,
              date: paidOn,
              amount: 50_000,
              method: 'pix',
              reference: 'PIX de Fulano',
            },
          });
          expect(paid.status, JSON.stringify(paid.body)).toBe(201);
        }
        await call(app, 'POST', '/api/contacts', {
          headers: owner.headers,
          json: { debtorId: id, channel: 'phone', body: `Conversa com Quitado ${n}` },
        });
        return id;
      };
      old = await make(1, '2019-02-01', '2019-02-01');
      recent = await make(2, '2025-10-01', '2025-10-01');
      open = await make(3, '2019-02-01', null);
    });

    test('only a debtor settled more than 5 years ago is eligible', async () => {
      const res = await call<{ retentionDays: number; items: { id: string; closedOn: string }[] }>(
        app,
        'GET',
        '/api/lgpd/anonymisation',
        { headers: owner.headers },
      );
      expect(res.status).toBe(200);
      expect(res.body.retentionDays).toBe(1825);
      expect(res.body.items.map((i) => i.id)).toEqual([old]);
      expect(res.body.items[0]?.closedOn).toBe('2019-02-01');
    });

    test('anonymising keeps the ledger totals and the portfolio figures; identity and contacts go', async () => {
      const totals = await ledgerTotals();
      const portfolio = await call(app, 'GET', '/api/portfolio', { headers: owner.headers });
      const res = await call<{ anonymised: string[]; skipped: { id: string }[] }>(
        app,
        'POST',
        '/api/lgpd/anonymisation',
        { headers: owner.headers, json: { debtorIds: [old, recent, open] } },
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.anonymised).toEqual([old]);
      expect(res.body.skipped.map((s) => s.id).sort()).toEqual([recent, open].sort());
      expect(await ledgerTotals()).toEqual(totals);
      const after = await call(app, 'GET', '/api/portfolio', { headers: owner.headers });
      expect(after.body).toEqual(portfolio.body);
      const [row] = await db.query(
        `SELECT name, document, external_id, anonymised_at IS NOT NULL AS anonymised,
                (SELECT count(*)::int FROM contact_points WHERE debtor_id = d.id) AS points,
                (SELECT count(*)::int FROM contact_point_keys WHERE debtor_id = d.id) AS keys,
                (SELECT count(*)::int FROM contact_log WHERE debtor_id = d.id AND body IS NOT NULL) AS bodies,
                (SELECT count(*)::int FROM payments WHERE debtor_id = d.id AND reference IS NOT NULL) AS refs
           FROM debtors d WHERE id = $1`,
        [old],
      );
      expect(row).toEqual({
        name: 'Titular anonimizado',
        document: null,
        external_id: null,
        anonymised: true,
        points: 0,
        keys: 0,
        bodies: 0,
        refs: 0,
      });
      const lookup = await call<{ matches: unknown[] }>(
        app,
        'GET',
        '/api/debtors/lookup?phone=21988880001',
        { headers: staff.headers },
      );
      expect(lookup.body.matches).toEqual([]);
      const report = await call<{ subjects: unknown[] }>(
        app,
        'GET',
        `/api/lgpd/report?document=${cpf(9601)}`,
        { headers: owner.headers },
      );
      expect(report.body.subjects).toEqual([]);
      const [audited] = await db.query(
        `SELECT actor_id, detail->>'closedOn' AS closed FROM audit_log WHERE action = 'debtor.anonymise'`,
      );
      expect(audited).toEqual({ actor_id: owner.user.id, closed: '2019-02-01' });
    });

    test('a shorter retention setting makes the recently settled debtor eligible', async () => {
      await db.query('UPDATE organisation SET retention_days = 30 WHERE id = 1');
      const res = await call<{ items: { id: string }[] }>(app, 'GET', '/api/lgpd/anonymisation', {
        headers: owner.headers,
      });
      expect(res.body.items.map((i) => i.id)).toEqual([recent]);
      await db.query('UPDATE organisation SET retention_days = 1825 WHERE id = 1');
    });

    test('staff may not anonymise', async () => {
      const res = await call(app, 'POST', '/api/lgpd/anonymisation', {
        headers: staff.headers,
        json: { debtorIds: [recent] },
      });
      expect(res.status).toBe(403);
    });
  });
});
