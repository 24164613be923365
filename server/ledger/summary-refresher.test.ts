/**
 * The post-write refresh of the summaries (./summary-refresher.ts): a lone write is derived at
 * once; writes answered while a run is in flight share ONE more run, which waits its gap after
 * the last run ended instead of starting back to back; a graceful stop (summariesSettled) does not
 * wait for the gap.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createApp } from '../app';
import type { Db } from '../db/db';
import { openTestDb } from '#test/helpers/test-db';
import { seedUser, testClock } from '#test/helpers/auth';
import { createDebt, createDebtor } from '#test/helpers/ledger';
import {
  catchUpSummaries,
  KICK_MIN_GAP_MS,
  kickSummaries,
  summariesSettled,
  summaryRefreshState,
} from './summary-refresher';

const clock = testClock();
let db: Db;
let debtor: string;

/** Whether the debtor's summary is stale (a write marked it, no run derived it since). */
async function stale(): Promise<boolean> {
  const [row] = await db.query<{ stale: boolean }>(
    'SELECT stale FROM debtor_summaries WHERE debtor_id = $1',
    [debtor],
  );
  return row?.stale ?? true;
}

/** A write's trigger, without a request: the summary is stale again. */
const touch = () =>
  db.query('UPDATE debtor_summaries SET stale = true, gen = gen + 1 WHERE debtor_id = $1', [
    debtor,
  ]);

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 2));
  }
}

beforeAll(async () => {
  db = await openTestDb('pglite');
  const app = createApp({ db, version: 'test', now: clock.now });
  const owner = await seedUser(db, 'owner', { now: clock.now() });
  debtor = await createDebtor(app, owner);
  await createDebt(app, owner, debtor);
  await summariesSettled(db);
});
afterAll(async () => {
  await db.close();
});

test('a lone write starts a run at once', async () => {
  await summariesSettled(db);
  // Quiet for longer than the gap after the last run: the kick starts the run synchronously.
  const { lastEnd, gapMs } = summaryRefreshState(db);
  await until(() => performance.now() - lastEnd > gapMs);
  await touch();
  kickSummaries(db, clock.now);
  expect(summaryRefreshState(db)).toMatchObject({ running: true, owed: false, waiting: false });
  await summariesSettled(db);
  expect(await stale()).toBe(false);
});

test('writes answered during a run share one more run, started after the gap, not back to back', async () => {
  await summariesSettled(db);
  await touch();
  const run = catchUpSummaries(db, clock.now);
  // Twenty writers answer while the run is in flight: one run is owed, none starts.
  for (let i = 0; i < 20; i++) kickSummaries(db, clock.now);
  expect(summaryRefreshState(db)).toMatchObject({ running: true, owed: true });
  await run;
  const ended = summaryRefreshState(db).lastEnd;
  const gap = summaryRefreshState(db).gapMs;
  expect(gap).toBeGreaterThanOrEqual(KICK_MIN_GAP_MS);
  // The owed run waits for its gap (a write landing meanwhile is stale until it runs).
  expect(summaryRefreshState(db)).toMatchObject({ running: false, owed: true, waiting: true });
  await touch();
  expect(await stale()).toBe(true);
  await until(() => !summaryRefreshState(db).owed);
  const startedAfter = performance.now() - ended;
  expect(startedAfter).toBeGreaterThanOrEqual(gap - 2);
  await until(() => !summaryRefreshState(db).running);
  expect(summaryRefreshState(db)).toMatchObject({ owed: false, waiting: false });
  expect(await stale()).toBe(false);
});

test('summariesSettled starts an owed run at once instead of waiting for its gap', async () => {
  await summariesSettled(db);
  await touch();
  const run = catchUpSummaries(db, clock.now);
  kickSummaries(db, clock.now);
  await run;
  await touch();
  expect(summaryRefreshState(db).waiting).toBe(true);
  await summariesSettled(db);
  expect(summaryRefreshState(db)).toMatchObject({ running: false, owed: false, waiting: false });
  expect(await stale()).toBe(false);
});

test('an owed run does not start on a database closed while it waited', async () => {
  await summariesSettled(db);
  const errors: unknown[] = [];
  const run = catchUpSummaries(db, clock.now);
  kickSummaries(db, clock.now, (error) => errors.push(error));
  await run;
  expect(summaryRefreshState(db).waiting).toBe(true);
  await db.close();
  await until(() => !summaryRefreshState(db).waiting);
  await new Promise((r) => setTimeout(r, 20));
  expect(summaryRefreshState(db).running).toBe(false);
  expect(errors).toEqual([]);
});
