import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Db } from '../db/db';
import { loadSettings } from '../settings/settings.repo';
import { seedUser } from '../../test/helpers/auth';
import { forEachDb, openTestDb } from '../../test/helpers/test-db';
import { queueItems } from './queue';
import { loadQueuePage } from './queue-page';
import { configureTestOrganisation, logContact, seedDebtor } from './testing';

/**
 * A list page reads only the columns its items are derived from (LIST_COLUMNS): its items must
 * equal, field for field and in order, the items of the same page read with whole rows, for every
 * role, over debtors whose every listed column matters (preferred hours and channels, blocked
 * channels, do-not-contact, addresses, companies, states; fees, grace days, punctuality
 * discounts, business debts, issue dates; verified, WhatsApp and refused contact points; payments,
 * promises, disputes, notices, contacts).
 */
const NOWS = ['2025-07-02T13:00:00Z', '2025-07-05T13:00:00Z', '2025-07-08T11:30:00Z'];

forEachDb((kind) => {
  describe('the queue list page (only the columns it derives from)', () => {
    let db: Db;
    beforeEach(async () => {
      db = await openTestDb(kind);
      await configureTestOrganisation(db);
      const collector = await seedUser(db, 'collector', { name: 'Cobradora Ana' });
      for (let i = 1; i <= 36; i++) {
        const days = [1, 4, 12, 31, 65, 95][i % 6] ?? 1;
        const due = new Date(Date.parse('2025-07-01T12:00:00Z') - days * 86_400_000);
        const { debtorId, debtIds } = await seedDebtor(db, {
          name: `Cliente ${i}`,
          state: ['SP', 'BA', 'RJ', 'AM'][i % 4] ?? 'SP',
          email: `c${i}@example.com`,
          ...(i % 5 === 0 ? {} : { phone: `1199999${String(i).padStart(4, '0')}` }),
          ...(i % 4 === 1 ? { preferredChannel: ['email', 'sms', 'visit'][i % 3] ?? 'sms' } : {}),
          ...(i % 3 === 0 ? { collectorId: collector.user.id } : {}),
          debts: [
            { principal: 10_000 + i * 37, dueOn: due.toISOString().slice(0, 10) },
            ...(i % 7 === 0 ? [{ principal: 2_500, dueOn: '2025-06-20' }] : []),
          ],
        });
        const debtId = debtIds[0] as string;
        if (i % 6 === 2)
          await db.query(
            `UPDATE debtors SET preferred_hours = '{"from":"14:00","to":"18:00"}' WHERE id = $1`,
            [debtorId],
          );
        if (i % 9 === 4)
          await db.query(`UPDATE debtors SET blocked_channels = '{whatsapp,sms}' WHERE id = $1`, [
            debtorId,
          ]);
        if (i === 17)
          await db.query(`UPDATE debtors SET do_not_contact = true WHERE id = $1`, [debtorId]);
        if (i % 5 === 3)
          await db.query(`UPDATE debtors SET kind = 'company', address = $2 WHERE id = $1`, [
            debtorId,
            JSON.stringify({ street: `Rua ${i}`, city: 'Salvador', state: 'BA' }),
          ]);
        if (i % 4 === 2)
          await db.query(
            `UPDATE debts SET fees = $2, grace_days = 3, punctuality_discount_bps = 500,
                    issued_on = due_on - 30 WHERE id = $1`,
            [debtId, JSON.stringify([{ kind: 'collection', label: 'Tarifa', amount: 350 }])],
          );
        if (i % 8 === 5)
          await db.query(`UPDATE debts SET debt_kind = 'business', fine_bps = 1000 WHERE id = $1`, [
            debtId,
          ]);
        if (i % 3 === 1)
          await db.query(`UPDATE contact_points SET verified = true WHERE debtor_id = $1`, [
            debtorId,
          ]);
        if (i % 10 === 6)
          await db.query(
            `UPDATE contact_points SET do_not_contact = true WHERE debtor_id = $1 AND kind = 'phone'`,
            [debtorId],
          );
        if (i % 7 === 3)
          await db.query(
            `INSERT INTO payments (id, debtor_id, debt_id, amount_cents, paid_on, method, status)
             VALUES (gen_random_uuid(), $1, $2, 1500, '2025-06-25', 'pix', 'confirmed')`,
            [debtorId, debtId],
          );
        if (i % 11 === 4)
          await db.query(
            `INSERT INTO promises (id, debtor_id, debt_id, amount_cents, promised_on, status, made_on)
             VALUES (gen_random_uuid(), $1, $2, 2000, '2025-07-04', 'open', '2025-06-28')`,
            [debtorId, debtId],
          );
        if (i === 13)
          await db.query(
            `INSERT INTO disputes (id, debtor_id, debt_id, reason) VALUES (gen_random_uuid(), $1, $2, 'não reconheço')`,
            [debtorId, debtId],
          );
        if (i % 12 === 5)
          await db.query(
            `INSERT INTO notices (id, debtor_id, debt_id, purpose, channel, sent_on, recipient)
             VALUES (gen_random_uuid(), $1, $2, 'negativacao', 'letter', '2025-06-01', 'Rua 1')`,
            [debtorId, debtId],
          );
        if (i % 5 === 1)
          await logContact(db, {
            debtorId,
            debtId,
            channel: 'whatsapp',
            at: new Date('2025-07-01T14:00:00Z'),
          });
      }
    });
    afterEach(async () => {
      await db.close();
    });

    test.each(NOWS)('equals the whole rows page for every role at %s', async (at) => {
      const now = new Date(at);
      const settings = await loadSettings(db);
      const whole = await loadQueuePage(db, now, { limit: 500 });
      const list = await loadQueuePage(db, now, { limit: 500, columns: 'list' });
      expect(list.facts.map((f) => f.debtor.id)).toEqual(whole.facts.map((f) => f.debtor.id));
      for (const role of ['owner', 'staff', 'collector'] as const) {
        const expected = queueItems(whole, settings, now, { role });
        expect(queueItems(list, settings, now, { role })).toEqual(expected);
        if (role === 'owner') {
          // The fixture reaches what the columns feed: fees, discounts, several channels, visits.
          expect(expected.length).toBeGreaterThan(8);
          expect(new Set(expected.map((i) => i.step.channel)).size).toBeGreaterThan(1);
        }
      }
    });
  });
});
