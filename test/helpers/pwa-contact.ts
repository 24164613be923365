/**
 * Helpers for the collector's contact-link browser test: a moment inside the contact window to
 * set the phone's clock to, the device outbox as the page holds it, and the server's contact log.
 */
import type { Page } from 'playwright-core';
import { DEFAULT_CADENCE_POLICY } from '#shared/cadence/cadence.schema';
import { mayContactNow } from '#shared/cadence/contact-guard';
import type { Db } from '../../server/db/db';

const DAY = 86_400_000;

/** 10:00 in São Paulo on the latest day (today or before) the contact guard allows WhatsApp. */
export function contactWindowMorning(now = Date.now()): number {
  for (let back = 0; back < 14; back++) {
    const day = new Date(now - 3 * 3_600_000 - back * DAY).toISOString().slice(0, 10);
    const at = Date.parse(`${day}T10:00:00-03:00`);
    const decision = mayContactNow({
      debtor: { id: 'probe', state: 'SP', doNotContact: { all: false } },
      history: [],
      now: at,
      channel: 'whatsapp',
      policy: DEFAULT_CADENCE_POLICY,
      automated: false,
    });
    if (decision.allowed) return at;
  }
  throw new Error('no working day in the last two weeks');
}

export interface PageOutboxRow {
  mutation_id: string;
  type: string;
  state: string;
  payload: unknown;
}

/** Every outbox row in the page's device database ('quita'), read with plain IndexedDB. */
export function outboxRows(page: Page): Promise<PageOutboxRow[]> {
  return page.evaluate(
    () =>
      new Promise<PageOutboxRow[]>((ok, fail) => {
        const req = indexedDB.open('quita');
        req.onerror = () => fail(req.error);
        req.onsuccess = () => {
          const all = req.result.transaction('outbox').objectStore('outbox').getAll();
          all.onsuccess = () => {
            req.result.close();
            ok(all.result as PageOutboxRow[]);
          };
        };
      }),
  );
}

/** [id, channel] of each contact the server logged for a debtor. */
export async function serverContacts(db: Db, debtorId: string): Promise<string[][]> {
  const rows = await db.query<{ id: string; channel: string }>(
    'SELECT id, channel FROM contact_log WHERE debtor_id = $1 ORDER BY at, id',
    [debtorId],
  );
  return rows.map((r) => [r.id, r.channel]);
}
