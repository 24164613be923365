/**
 * The reference portfolios beside the repository (../shared/data, ../shared/tools) so tests and
 * benchmarks use the same deterministic data and figures stay comparable over time.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';

const REPO = join(import.meta.dirname, '..');
const REFERENCE = join(REPO, '..', 'shared');

export interface PortfolioRow {
  external_id: string;
  name: string;
  document: string;
  email: string;
  phone: string;
  address: string;
  city: string;
  state: string;
  debt_id: string;
  description: string;
  amount: string;
  due_date: string;
}

/** Path of a CSV portfolio with `debtors` debtors: the shipped 5k file, or one generated (cached). */
export function portfolioCsvPath(debtors = 5000): string {
  const shipped = join(REFERENCE, 'data', 'portfolio-5k.csv');
  if (debtors === 5000 && existsSync(shipped)) return shipped;
  const dir = join(REPO, 'test-output', 'portfolios');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `portfolio-${debtors}.csv`);
  if (!existsSync(out)) {
    execFileSync('python3', [join(REFERENCE, 'tools', 'make-portfolio.py'), String(debtors), out]);
  }
  return out;
}

export function readPortfolio(debtors = 5000): PortfolioRow[] {
  const text = readFileSync(portfolioCsvPath(debtors), 'utf8');
  const parsed = Papa.parse<PortfolioRow>(text, { header: true, skipEmptyLines: true });
  if (parsed.errors.length > 0) throw new Error(`portfolio CSV: ${parsed.errors[0]?.message}`);
  return parsed.data;
}
