/**
 * What a debtor types on their page (the reason of a new-date request, the description of a
 * dispute) goes through the same shared rule as every API text: a NUL, another control character
 * or a direction override is refused on the form with the sentence saying what is wrong (422, the
 * page again), never a 500 from the database, and nothing is stored; an over-long reason is
 * refused with its real limit.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createApp } from '../app';
import type { Db } from '../db/db';
import { forEachDb, openTestDb } from '#test/helpers/test-db';
import { seedUser, testClock, type SeededUser } from '#test/helpers/auth';
import { cpf, createDebt, createDebtor } from '#test/helpers/ledger';
import { pageClient, pageText, portalLink, setUpCreditor } from '#test/helpers/portal';

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  let owner: SeededUser;
  const clock = testClock('2025-03-10T12:00:00Z');
  let n = 0;

  async function signedIn() {
    n++;
    const document = cpf(8_500 + n);
    const id = await createDebtor(app, owner, { name: `Joana ${n} Prado`, document });
    const debt = await createDebt(app, owner, id);
    const link = await portalLink(app, owner, id);
    const page = pageClient(app, { ip: `10.30.${n}.1` });
    const first = await page.get(link.path);
    const opened = await page.post(`${link.path}/confirmar`, {
      csrf: page.csrf(first.text),
      doc: document.slice(0, 6),
    });
    expect(opened.status).toBe(303);
    const main = await page.get(link.path);
    return { id, debt, link, page, csrf: page.csrf(main.text) };
  }

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test', now: clock.now, trustProxy: true });
    owner = await seedUser(db, 'owner', { now: clock.now() });
    await setUpCreditor(app, owner);
  });
  afterAll(async () => {
    await db.close();
  });

  test.each([
    ['a NUL', 'Recebo\u0000 em maio', 'caractere de controle invisível (U+0000)'],
    ['a direction override', 'Recebo \u202Eoiam me', 'inverte a direção da escrita'],
    ['501 characters', 'x'.repeat(501), 'no máximo 500 caracteres'],
  ])(
    'a new-date reason with %s is refused on the form, nothing stored',
    async (_, motivo, says) => {
      const { id, link, page, csrf } = await signedIn();
      const res = await page.post(`${link.path}/vencimento`, { csrf, data: '2025-05-05', motivo });
      expect(res.status).toBe(422);
      expect(pageText(res.text)).toContain(says);
      expect(
        await db.query('SELECT 1 FROM due_date_requests WHERE debtor_id = $1', [id]),
      ).toHaveLength(0);
    },
  );

  test('a dispute description with a NUL is refused on the form, nothing stored', async () => {
    const { id, debt, link, page, csrf } = await signedIn();
    const res = await page.post(`${link.path}/contestacao`, {
      csrf,
      divida: debt,
      motivo: 'already_paid',
      descricao: 'Paguei\u0000 no dia 9',
    });
    expect(res.status).toBe(422);
    expect(pageText(res.text)).toContain('A descrição tem um caractere de controle invisível');
    expect(await db.query('SELECT 1 FROM disputes WHERE debtor_id = $1', [id])).toHaveLength(0);
  });

  test('plain words still go through', async () => {
    const { id, link, page, csrf } = await signedIn();
    const res = await page.post(`${link.path}/vencimento`, {
      csrf,
      data: '2025-05-05',
      motivo: '  Recebo o salário só em maio.  ',
    });
    expect(res.status).toBe(303);
    expect(
      await db.query<{ reason: string }>(
        'SELECT reason FROM due_date_requests WHERE debtor_id = $1',
        [id],
      ),
    ).toEqual([{ reason: 'Recebo o salário só em maio.' }]);
  });
});
