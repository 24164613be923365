/**
 * `contact.logged` (a collector opened a guarded WhatsApp/SMS/call link on the phone) against the
 * real app on PGlite and PostgreSQL: it becomes a contact row under the mutation id, comes back
 * to phones as the 'contact' fact with that id, counts in the one contact budget, and a contact
 * that breaks the budget (the office wrote meanwhile) or the rules is recorded and flagged, never
 * refused. Only for the collector's own debtors.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createApp } from '../server/app';
import type { Db } from '../server/db/db';
import { forEachDb, openTestDb } from './helpers/test-db';
import { seedUser, testClock, type SeededUser } from './helpers/auth';
import { call } from './helpers/http';
import { assign, createDebt, createDebtor } from './helpers/ledger';
import { testDevice } from './helpers/sync';

const DAY = 86_400_000;
const HOUR = 3_600_000;

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  let owner: SeededUser;
  let collector: SeededUser;
  let other: SeededUser;
  // Monday 09:00 in São Paulo: inside the default window.
  const clock = testClock('2025-03-10T12:00:00Z');

  const debtorFor = async (who: SeededUser = collector) => {
    const debtor = await createDebtor(app, owner);
    await createDebt(app, owner, debtor);
    await assign(app, owner, who.user.id, [debtor]);
    return debtor;
  };

  const contactsOf = (debtor: string) =>
    db.query<{ id: string; channel: string; status: string; user_id: string; template_id: string }>(
      'SELECT id, channel, status, user_id, template_id FROM contact_log WHERE debtor_id = $1 ORDER BY at, id',
      [debtor],
    );

  const opened = (channel: string, extra: Record<string, unknown> = {}) => ({
    channel,
    outcome: 'opened',
    ...extra,
  });

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test', now: clock.now, logError: () => {} });
    owner = await seedUser(db, 'owner', { now: clock.now() });
    collector = await seedUser(db, 'collector', { now: clock.now() });
    other = await seedUser(db, 'collector', { now: clock.now() });
  });
  afterAll(async () => {
    await db.close();
  });

  test('an opened WhatsApp link is one contact under the mutation id, pulled back as that contact, once', async () => {
    const debtor = await debtorFor();
    const device = testDevice(app, collector.headers, clock.now);
    const m = device.mutation(
      'contact.logged',
      debtor,
      opened('whatsapp', { stepId: 'd+1', templateId: 'd+1.whatsapp' }),
    );
    const res = await device.push([m]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.results).toEqual([
      expect.objectContaining({ status: 'applied', mutation_id: m.mutation_id }),
    ]);
    expect(res.body.results[0]?.reason).toBeUndefined();
    // The response is lost: the resend is a duplicate and logs nothing more.
    const again = await device.push([m]);
    expect(again.body.results[0]).toMatchObject({
      status: 'duplicate',
      original: { status: 'applied' },
    });
    expect(await contactsOf(debtor)).toEqual([
      {
        id: m.mutation_id,
        channel: 'whatsapp',
        status: 'sent',
        user_id: collector.user.id,
        template_id: 'd+1.whatsapp',
      },
    ]);
    await device.sync();
    const contacts = [...device.state.entries()].filter(([k]) => k.startsWith('contact:'));
    expect(contacts).toEqual([
      [
        `contact:${m.mutation_id}`,
        expect.objectContaining({
          debtorId: debtor,
          channel: 'whatsapp',
          direction: 'outbound',
          automated: false,
          status: 'sent',
        }),
      ],
    ]);
    // The server's own guard now counts it: the office cannot send another message today.
    const office = await call<{ reason?: string }>(app, 'POST', '/api/contacts', {
      headers: owner.headers,
      json: { debtorId: debtor, channel: 'sms' },
    });
    expect(office.status).toBe(422);
    expect(office.body.reason).toBe('daily_budget');
  });

  test('the office contacted while the phone was offline: recorded anyway, flagged over_budget and audited', async () => {
    const debtor = await debtorFor();
    const device = testDevice(app, collector.headers, clock.now);
    // The collector taps SMS at 09:00 (offline); the office e-mails at 10:00, before the push.
    const m = device.mutation('contact.logged', debtor, opened('sms'));
    clock.advance(HOUR);
    try {
      const office = await call(app, 'POST', '/api/contacts', {
        headers: owner.headers,
        json: { debtorId: debtor, channel: 'email' },
      });
      expect(office.status, JSON.stringify(office.body)).toBe(201);
      const res = await device.push([m]);
      expect(res.body.results[0]).toMatchObject({ status: 'applied', reason: 'over_budget' });
      expect((await contactsOf(debtor)).map((c) => [c.id === m.mutation_id, c.channel])).toEqual([
        [true, 'sms'],
        [false, 'email'],
      ]);
      const audits = await db.query<{ actor_id: string; detail: Record<string, unknown> }>(
        `SELECT actor_id, detail FROM audit_log WHERE action = 'contact.over_rules' AND entity_id = $1`,
        [m.mutation_id],
      );
      expect(audits).toEqual([
        {
          actor_id: collector.user.id,
          detail: expect.objectContaining({ refusedFor: 'daily_budget', channel: 'sms' }),
        },
      ]);
      // The owner sees both contacts in the debtor's log, and the flag on the stored outcome.
      const listed = await call<{ items: { id: string }[] }>(
        app,
        'GET',
        `/api/contacts?debtorId=${debtor}`,
        { headers: owner.headers },
      );
      expect(listed.body.items.map((c) => c.id)).toContain(m.mutation_id);
      const [stored] = await db.query<{ status: string; reason: string }>(
        'SELECT status, reason FROM sync_mutations WHERE mutation_id = $1',
        [m.mutation_id],
      );
      expect(stored).toEqual({ status: 'applied', reason: 'over_budget' });
    } finally {
      clock.advance(-HOUR);
    }
  });

  test('the weekly budget counts the collector’s own contacts across days and channels', async () => {
    const debtor = await debtorFor();
    const device = testDevice(app, collector.headers, clock.now);
    const reasons: (string | undefined)[] = [];
    try {
      for (const channel of ['whatsapp', 'phone', 'sms']) {
        const res = await device.push([device.mutation('contact.logged', debtor, opened(channel))]);
        reasons.push(res.body.results[0]?.reason);
        clock.advance(DAY);
      }
    } finally {
      clock.advance(-3 * DAY);
    }
    // Default budget: at most 2 in 7 days. The third is kept (it happened) and flagged.
    expect(reasons).toEqual([undefined, undefined, 'over_budget']);
    expect((await contactsOf(debtor)).length).toBe(3);
  });

  test('a contact on a Sunday (the phone’s clock) is recorded with the rule it broke', async () => {
    const debtor = await debtorFor();
    const device = testDevice(app, collector.headers, clock.now, { skewMs: -DAY });
    const res = await device.push([device.mutation('contact.logged', debtor, opened('phone'))]);
    expect(res.body.results[0]).toMatchObject({
      status: 'applied',
      reason: 'contact_refused: sunday',
    });
    expect((await contactsOf(debtor)).map((c) => c.channel)).toEqual(['phone']);
  });

  test('only for the collector’s own debtors; a bad payload is refused in pt-BR naming the field', async () => {
    const theirs = await debtorFor(other);
    const mine = await debtorFor();
    const device = testDevice(app, collector.headers, clock.now);
    const res = await device.push([
      device.mutation('contact.logged', theirs, opened('whatsapp')),
      device.mutation('contact.logged', mine, opened('visit')),
      device.mutation('contact.logged', mine, { channel: 'sms', outcome: 'sent' }),
    ]);
    expect(res.body.results.map((r) => [r.status, r.reason])).toEqual([
      ['rejected', 'not_assigned'],
      [
        'rejected',
        'invalid_payload: payload.channel: o canal deve ser whatsapp, sms, phone ou email',
      ],
      ['rejected', 'invalid_payload: payload.outcome: o resultado deve ser opened'],
    ]);
    expect(await contactsOf(theirs)).toEqual([]);
    expect(await contactsOf(mine)).toEqual([]);
  });
});
