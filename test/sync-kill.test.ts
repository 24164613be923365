/**
 * The real server process killed (SIGKILL) in the middle of pushes from several devices, then
 * restarted on the same data (PGlite directory, or the same PostgreSQL database); every device
 * resends everything it has not seen acknowledged (and, to be mean, everything it has): every
 * fact must exist exactly once, and every device's sequence must end fully acknowledged.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { DbKind } from '../server/db/db';
import type { Db } from '../server/db/db';
import { createApp } from '../server/app';
import { openPglite } from '../server/db/pglite';
import { openPostgres } from '../server/db/postgres';
import { CLIENT_SCHEMA_VERSION, type MutationInput } from '#shared/sync/envelope.schema';
import type { PushResult } from '#shared/sync/push.schema';
import { seedUser, type SeededUser } from './helpers/auth';
import { startQuitaServer } from './helpers/cli';
import { assign, createDebt, createDebtor } from './helpers/ledger';
import { health, localIso, paymentPayload, testDevice, visitPayload } from './helpers/sync';
import { databaseEnvFor, forEachDb } from './helpers/test-db';

const SPAWN_TIMEOUT_MS = 180_000;
const PER_DEVICE = 30;
const BATCH = 3;

function openFor(kind: DbKind, env: Record<string, string>): Promise<Db> {
  if (kind === 'pglite') return openPglite({ dataDir: env['QUITA_DATA_DIR'] as string });
  return Promise.resolve(openPostgres(env['DATABASE_URL'] as string, { max: 2 }));
}

interface Client {
  id: string;
  token: string;
  mutations: MutationInput[];
  acked: number;
  debtor: string;
  debt: string;
}

async function push(url: string, client: Client, batch: readonly MutationInput[]) {
  // 503 = transient (nothing past acked_through_seq committed): back off and resend, as the
  // PWA engine does.
  for (let attempt = 1; ; attempt++) {
    try {
      return await pushOnce(url, client, batch);
    } catch (error) {
      if (attempt >= 5 || !String(error).includes('503')) throw error;
      await new Promise((r) => setTimeout(r, 50 * attempt + Math.random() * 50));
    }
  }
}

async function pushOnce(url: string, client: Client, batch: readonly MutationInput[]) {
  const res = await fetch(`${url}/api/sync/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${client.token}` },
    body: JSON.stringify({
      protocol: 1,
      device_id: client.id,
      app_version: '1.0.0',
      schema_version: CLIENT_SCHEMA_VERSION,
      device_now: localIso(Date.now()),
      health: health({ outbox_pending: client.mutations.length - client.acked }),
      mutations: batch,
    }),
  });
  if (res.status !== 200) throw new Error(`push answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as PushResult;
  client.acked = Math.max(client.acked, body.acked_through_seq);
  return body;
}

forEachDb((kind) => {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  const clients: Client[] = [];

  beforeAll(async () => {
    ({ env, cleanup } = await databaseEnvFor(kind));
    // Seed users, debtors and assignments with the in-process app, then hand the data over.
    const db = await openFor(kind, env);
    try {
      const app = createApp({ db, version: 'test' });
      const owner = await seedUser(db, 'owner');
      const collectors: SeededUser[] = [
        await seedUser(db, 'collector'),
        await seedUser(db, 'collector'),
      ];
      for (const [i, collector] of [collectors[0], collectors[0], collectors[1]].entries()) {
        if (!collector) continue;
        const debtor = await createDebtor(app, owner);
        const debt = await createDebt(app, owner, debtor);
        await assign(app, owner, collector.user.id, [debtor]);
        const device = testDevice(app, collector.headers, () => new Date());
        const mutations = Array.from({ length: PER_DEVICE }, (_, n) =>
          n % 3 === 2
            ? device.mutation(
                'payment.recorded',
                debtor,
                paymentPayload(debt, 100 + n, `K${i}-${n}`),
              )
            : device.mutation('visit.recorded', debtor, visitPayload()),
        );
        clients.push({ id: device.id, token: collector.token, mutations, acked: 0, debtor, debt });
      }
    } finally {
      await db.close();
    }
  }, SPAWN_TIMEOUT_MS);
  afterAll(async () => {
    await cleanup();
  }, SPAWN_TIMEOUT_MS);

  test(
    'SIGKILL mid-push, restart on the same data, resend: every fact exactly once',
    async () => {
      const first = await startQuitaServer(env);
      let killed = false;
      const progress = clients.map(async (client) => {
        // Each device pushes its outbox in small batches, as fast as it can, until the kill.
        for (let from = 0; from < client.mutations.length && !killed; from += BATCH) {
          try {
            await push(first.url, client, client.mutations.slice(from, from + BATCH));
          } catch {
            return; // connection reset by the kill: the response (and maybe the commit) is lost
          }
        }
      });
      // Kill once some — but not all — of the facts are in.
      const deadline = Date.now() + 60_000;
      while (clients.reduce((n, c) => n + c.acked, 0) < PER_DEVICE && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 5));
      killed = true;
      const run = await first.stop('SIGKILL');
      expect(run.signal).toBe('SIGKILL');
      await Promise.all(progress);
      const ackedAtKill = clients.map((c) => c.acked);
      expect(ackedAtKill.reduce((a, b) => a + b, 0)).toBeLessThan(clients.length * PER_DEVICE);

      const second = await startQuitaServer(env);
      try {
        await Promise.all(
          clients.map(async (client) => {
            // Everything again, acked or not, in another batch split; then whatever is left.
            for (let from = 0; from < client.mutations.length; from += BATCH + 2)
              await push(second.url, client, client.mutations.slice(from, from + BATCH + 2));
            expect(client.acked).toBe(PER_DEVICE);
          }),
        );
      } catch (error) {
        console.error(second.output());
        throw error;
      } finally {
        await second.stop('SIGTERM');
      }

      const db = await openFor(kind, env);
      try {
        for (const client of clients) {
          const ids = client.mutations.map((m) => m.mutation_id);
          const visits = client.mutations.filter((m) => m.type === 'visit.recorded').length;
          const rows = await db.query<{ table: string; n: number }>(
            `SELECT 'visits' AS table, count(*)::int AS n FROM visits WHERE device_id = $1
             UNION ALL SELECT 'payments', count(*)::int FROM payments WHERE device_id = $1
             UNION ALL SELECT 'mutations', count(*)::int FROM sync_mutations WHERE device_id = $1::uuid
             UNION ALL SELECT 'known', count(*)::int FROM sync_mutations WHERE mutation_id = ANY($2::uuid[]) AND status = 'applied'`,
            [client.id, ids],
          );
          expect(Object.fromEntries(rows.map((r) => [r.table, Number(r.n)]))).toEqual({
            visits,
            payments: PER_DEVICE - visits,
            mutations: PER_DEVICE,
            known: PER_DEVICE,
          });
          const [device] = await db.query<{ last_seq: number }>(
            'SELECT last_seq FROM sync_devices WHERE id = $1',
            [client.id],
          );
          expect(Number(device?.last_seq)).toBe(PER_DEVICE);
        }
      } finally {
        await db.close();
      }
    },
    SPAWN_TIMEOUT_MS,
  );

  if (kind === 'postgres')
    test(
      'two server processes on one PostgreSQL: one device pushing to both at once applies each fact once',
      async () => {
        const servers = await Promise.all([startQuitaServer(env), startQuitaServer(env)]);
        let deviceId = '';
        try {
          const base = clients[0];
          if (!base) throw new Error('no client');
          const builder = testDevice(
            { request: () => Promise.reject(new Error('unused')) },
            {},
            () => new Date(),
          );
          const client: Client = { ...base, id: builder.id, acked: 0, mutations: [] };
          deviceId = builder.id;
          client.mutations = Array.from({ length: 24 }, (_, n) =>
            n % 2
              ? builder.mutation(
                  'payment.recorded',
                  base.debtor,
                  paymentPayload(base.debt, 10 + n, `MP-${n}`),
                )
              : builder.mutation('visit.recorded', base.debtor, visitPayload()),
          );
          // Every batch goes to BOTH processes concurrently, overlapping the next batch too.
          const sends = [];
          for (let from = 0; from < client.mutations.length; from += 4) {
            const batch = client.mutations.slice(from, from + 4);
            sends.push(...servers.map((server) => push(server.url, client, batch)));
            await new Promise((r) => setTimeout(r, 2));
          }
          await Promise.all(sends);
          for (let from = 0; client.acked < client.mutations.length && from < 24; from += 4)
            await push(
              servers[0]?.url ?? '',
              client,
              client.mutations.slice(client.acked, client.acked + 8),
            );
          expect(client.acked).toBe(24);
        } finally {
          await Promise.all(servers.map((server) => server.stop('SIGTERM')));
        }
        const db = await openFor(kind, env);
        try {
          const [counts] = await db.query<{ mutations: number; visits: number; payments: number }>(
            `SELECT (SELECT count(*) FROM sync_mutations WHERE device_id::text = $1::text)::int AS mutations,
                    (SELECT count(*) FROM visits WHERE device_id = $1::text)::int AS visits,
                    (SELECT count(*) FROM payments WHERE device_id = $1::text)::int AS payments`,
            [deviceId],
          );
          expect(counts).toEqual({ mutations: 24, visits: 12, payments: 12 });
        } finally {
          await db.close();
        }
      },
      SPAWN_TIMEOUT_MS,
    );
});
