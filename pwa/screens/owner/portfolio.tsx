/** The owner's portfolio: overdue total, aging chart, recovered this month, promises, per collector. */
import { api } from '../../app/api';
import { Failure, Loading, useLoad } from '../../ui/async';
import { AgingChart } from '../../ui/aging-chart';
import { brl, dateTime, num, percent } from '../../i18n/format';
import { TableWrap } from '../../ui/table-wrap';
import { t } from '../../i18n/messages';

interface Figures {
  debtors: number;
  overdueDebtors: number;
  totalOverdue: number;
  recoveredThisMonth: number;
  promisesKept: number;
  promisesBroken: number;
}

/** `GET /api/portfolio` (server/routes/portfolio.routes.ts). */
export interface PortfolioAnswer extends Figures {
  asOf: string;
  aging: { id: string; amount: number; debts: number }[];
  promises: { kept: number; broken: number; active: number };
  collectors: (Figures & { id: string | null; name: string | null })[];
}

const BUCKET_LABELS: Record<string, string> = {
  '0-30': '0–30',
  '31-60': '31–60',
  '61-90': '61–90',
  '90+': '90+',
};

function keptRate(kept: number, broken: number): string {
  return kept + broken === 0 ? '—' : percent(kept / (kept + broken));
}

export function Portfolio() {
  const [loaded, reload] = useLoad(() => api<PortfolioAnswer>('GET', '/api/portfolio'));
  return (
    <section>
      <h1 tabIndex={-1}>{t('portfolio.title')}</h1>
      {loaded.state === 'loading' ? <Loading /> : null}
      {loaded.state === 'error' ? <Failure message={loaded.message} retry={reload} /> : null}
      {loaded.state === 'ready' ? <Figures p={loaded.value} /> : null}
    </section>
  );
}

function Figures({ p }: { p: PortfolioAnswer }) {
  return (
    <>
      <p class="small muted">
        {t('common.asOf')} {dateTime(p.asOf)}
      </p>
      <ul class="cards">
        <li>
          <span class="card-label">{t('portfolio.totalOverdue')}</span>
          <strong data-testid="total-overdue">{brl(p.totalOverdue)}</strong>
          <span class="small">
            {num(p.overdueDebtors)} {t('portfolio.ofDebtors')} {num(p.debtors)}
          </span>
        </li>
        <li>
          <span class="card-label">{t('portfolio.recovered')}</span>
          <strong>{brl(p.recoveredThisMonth)}</strong>
        </li>
        <li>
          <span class="card-label">{t('portfolio.promisesKept')}</span>
          <strong>{keptRate(p.promises.kept, p.promises.broken)}</strong>
          <span class="small">
            {num(p.promises.kept)} {t('portfolio.kept')} · {num(p.promises.broken)}{' '}
            {t('portfolio.broken')} · {num(p.promises.active)} {t('portfolio.open')}
          </span>
        </li>
      </ul>
      <h2>{t('portfolio.aging.title')}</h2>
      <AgingChart
        id="aging"
        bars={p.aging.map((b) => ({
          label: `${BUCKET_LABELS[b.id] ?? b.id} ${t('portfolio.days')}`,
          amount: b.amount,
          debts: b.debts,
        }))}
      />
      <TableWrap label={t('portfolio.aging.caption')}>
        <table>
          <caption class="sr-only">{t('portfolio.aging.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('portfolio.aging.bucket')}</th>
              <th scope="col" class="num">
                {t('portfolio.aging.debts')}
              </th>
              <th scope="col" class="num">
                {t('portfolio.aging.amount')}
              </th>
            </tr>
          </thead>
          <tbody>
            {p.aging.map((b) => (
              <tr key={b.id}>
                <th scope="row">
                  {BUCKET_LABELS[b.id] ?? b.id} {t('portfolio.days')}
                </th>
                <td class="num">{num(b.debts)}</td>
                <td class="num">{brl(b.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <h2>{t('portfolio.byCollector')}</h2>
      <TableWrap label={t('portfolio.byCollector')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('portfolio.collector')}</th>
              <th scope="col" class="num">
                {t('portfolio.debtors')}
              </th>
              <th scope="col" class="num">
                {t('portfolio.overdue')}
              </th>
              <th scope="col" class="num">
                {t('portfolio.recoveredShort')}
              </th>
              <th scope="col" class="num">
                {t('portfolio.promisesKeptShort')}
              </th>
            </tr>
          </thead>
          <tbody>
            {p.collectors.map((c) => (
              <tr key={c.id ?? 'none'}>
                <th scope="row">{c.name ?? t('portfolio.unassigned')}</th>
                <td class="num">{num(c.debtors)}</td>
                <td class="num">{brl(c.totalOverdue)}</td>
                <td class="num">{brl(c.recoveredThisMonth)}</td>
                <td class="num">{keptRate(c.promisesKept, c.promisesBroken)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}
