/**
 * Ledger fixtures built through the HTTP API as an owner would (so every write takes the real
 * path: validation, change feed, audit). Defaults give a consumer debt 30 days late on the test
 * clock's day (2025-03-10): R$ 1.000,00 + 2% multa + 1% a.m. juros for 30 days = R$ 1.030,00.
 */
import { expect } from 'vitest';
import { call, type Requestable } from './http';
import type { SeededUser } from './auth';

let counter = 0;

/** A valid CPF for fixture `n` (check digits computed). */
export function cpf(n: number): string {
  const base = String(100_000_000 + n).slice(-9);
  const digits = base.split('').map(Number);
  const dv = (list: number[]) => {
    const sum = list.reduce((acc, d, i) => acc + d * (list.length + 1 - i), 0);
    const r = (sum * 10) % 11;
    return r === 10 ? 0 : r;
  };
  const d1 = dv(digits);
  const d2 = dv([...digits, d1]);
  return `${base}${d1}${d2}`;
}

/** Creates a debtor; answers its id. */
export async function createDebtor(
  app: Requestable,
  owner: SeededUser,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  counter++;
  const res = await call<{ id: string }>(app, 'POST', '/api/debtors', {
    headers: owner.headers,
    json: {
      kind: 'person',
      name: `Devedor ${counter}`,
      document: cpf(counter + 500),
      ...overrides,
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

/** Creates a debt for `debtorId`; answers its id. */
export async function createDebt(
  app: Requestable,
  owner: SeededUser,
  debtorId: string,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const res = await call<{ id: string }>(app, 'POST', '/api/debts', {
    headers: owner.headers,
    json: {
      debtorId,
      description: 'Mensalidade fevereiro',
      principal: 100_000,
      issueDate: '2025-01-08',
      dueDate: '2025-02-08',
      kind: 'consumer',
      ...overrides,
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

/** Assigns debtors to a collector. */
export async function assign(
  app: Requestable,
  owner: SeededUser,
  collectorId: string,
  debtorIds: string[],
): Promise<void> {
  const res = await call(app, 'POST', '/api/assignments', {
    headers: owner.headers,
    json: { collectorId, debtorIds },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}
