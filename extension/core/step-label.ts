/** A cadence step in words: "d+5" → "5 dias após o vencimento" (never the raw id on screen). */
import { t } from '../i18n';

export function stepLabel(stepId: string): string {
  const m = /^d([+-]?)(\d+)$/.exec(stepId);
  if (!m) return t('step.other', { id: stepId });
  const days = Number(m[2]);
  if (days === 0) return t('step.due');
  if (m[1] === '-') return days === 1 ? t('step.beforeOne') : t('step.before', { days });
  return days === 1 ? t('step.afterOne') : t('step.after', { days });
}
