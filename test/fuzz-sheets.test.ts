/**
 * Fuzzing the spreadsheet routes with arbitrary bytes (the JSON fuzz in fuzz-writes.test.ts
 * cannot reach them): random bytes, random text in any encoding, BOMs, NULs, quotes and
 * separators around a valid header, to the preview and to a dry-run import. Never a 5xx, never
 * an unexpected error logged, and a dry run writes nothing. PGlite only; breadth, not rules.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createApp } from '../server/app';
import type { Db } from '../server/db/db';
import { encodeWindows1252 } from '../server/import/decode';
import { openTestDb } from './helpers/test-db';
import { seedUser, type SeededUser } from './helpers/auth';

const RUNS = 150;
const HEADER = 'codigo_cliente;nome;cpf_cnpj;whatsapp;codigo_divida;valor;vencimento\r\n';

let db: Db;
let app: ReturnType<typeof createApp>;
let staff: SeededUser;
const errors: unknown[] = [];

beforeAll(async () => {
  db = await openTestDb('pglite');
  app = createApp({ db, version: 'test', logError: (_m, e) => errors.push(e) });
  staff = await seedUser(db, 'staff');
});
afterAll(async () => {
  await db.close();
});

const piece = fc.oneof(
  fc.constantFrom(
    '"',
    ';',
    ',',
    '\t',
    '\r\n',
    '\n',
    '\r',
    '\u0000',
    '\uFEFF',
    '=1+1',
    '1.234,56',
    '31/02/2026',
    'sim',
    'não',
    '529.982.247-25',
    '12.ABC.345/01DE-35',
  ),
  fc.string({ unit: 'binary', maxLength: 20 }),
);
const text = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(''));
const bytes = fc.oneof(
  fc.uint8Array({ maxLength: 400 }),
  text.map((t) => new TextEncoder().encode(HEADER + t)),
  text.map((t) => encodeWindows1252(HEADER + t)),
  text.map((t) => new Uint8Array([0xff, 0xfe, ...Buffer.from(HEADER + t, 'utf16le')])),
  text.map((t) => new TextEncoder().encode(t)),
);

async function changes(): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM changes');
  return row?.n ?? -1;
}

test(`${RUNS} arbitrary files to the preview and a dry-run import: no 5xx, nothing written`, async () => {
  const seed = process.env['QUITA_FUZZ_SEED'];
  await fc.assert(
    fc.asyncProperty(
      bytes,
      fc.constantFrom('/api/import/preview', '/api/import/debtors?dry_run=1'),
      async (body, path) => {
        const before = await changes();
        const res = await app.request(path, {
          method: 'POST',
          body: body as BodyInit,
          headers: { 'content-type': 'text/csv', ...staff.headers },
        });
        const answer = await res.text();
        expect(res.status, `${path} ${JSON.stringify(Array.from(body))} → ${answer}`).toBeLessThan(
          500,
        );
        expect(errors).toEqual([]);
        expect(await changes()).toBe(before);
      },
    ),
    { numRuns: RUNS, ...(seed ? { seed: Number(seed) } : {}) },
  );
}, 240_000);
