/**
 * The first-run guide's state (0250 onboarding_steps) read beside the facts that decide it: the
 * creditor identity, the PIX key, active collectors, debtors (the organisation's own and the
 * demo's) and debtors nobody collects. One read answers the guide and the home screen's
 * "what is still missing".
 */
import {
  ONBOARDING_STEPS,
  nextStep,
  type OnboardingStatus,
  type OnboardingStep,
  type StepState,
} from '#shared/onboarding/onboarding.schema';
import type { Queryable, Tx } from '../db/db';
import { DEMO_COLLECTOR_EMAILS, DEMO_PREFIX } from '../demo/demo-portfolio';
import { readOrganisation } from '../settings/settings.repo';

interface Counts {
  collectors: number;
  own_debtors: number;
  demo_debtors: number;
  unassigned: number;
}

export async function onboardingStatus(
  q: Queryable,
  options: { publicUrl: string | null },
): Promise<OnboardingStatus> {
  const org = await readOrganisation(q);
  const [counts] = await q.query<Counts>(
    `SELECT
       (SELECT count(*)::int FROM users WHERE role = 'collector' AND active) AS collectors,
       (SELECT count(*)::int FROM debtors
         WHERE merged_into IS NULL AND (external_id IS NULL OR external_id NOT LIKE $1)) AS own_debtors,
       (SELECT count(*)::int FROM debtors
         WHERE merged_into IS NULL AND external_id LIKE $1) AS demo_debtors,
       (SELECT count(*)::int FROM debtors d
         WHERE d.merged_into IS NULL
           AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.debtor_id = d.id AND a.ended_at IS NULL))
         AS unassigned`,
    [`${DEMO_PREFIX}%`],
  );
  const stored = new Map(
    (
      await q.query<{ step: OnboardingStep; state: StepState }>(
        'SELECT step, state FROM onboarding_steps',
      )
    ).map((r) => [r.step, r.state]),
  );
  const c = counts ?? { collectors: 0, own_debtors: 0, demo_debtors: 0, unassigned: 0 };
  const debtors = c.own_debtors + c.demo_debtors;
  const done: Record<OnboardingStep, boolean> = {
    name: stored.get('name') === 'done',
    creditor: org.configured,
    pix: org.pix !== null,
    collector: c.collectors > 0,
    import: debtors > 0,
  };
  const steps = ONBOARDING_STEPS.map((id) => ({
    id,
    state: done[id] ? 'done' : stored.get(id) === 'skipped' ? 'skipped' : 'todo',
  })) satisfies { id: OnboardingStep; state: StepState }[];
  const demoCollectors =
    c.demo_debtors > 0
      ? await q.query<{ id: string; name: string; email: string }>(
          `SELECT id, name, email FROM users
            WHERE role = 'collector' AND active AND email = ANY($1::text[]) ORDER BY email`,
          [[...DEMO_COLLECTOR_EMAILS]],
        )
      : [];
  return {
    steps,
    next: nextStep(steps),
    facts: {
      creditorConfigured: org.configured,
      pix: org.pix !== null,
      collectors: c.collectors,
      debtors,
      unassignedDebtors: c.unassigned,
    },
    demo: {
      loaded: c.demo_debtors > 0,
      available: c.own_debtors === 0,
      collectors: demoCollectors,
    },
    publicUrl: options.publicUrl,
  };
}

/** Marks `step` skipped (or clears the mark); the name step's confirmation is `confirmName`. */
export async function setStepSkipped(
  tx: Tx,
  input: { step: OnboardingStep; skipped: boolean; by: string; now: Date },
): Promise<void> {
  if (input.skipped)
    await tx.query(
      `INSERT INTO onboarding_steps (step, state, at, by_user) VALUES ($1, 'skipped', $2, $3)
       ON CONFLICT (org_id, step) DO UPDATE SET state = 'skipped', at = $2, by_user = $3
         WHERE onboarding_steps.state <> 'done'`,
      [input.step, input.now, input.by],
    );
  else
    await tx.query(`DELETE FROM onboarding_steps WHERE step = $1 AND state = 'skipped'`, [
      input.step,
    ]);
}

/** Records that a person gave the owner's name (the guide, the setup link, QUITA_OWNER_NAME). */
export async function confirmName(tx: Tx, input: { by: string | null; now: Date }): Promise<void> {
  await tx.query(
    `INSERT INTO onboarding_steps (step, state, at, by_user) VALUES ('name', 'done', $1, $2)
     ON CONFLICT (org_id, step) DO UPDATE SET state = 'done', at = $1, by_user = $2`,
    [input.now, input.by],
  );
}
