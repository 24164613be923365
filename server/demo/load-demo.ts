/**
 * Loading the demo into a running server, whoever asks: the owner's app (`POST /api/demo`) or
 * `quita demo` on the server's machine (through the admin socket, server/ops/backup/admin-socket.ts).
 *
 * Rules: refused (409 `has-debtors`) while the organisation has debtors that are not demo data,
 * unless the operator's CLI says `force`; one load at a time per server process (409
 * `demo-running`); idempotent (seed-demo.ts: a second load adds nothing).
 */
import type { Db } from '../db/db';
import { problem, problemError } from '../http/problem';
import { DEMO_PREFIX } from './demo-portfolio';
import { seedDemo, type DemoSummary } from './seed-demo';

let running = false;

/** How many live debtors are not demo data. */
export async function ownDebtorCount(db: Db): Promise<number> {
  const [own] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM debtors
      WHERE merged_into IS NULL AND (external_id IS NULL OR external_id NOT LIKE $1)`,
    [`${DEMO_PREFIX}%`],
  );
  return own?.n ?? 0;
}

export async function loadDemo(
  db: Db,
  options: { now: Date; debtors: number; force: boolean; log?: (line: string) => void },
): Promise<DemoSummary> {
  const own = await ownDebtorCount(db);
  if (own > 0 && !options.force)
    throw problemError(
      problem(
        409,
        'has-debtors',
        `a organização já tem ${own} devedores próprios; os dados de exemplo são para começar do zero`,
      ),
    );
  if (running)
    throw problemError(
      problem(409, 'demo-running', 'os dados de exemplo já estão sendo carregados; aguarde'),
    );
  running = true;
  try {
    return await seedDemo(db, {
      now: options.now,
      debtors: options.debtors,
      ...(options.log ? { log: options.log } : {}),
    });
  } finally {
    running = false;
  }
}
