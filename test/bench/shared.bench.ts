/**
 * Domain-core throughput on the 5k reference portfolio: the itemised balance of every debt and a
 * PIX payload per debt, each beside a baseline doing the naive arithmetic on the same rows.
 */
import { balanceOn } from '#shared/charges/balance';
import type { DebtTerms } from '#shared/charges/charges.schema';
import { parseMoney } from '#shared/money/money';
import { buildPixPayload } from '#shared/pix/pix-payload';
import { calendarDate, daysBetween } from '#shared/time/calendar-date';
import { readPortfolio } from '../portfolio';
import { compare, type BenchResult } from './harness';

export async function run(): Promise<BenchResult[]> {
  const rows = readPortfolio(5000);
  const asOf = calendarDate('2026-11-26');
  const terms: DebtTerms[] = rows.map((r) => ({
    principal: parseMoney(r.amount),
    issueDate: calendarDate(r.due_date),
    dueDate: calendarDate(r.due_date),
    kind: 'consumer',
    fineBps: 200,
    monthlyInterestBps: 100,
    fees: [],
    graceDays: 0,
  }));
  const unit = `${terms.length.toLocaleString('en')} debts`;
  const results: BenchResult[] = [];
  let sink = 0;
  results.push(
    await compare(
      'charges',
      unit,
      {
        name: 'balanceOn (itemised)',
        run: () => {
          for (const t of terms) sink += balanceOn(t, [], asOf).totalDue;
        },
      },
      {
        name: 'plain float arithmetic',
        run: () => {
          for (const t of terms) {
            const days = Math.max(0, daysBetween(t.dueDate, asOf));
            sink += t.principal * (1 + (days > 0 ? 0.02 : 0) + (0.01 * days) / 30);
          }
        },
      },
    ),
  );
  results.push(
    await compare(
      'pix',
      unit,
      {
        name: 'buildPixPayload',
        run: () => {
          for (let i = 0; i < terms.length; i += 1)
            sink += (buildPixPayload({
              key: 'cobranca@example.com',
              name: 'Padaria São José',
              city: 'São Paulo',
              amount: (terms[i] as DebtTerms).principal,
              txid: `T${i}`,
            }).ok as boolean)
              ? 1
              : 0;
        },
      },
      {
        name: 'string concat, no CRC',
        run: () => {
          for (let i = 0; i < terms.length; i += 1)
            sink += `000201${'cobranca@example.com'}${(terms[i] as DebtTerms).principal}T${i}`
              .length;
        },
      },
    ),
  );
  if (sink === Number.MIN_VALUE) console.log(sink);
  return results;
}
