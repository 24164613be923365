/**
 * Aging buckets as a horizontal bar chart. The SVG is one image with a text alternative that
 * lists every bar (role="img" + <title>/<desc>), and the same figures follow in a table for
 * anyone who prefers numbers; bars are labelled in text, so colour carries no meaning alone.
 */
import { t } from '../i18n/messages';
import { brl } from '../i18n/format';

export interface AgingBar {
  label: string;
  amount: number;
  debts: number;
}

const WIDTH = 320;
const ROW = 44;
const LABEL = 84;

export function AgingChart({ bars, id }: { bars: readonly AgingBar[]; id: string }) {
  const max = Math.max(1, ...bars.map((b) => b.amount));
  const height = bars.length * ROW;
  const description = bars.map((b) => `${b.label}: ${brl(b.amount)}`).join('; ');
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        width="100%"
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
      >
        <title id={`${id}-title`}>{t('portfolio.aging.title')}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {bars.map((b, i) => {
          const w = Math.round(((WIDTH - LABEL - 8) * b.amount) / max);
          const y = i * ROW;
          return (
            <g key={b.label}>
              <text x="0" y={y + 18} class="chart-label">
                {b.label}
              </text>
              <rect
                x={LABEL}
                y={y + 4}
                width={Math.max(w, 2)}
                height="18"
                rx="3"
                class={`bar bar-${i}`}
              />
              <text x={LABEL} y={y + 38} class="chart-value">
                {brl(b.amount)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption class="sr-only">{t('portfolio.aging.caption')}</figcaption>
    </figure>
  );
}
