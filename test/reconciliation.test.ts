/**
 * Bank statement reconciliation (issue 12 §3) through the real API, on PGlite and PostgreSQL:
 * txid exact → confirmed alone; amount only, two debts with one amount, a partial credit → Revisão;
 * a credit that is not ours → unmatched; the same statement twice changes nothing; a field report
 * of the same money is merged, before or after the statement; an undo takes it all back; a
 * malformed file is a pt-BR 422 that writes nothing. The database derives the same txid as the
 * phone.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Role } from '#shared/auth/user.schema';
import { txidForDebt, txidForDebtor, txidForInstallment } from '#shared/pix/pix-txid';
import { createApp } from '../server/app';
import type { Db } from '../server/db/db';
import { forEachDb, openTestDb } from './helpers/test-db';
import { seedUser, testClock, type SeededUser } from './helpers/auth';
import { call, expectProblem } from './helpers/http';
import { cpf, createDebt, createDebtor } from './helpers/ledger';
import { ofxFile, type OfxLine } from './helpers/ofx';

interface Summary {
  statementId: string | null;
  credits: number;
  autoConfirmed: number;
  suggested: number;
  unmatched: number;
  alreadySeen: number;
  debits: number;
}
interface CreditItem {
  id: string;
  fitid: string;
  status: string;
  debtorId: string | null;
  confirmedAs: string | null;
  suggestions: {
    debtorId: string;
    debtorName: string;
    target: { kind: string; debtId?: string; agreementId?: string; number?: number };
    reportPaymentId: string | null;
    owed: number;
    reasons: string[];
  }[];
  payments: { id: string; status: string; amount: number }[];
}

let fitids = 0;
const fitid = () => `F${++fitids}-${Math.random().toString(36).slice(2, 8)}`;

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  const users = {} as Record<Role, SeededUser>;
  const clock = testClock('2025-03-10T12:00:00Z');
  const h = () => users.owner.headers;

  // The file's raw bytes, as a browser or curl sends them.
  const send = async (bytes: Uint8Array, headers = h()) => {
    const res = await app.request('/api/reconciliation/statements', {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/x-ofx' },
      body: new Uint8Array(bytes),
    });
    return {
      status: res.status,
      body: (await res.json()) as Summary & { detail?: string; type?: string },
    };
  };
  const credits = async (status = 'suggested,unmatched,auto_confirmed,confirmed,ignored') =>
    (
      await call<{ items: CreditItem[] }>(
        app,
        'GET',
        `/api/reconciliation/credits?status=${status}&limit=1000`,
        {
          headers: h(),
        },
      )
    ).body.items;
  const creditOf = async (id: string) => (await credits()).find((c) => c.fitid === id);
  const debtorView = async (id: string) =>
    (
      await call<{ totals: { totalDue: number }; debts: { id: string; status: string }[] }>(
        app,
        'GET',
        `/api/debtors/${id}`,
        { headers: h() },
      )
    ).body;
  /** A debtor with one debt not yet due (no juros: the amount owed is the principal). */
  async function debtorWithDebt(principal: number, fields: Record<string, unknown> = {}) {
    const debtor = await createDebtor(app, users.owner, fields);
    const debt = await createDebt(app, users.owner, debtor, {
      principal,
      dueDate: '2025-03-20',
      issueDate: '2025-02-20',
    });
    return { debtor, debt };
  }
  async function rowCounts(): Promise<Record<string, number>> {
    const rows = await db.query<{ t: string; n: number }>(
      [
        'payments',
        'bank_statements',
        'bank_credits',
        'bank_credit_suggestions',
        'debts',
        'changes',
        'audit_log',
      ]
        .map((t) => `SELECT '${t}' AS t, count(*)::int AS n FROM ${t}`)
        .join(' UNION ALL '),
    );
    return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
  }

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test', now: clock.now });
    for (const role of ['owner', 'staff', 'collector'] as const)
      users[role] = await seedUser(db, role, { now: clock.now() });
  });
  afterAll(async () => {
    await db.close();
  });

  test('the database derives the same txids as the shared function', async () => {
    const ids = fc.sample(fc.uuid(), 40);
    const rows = await db.query<{ debt: string; debtor: string; inst: string; id: string }>(
      `SELECT u.id::text AS id,
              'QD' || upper(left(md5('quita:debt:' || u.id::text), 23)) AS debt,
              'QC' || upper(left(md5('quita:debtor:' || u.id::text), 23)) AS debtor,
              'QP' || upper(left(md5('quita:installment:' || u.id::text || ':' || 7::text), 23)) AS inst
       FROM unnest($1::uuid[]) AS u(id)`,
      [ids],
    );
    for (const r of rows) {
      expect(r.debt).toBe(txidForDebt(r.id));
      expect(r.debtor).toBe(txidForDebtor(r.id));
      expect(r.inst).toBe(txidForInstallment(r.id, 7));
    }
    // And the generated columns are those expressions.
    const { debtor, debt } = await debtorWithDebt(5_000);
    const [stored] = await db.query<{ d: string; c: string }>(
      `SELECT t.pix_txid AS d, r.pix_txid AS c FROM debts t JOIN debtors r ON r.id = t.debtor_id WHERE t.id = $1`,
      [debt],
    );
    expect(stored).toEqual({ d: txidForDebt(debt), c: txidForDebtor(debtor) });
  });

  describe('table', () => {
    test('txid exact: confirmed alone, audited, the debt settled', async () => {
      const { debtor, debt } = await debtorWithDebt(12_417);
      const id = fitid();
      const res = await send(
        ofxFile([
          {
            fitid: id,
            date: '2025-03-10',
            amount: 12_417,
            memo: `PIX RECEBIDO ${txidForDebt(debt)} MARIA`,
          },
          { fitid: fitid(), date: '2025-03-10', amount: -990, memo: 'TARIFA PIX' },
        ]),
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({
        credits: 1,
        autoConfirmed: 1,
        suggested: 0,
        unmatched: 0,
        alreadySeen: 0,
        debits: 1,
      });
      const credit = await creditOf(id);
      expect(credit).toMatchObject({
        status: 'auto_confirmed',
        debtorId: debtor,
        confirmedAs: 'record',
      });
      expect(credit?.payments).toEqual([
        { id: expect.any(String), status: 'confirmed', amount: 12_417 },
      ]);
      const view = await debtorView(debtor);
      expect(view.debts[0]?.status).toBe('settled');
      expect(view.totals.totalDue).toBe(0);
      const [audited] = await db.query<{ detail: { how: string; txid: string } }>(
        `SELECT detail FROM audit_log WHERE action = 'reconciliation.auto_confirm' AND entity_id = $1`,
        [credit?.id],
      );
      expect(audited?.detail).toMatchObject({ how: 'record', txid: txidForDebt(debt) });
    });

    test('an upper-cased, glued txid still matches', async () => {
      const { debt } = await debtorWithDebt(3_000);
      const id = fitid();
      const res = await send(
        ofxFile([
          {
            fitid: id,
            date: '2025-03-10',
            amount: 3_000,
            memo: `PIXREC${txidForDebt(debt).toLowerCase()}10/03`,
          },
        ]),
      );
      expect(res.body.autoConfirmed).toBe(1);
    });

    test('amount only: one debt owes exactly that → suggested, never confirmed alone', async () => {
      const { debtor, debt } = await debtorWithDebt(77_731);
      const id = fitid();
      const res = await send(
        ofxFile([{ fitid: id, date: '2025-03-10', amount: 77_731, memo: 'TED RECEBIDA' }]),
      );
      expect(res.body).toMatchObject({ autoConfirmed: 0, suggested: 1 });
      const credit = await creditOf(id);
      expect(credit?.status).toBe('suggested');
      expect(credit?.suggestions[0]).toMatchObject({
        debtorId: debtor,
        target: { kind: 'debt', debtId: debt },
        owed: 77_731,
        reasons: ['valor'],
      });
      // One tap confirms it.
      const ok = await call<CreditItem>(
        app,
        'POST',
        `/api/reconciliation/credits/${credit?.id}/confirm`,
        {
          headers: h(),
          json: { debtorId: debtor, target: { kind: 'debt', debtId: debt } },
        },
      );
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body).toMatchObject({ status: 'confirmed', confirmedAs: 'record' });
      expect((await debtorView(debtor)).debts[0]?.status).toBe('settled');
    });

    test('two debts with the same amount: both suggested, neither confirmed', async () => {
      const a = await debtorWithDebt(45_678);
      const b = await debtorWithDebt(45_678);
      const id = fitid();
      const res = await send(
        ofxFile([{ fitid: id, date: '2025-03-10', amount: 45_678, memo: 'PIX RECEBIDO' }]),
      );
      expect(res.body).toMatchObject({ autoConfirmed: 0, suggested: 1 });
      const credit = await creditOf(id);
      expect(new Set(credit?.suggestions.map((s) => s.debtorId))).toEqual(
        new Set([a.debtor, b.debtor]),
      );
      // With a txid, the same amount is no longer ambiguous.
      const named = fitid();
      const res2 = await send(
        ofxFile([
          { fitid: named, date: '2025-03-10', amount: 45_678, memo: `PIX ${txidForDebt(b.debt)}` },
        ]),
      );
      expect(res2.body.autoConfirmed).toBe(1);
      expect((await creditOf(named))?.debtorId).toBe(b.debtor);
    });

    test('partial credit: the txid names the debt but the amount does not settle it → suggested', async () => {
      const { debtor, debt } = await debtorWithDebt(20_000);
      const id = fitid();
      const res = await send(
        ofxFile([
          { fitid: id, date: '2025-03-10', amount: 5_000, memo: `PIX ${txidForDebt(debt)}` },
        ]),
      );
      expect(res.body).toMatchObject({ autoConfirmed: 0, suggested: 1 });
      expect((await creditOf(id))?.suggestions[0]).toMatchObject({
        debtorId: debtor,
        target: { kind: 'debt', debtId: debt },
        owed: 20_000,
        reasons: ['txid', 'parcial'],
      });
    });

    test('a credit above what is open is confirmed only as a credit to return', async () => {
      const { debtor, debt } = await debtorWithDebt(12_417);
      const id = fitid();
      await send(
        ofxFile([
          { fitid: id, date: '2025-03-10', amount: 9_999_999, memo: `PIX ${txidForDebt(debt)}` },
        ]),
      );
      const credit = await creditOf(id);
      expect(credit?.suggestions[0]?.reasons).toEqual(['txid', 'acima']);
      const refused = await call(app, 'POST', `/api/reconciliation/credits/${credit?.id}/confirm`, {
        headers: h(),
        json: { debtorId: debtor, target: { kind: 'debt', debtId: debt } },
      });
      expectProblem(refused, 422, 'payment-above-open');
      const ok = await call<CreditItem>(
        app,
        'POST',
        `/api/reconciliation/credits/${credit?.id}/confirm`,
        {
          headers: h(),
          json: { debtorId: debtor, target: { kind: 'debt', debtId: debt }, creditToReturn: true },
        },
      );
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      const refunds = await call<{ items: { debtorId: string; toReturn: number }[] }>(
        app,
        'GET',
        '/api/reconciliation/refunds',
        { headers: h() },
      );
      expect(refunds.body.items).toContainEqual(
        expect.objectContaining({ debtorId: debtor, toReturn: 9_999_999 - 12_417 }),
      );
    });

    test('a credit that is not ours: unmatched, listed', async () => {
      const id = fitid();
      const res = await send(
        ofxFile([{ fitid: id, date: '2025-03-10', amount: 31_337, memo: 'RESGATE APLICACAO' }]),
      );
      expect(res.body).toMatchObject({ autoConfirmed: 0, suggested: 0, unmatched: 1 });
      expect((await creditOf(id))?.status).toBe('unmatched');
      const ignored = await call(
        app,
        'POST',
        `/api/reconciliation/credits/${(await creditOf(id))?.id}/ignore`,
        {
          headers: h(),
          json: { reason: 'resgate de aplicação' },
        },
      );
      expect(ignored.status).toBe(200);
      expect((await creditOf(id))?.status).toBe('ignored');
    });

    test('the same statement twice changes nothing', async () => {
      const { debt } = await debtorWithDebt(8_000);
      const lines: OfxLine[] = [
        { fitid: fitid(), date: '2025-03-10', amount: 8_000, memo: `PIX ${txidForDebt(debt)}` },
        { fitid: fitid(), date: '2025-03-10', amount: 99_999, memo: 'DOC' },
      ];
      const first = await send(ofxFile(lines));
      expect(first.body).toMatchObject({ credits: 2, autoConfirmed: 1, alreadySeen: 0 });
      const before = await rowCounts();
      const again = await send(ofxFile(lines));
      expect(again.body).toMatchObject({
        statementId: null,
        credits: 2,
        autoConfirmed: 0,
        suggested: 0,
        unmatched: 0,
        alreadySeen: 2,
      });
      expect(await rowCounts()).toEqual(before);
      // The same file in the other OFX dialect (XML, UTF-8) is the same statement.
      const xml = await send(ofxFile(lines, { style: 'xml-utf8' }));
      expect(xml.body.alreadySeen).toBe(2);
      expect(await rowCounts()).toEqual(before);
    });

    test('reversal: undo takes the money back, reopens the debt, the credit returns to review', async () => {
      const { debtor, debt } = await debtorWithDebt(6_500);
      const id = fitid();
      await send(
        ofxFile([
          { fitid: id, date: '2025-03-10', amount: 6_500, memo: `PIX ${txidForDebt(debt)}` },
        ]),
      );
      const credit = await creditOf(id);
      expect((await debtorView(debtor)).debts[0]?.status).toBe('settled');
      const undo = await call<CreditItem>(
        app,
        'POST',
        `/api/reconciliation/credits/${credit?.id}/undo`,
        {
          headers: h(),
          json: { reason: 'PIX devolvido pelo banco' },
        },
      );
      expect(undo.status, JSON.stringify(undo.body)).toBe(200);
      expect(undo.body).toMatchObject({ status: 'suggested' });
      expect(undo.body.payments).toEqual([
        { id: expect.any(String), status: 'reversed', amount: 6_500 },
      ]);
      expect(undo.body.suggestions[0]).toMatchObject({
        debtorId: debtor,
        target: { kind: 'debt', debtId: debt },
      });
      const view = await debtorView(debtor);
      expect(view.debts[0]?.status).toBe('open');
      expect(view.totals.totalDue).toBe(6_500);
      const [audited] = await db.query<{ detail: { reason: string } }>(
        `SELECT detail FROM audit_log WHERE action = 'reconciliation.undo' AND entity_id = $1`,
        [credit?.id],
      );
      expect(audited?.detail.reason).toBe('PIX devolvido pelo banco');
      // Undoing twice is refused; confirming again works.
      const twice = await call(app, 'POST', `/api/reconciliation/credits/${credit?.id}/undo`, {
        headers: h(),
        json: { reason: 'de novo' },
      });
      expectProblem(twice, 409, 'credit-not-confirmed');
    });

    test('malformed OFX: a pt-BR 422 naming why, and nothing written', async () => {
      const before = await rowCounts();
      const res = await send(
        new Uint8Array(
          Buffer.from(
            'OFXHEADER:100\r\n\r\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><BANKTRANLIST><STMTTRN><TRNAMT>1.00',
            'latin1',
          ),
        ),
      );
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ type: '/problems/statement-invalid' });
      expect(res.body.detail).toMatch(
        /^o extrato OFX está malformado: a marcação <\w+> não foi fechada$/,
      );
      const noFitid = await send(
        new Uint8Array(
          Buffer.from(
            'OFXHEADER:100\r\n\r\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>BRL<BANKTRANLIST><STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20250310<TRNAMT>1.00</STMTTRN></BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>',
            'latin1',
          ),
        ),
      );
      expect(noFitid.status).toBe(422);
      expect(noFitid.body.detail).toMatch(/não tem identificador \(FITID\)/);
      expect(await rowCounts()).toEqual(before);
    });
  });

  describe('the same money is never counted twice', () => {
    test('a pending field report is confirmed by the credit, not duplicated', async () => {
      const { debtor, debt } = await debtorWithDebt(15_000);
      const report = await call<{ id: string }>(app, 'POST', '/api/payments/reported', {
        headers: h(),
        json: {
          debtId: debt,
          date: '2025-03-09',
          amount: 15_000,
          method: 'pix',
          receiptNumber: `R-${fitid()}`,
          reportedAt: '2025-03-09T15:00:00.000Z',
        },
      });
      expect(report.status, JSON.stringify(report.body)).toBe(201);
      const id = fitid();
      const res = await send(
        ofxFile([
          { fitid: id, date: '2025-03-10', amount: 15_000, memo: `PIX ${txidForDebt(debt)}` },
        ]),
      );
      expect(res.body.autoConfirmed).toBe(1);
      expect((await creditOf(id))?.confirmedAs).toBe('report');
      const payments = await db.query<{ id: string; status: string }>(
        'SELECT id, status FROM payments WHERE debtor_id = $1',
        [debtor],
      );
      expect(payments).toEqual([{ id: report.body.id, status: 'confirmed' }]);
      // Undo puts the report back in the office's queue.
      await call(app, 'POST', `/api/reconciliation/credits/${(await creditOf(id))?.id}/undo`, {
        headers: h(),
        json: { reason: 'teste' },
      });
      const [back] = await db.query<{ status: string; bank_credit_id: string | null }>(
        'SELECT status, bank_credit_id FROM payments WHERE id = $1',
        [report.body.id],
      );
      expect(back).toEqual({ status: 'pending', bank_credit_id: null });
    });

    test('a report that arrives after the statement is merged into the credit’s payment', async () => {
      const { debtor, debt } = await debtorWithDebt(16_000);
      await send(
        ofxFile([
          { fitid: fitid(), date: '2025-03-10', amount: 16_000, memo: `PIX ${txidForDebt(debt)}` },
        ]),
      );
      const report = await call<{ id: string; status: string }>(
        app,
        'POST',
        '/api/payments/reported',
        {
          headers: h(),
          json: {
            debtId: debt,
            date: '2025-03-10',
            amount: 16_000,
            method: 'pix',
            receiptNumber: `R-${fitid()}`,
            reportedAt: '2025-03-10T15:00:00.000Z',
          },
        },
      );
      expect(report.status, JSON.stringify(report.body)).toBe(201);
      expect(report.body.status).toBe('confirmed');
      const rows = await db.query<{ status: string; n: number; amount: number }>(
        `SELECT status, count(*)::int AS n, sum(amount_cents)::int AS amount FROM payments WHERE debtor_id = $1 GROUP BY status ORDER BY status`,
        [debtor],
      );
      expect(rows).toEqual([
        { status: 'confirmed', n: 1, amount: 16_000 },
        { status: 'merged', n: 1, amount: 16_000 },
      ]);
      expect((await debtorView(debtor)).totals.totalDue).toBe(0);
    });

    test('money the office typed by hand is linked, not recorded again', async () => {
      const { debtor, debt } = await debtorWithDebt(17_000);
      const typed = await call<{ id: string }>(app, 'POST', '/api/payments', {
        headers: h(),
        json: { debtId: debt, amount: 17_000, date: '2025-03-10', method: 'pix' },
      });
      expect(typed.status).toBe(201);
      const id = fitid();
      const res = await send(
        ofxFile([
          { fitid: id, date: '2025-03-10', amount: 17_000, memo: `PIX ${txidForDebt(debt)}` },
        ]),
      );
      expect(res.body.autoConfirmed).toBe(1);
      expect((await creditOf(id))?.confirmedAs).toBe('link');
      const rows = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM payments WHERE debtor_id = $1 AND status = 'confirmed'`,
        [debtor],
      );
      expect(rows[0]?.n).toBe(1);
    });
  });

  describe('who sent it', () => {
    test('the payer’s CPF in the memo, and an accented name in a Windows-1252 file', async () => {
      const doc = cpf(90_001);
      const { debtor } = await debtorWithDebt(50_000, {
        name: 'João Conceição Araújo',
        document: doc,
      });
      const byDoc = fitid();
      const byName = fitid();
      await send(
        ofxFile([
          {
            fitid: byDoc,
            date: '2025-03-10',
            amount: 10_000,
            memo: `PIX RECEBIDO ${doc.slice(0, 3)}.${doc.slice(3, 6)}.${doc.slice(6, 9)}-${doc.slice(9)}`,
          },
          {
            fitid: byName,
            date: '2025-03-10',
            amount: 10_000,
            name: 'JOÃO CONCEIÇÃO ARAÚJO',
            memo: 'PIX',
          },
        ]),
      );
      expect((await creditOf(byDoc))?.suggestions[0]).toMatchObject({
        debtorId: debtor,
        reasons: expect.arrayContaining(['cpf', 'parcial']),
      });
      expect((await creditOf(byName))?.suggestions[0]).toMatchObject({
        debtorId: debtor,
        reasons: expect.arrayContaining(['nome']),
      });
    });

    test('an installment txid pays the agreement, installments in order', async () => {
      const debtor = await createDebtor(app, users.owner);
      const debt = await createDebt(app, users.owner, debtor, {
        dueDate: '2025-01-29',
        issueDate: '2024-12-29',
      });
      const agreement = await call<{
        id: string;
        installments: { number: number; amount: number }[];
      }>(app, 'POST', '/api/agreements', {
        headers: h(),
        json: {
          debtorId: debtor,
          debtIds: [debt],
          downPayment: 20_000,
          installments: 2,
          firstDueDate: '2025-03-12',
        },
      });
      expect(agreement.status, JSON.stringify(agreement.body)).toBe(201);
      const a = agreement.body;
      const id = fitid();
      const res = await send(
        ofxFile([
          {
            fitid: id,
            date: '2025-03-10',
            amount: 20_000,
            memo: `PIX ${txidForInstallment(a.id, 0)}`,
          },
        ]),
      );
      expect(res.body.autoConfirmed).toBe(1);
      const after = await call<{ installments: { paid: number }[]; paid: number }>(
        app,
        'GET',
        `/api/agreements/${a.id}`,
        {
          headers: h(),
        },
      );
      expect(after.body.installments.map((i) => i.paid)).toEqual([20_000, 0, 0]);
    });
  });

  test('collectors may not upload statements or see credits', async () => {
    const res = await send(ofxFile([]), users.collector.headers);
    expect(res.status).toBe(403);
    const list = await call(app, 'GET', '/api/reconciliation/credits', {
      headers: users.collector.headers,
    });
    expect(list.status).toBe(403);
  });
});
