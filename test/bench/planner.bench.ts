/**
 * The pure queue planner: `planNextActions` (shared/cadence/plan-next-actions.ts) over 100,000
 * in-memory debtors (one open debt each, due dates spread over 80 days, São Paulo, no contact
 * yet, so nearly every debtor has a step due) beside a plain loop over the same objects that finds
 * the oldest open debt and its days overdue with shared/time's `daysBetween`: the floor of
 * looking at the same data at all (the target's baseline). A second row puts the planner beside
 * the same loop doing its own date arithmetic (Date.parse), which shares none of the planner's
 * memoised calendar code.
 * Size: QUITA_BENCH_PLANNER_DEBTORS (default 100000); rounds: QUITA_BENCH_PLANNER_ROUNDS (default
 * 5) after one warm-up. Target (issue 17): ≤ 5× the plain loop.
 */
import {
  DEFAULT_CADENCE_POLICY,
  type CadenceDebt,
  type DebtorContactProfile,
} from '#shared/cadence/cadence.schema';
import { planNextActions } from '#shared/cadence/plan-next-actions';
import { cents } from '#shared/money/money';
import { addDays, daysBetween, todayIn, type CalendarDate } from '#shared/time/calendar-date';
import { compare, verdict, type BenchResult } from './harness';

const N = Number(process.env['QUITA_BENCH_PLANNER_DEBTORS'] ?? '100000');
const ROUNDS = Number(process.env['QUITA_BENCH_PLANNER_ROUNDS'] ?? '5');
const TARGET_RATIO = 5;
// Thursday 2025-03-20, 10:00 in São Paulo.
const NOW = new Date('2025-03-20T13:00:00Z');

interface MemoryDebtor {
  debtor: DebtorContactProfile;
  debts: CadenceDebt[];
}

function memoryPortfolio(): MemoryDebtor[] {
  const out: MemoryDebtor[] = [];
  for (let i = 1; i <= N; i++)
    out.push({
      debtor: { id: `c-${i}`, state: 'SP', doNotContact: {} },
      debts: [
        {
          id: `d-${i}`,
          dueDate: addDays('2025-01-01' as CalendarDate, i % 80),
          status: 'open',
          balance: cents(5000 + (i % 50000)),
        },
      ],
    });
  return out;
}

export async function run(): Promise<BenchResult[]> {
  const portfolio = memoryPortfolio();
  const policy = DEFAULT_CADENCE_POLICY;
  const now = NOW.getTime();
  const today = todayIn(now, policy.timeZone);
  let due = 0;
  const result = await compare(
    'planNextActions (pure)',
    `${N.toLocaleString('en')} debtors in memory`,
    {
      name: 'planNextActions per debtor',
      run: () => {
        due = 0;
        for (const d of portfolio) {
          const plan = planNextActions({
            debtor: d.debtor,
            debts: d.debts,
            history: [],
            promises: [],
            agreements: [],
            disputes: [],
            notices: [],
            policy,
            now,
          });
          if (plan.reason === 'step_due') due += 1;
        }
      },
    },
    {
      name: 'plain loop: oldest open debt + days overdue',
      run: () => {
        let sum = 0;
        for (const d of portfolio) {
          let oldest: CadenceDebt | undefined;
          for (const debt of d.debts)
            if (debt.status === 'open' && (!oldest || debt.dueDate < oldest.dueDate)) oldest = debt;
          if (oldest) sum += daysBetween(oldest.dueDate, today);
        }
        return sum;
      },
    },
    ROUNDS,
  );
  if (due === 0) throw new Error('bench planner: no debtor had a step due');
  // The same plain loop with its own date arithmetic (Date.parse per debtor): what looking at the
  // data costs without shared/time's memoised parsing, which the loop above shares with the plan.
  const todayMs = Date.parse(today);
  const ownMath = await compare(
    'planNextActions (pure), second baseline',
    `${N.toLocaleString('en')} debtors in memory`,
    {
      name: 'planNextActions per debtor',
      run: () => {
        for (const d of portfolio)
          planNextActions({
            debtor: d.debtor,
            debts: d.debts,
            history: [],
            promises: [],
            agreements: [],
            disputes: [],
            notices: [],
            policy,
            now,
          });
      },
    },
    {
      name: 'plain loop, own date math (Date.parse, no shared/time)',
      run: () => {
        let sum = 0;
        for (const d of portfolio) {
          let oldest: CadenceDebt | undefined;
          for (const debt of d.debts)
            if (debt.status === 'open' && (!oldest || debt.dueDate < oldest.dueDate)) oldest = debt;
          if (oldest) sum += Math.round((todayMs - Date.parse(oldest.dueDate)) / 86_400_000);
        }
        return sum;
      },
    },
    ROUNDS,
  );
  const ratio = result.subject.medianMs / result.baseline.medianMs;
  result.extra = {
    stepDue: due,
    microsecondsPerDebtor: +((1000 * result.subject.medianMs) / N).toFixed(2),
  };
  result.verdicts = [
    verdict({
      target: `planNextActions ≤ ${TARGET_RATIO}× its plain loop`,
      value: +ratio.toFixed(1),
      limit: TARGET_RATIO,
      better: 'lower',
      unit: '×',
      why:
        'the plain loop shares the memoised date arithmetic; the planner also resolves pauses, ' +
        'looks up the memoised steps of a plain debtor (shared/cadence/plan-memo.ts, frozen and ' +
        'shared between plans) and builds the plan and its carrying debt: two small objects a debtor',
    }),
  ];
  return [result, ownMath];
}
