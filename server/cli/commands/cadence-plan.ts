import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as v from 'valibot';
import { describeIssue } from '#shared/api/problem';
import {
  CadencePolicySchema,
  DEFAULT_CADENCE_POLICY,
  type CadencePolicy,
} from '#shared/cadence/cadence.schema';
import { mayContactNow } from '#shared/cadence/contact-guard';
import { planNextActions } from '#shared/cadence/plan-next-actions';
import { PortfolioSchema, type Portfolio } from '#shared/cadence/portfolio.schema';
import { zonedEpoch } from '#shared/cadence/zoned-time';
import { addDays, todayIn } from '#shared/time/calendar-date';
import { parseCommandArgs, printJson, usageError, EXIT_OK, type Command } from '../command';

const iso = (ms: number | null | undefined) => (ms == null ? null : new Date(ms).toISOString());

/** Today's actions of every debtor of `portfolio` under `policy` at `now` (pure). */
export function planPortfolio(portfolio: Portfolio, policy: CadencePolicy, now: number) {
  const today = todayIn(now, policy.timeZone);
  const endOfToday = zonedEpoch(addDays(today, 1), 0, policy.timeZone);
  const byReason: Record<string, number> = {};
  const byChannel: Record<string, number> = {};
  const actions = [];
  for (const d of portfolio.debtors) {
    const { debts, history, promises, agreements, disputes, notices, name: _name, ...profile } = d;
    const plan = planNextActions({
      debtor: profile,
      debts,
      history,
      promises,
      agreements,
      disputes,
      notices,
      policy,
      now,
      ...(portfolio.holidays ? { holidays: portfolio.holidays } : {}),
    });
    byReason[plan.reason] = (byReason[plan.reason] ?? 0) + 1;
    const action = plan.reason === 'step_due' ? plan.actions[0] : undefined;
    if (
      !action ||
      action.dueOn > today ||
      action.earliestAt === null ||
      action.earliestAt >= endOfToday
    )
      continue;
    byChannel[action.channel] = (byChannel[action.channel] ?? 0) + 1;
    const guard = mayContactNow({
      debtor: profile,
      history,
      now,
      channel: action.channel,
      policy,
      ...(portfolio.holidays ? { holidays: portfolio.holidays } : {}),
      cadenceState: plan.state,
      automated: action.mode === 'automatic',
    });
    actions.push({
      debtorId: d.id,
      ...(d.name === undefined ? {} : { name: d.name }),
      carrying: plan.carrying,
      step: {
        id: action.stepId,
        channel: action.channel,
        templateId: action.templateId,
        mode: action.mode,
        kind: action.kind,
        allowsDiscount: action.allowsDiscount,
        dueOn: action.dueOn,
      },
      earliestAt: iso(action.earliestAt),
      blockedBy: action.blockedBy ?? [],
      guard: guard.allowed
        ? { allowed: true }
        : {
            allowed: false,
            reason: guard.reason,
            message: guard.message,
            nextAllowedAt: iso(guard.nextAllowedAt),
          },
    });
  }
  actions.sort((a, b) => (a.earliestAt ?? '').localeCompare(b.earliestAt ?? ''));
  return {
    now: new Date(now).toISOString(),
    date: today,
    timeZone: policy.timeZone,
    summary: {
      debtors: portfolio.debtors.length,
      actionsToday: actions.length,
      byReason,
      byChannel,
    },
    actions,
  };
}

/** Reads and validates a JSON file; a failure names the file and the JSON path. */
function readJson<S extends v.GenericSchema>(
  flag: string,
  path: string,
  cwd: string,
  schema: S,
): v.InferOutput<S> {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), 'utf8');
  } catch (error) {
    throw usageError(
      `--${flag} ${path}: não foi possível ler o arquivo (${(error as NodeJS.ErrnoException).code ?? 'erro'})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw usageError(`--${flag} ${path}: não é um JSON válido (${(error as Error).message})`);
  }
  const parsed = v.safeParse(schema, json);
  if (!parsed.success) {
    throw usageError(`--${flag} ${path}: ${describeIssue(parsed.issues[0])}`);
  }
  return parsed.output;
}

/** `quita cadence plan`: the day's régua actions for a JSON portfolio, no database. */
export const cadencePlanCommand: Command = {
  name: 'cadence plan',
  summary: "the day's cadence actions for a JSON portfolio file (no database)",
  help: `Usage: quita cadence plan --portfolio FILE.json --now ISO [--policy FILE.json]

Plans the régua for every debtor in the portfolio at the instant --now and prints, as JSON, the
actions due today (step, channel, template, earliest allowed instant, blockers) with the send-time
guard's verdict for that instant, and a summary by plan reason and channel.

Options:
  --portfolio FILE   the portfolio (shape: shared/cadence/portfolio.schema.ts; example:
                     server/cli/examples/portfolio.json)
  --now ISO          the instant to plan at, e.g. 2025-03-10T12:00:00Z
  --policy FILE      a cadence policy (CadencePolicySchema); default: the built-in régua
Exit codes: 0 ok, 2 bad input (the reason and the JSON path at fault on stderr).
`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      portfolio: { type: 'string' },
      now: { type: 'string' },
      policy: { type: 'string' },
    });
    if (values.help) {
      io.stdout(this.help);
      return EXIT_OK;
    }
    if (values.portfolio === undefined) throw usageError('falta --portfolio ARQUIVO.json');
    if (values.now === undefined)
      throw usageError('falta --now (um instante ISO, como 2025-03-10T12:00:00Z)');
    const now = Date.parse(values.now);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(values.now) || Number.isNaN(now))
      throw usageError(
        `--now: esperado um instante ISO, como 2025-03-10T12:00:00Z; recebido ${JSON.stringify(values.now)}`,
      );
    const portfolio = readJson('portfolio', values.portfolio, io.cwd, PortfolioSchema);
    const policy =
      values.policy === undefined
        ? DEFAULT_CADENCE_POLICY
        : readJson('policy', values.policy, io.cwd, CadencePolicySchema);
    printJson(io, planPortfolio(portfolio, policy, now));
    return EXIT_OK;
  },
};
