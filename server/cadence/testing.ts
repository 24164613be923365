/**
 * Test fixtures for the cadence: a configured creditor and debtors with debts written through the
 * real write helpers, so the queue reads exactly what the API would have stored.
 */
import { uuidv7 } from 'uuidv7';
import type { Db } from '../db/db';
import { insertEntity } from '../db/write';

export const TEST_ORGANISATION = {
  legalName: 'Padaria Pão Quente Ltda',
  tradeName: 'Pão Quente',
  document: '11.222.333/0001-81',
  address: {
    street: 'Rua das Flores',
    number: '123',
    district: 'Centro',
    city: 'Campinas',
    state: 'SP',
    postalCode: '13010-000',
  },
  phone: '(19) 3232-1234',
  pix: { key: 'financeiro@paoquente.com.br', keyType: 'email' },
  paymentLinkTemplate: 'https://pague.paoquente.com.br/{txid}',
  timeZone: 'America/Sao_Paulo',
  state: 'SP',
} as const;

/** Writes TEST_ORGANISATION straight to the organisation row. */
export async function configureTestOrganisation(db: Db): Promise<void> {
  const o = TEST_ORGANISATION;
  await db.query(
    `UPDATE organisation SET creditor_name = $1, creditor_document = $2, creditor_address = $3,
       trade_name = $4, address = $5, phone = $6, pix_key = $7, pix_key_type = $8,
       payment_link_template = $9, time_zone = $10, state = $11 WHERE id = 1`,
    [
      o.legalName,
      '11222333000181',
      'Rua das Flores, 123, Centro, Campinas/SP',
      o.tradeName,
      JSON.stringify({ ...o.address, postalCode: '13010000' }),
      o.phone,
      o.pix.key,
      o.pix.keyType,
      o.paymentLinkTemplate,
      o.timeZone,
      o.state,
    ],
  );
}

export interface SeedDebtor {
  name: string;
  state?: string;
  email?: string;
  phone?: string;
  preferredChannel?: string;
  doNotContact?: boolean;
  collectorId?: string;
  debts: { principal: number; dueOn: string; description?: string }[];
}

/** Inserts a debtor, its contact points, debts and assignment; returns the ids. */
export async function seedDebtor(
  db: Db,
  input: SeedDebtor,
): Promise<{ debtorId: string; debtIds: string[] }> {
  return db.transaction(async (tx) => {
    const debtorId = uuidv7();
    await insertEntity(tx, 'debtor', {
      id: debtorId,
      kind: 'person',
      name: input.name,
      state: input.state ?? 'SP',
      preferred_channel: input.preferredChannel ?? null,
      do_not_contact: input.doNotContact ?? false,
    });
    for (const [kind, value] of [
      ['email', input.email],
      ['phone', input.phone],
    ] as const)
      if (value !== undefined)
        await insertEntity(tx, 'contact_point', {
          id: uuidv7(),
          debtor_id: debtorId,
          kind,
          value,
          match_key: value,
          is_whatsapp: kind === 'phone',
        });
    const debtIds: string[] = [];
    for (const debt of input.debts) {
      const id = uuidv7();
      debtIds.push(id);
      await insertEntity(tx, 'debt', {
        id,
        debtor_id: debtorId,
        description: debt.description ?? 'compra no crediário',
        principal_cents: debt.principal,
        issued_on: debt.dueOn,
        due_on: debt.dueOn,
      });
    }
    if (input.collectorId !== undefined)
      await insertEntity(tx, 'assignment', {
        id: uuidv7(),
        debtor_id: debtorId,
        collector_id: input.collectorId,
        started_at: new Date('2025-01-01T00:00:00Z'),
      });
    return { debtorId, debtIds };
  });
}

/** Logs an outbound contact (as a person or the engine would have). */
export async function logContact(
  db: Db,
  input: { debtorId: string; debtId?: string; channel: string; at: Date; stepId?: string },
): Promise<void> {
  await db.transaction((tx) =>
    insertEntity(tx, 'contact', {
      id: uuidv7(),
      debtor_id: input.debtorId,
      debt_id: input.debtId ?? null,
      channel: input.channel,
      direction: 'outbound',
      automated: false,
      cadence_step: input.stepId ?? null,
      at: input.at,
    }),
  );
}
