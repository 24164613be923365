/** What every step of the guide receives from the guide. */
import type { ComponentChildren } from 'preact';
import type { OnboardingStatus } from '#shared/onboarding/onboarding.schema';

export interface StepProps {
  status: OnboardingStatus;
  /** The step's data is already there. */
  done: boolean;
  /** The step saved: refresh the state and move on. */
  onSaved: () => void;
  /** Refresh the state, stay on the step. */
  refresh: () => void;
  /** Open another step. */
  go: (step: string) => void;
  /** "Pular por agora" (or "Continuar" once done), placed by the step beside its own button. */
  skipButton: ComponentChildren;
}
