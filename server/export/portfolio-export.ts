/**
 * The portfolio as a CSV an office opens in Excel: one line per debt with its debtor, the
 * itemised balance as of today and where the debtor stands; a debtor without debts gets one line
 * with the debt cells empty. The first columns are the import's (Portuguese headers), so an
 * exported file can be edited and imported back.
 *
 * Streamed and set-based: debtors are read by keyset on id in chunks (one query per table per
 * chunk through `loadDebtorFacts`, never one per debtor), each chunk is turned into lines and
 * handed to the response before the next one is read, so memory holds one chunk whatever the
 * portfolio's size. Each chunk writes ONE read-audit row naming its debtors before its lines
 * leave (LGPD). Debtors merged into another or anonymised are left out.
 */
import { formatDocument, type Cnpj, type Cpf } from '#shared/identity/document';
import { formatPhoneBR } from '#shared/identity/phone';
import { addressView } from '#shared/domain/address-view';
import type { DebtorStatus } from '#shared/api/ledger.schema';
import type { Db } from '../db/db';
import { ledgerState, loadDebtorFacts, type DebtorFacts } from '../ledger/debtor-state';
import { loadLedgerSettings } from '../ledger/settings';
import { recordDebtorRead } from '../lgpd/read-audit';
import { CSV_BOM, csvLine, dateCell, intCell, moneyCell, textCell } from './csv';

export const PORTFOLIO_HEADERS = [
  'codigo_cliente',
  'nome',
  'cpf_cnpj',
  'email',
  'telefone',
  'whatsapp',
  'endereco',
  'cidade',
  'uf',
  'codigo_divida',
  'descricao',
  'valor',
  'vencimento',
  'situacao_divida',
  'multa',
  'juros',
  'tarifas',
  'pago',
  'desconto',
  'saldo_atualizado',
  'dias_atraso',
  'situacao_devedor',
  'cobrador',
] as const;

const DEBT_STATUS: Readonly<Record<string, string>> = {
  open: 'em aberto',
  settled: 'quitada',
  cancelled: 'cancelada',
};

const DEBTOR_STATUS: Readonly<Record<DebtorStatus, string>> = {
  disputa: 'em disputa',
  negativado: 'negativado',
  acordo: 'em acordo',
  promessa: 'com promessa',
  vencido: 'vencido',
  em_dia: 'em dia',
};

export const EXPORT_CHUNK = 1000;
const FIRST_ID = '00000000-0000-0000-0000-000000000000';

function documentText(document: string | null): string {
  if (!document) return '';
  try {
    return formatDocument(document as Cpf | Cnpj);
  } catch {
    return document;
  }
}

function phoneText(phone: string): string {
  try {
    return formatPhoneBR(phone);
  } catch {
    return phone;
  }
}

/** The lines of one debtor (one per debt, or one with empty debt cells). */
export function debtorLines(facts: DebtorFacts, state: ReturnType<typeof ledgerState>): string[] {
  const d = facts.debtor as DebtorFacts['debtor'] & { address_line?: string | null };
  const usable = facts.contactPoints.filter((p) => p.verification !== 'wrong');
  const rank = (p: (typeof usable)[number]) => (p.verified ? 0 : 1);
  const phone = usable.filter((p) => p.kind === 'phone').sort((a, b) => rank(a) - rank(b))[0];
  const email = usable.filter((p) => p.kind === 'email').sort((a, b) => rank(a) - rank(b))[0];
  // An imported debtor has only the flat columns; the structured address (typed in the app)
  // is validated and flattened by the shared view.
  const address =
    d.address === null || d.address === undefined
      ? {
          street: d.address_line ?? undefined,
          city: d.city ?? undefined,
          state: d.state ?? undefined,
        }
      : addressView({
          structured: d.address,
          line: d.address_line ?? null,
          district: d.district ?? null,
          city: d.city ?? null,
          state: d.state,
          postalCode: d.postal_code ?? null,
        });
  const street = address
    ? [
        address.street,
        'number' in address ? address.number : undefined,
        'complement' in address ? address.complement : undefined,
      ]
        .filter(Boolean)
        .join(', ')
    : '';
  const debtor = [
    textCell(d.external_id),
    textCell(d.name),
    documentText(d.document),
    textCell(email?.value),
    phone ? phoneText(phone.value) : '',
    phone ? (phone.is_whatsapp ? 'sim' : 'não') : '',
    textCell(street),
    textCell(address?.city),
    address?.state ?? '',
  ];
  const tail = [
    intCell(state.daysOverdue),
    DEBTOR_STATUS[state.status],
    textCell(facts.assignment?.collector_name),
  ];
  if (state.debts.length === 0) return [csvLine([...debtor, ...Array(11).fill(''), ...tail])];
  return state.debts.map(({ row, balance }) =>
    csvLine([
      ...debtor,
      textCell(row.external_id),
      textCell(row.description),
      moneyCell(row.principal_cents),
      dateCell(row.due_on),
      DEBT_STATUS[row.status] ?? row.status,
      moneyCell(balance.fine),
      moneyCell(balance.interest),
      moneyCell(balance.fees),
      moneyCell(balance.paid),
      moneyCell(balance.discount),
      moneyCell(row.status === 'cancelled' ? 0 : balance.totalDue),
      ...tail,
    ]),
  );
}

export interface ExportOptions {
  now: Date;
  actor: string | null;
  ip?: string | null;
  chunkSize?: number;
}

/** The portfolio CSV, chunk by chunk (the first piece is the BOM and the header). */
export async function* portfolioCsv(db: Db, options: ExportOptions): AsyncGenerator<string> {
  const chunkSize = options.chunkSize ?? EXPORT_CHUNK;
  const settings = await loadLedgerSettings(db);
  yield `${CSV_BOM}${csvLine([...PORTFOLIO_HEADERS])}`;
  let after = FIRST_ID;
  for (;;) {
    const ids = (
      await db.query<{ id: string }>(
        `SELECT id FROM debtors
          WHERE id > $1 AND merged_into IS NULL AND anonymised_at IS NULL
          ORDER BY id LIMIT $2`,
        [after, chunkSize],
      )
    ).map((r) => r.id);
    const last = ids.at(-1);
    if (last === undefined) return;
    const facts = await loadDebtorFacts(db, ids, { ledgerOnly: true });
    const lines: string[] = [];
    for (const id of ids) {
      const f = facts.get(id);
      if (f) lines.push(...debtorLines(f, ledgerState(f, settings, options.now)));
    }
    await recordDebtorRead(db, {
      actor: options.actor,
      ip: options.ip ?? null,
      action: 'debtor.export',
      debtorIds: ids,
      detail: { export: 'portfolio' },
    });
    yield lines.join('');
    after = last;
    if (ids.length < chunkSize) return;
  }
}
