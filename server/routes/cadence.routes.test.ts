import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { uuidv7 } from 'uuidv7';
import type { Role } from '#shared/auth/user.schema';
import { parsePixPayload } from '#shared/pix/pix-payload';
import { pixTxidFor } from '#shared/pix/pix-txid';
import { createApp } from '../app';
import type { Db } from '../db/db';
import { insertEntity } from '../db/write';
import type { TodayItem, TodayPage } from '../cadence/today';
import { configureTestOrganisation, logContact, seedDebtor } from '../cadence/testing';
import { forEachDb, openTestDb } from '#test/helpers/test-db';
import { seedUser, testClock, type SeededUser } from '#test/helpers/auth';
import { call, expectProblem } from '#test/helpers/http';

// Monday 2025-03-10, 09:00 in São Paulo: inside the default weekday window.
const NOW = '2025-03-10T12:00:00Z';

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  const users = {} as Record<Role, SeededUser>;
  let otherCollector: SeededUser;
  const ids = {} as Record<
    'late5' | 'visit' | 'preventive' | 'promised' | 'escalation' | 'budget' | 'dnc',
    string
  >;
  let late5Debt = '';
  const clock = testClock(NOW);

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test', now: clock.now });
    for (const role of ['owner', 'staff', 'collector'] as const)
      users[role] = await seedUser(db, role, { now: clock.now(), name: `Pessoa ${role}` });
    otherCollector = await seedUser(db, 'collector', { now: clock.now() });
    await configureTestOrganisation(db);

    // 5 days overdue → d+5, automatic e-mail.
    const late5 = await seedDebtor(db, {
      name: 'Maria Aparecida Silva',
      email: 'maria@example.com',
      debts: [{ principal: 15_000, dueOn: '2025-03-05', description: 'compra de fevereiro' }],
    });
    ids.late5 = late5.debtorId;
    late5Debt = late5.debtIds[0]!;
    // 15 days overdue → d+15, a visit, assigned to the collector.
    ids.visit = (
      await seedDebtor(db, {
        name: 'João Visitado',
        phone: '+5519999990001',
        collectorId: users.collector.user.id,
        debts: [{ principal: 20_000, dueOn: '2025-02-23' }],
      })
    ).debtorId;
    // Due in 3 days → d-3 preventive WhatsApp (automatic, but no server sender: a person sends).
    ids.preventive = (
      await seedDebtor(db, {
        name: 'Ana Preventiva',
        phone: '+5519999990002',
        debts: [{ principal: 9_900, dueOn: '2025-03-13' }],
      })
    ).debtorId;
    // An open promise pauses the régua.
    const promised = await seedDebtor(db, {
      name: 'Pedro Prometeu',
      phone: '+5519999990003',
      debts: [{ principal: 5_000, dueOn: '2025-02-28' }],
    });
    ids.promised = promised.debtorId;
    await db.transaction((tx) =>
      insertEntity(tx, 'promise', {
        id: uuidv7(),
        debtor_id: promised.debtorId,
        debt_id: promised.debtIds[0],
        amount_cents: 5_000,
        promised_on: '2025-03-15',
      }),
    );
    // 60 days overdue → d+60, the escalation step (owner only; no written notice yet).
    const escalation = await seedDebtor(db, {
      name: 'Carlos Escalado',
      email: 'carlos@example.com',
      debts: [{ principal: 50_000, dueOn: '2025-01-09' }],
    });
    ids.escalation = escalation.debtorId;
    await db.transaction((tx) =>
      insertEntity(tx, 'escalation', {
        id: uuidv7(),
        debtor_id: escalation.debtorId,
        debt_id: escalation.debtIds[0],
        kind: 'negativacao',
        status: 'proposed',
      }),
    );
    // 10 days overdue (d+10 WhatsApp) but already contacted today: the daily budget defers it.
    const budget = await seedDebtor(db, {
      name: 'Beatriz Orçamento',
      phone: '+5519999990004',
      debts: [{ principal: 7_000, dueOn: '2025-02-28' }],
    });
    ids.budget = budget.debtorId;
    await logContact(db, {
      debtorId: budget.debtorId,
      channel: 'phone',
      at: new Date('2025-03-10T11:30:00Z'),
    });
    // Asked not to be contacted at all.
    ids.dnc = (
      await seedDebtor(db, {
        name: 'Davi Não Contatar',
        email: 'davi@example.com',
        doNotContact: true,
        debts: [{ principal: 3_000, dueOn: '2025-03-05' }],
      })
    ).debtorId;
  });
  afterAll(async () => {
    await db.close();
  });

  const today = (role: Role | SeededUser, query = '') =>
    call<TodayPage>(app, 'GET', `/api/cadence/today${query}`, {
      headers: (typeof role === 'string' ? users[role] : role).headers,
    });
  const debtorsOf = (page: TodayPage) => page.items.map((i) => i.debtor.id).sort();
  const opened = (role: Role | SeededUser, debtorId: string) =>
    call<TodayItem>(app, 'GET', `/api/cadence/today/${debtorId}`, {
      headers: (typeof role === 'string' ? users[role] : role).headers,
    });

  describe('who sees what', () => {
    test('staff: remote messages only, no visits, no escalation steps', async () => {
      const res = await today('staff');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ date: '2025-03-10', timeZone: 'America/Sao_Paulo' });
      expect(debtorsOf(res.body)).toEqual([ids.late5, ids.preventive].sort());
      expect(res.body.escalations).toBeUndefined();
    });

    test('a collector: only the visits of debtors assigned to them', async () => {
      const mine = await today('collector');
      expect(debtorsOf(mine.body)).toEqual([ids.visit]);
      const visit = mine.body.items[0]!;
      expect(visit.step).toMatchObject({ id: 'd+15', channel: 'visit', kind: 'negotiation' });
      // The page carries no message; opening the item renders it.
      expect(visit).not.toHaveProperty('message');
      const open = await opened('collector', ids.visit);
      expect(open.status).toBe(200);
      expect(open.body.item.renderError).toBeNull();
      expect(open.body.item.message?.body).toContain(
        'sou Pessoa collector, da Padaria Pão Quente Ltda',
      );
      expect((await today(otherCollector)).body.items).toEqual([]);
      // Another collector's debtor, or a debtor with nothing today, is the same 404.
      expectProblem(await opened(otherCollector, ids.visit), 404, 'not-found');
      expectProblem(await opened('collector', ids.late5), 404, 'not-found');
      expectProblem(await opened('owner', ids.promised), 404, 'not-found');
      expectProblem(await opened('owner', 'not-a-uuid'), 404, 'not-found');
    });

    test('owner: everything, plus escalations awaiting a decision', async () => {
      const res = await today('owner');
      expect(debtorsOf(res.body)).toEqual(
        [ids.late5, ids.preventive, ids.visit, ids.escalation].sort(),
      );
      const step = res.body.items.find((i) => i.debtor.id === ids.escalation);
      expect(step?.step).toMatchObject({ id: 'd+60', kind: 'escalation' });
      expect(step?.blockedBy).toContainEqual({ code: 'notice_missing' });
      expect(res.body.escalations).toEqual([
        expect.objectContaining({
          debtor: { id: ids.escalation, name: 'Carlos Escalado' },
          status: 'proposed',
        }),
      ]);
    });

    test('paused (promise), do-not-contact and budget-deferred debtors are not today’s work', async () => {
      const all = debtorsOf((await today('owner')).body);
      for (const id of [ids.promised, ids.dnc, ids.budget]) expect(all).not.toContain(id);
    });
  });

  describe('the automatic e-mail item', () => {
    test('is rendered when opened, with the balance, PIX and creditor identification, waiting for the server', async () => {
      const res = await today('staff', '?channel=email');
      expect(res.body.items).toHaveLength(1);
      const listed = res.body.items[0]!;
      // The page itself renders nothing: no message, no PIX code.
      expect(listed).not.toHaveProperty('message');
      expect(listed).not.toHaveProperty('pix');
      // The list shows the total; the opened item itemises it.
      expect(listed.debt.balance).toEqual({ totalDue: 15_325 });
      const open = await opened('staff', ids.late5);
      expect(open.status).toBe(200);
      expect(open.body).toMatchObject({ date: '2025-03-10', timeZone: 'America/Sao_Paulo' });
      const item = open.body.item;
      // Opening repeats the page's item exactly, plus the rendered message.
      expect(item).toMatchObject(listed);
      expect(item).toMatchObject({
        debtor: { id: ids.late5, name: 'Maria Aparecida Silva' },
        step: { id: 'd+5', mode: 'automatic', channel: 'email', templateId: 'd+5.email' },
        delivery: 'smtp',
        recipient: { kind: 'email', value: 'maria@example.com' },
        guard: { allowed: true },
        task: null,
      });
      // R$ 150,00 + 2% multa + 1% a.m. pro rata for 5 days = 150,00 + 3,00 + 0,25.
      expect(item.debt.balance).toMatchObject({
        principal: 15_000,
        fine: 300,
        interest: 25,
        totalDue: 15_325,
      });
      expect(item.message?.subject).toBeDefined();
      expect(item.message?.body).toMatch(/Total: R\$\s153,25/);
      expect(item.message?.body).toContain('CNPJ 11.222.333/0001-81');
      expect(item.message?.body).toContain(
        `https://pague.paoquente.com.br/${pixTxidFor(late5Debt)}`,
      );
      const pix = parsePixPayload(item.pix ?? '');
      expect(pix.ok).toBe(true);
      expect(item.message?.body).toContain(item.pix);
      expect(item.pix).toContain('5406153.25');
      expect(item.pix).toContain(pixTxidFor(late5Debt));
    });

    test('a step done (logged with its step id) leaves the queue', async () => {
      const other = await seedDebtor(db, {
        name: 'Rita Respondida',
        email: 'rita@example.com',
        debts: [{ principal: 1_000, dueOn: '2025-03-05' }],
      });
      expect(debtorsOf((await today('staff')).body)).toContain(other.debtorId);
      await logContact(db, {
        debtorId: other.debtorId,
        debtId: other.debtIds[0]!,
        channel: 'email',
        stepId: 'd+5',
        at: new Date('2025-03-08T13:00:00Z'),
      });
      expect(debtorsOf((await today('staff')).body)).not.toContain(other.debtorId);
    });
  });

  describe('the guard verdict is for now', () => {
    test('before 08:00 the item is still today’s, refused now with the next allowed instant', async () => {
      const early = createApp({ db, version: 'test', now: () => new Date('2025-03-10T10:30:00Z') });
      const res = await call<TodayPage>(early, 'GET', '/api/cadence/today?channel=email', {
        headers: users.staff.headers,
      });
      const item = res.body.items.find((i) => i.debtor.id === ids.late5);
      expect(item?.earliestAt).toBe('2025-03-10T11:00:00.000Z');
      expect(item?.guard).toMatchObject({
        allowed: false,
        reason: 'outside_window',
        nextAllowedAt: '2025-03-10T11:00:00.000Z',
      });
    });

    test('on a Sunday nothing is today’s work', async () => {
      const sunday = createApp({
        db,
        version: 'test',
        now: () => new Date('2025-03-09T15:00:00Z'),
      });
      const res = await call<TodayPage>(sunday, 'GET', '/api/cadence/today', {
        headers: users.owner.headers,
      });
      expect(res.body.items).toEqual([]);
    });
  });

  describe('paging', () => {
    test('walking pages of 2 debtors finds exactly the items of one big page', async () => {
      const whole = debtorsOf((await today('owner', '?limit=5000')).body);
      const walked: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: Awaited<ReturnType<typeof today>> = await today(
          'owner',
          `?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(res.body.scanned).toBeLessThanOrEqual(2);
        walked.push(...debtorsOf(res.body));
        cursor = res.body.nextCursor;
        pages += 1;
      } while (cursor !== null && pages < 20);
      expect(pages).toBeGreaterThan(2);
      expect(walked.sort()).toEqual(whole);
    });

    test('a bad limit or cursor is a problem naming the parameter', async () => {
      expectProblem(await today('staff', '?limit=0'), 422, 'validation', 'limit');
      expectProblem(await today('staff', '?limit=99999'), 422, 'validation', 'limit');
      expectProblem(await today('staff', '?cursor=abc'), 422, 'validation', 'cursor');
      expectProblem(await today('staff', '?channel=fax'), 422, 'validation', 'channel');
    });

    test('without a token → 401', async () => {
      expectProblem(await call(app, 'GET', '/api/cadence/today'), 401, 'unauthenticated');
    });
  });
});
