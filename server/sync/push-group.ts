/**
 * Group commit for pushes: the push requests waiting for the database are applied together, in
 * ONE READ COMMITTED transaction with one statement per step for all of them (the health reports,
 * the record of known mutation ids, the debtor locks, the assignment read, one INSERT per table,
 * the devices' new last_seq, the feed). A push costs a commit and ~20 statements however many
 * facts it carries, so on PGlite (one connection, every statement run by the wasm engine) and on
 * a busy PostgreSQL the cost per fact falls with the number of phones pushing at once.
 *
 * What each request sees is what it would see alone (push.ts, §5.3):
 * - each request is sequenced against its own device row and its facts are decided in seq order
 *   by the same rules (push.ts sequenceBatch, push-set.ts applySetBased); the requests of a group
 *   are decided one after the other, in arrival order, as if each committed before the next began
 *   (a debtor paid in two requests sees the first one's report as waiting);
 * - each request is answered with its own results and acked_through_seq, only after the commit;
 * - a group holds at most one request per device and no mutation id twice (the rest wait for the
 *   next group), so "stored earlier" is read once for the whole group;
 * - a request whose device is new, another user's, revoked or synced from another session is not
 *   grouped: it runs alone (push.ts pushMutations), which registers the device or refuses it;
 * - when the group's transaction fails for any reason (a fact breaking a constraint, a rule
 *   refusing a promise, a deadlock, a lost connection), nothing of it committed and every request
 *   of the group runs alone, each set-based then one fact at a time: one bad request never fails
 *   the others, and a transient error still answers 503 to each.
 *
 * Scheduling: a group starts one event-loop turn after a slot is free (so the requests read in
 * the same turn join it) and takes what is queued (up to MAX_GROUP_FACTS facts); while it runs,
 * new requests queue for the next one. PGlite has one slot
 * (its one connection runs transactions one after the other anyway); PostgreSQL a few, so one
 * group's WAL flush overlaps the next one's work. Nothing is kept between requests but the queue:
 * several server processes can still share one PostgreSQL (device rows, then debtor rows, are
 * locked in id order in every group, so two processes' groups cannot deadlock each other).
 */
import type { MutationResult } from '#shared/sync/push.schema';
import type { Db, Tx } from '../db/db';
import { deferChanges, flushChanges } from '../db/write';
import { READ_COMMITTED, writePushHealthMany } from './devices';
import {
  lockDebtors,
  type PreparedPush,
  preparePush,
  type PushInput,
  type PushOutcome,
  pushMutations,
  readStored,
  sequenceBatch,
  storeOutcomes,
} from './push';
import type { FactOutcome } from './push-facts';
import { applySetBased } from './push-set';

/** Facts per group at most: bounds a group's transaction (PGlite serves nothing else meanwhile). */
export const MAX_GROUP_FACTS = 1_000;
/** Groups in flight at once, per database kind. */
export const GROUP_SLOTS = { pglite: 1, postgres: 4 } as const;

interface Member {
  input: PushInput;
  prepared: PreparedPush;
  resolve: (outcome: PushOutcome) => void;
  reject: (error: unknown) => void;
}

/** The requests of a group that were applied in it, with their answers. */
type Applied = Map<Member, { lastSeq: number; results: MutationResult[] }>;

/** Applies the members in one transaction; members missing from the answer were not touched. */
async function applyGroup(tx: Tx, members: readonly Member[]): Promise<Applied> {
  const ids = members.map((m) => m.prepared.batch.deviceId);
  // Device rows in id order (PostgreSQL: another process's group may hold some).
  if (tx.kind === 'postgres')
    await tx.query(
      'SELECT id FROM sync_devices WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE',
      [[...ids].sort()],
    );
  const devices = new Map(
    (
      await writePushHealthMany(
        tx,
        members.map(({ prepared: { batch: b } }) => ({
          deviceId: b.deviceId,
          collectorId: b.collectorId,
          health: b.health,
          deviceNow: b.deviceNow,
          serverNow: b.now,
          ...(b.tokenId === undefined ? {} : { tokenId: b.tokenId }),
        })),
      )
    ).map((d) => [d.id, d]),
  );
  const grouped = members.flatMap((m) => {
    const device = devices.get(m.prepared.batch.deviceId);
    return device ? [{ m, before: Number(device.last_seq) }] : [];
  });
  deferChanges(tx);
  const stored = await readStored(
    tx,
    grouped.flatMap(({ m }) => m.prepared.items.map((i) => i.id)),
  );
  const outcomes = new Map<string, FactOutcome>();
  const sequenced = [];
  for (const { m, before } of grouped)
    sequenced.push({
      m,
      before,
      ...(await sequenceBatch(tx, m.prepared.batch, m.prepared.items, before, stored, outcomes)),
    });
  const existing = await lockDebtors(
    tx,
    sequenced.flatMap((s) => s.fresh),
  );
  const decided = await applySetBased(
    tx,
    sequenced.map((s) => ({ b: s.m.prepared.batch, facts: s.fresh })),
    existing,
  );
  for (const [id, outcome] of decided) outcomes.set(id, outcome);
  await storeOutcomes(
    tx,
    sequenced.flatMap((s) =>
      s.fresh.map((item) => {
        const outcome = outcomes.get(item.id);
        if (!outcome) throw new Error(`push group: no outcome for ${item.id}`);
        return { b: s.m.prepared.batch, item, outcome };
      }),
    ),
  );
  const moved = sequenced.filter((s) => s.lastSeq !== s.before);
  if (moved.length > 0)
    await tx.query(
      `UPDATE sync_devices d SET last_seq = u.last_seq
       FROM unnest($1::uuid[], $2::bigint[]) AS u(id, last_seq) WHERE d.id = u.id`,
      [moved.map((s) => s.m.prepared.batch.deviceId), moved.map((s) => s.lastSeq)],
    );
  await flushChanges(tx);
  // Built here, inside the transaction: a missing outcome rolls the group back.
  return new Map(
    sequenced.map((s) => [s.m, { lastSeq: s.lastSeq, results: s.answers.map((a) => a()) }]),
  );
}

