/**
 * A cadence step in words ("10 dias após o vencimento"), never its id ("d+10"): the default
 * régua's ids say how many days from the due date they fall; any other id is "the current step".
 */
import { t } from '../i18n';

export function stepWords(stepId: string): string {
  const m = /^d([+-]?)(\d+)$/.exec(stepId);
  if (!m) return t('step.other');
  const n = Number(m[2]);
  if (n === 0) return t('step.dueDay');
  return t(m[1] === '-' ? 'step.before' : 'step.after', { n });
}
