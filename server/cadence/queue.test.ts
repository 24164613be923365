import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Db } from '../db/db';
import { contactVerdict, debtorState, verdictJson } from '../ledger/debtor-state';
import { loadSettings } from '../settings/settings.repo';
import { forEachDb, openTestDb } from '../../test/helpers/test-db';
import { queueItems } from './queue';
import { loadQueuePage } from './queue-page';
import { configureTestOrganisation, logContact, seedDebtor } from './testing';

/**
 * A page shares what its debtors have in common (ISO instants, the send-time verdict of debtors
 * without contacts, preferred hours or blocked channels): each item must still say exactly what
 * deriving that debtor alone says, and the page stays in queue order.
 */
const NOWS = [
  '2025-07-02T13:00:00Z', // Wednesday 10:00 in São Paulo: Independência da Bahia (BA only)
  '2025-07-05T13:00:00Z', // Saturday 10:00
  '2025-07-07T10:00:00Z', // Monday 07:00: before the window (verdicts refuse, with the next instant)
  '2025-07-08T11:30:00Z', // Tuesday 08:30
];
const STATES = ['SP', 'BA', 'RJ', 'MG'];
const CHANNELS = [undefined, 'email', 'sms'];

forEachDb((kind) => {
  describe('the queue page', () => {
    let db: Db;
    beforeEach(async () => {
      db = await openTestDb(kind);
      await configureTestOrganisation(db);
      let i = 0;
      for (const state of STATES)
        for (const preferredChannel of CHANNELS)
          for (const days of [1, 4, 12, 31]) {
            i += 1;
            const due = new Date(Date.parse('2025-07-01T12:00:00Z') - days * 86_400_000);
            const { debtorId, debtIds } = await seedDebtor(db, {
              name: `Cliente ${i}`,
              state,
              email: `c${i}@example.com`,
              phone: `1199999${String(i).padStart(4, '0')}`,
              ...(preferredChannel ? { preferredChannel } : {}),
              debts: [{ principal: 10_000 + i, dueOn: due.toISOString().slice(0, 10) }],
            });
            // Every third debtor was contacted yesterday: not plain, derived alone.
            if (i % 3 === 0)
              await logContact(db, {
                debtorId,
                ...(debtIds[0] ? { debtId: debtIds[0] } : {}),
                channel: 'whatsapp',
                at: new Date('2025-07-01T14:00:00Z'),
              });
          }
    });
    afterEach(async () => {
      await db.close();
    });

    test.each(NOWS)('items equal each debtor derived alone, in queue order, at %s', async (at) => {
      const now = new Date(at);
      const settings = await loadSettings(db);
      const page = await loadQueuePage(db, now, { limit: 500 });
      const items = queueItems(page, settings, now, { role: 'owner' });
      expect(items.length).toBeGreaterThan(5);
      const byId = new Map(page.facts.map((f) => [f.debtor.id, f]));
      for (const item of items) {
        const facts = byId.get(item.debtor.id);
        if (!facts) throw new Error('item of a debtor not on the page');
        const state = debtorState(facts, settings, now);
        const action = state.plan.actions[0];
        if (!action) throw new Error('item without an action');
        expect(item.guard).toEqual(
          verdictJson(
            contactVerdict(state, settings, action.channel, now, action.mode === 'automatic'),
          ),
        );
        expect(item.earliestAt).toBe(
          action.earliestAt === null ? null : new Date(action.earliestAt).toISOString(),
        );
      }
      for (let k = 1; k < items.length; k++) {
        const [a, b] = [items[k - 1], items[k]];
        if (!a || !b) continue;
        const order = (a.earliestAt ?? '') < (b.earliestAt ?? '') ? -1 : 0;
        if (order === 0) {
          expect(a.earliestAt ?? '').toBe(b.earliestAt ?? '');
          expect(a.debt.daysOverdue).toBeGreaterThanOrEqual(b.debt.daysOverdue);
        }
      }
      // Two items never share a verdict object (a caller may change one).
      const guards = new Set(items.map((i) => i.guard));
      expect(guards.size).toBe(items.length);
    });
  });
});