/** Runs one member alone (push.ts), settling its promise. */
async function alone(db: Db, m: Member): Promise<void> {
  try {
    m.resolve(await pushMutations(db, m.input, m.prepared));
  } catch (error) {
    m.reject(error);
  }
}

/**
 * The queue of one database (`pushGrouped` keeps one per Db; tests make their own to choose the
 * slots and the group size).
 */
export function createPushGrouper(
  db: Db,
  options: { slots?: number; maxFacts?: number } = {},
): (input: PushInput) => Promise<PushOutcome> {
  const queue: Member[] = [];
  let running = 0;
  const slots = options.slots ?? GROUP_SLOTS[db.kind];
  const maxFacts = options.maxFacts ?? MAX_GROUP_FACTS;

  /** Takes the next group off the queue: one request per device, no mutation id twice. */
  function take(): Member[] {
    const group: Member[] = [];
    const devices = new Set<string>();
    const mutationIds = new Set<string>();
    let facts = 0;
    for (let i = 0; i < queue.length;) {
      const m = queue[i] as Member;
      const { items, batch } = m.prepared;
      const fits =
        (group.length === 0 || facts + items.length <= maxFacts) &&
        !devices.has(batch.deviceId) &&
        !items.some((it) => mutationIds.has(it.id));
      if (!fits) {
        i++;
        continue;
      }
      queue.splice(i, 1);
      group.push(m);
      devices.add(batch.deviceId);
      for (const it of items) mutationIds.add(it.id);
      facts += items.length;
    }
    return group;
  }

  async function run(group: Member[]): Promise<void> {
    let applied: Applied;
    try {
      applied = await db.transaction((tx) => applyGroup(tx, group), READ_COMMITTED);
    } catch {
      // Nothing committed: each request alone, where a bad one fails by itself.
      await Promise.all(group.map((m) => alone(db, m)));
      return;
    }
    const rest: Member[] = [];
    for (const m of group) {
      const done = applied.get(m);
      if (done)
        m.resolve({
          acked_through_seq: done.lastSeq,
          results: [...m.prepared.unorderable, ...done.results],
        });
      else rest.push(m);
    }
    await Promise.all(rest.map((m) => alone(db, m)));
  }

  let scheduled = false;
  /**
   * Starts groups while slots are free, one event-loop turn later: the requests whose bodies are
   * read in the same turn (a burst of phones, or everything that arrived while the last group held
   * the database) join the group instead of the first of them going alone.
   */
  function pump(): void {
    if (scheduled || running >= slots || queue.length === 0) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      while (running < slots && queue.length > 0) {
        const group = take();
        running++;
        void run(group).finally(() => {
          running--;
          pump();
        });
      }
    });
  }

  return (input: PushInput): Promise<PushOutcome> =>
    new Promise<PushOutcome>((resolve, reject) => {
      queue.push({ input, prepared: preparePush(input), resolve, reject });
      pump();
    });
}

const grouperOf = new WeakMap<Db, (input: PushInput) => Promise<PushOutcome>>();

/**
 * Applies one push request, grouped with the others waiting for the same database (see above);
 * answers exactly what `pushMutations` would answer for it alone.
 */
export function pushGrouped(db: Db, input: PushInput): Promise<PushOutcome> {
  let push = grouperOf.get(db);
  if (!push) {
    push = createPushGrouper(db);
    grouperOf.set(db, push);
  }
  return push(input);
}
