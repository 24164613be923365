import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { DEFAULT_CADENCE_POLICY } from '#shared/cadence/cadence.schema';
import { main } from '../main';

const EXAMPLE = join(import.meta.dirname, '../examples/portfolio.json');
const NOW = '2025-03-10T12:00:00Z';

async function quita(args: string[]) {
  const out = { stdout: '', stderr: '' };
  const code = await main(args, {
    stdout: (t) => void (out.stdout += t),
    stderr: (t) => void (out.stderr += t),
    env: {},
    cwd: process.cwd(),
  });
  return { code, ...out };
}

function tempJson(value: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'quita-plan-')), 'file.json');
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

interface PlanOutput {
  date: string;
  summary: { debtors: number; actionsToday: number; byReason: Record<string, number> };
  actions: {
    debtorId: string;
    step: { id: string; channel: string; templateId: string; kind: string };
    blockedBy: { code: string }[];
    guard: { allowed: boolean; reason?: string };
  }[];
}

describe('quita cadence plan', () => {
  test('the example portfolio: today’s actions with the guard verdict', async () => {
    const run = await quita(['cadence', 'plan', '--portfolio', EXAMPLE, '--now', NOW]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as PlanOutput;
    expect(out.date).toBe('2025-03-10');
    const steps = Object.fromEntries(out.actions.map((a) => [a.debtorId, a.step]));
    expect(steps).toEqual({
      'c-001': expect.objectContaining({ id: 'd+5', channel: 'email' }),
      // Reminder moved to the preferred channel, template swapped with it.
      'c-002': expect.objectContaining({ id: 'd-3', channel: 'sms', templateId: 'd-3.sms' }),
      // 28 days after the written notice (SP needs 20): the escalation step is unblocked.
      'c-005': expect.objectContaining({ id: 'd+60', kind: 'escalation' }),
      'c-009': expect.objectContaining({ id: 'd+15', channel: 'visit' }),
    });
    expect(out.actions.find((a) => a.debtorId === 'c-005')?.blockedBy).toEqual([]);
    expect(out.actions.every((a) => a.guard.allowed)).toBe(true);
    expect(out.summary).toMatchObject({
      debtors: 9,
      actionsToday: 4,
      byReason: {
        step_due: 5, // c-004 is due but its budget is used today: not today's work
        promise_active: 1,
        dispute_open: 1,
        all_paid: 1,
        do_not_contact: 1,
      },
    });
  });

  test('at 07:00 the actions are today’s but the guard refuses for now', async () => {
    const run = await quita([
      'cadence',
      'plan',
      '--portfolio',
      EXAMPLE,
      '--now',
      '2025-03-10T10:00:00Z',
    ]);
    const out = JSON.parse(run.stdout) as PlanOutput;
    expect(out.actions.length).toBe(4);
    expect(
      out.actions.every((a) => a.guard.allowed === false && a.guard.reason === 'outside_window'),
    ).toBe(true);
  });

  test('a custom policy file is used', async () => {
    const policy = tempJson({
      ...DEFAULT_CADENCE_POLICY,
      budget: { maxPerDay: 2, maxPer7Days: 5 },
    });
    const run = await quita([
      'cadence',
      'plan',
      '--portfolio',
      EXAMPLE,
      '--now',
      NOW,
      '--policy',
      policy,
    ]);
    const out = JSON.parse(run.stdout) as PlanOutput;
    // With two contacts a day, c-004 (contacted this morning) is due today as well.
    expect(out.actions.map((a) => a.debtorId)).toContain('c-004');
  });

  test('--help', async () => {
    const run = await quita(['cadence', 'plan', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Usage: quita cadence plan --portfolio FILE\.json --now ISO/);
  });

  test.each([
    { name: 'missing --portfolio', args: ['--now', NOW], err: /falta --portfolio/ },
    { name: 'missing --now', args: ['--portfolio', EXAMPLE], err: /falta --now/ },
    {
      name: 'bad --now',
      args: ['--portfolio', EXAMPLE, '--now', 'tomorrow'],
      err: /--now: esperado um instante ISO/,
    },
    {
      name: 'missing file',
      args: ['--portfolio', '/nonexistent/p.json', '--now', NOW],
      err: /não foi possível ler o arquivo \(ENOENT\)/,
    },
    {
      name: 'not JSON',
      args: ['--portfolio', tempJson('{ debtors: '), '--now', NOW],
      err: /não é um JSON válido/,
    },
    {
      name: 'a bad date deep inside',
      args: [
        '--portfolio',
        tempJson({
          debtors: [
            { id: 'a', state: 'SP', debts: [{ id: 'x', dueDate: '2025-02-30', status: 'open' }] },
          ],
        }),
        '--now',
        NOW,
      ],
      err: /debtors\[0\]\.debts\[0\]\.dueDate: a data deve existir/,
    },
    {
      name: 'an unknown state',
      args: [
        '--portfolio',
        tempJson({
          debtors: [
            { id: 'a', state: 'XX', debts: [{ id: 'x', dueDate: '2025-02-01', status: 'open' }] },
          ],
        }),
        '--now',
        NOW,
      ],
      err: /debtors\[0\]\.state: a UF deve ser a sigla/,
    },
    {
      name: 'a bad history instant',
      args: [
        '--portfolio',
        tempJson({
          debtors: [
            {
              id: 'a',
              state: 'SP',
              debts: [{ id: 'x', dueDate: '2025-02-01', status: 'open' }],
              history: [
                { at: 'yesterday', channel: 'sms', direction: 'outbound', automated: false },
              ],
            },
          ],
        }),
        '--now',
        NOW,
      ],
      err: /debtors\[0\]\.history\[0\]\.at: /,
    },
    {
      name: 'a bad policy',
      args: [
        '--portfolio',
        EXAMPLE,
        '--now',
        NOW,
        '--policy',
        tempJson({ ...DEFAULT_CADENCE_POLICY, budget: { maxPerDay: 0, maxPer7Days: 2 } }),
      ],
      err: /--policy .*budget\.maxPerDay: /,
    },
  ])('$name → exit 2 with a one-line reason', async ({ args, err }) => {
    const run = await quita(['cadence', 'plan', ...args]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(err);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
