/**
 * The pure queue planner: `planNextActions` (shared/cadence/plan-next-actions.ts) over 100,000
 * in-memory debtors (one open debt each, due dates spread over 80 days, São Paulo, no contact
 * yet, so nearly every debtor has a step due) beside a plain loop over the same objects that finds
 * the oldest open debt and its days overdue: the floor of looking at the same data at all.
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
      why: 'the plan still derives the contact window and budget per debtor (contact-guard.ts)',
    }),
  ];
  return [result];
}
