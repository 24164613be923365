/**
 * The owner's first-run guide: its steps, in order, and what the server says about each. A step
 * is `done` when its data is there (the creditor identity, a PIX key, an active collector,
 * debtors) or, for the owner's name, once a person confirmed it; `skipped` when the owner chose
 * to come back later (the home screen still lists it); `todo` otherwise. The database CHECKs on
 * onboarding_steps (migration 0250) accept exactly ONBOARDING_STEPS and the two stored states.
 */
import * as v from 'valibot';
import { UserNameSchema } from '../auth/user.schema';

export const ONBOARDING_STEPS = ['name', 'creditor', 'pix', 'collector', 'import'] as const;
export const OnboardingStepSchema = v.picklist(
  ONBOARDING_STEPS,
  'passo inválido: use name, creditor, pix, collector ou import',
);
export type OnboardingStep = v.InferOutput<typeof OnboardingStepSchema>;
export type StepState = 'done' | 'skipped' | 'todo';

/** `PUT /api/onboarding/steps/:step`: skip a step, or bring a skipped one back. */
export const StepStateRequestSchema = v.strictObject(
  { state: v.picklist(['skipped', 'todo'], 'o estado deve ser skipped ou todo') },
  'campo desconhecido: use state',
);

/** `POST /api/onboarding/name`: the signed-in owner's own name, confirmed. */
export const OwnerNameRequestSchema = v.strictObject(
  { name: UserNameSchema },
  'campo desconhecido: use name',
);

export const DEMO_DEBTORS_DEFAULT = 2000;

const DemoDebtorsSchema = v.optional(
  v.pipe(
    v.number('o número de devedores deve ser um número'),
    v.integer('o número de devedores deve ser inteiro'),
    v.minValue(10, 'pelo menos 10 devedores'),
    v.maxValue(5000, 'no máximo 5000 devedores'),
  ),
);

/** `POST /api/demo` (the owner's app): how many demo debtors (default 2,000); an empty body is fine. */
export const DemoRequestSchema = v.optional(
  v.strictObject({ debtors: DemoDebtorsSchema }, 'campo desconhecido: use debtors'),
  {},
);

/**
 * `quita demo` through the running server's admin socket: the same, plus `force` (load even
 * when the organisation has debtors of its own), which only the machine's operator may ask.
 */
export const DemoLocalRequestSchema = v.optional(
  v.strictObject(
    { debtors: DemoDebtorsSchema, force: v.optional(v.boolean('force deve ser true ou false')) },
    'campo desconhecido: use debtors ou force',
  ),
  {},
);

/** What `GET /api/onboarding` answers. */
export interface OnboardingStatus {
  steps: { id: OnboardingStep; state: StepState }[];
  /** The first step not done nor skipped; null when every step is done or skipped. */
  next: OnboardingStep | null;
  facts: {
    creditorConfigured: boolean;
    pix: boolean;
    collectors: number;
    debtors: number;
    unassignedDebtors: number;
  };
  demo: {
    /** Demo debtors are present. */
    loaded: boolean;
    /** The organisation has no debtor of its own: the demo may be loaded. */
    available: boolean;
    collectors: { id: string; name: string; email: string }[];
  };
  /** QUITA_PUBLIC_URL, the address phones reach the server at, when it is configured. */
  publicUrl: string | null;
}

/** The order of the steps and their state → the step the guide opens on. */
export function nextStep(steps: readonly { id: OnboardingStep; state: StepState }[]) {
  return steps.find((s) => s.state === 'todo')?.id ?? null;
}
