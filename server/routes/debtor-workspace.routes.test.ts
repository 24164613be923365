import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Role } from '#shared/auth/user.schema';
import { FOLD_FROM, foldForSearch } from '#shared/identity/search-fold';
import { createApp } from '../app';
import type { Db } from '../db/db';
import { loadDebtorFacts } from '../ledger/debtor-state';
import { loadStories } from '../debtors/story.repo';
import { forEachDb, openTestDb } from '#test/helpers/test-db';
import { seedUser, testClock, type SeededUser } from '#test/helpers/auth';
import { call, expectProblem } from '#test/helpers/http';
import { assign, cpf, createDebt, createDebtor } from '#test/helpers/ledger';
import { testDevice } from '#test/helpers/sync';

interface Point {
  id: string;
  kind: string;
  value: string;
  verified: boolean;
  verification: string;
  isWhatsapp?: boolean;
  version: number;
}
interface Story {
  debtor: {
    id: string;
    name: string;
    version: number;
    address: { line: string; city?: string } | null;
    contactPoints: Point[];
  };
  mergedInto: { id: string; name: string } | null;
  duplicates: { id: string; name: string }[];
  status: string;
  stage: string;
  totals: { totalDue: number };
  debts: { id: string; balance: { totalDue: number; fine: number; interest: number } }[];
  assignment: { collectorId: string; collectorName: string } | null;
  cadence: { state: string; reason: string; stepDue: unknown; currentStep: unknown };
  timeline: {
    type: string;
    by: { id: string; name: string } | null;
    data: Record<string, unknown>;
  }[];
}
interface Page {
  items: { id: string; name: string; stage: string; status: string; collector: unknown }[];
  nextCursor: string | null;
}

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  const users = {} as Record<Role, SeededUser>;
  const clock = testClock('2025-03-10T12:00:00Z');
  const h = (role: Role) => users[role].headers;

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test', now: clock.now });
    for (const role of ['owner', 'staff', 'collector'] as const)
      users[role] = await seedUser(db, role, { now: clock.now(), name: `Pessoa ${role}` });
  });
  afterAll(async () => {
    await db.close();
  });

  test('quita_fold in SQL folds exactly as shared/ foldForSearch', async () => {
    const sample = `${FOLD_FROM} Conceição JOSÉ São Paulo ÑANDU`;
    const [row] = await db.query<{ f: string }>('SELECT quita_fold($1) AS f', [sample]);
    expect(row?.f).toBe(foldForSearch(sample));
    expect(foldForSearch('CONCEIÇÃO')).toBe('conceicao');
  });

  test('the verification state and the old `verified` boolean never drift apart', async () => {
    const id = await createDebtor(app, users.owner, {
      contactPoints: [{ kind: 'phone', value: '11 98888-1111', verified: true }],
    });
    const [p] = await db.query<{ verification: string; verified: boolean }>(
      'SELECT verification, verified FROM contact_points WHERE debtor_id = $1',
      [id],
    );
    expect(p).toEqual({ verification: 'verified', verified: true });
    await db.query(`UPDATE contact_points SET verification = 'wrong' WHERE debtor_id = $1`, [id]);
    const [q] = await db.query<{ verified: boolean }>(
      'SELECT verified FROM contact_points WHERE debtor_id = $1',
      [id],
    );
    expect(q?.verified).toBe(false);
    await db.query(`UPDATE contact_points SET verification = 'unverified' WHERE debtor_id = $1`, [
      id,
    ]);
    await expect(
      db.query(
        `UPDATE contact_points SET verified = true, verification = 'wrong' WHERE debtor_id = $1`,
        [id],
      ),
    ).resolves.toBeDefined();
    const [r] = await db.query<{ verified: boolean; verification: string }>(
      'SELECT verified, verification FROM contact_points WHERE debtor_id = $1',
      [id],
    );
    // Both changed in one write: the state is the truth and the boolean follows it.
    expect(r).toEqual({ verified: false, verification: 'wrong' });
  });

  describe('search', () => {
    let conceicao: string;
    let jose: string;
    beforeAll(async () => {
      conceicao = await createDebtor(app, users.owner, {
        name: 'Maria da Conceição',
        document: cpf(71),
        externalId: 'ERP-7788',
        contactPoints: [
          { kind: 'phone', value: '(21) 99876-5432' },
          { kind: 'email', value: 'maria.conceicao@exemplo.com.br' },
        ],
      });
      await createDebt(app, users.owner, conceicao);
      jose = await createDebtor(app, users.owner, {
        name: 'José Conceicao Filho',
        document: cpf(72),
      });
      await createDebt(app, users.owner, jose, { dueDate: '2025-04-10', issueDate: '2025-03-01' });
      await assign(app, users.owner, users.collector.user.id, [jose]);
    });
    const search = (query: string) =>
      call<Page>(app, 'GET', `/api/debtors?${query}`, { headers: h('staff') });

    test.each([
      ['q=conceicao', 'accent-free query finds the accented name'],
      ['q=CONCEIÇÃO', 'accented upper-case query finds the plain name'],
    ])('%s: %s', async (query) => {
      const res = await search(query);
      expect(res.status).toBe(200);
      expect(res.body.items.map((i) => i.name)).toEqual([
        'José Conceicao Filho',
        'Maria da Conceição',
      ]);
    });

    test.each([
      [`q=${cpf(71).slice(0, 3)}.${cpf(71).slice(3, 6)}`, 'a CPF prefix typed with punctuation'],
      ['q=21 99876-5432', 'a phone as typed'],
      ['q=2198765432', 'the phone without its 9th digit'],
      ['q=maria.conceicao@exemplo.com.br', 'the e-mail'],
      ['q=conceicao@', 'part of the e-mail'],
      ['q=erp-7788', 'the external id, any case'],
    ])('%s finds her (%s)', async (query) => {
      const res = await search(query);
      expect(res.body.items.map((i) => i.id)).toContain(conceicao);
    });

    test('filters: unassigned, collector, stage, status', async () => {
      const unassigned = await search('q=conceic&unassigned=1');
      expect(unassigned.body.items.map((i) => i.id)).toEqual([conceicao]);
      const mine = await search(`q=conceic&collector=${users.collector.user.id}`);
      expect(mine.body.items.map((i) => i.id)).toEqual([jose]);
      const preventive = await search('q=conceic&stage=preventive');
      expect(preventive.body.items.map((i) => i.id)).toEqual([jose]);
      const late = await search('q=conceic&status=vencido');
      expect(late.body.items.map((i) => i.id)).toEqual([conceicao]);
      expect(late.body.items[0]?.stage).not.toBe('preventive');
      expectProblem(await search('stage=later'), 422, 'validation', 'stage');
    });

    test('keyset pages walk every debtor once, in folded-name order', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 50; i++) {
        const res: { body: Page } = await search(`limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...res.body.items.map((x) => x.name));
        cursor = res.body.nextCursor;
        if (!cursor) break;
      }
      const [count] = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM debtors WHERE merged_into IS NULL',
      );
      expect(seen.length).toBe(count?.n);
      expect(seen.map(foldForSearch)).toEqual(seen.map(foldForSearch).sort());
    });
  });

  test('one CPF, one debtor: POST and PATCH answer 409 naming document and the existing debtor', async () => {
    const first = await createDebtor(app, users.owner, { name: 'Ana Primeira', document: cpf(90) });
    const again = await call<{ existing: { id: string; name: string } }>(
      app,
      'POST',
      '/api/debtors',
      {
        headers: h('staff'),
        json: { kind: 'person', name: 'Ana Segunda', document: cpf(90) },
      },
    );
    expectProblem(again, 409, 'duplicate-document', 'document');
    expect(again.body.existing).toEqual({ id: first, name: 'Ana Primeira' });
    const other = await createDebtor(app, users.owner, { name: 'Outra', document: cpf(91) });
    const patched = await call<{ existing: { id: string } }>(
      app,
      'PATCH',
      `/api/debtors/${other}`,
      {
        headers: h('staff'),
        json: { version: 1, document: cpf(90) },
      },
    );
    expectProblem(patched, 409, 'duplicate-document', 'document');
    expect(patched.body.existing.id).toBe(first);
    const [n] = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM debtors WHERE document = $1',
      [cpf(90)],
    );
    expect(n?.n).toBe(1);
  });

  test('an imported debtor answers its address (not null), with one line for the map', async () => {
    const csv = [
      'external_id,name,document,email,phone,address,city,state,debt_id,description,amount,due_date',
      `IMP-ADDR,Roberto Importado,${cpf(95)},,,Rua do Sol 45 casa 2,Olinda,PE,IMP-ADDR-1,Compra,10.00,2025-02-01`,
    ].join('\n');
    const res = await call(app, 'POST', '/api/import/debtors', {
      headers: { ...h('owner'), 'content-type': 'text/csv' },
      body: csv,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [row] = await db.query<{ id: string }>(
      `SELECT id FROM debtors WHERE external_id = 'IMP-ADDR'`,
    );
    const detail = await call<{ debtor: { address: unknown } }>(
      app,
      'GET',
      `/api/debtors/${row?.id}`,
      {
        headers: h('staff'),
      },
    );
    expect(detail.body.debtor.address).toEqual({
      street: 'Rua do Sol 45 casa 2',
      city: 'Olinda',
      state: 'PE',
      line: 'Rua do Sol 45 casa 2 – Olinda/PE',
    });
  });

  describe("one debtor's story and its contact points", () => {
    let id: string;
    let debt: string;
    beforeAll(async () => {
      id = await createDebtor(app, users.owner, {
        name: 'Paula Souza',
        document: cpf(120),
        address: {
          street: 'Rua A',
          number: '10',
          district: 'Centro',
          city: 'Campinas',
          state: 'SP',
          postalCode: '13010000',
        },
        contactPoints: [{ kind: 'phone', value: '(19) 3333-4444' }],
      });
      debt = await createDebt(app, users.owner, id);
      await assign(app, users.owner, users.collector.user.id, [id]);
      const ok = async (path: string, json: unknown, role: Role = 'staff') => {
        const r = await call(app, 'POST', path, { headers: h(role), json });
        expect(r.status, `${path} ${JSON.stringify(r.body)}`).toBe(201);
      };
      await ok('/api/payments', {
        debtId: debt,
        date: '2025-03-05',
        amount: 10_000,
        method: 'cash',
      });
      await ok('/api/promises', {
        debtorId: id,
        debtIds: [debt],
        amount: 20_000,
        dueDate: '2025-03-20',
        channel: 'phone',
      });
      await ok('/api/notices', {
        debtorId: id,
        debtId: debt,
        purpose: 'negativacao',
        method: 'letter',
        sentTo: 'Rua A, 10',
        sentOn: '2025-02-20',
        amountStated: 100_000,
      });
      await ok('/api/disputes', { debtorId: id, debtId: debt, reason: 'other' });
    });

    test('the one-statement loader reads exactly what the 13-statement one reads', async () => {
      const [one, many] = await Promise.all([loadStories(db, [id]), loadDebtorFacts(db, [id])]);
      expect(one.get(id)).toEqual(many.get(id));
    });

    test('the story: identity, address, balance, timeline with who, cadence, stage, collector', async () => {
      const res = await call<Story>(app, 'GET', `/api/debtors/${id}/story`, {
        headers: h('staff'),
      });
      expect(res.status).toBe(200);
      const s = res.body;
      expect(s.debtor.address?.line).toBe('Rua A, 10 – Centro – Campinas/SP – CEP 13010-000');
      expect(s.debts[0]?.balance.fine).toBeGreaterThan(0);
      expect(s.assignment?.collectorName).toBe('Pessoa collector');
      expect(s.status).toBe('disputa');
      expect(s.stage).toBe('paused');
      expect(s.cadence.reason).toBe('dispute_open');
      expect(s.timeline.map((e) => e.type).sort()).toEqual([
        'dispute',
        'notice',
        'payment',
        'promise',
      ]);
      expect(s.timeline.every((e) => e.by?.name === 'Pessoa staff')).toBe(true);
      const audited = await db.query(
        `SELECT 1 FROM audit_log WHERE action = 'debtor.story' AND entity_id = $1`,
        [id],
      );
      expect(audited.length).toBe(1);
    });

    test('a new mobile is presumed on WhatsApp, a landline is not; both start unverified', async () => {
      const add = (value: string) =>
        call<Point>(app, 'POST', `/api/debtors/${id}/contact-points`, {
          headers: h('staff'),
          json: { kind: 'phone', value },
        });
      const mobile = await add('19 99777-1234');
      expect(mobile.status).toBe(201);
      expect(mobile.body).toMatchObject({
        value: '+5519997771234',
        isWhatsapp: true,
        verification: 'unverified',
        verified: false,
      });
      const landline = await add('19 3222-1111');
      expect(landline.body).toMatchObject({ isWhatsapp: false });
      expectProblem(await add('19 99777-1234'), 409, 'duplicate-contact', 'value');
      expectProblem(await add('123'), 422, 'validation', 'value');
    });

    test('fix a phone (version-checked), mark it WhatsApp and verified in one tap; the collector pulls it', async () => {
      const device = testDevice(app, h('collector'), clock.now);
      await device.sync();
      const story = await call<Story>(app, 'GET', `/api/debtors/${id}/story`, {
        headers: h('staff'),
      });
      const landline = story.body.debtor.contactPoints.find((p) => p.value === '+551933334444');
      if (!landline) throw new Error('no landline');
      const path = `/api/debtors/${id}/contact-points/${landline.id}`;
      const fixed = await call<Point>(app, 'PATCH', path, {
        headers: h('staff'),
        json: { version: landline.version, value: '(19) 98123-4567', isWhatsapp: true },
      });
      expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
      expect(fixed.body).toMatchObject({
        value: '+5519981234567',
        isWhatsapp: true,
        verification: 'unverified',
      });
      const stale = await call(app, 'PATCH', path, {
        headers: h('staff'),
        json: { version: landline.version, label: 'casa' },
      });
      expectProblem(stale, 409, 'stale-version');
      const verified = await call<Point>(app, 'POST', `${path}/verification`, {
        headers: h('staff'),
        json: { state: 'verified', source: 'in_person' },
      });
      expect(verified.body).toMatchObject({ verification: 'verified', verified: true });
      const [entry] = await db.query<{ detail: Record<string, unknown> }>(
        `SELECT detail FROM audit_log WHERE action = 'contact_point.verification' ORDER BY id DESC LIMIT 1`,
      );
      expect(entry?.detail).toMatchObject({
        pointId: landline.id,
        from: 'unverified',
        to: 'verified',
        source: 'in_person',
      });
      await device.sync();
      const onPhone = device.state.get(`debtor:${id}`) as { contactPoints: Point[] };
      expect(onPhone.contactPoints.find((p) => p.value === '+5519981234567')).toMatchObject({
        isWhatsapp: true,
        verified: true,
      });
    });

    test('a wrong number leaves the phone, the lookup and the queue', async () => {
      const story = await call<Story>(app, 'GET', `/api/debtors/${id}/story`, {
        headers: h('staff'),
      });
      const mobile = story.body.debtor.contactPoints.find((p) => p.value === '+5519997771234');
      if (!mobile) throw new Error('no mobile');
      const device = testDevice(app, h('collector'), clock.now);
      await device.sync();
      const wrong = await call<Point>(
        app,
        'POST',
        `/api/debtors/${id}/contact-points/${mobile.id}/verification`,
        {
          headers: h('staff'),
          json: { state: 'wrong' },
        },
      );
      expect(wrong.body).toMatchObject({ verification: 'wrong', verified: false });
      await device.sync();
      const onPhone = device.state.get(`debtor:${id}`) as { contactPoints: Point[] };
      expect(onPhone.contactPoints.map((p) => p.value)).not.toContain('+5519997771234');
      const lookup = await call<{ matches: unknown[] }>(
        app,
        'GET',
        '/api/debtors/lookup?phone=19997771234',
        {
          headers: h('staff'),
        },
      );
      expect(lookup.body.matches).toEqual([]);
    });

    test('staff only: a collector gets 403 on the workspace routes', async () => {
      expectProblem(
        await call(app, 'GET', `/api/debtors/${id}/story`, { headers: h('collector') }),
        403,
        'forbidden',
      );
    });
  });

  describe('merging duplicates', () => {
    test('every fact moves in one transaction, audited; phones converge', async () => {
      const keep = await createDebtor(app, users.owner, {
        name: 'Carlos Lima',
        document: cpf(150),
        contactPoints: [{ kind: 'phone', value: '11 98765-0000' }],
      });
      // A duplicate from before the rule: same CPF, written straight to the table.
      const dup = await createDebtor(app, users.owner, {
        name: 'CARLOS LIMA',
        externalId: 'OLD-150',
        contactPoints: [
          { kind: 'phone', value: '11 98765-0000', verified: true, isWhatsapp: true },
          { kind: 'email', value: 'carlos@exemplo.com' },
        ],
      });
      await db.query('UPDATE debtors SET document = $1 WHERE id = $2', [cpf(150), dup]);
      const keepDebt = await createDebt(app, users.owner, keep);
      const dupDebt = await createDebt(app, users.owner, dup, {
        dueDate: '2025-01-08',
        issueDate: '2024-12-01',
      });
      const made = await call<{ id: string }>(app, 'POST', '/api/promises', {
        headers: h('owner'),
        json: {
          debtorId: dup,
          debtIds: [dupDebt],
          amount: 5_000,
          dueDate: '2025-03-20',
          channel: 'phone',
        },
      });
      expect(made.status).toBe(201);
      await call(app, 'POST', '/api/contacts', {
        headers: h('owner'),
        json: { debtorId: dup, channel: 'sms', override: { reason: 'teste' } },
      });
      await assign(app, users.owner, users.collector.user.id, [dup]);
      const phone = testDevice(app, h('collector'), clock.now);
      await phone.sync();
      expect(phone.state.has(`debtor:${dup}`)).toBe(true);

      const groups = await call<{ groups: { document: string; debtors: { id: string }[] }[] }>(
        app,
        'GET',
        '/api/debtor-duplicates',
        { headers: h('owner') },
      );
      expect(
        groups.body.groups.find((g) => g.document === cpf(150))?.debtors.map((d) => d.id),
      ).toEqual([keep, dup]);
      const story = await call<Story>(app, 'GET', `/api/debtors/${keep}/story`, {
        headers: h('owner'),
      });
      expect(story.body.duplicates).toEqual([{ id: dup, name: 'CARLOS LIMA' }]);

      const versions = await db.query<{ id: string; version: number }>(
        'SELECT id, version FROM debtors WHERE id = ANY($1::uuid[])',
        [[keep, dup]],
      );
      const v = (x: string) => versions.find((r) => r.id === x)?.version ?? 0;
      expectProblem(
        await call(app, 'POST', `/api/debtors/${keep}/merge`, {
          headers: h('staff'),
          json: { duplicateId: dup, version: v(keep), duplicateVersion: v(dup) },
        }),
        403,
        'forbidden',
      );
      expectProblem(
        await call(app, 'POST', `/api/debtors/${keep}/merge`, {
          headers: h('owner'),
          json: { duplicateId: dup, version: v(keep), duplicateVersion: v(dup) + 1 },
        }),
        409,
        'stale-version',
      );
      const merged = await call<{ moved: Record<string, number>; contactPointsFolded: number }>(
        app,
        'POST',
        `/api/debtors/${keep}/merge`,
        {
          headers: h('owner'),
          json: { duplicateId: dup, version: v(keep), duplicateVersion: v(dup) },
        },
      );
      expect(merged.status, JSON.stringify(merged.body)).toBe(200);
      expect(merged.body.moved).toMatchObject({
        debt: 1,
        promise: 1,
        contact: 1,
        contact_point: 1,
      });
      expect(merged.body.contactPointsFolded).toBe(1);

      const after = await call<Story>(app, 'GET', `/api/debtors/${keep}/story`, {
        headers: h('owner'),
      });
      expect(after.body.debts.map((d) => d.id).sort()).toEqual([keepDebt, dupDebt].sort());
      expect(
        after.body.debtor.contactPoints.map((p) => [p.value, p.verification, p.isWhatsapp ?? null]),
      ).toEqual([
        ['+5511987650000', 'verified', true],
        ['carlos@exemplo.com', 'unverified', null],
      ]);
      expect(after.body.assignment?.collectorId).toBe(users.collector.user.id);
      expect(after.body.duplicates).toEqual([]);
      const tomb = await call<Story>(app, 'GET', `/api/debtors/${dup}/story`, {
        headers: h('owner'),
      });
      expect(tomb.body.mergedInto).toEqual({ id: keep, name: 'Carlos Lima' });
      expect(tomb.body.debts).toEqual([]);
      const [keptRow] = await db.query<{ external_id: string }>(
        'SELECT external_id FROM debtors WHERE id = $1',
        [keep],
      );
      expect(keptRow?.external_id).toBe('OLD-150');
      const search = await call<Page>(app, 'GET', '/api/debtors?q=carlos lima', {
        headers: h('staff'),
      });
      expect(search.body.items.map((i) => i.id)).toEqual([keep]);
      const [audit] = await db.query<{ detail: { duplicate: { id: string; document: string } } }>(
        `SELECT detail FROM audit_log WHERE action = 'debtor.merge' AND entity_id = $1`,
        [keep],
      );
      expect(audit?.detail.duplicate).toMatchObject({ id: dup, document: cpf(150) });

      // The collector's phone: the duplicate is gone, everything sits under the kept debtor.
      await phone.sync();
      expect(phone.state.has(`debtor:${dup}`)).toBe(false);
      expect(phone.state.has(`debtor:${keep}`)).toBe(true);
      expect(phone.state.get(`debt:${dupDebt}`)?.['debtorId']).toBe(keep);
      expect(phone.state.get(`promise:${made.body.id}`)?.['debtorId']).toBe(keep);
      const fresh = testDevice(app, h('collector'), clock.now);
      await fresh.sync();
      const keys = (m: Map<string, unknown>) =>
        [...m.keys()].filter((k) => !k.startsWith('setting:')).sort();
      expect(keys(phone.state)).toEqual(keys(fresh.state));
    });

    test('two different documents are two people: 422', async () => {
      const a = await createDebtor(app, users.owner, { document: cpf(160) });
      const b = await createDebtor(app, users.owner, { document: cpf(161) });
      expectProblem(
        await call(app, 'POST', `/api/debtors/${a}/merge`, {
          headers: h('owner'),
          json: { duplicateId: b, version: 1, duplicateVersion: 1 },
        }),
        422,
        'different-documents',
      );
    });
  });
});
