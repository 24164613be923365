import * as v from 'valibot';
import { issueMessage } from '#shared/api/problem';
import { balanceOn } from '#shared/charges/balance';
import { DebtTermsSchema, type Payment } from '#shared/charges/charges.schema';
import { tryParseMoney } from '#shared/money/money';
import { tryParseBrazilianDate, type CalendarDate } from '#shared/time/calendar-date';
import { parseCommandArgs, printJson, usageError, EXIT_OK, type Command } from '../command';

const FLAG_OF: Record<string, string> = {
  principal: 'principal',
  issueDate: 'issue',
  dueDate: 'due',
  kind: 'kind',
  fineBps: 'fine-bps',
  monthlyInterestBps: 'interest-bps',
  punctualityDiscountBps: 'discount-bps',
  graceDays: 'grace-days',
};

function dateFlag(flag: string, text: string): CalendarDate {
  const parsed = tryParseBrazilianDate(text);
  if (!parsed.ok) throw usageError(`--${flag}: ${parsed.message}`);
  return parsed.value;
}

function wholeFlag(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text))
    throw usageError(`--${flag}: esperado um número inteiro; recebido ${JSON.stringify(text)}`);
  return Number(text);
}

/** `quita charges`: the itemised updated balance of one debt on a date. */
export const chargesCommand: Command = {
  name: 'charges',
  summary: 'itemised updated balance of a debt (multa, juros, payments) on a date',
  help: `Usage: quita charges --principal AMOUNT --due DATE --as-of DATE [options]

Prints the itemised balance as JSON: principal, multa, juros (simple, pro rata die, 30-day month),
fees, payments imputed interest → fine → fees → principal (Código Civil art. 354), discount, total.

Options:
  --principal AMOUNT     original amount (1234.56 or 1.234,56)
  --due DATE             due date (YYYY-MM-DD or DD/MM/AAAA)
  --as-of DATE           the date to compute the balance on
  --issue DATE           issue date (default: the due date)
  --kind KIND            consumer (default; multa capped at 2%, CDC art. 52 §1) or business
  --fine-bps N           multa in basis points (default 200 = 2%)
  --interest-bps N       juros de mora per month in basis points (default 100 = 1% a.m.)
  --discount-bps N       punctuality discount when paid by the due date
  --grace-days N         days after the due date still counted as on time (default 0)
  --payment DATE:AMOUNT  a payment received; repeat for several
Exit codes: 0 ok, 2 invalid input (the reason is printed on stderr).
`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      principal: { type: 'string' },
      due: { type: 'string' },
      'as-of': { type: 'string' },
      issue: { type: 'string' },
      kind: { type: 'string' },
      'fine-bps': { type: 'string' },
      'interest-bps': { type: 'string' },
      'discount-bps': { type: 'string' },
      'grace-days': { type: 'string' },
      payment: { type: 'string', multiple: true },
    });
    if (values.help) {
      io.stdout(this.help);
      return EXIT_OK;
    }
    for (const flag of ['principal', 'due', 'as-of'] as const)
      if (values[flag] === undefined) throw usageError(`falta --${flag}`);
    const principal = tryParseMoney(values.principal as string);
    if (!principal.ok) throw usageError(`--principal: ${principal.message}`);
    const dueDate = dateFlag('due', values.due as string);
    const asOf = dateFlag('as-of', values['as-of'] as string);
    const payments: Payment[] = (values.payment ?? []).map((spec) => {
      const at = spec.indexOf(':');
      if (at < 0)
        throw usageError(`--payment: esperado DATA:VALOR; recebido ${JSON.stringify(spec)}`);
      const amount = tryParseMoney(spec.slice(at + 1));
      if (!amount.ok) throw usageError(`--payment: ${amount.message}`);
      if (amount.value <= 0) throw usageError('--payment: o valor deve ser maior que zero');
      return { date: dateFlag('payment', spec.slice(0, at)), amount: amount.value };
    });
    const raw = {
      principal: principal.value,
      issueDate: values.issue !== undefined ? dateFlag('issue', values.issue) : dueDate,
      dueDate,
      kind: values.kind ?? 'consumer',
      fineBps: wholeFlag('fine-bps', values['fine-bps']),
      monthlyInterestBps: wholeFlag('interest-bps', values['interest-bps']),
      punctualityDiscountBps: wholeFlag('discount-bps', values['discount-bps']),
      graceDays: wholeFlag('grace-days', values['grace-days']),
    };
    const terms = v.safeParse(
      DebtTermsSchema,
      Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined)),
    );
    if (!terms.success) {
      const issue = terms.issues[0];
      const key = v.getDotPath(issue) ?? 'input';
      throw usageError(`--${FLAG_OF[key] ?? key}: ${issueMessage(issue)}`);
    }
    printJson(io, balanceOn(terms.output, payments, asOf));
    return EXIT_OK;
  },
};
