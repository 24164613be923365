/**
 * `/api/onboarding` (owner): the first-run guide's state and its two writes.
 * - `GET /` → OnboardingStatus: each step done / skipped / todo, the next one, the facts behind
 *   them (creditor, PIX key, collectors, debtors, debtors nobody collects), the demo's state and
 *   collectors, and QUITA_PUBLIC_URL for the sign-in QR codes.
 * - `PUT /steps/:step` `{state: 'skipped' | 'todo'}`: skip a step for now, or bring it back. A
 *   step whose data is there stays done whatever is sent.
 * - `POST /name` `{name}`: the signed-in owner's own name, confirmed (the owner created from
 *   QUITA_OWNER_EMAIL without QUITA_OWNER_NAME got a guess from the e-mail address).
 * Every write audited.
 */
import { Hono } from 'hono';
import * as v from 'valibot';
import {
  OnboardingStepSchema,
  OwnerNameRequestSchema,
  StepStateRequestSchema,
} from '#shared/onboarding/onboarding.schema';
import type { Deps } from '../app';
import { findUserById, toUser, updateUser } from '../auth/users.repo';
import { audit } from '../db/audit';
import { requireRole, type AppEnv } from '../http/auth';
import { problem, problemError } from '../http/problem';
import { jsonBody } from '../http/validate';
import { confirmName, onboardingStatus, setStepSkipped } from '../onboarding/onboarding.repo';

export function onboardingRoutes({ db, now, publicUrl }: Deps) {
  const status = () => onboardingStatus(db, { publicUrl: publicUrl ?? null });
  return new Hono<AppEnv>()
    .get('/', requireRole('owner'), async (c) => c.json(await status()))
    .put('/steps/:step', requireRole('owner'), jsonBody(StepStateRequestSchema), async (c) => {
      const step = v.safeParse(OnboardingStepSchema, c.req.param('step'));
      if (!step.success) throw problemError(problem(404, 'not-found', 'passo desconhecido'));
      const { state } = c.req.valid('json');
      const actor = c.get('user');
      await db.transaction(async (tx) => {
        await setStepSkipped(tx, {
          step: step.output,
          skipped: state === 'skipped',
          by: actor.id,
          now: now(),
        });
        await audit(tx, {
          actor: actor.id,
          ip: c.get('ip'),
          action: 'onboarding.step',
          entity: 'organisation',
          detail: { step: step.output, state },
        });
      });
      return c.json(await status());
    })
    .post('/name', requireRole('owner'), jsonBody(OwnerNameRequestSchema), async (c) => {
      const { name } = c.req.valid('json');
      const actor = c.get('user');
      const at = now();
      const row = await db.transaction(async (tx) => {
        const before = await findUserById(tx, actor.id);
        if (!before) throw problemError(problem(404, 'not-found', 'usuário não encontrado'));
        const after = before.name === name ? before : await updateUser(tx, actor.id, { name });
        await confirmName(tx, { by: actor.id, now: at });
        await audit(tx, {
          actor: actor.id,
          ip: c.get('ip'),
          action: 'onboarding.name',
          entity: 'user',
          entityId: actor.id,
          detail: { before: before.name, after: name },
        });
        return after ?? before;
      });
      return c.json(toUser(row));
    });
}
