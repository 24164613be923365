import { recordFact } from '../db/record-fact';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, test } from 'vitest';
import { claimDevice, openDb } from '../db/db';
import { claimDeviceFor, deviceInUseMessage } from './session';

const ANA = { id: '0190a000-0000-7000-8000-0000000000a1', name: 'Ana', role: 'collector' as const };
const BRUNO = {
  id: '0190a000-0000-7000-8000-0000000000b2',
  name: 'Bruno',
  role: 'collector' as const,
};
const OWNER = { id: '0190a000-0000-7000-8000-0000000000c3', name: 'Dona', role: 'owner' as const };

describe('switching user on a collector phone', () => {
  test.each([
    [
      { collectorId: ANA.id, collectorName: 'Ana', unsent: 3 },
      'Este aparelho tem 3 registros de Ana aguardando envio. Entre como Ana e sincronize antes de trocar de usuário.',
    ],
    [
      { collectorId: ANA.id, collectorName: null, unsent: 1 },
      'Este aparelho tem 1 registro de outro cobrador aguardando envio. Entre com esse usuário e sincronize antes de trocar de usuário.',
    ],
    [
      { collectorId: ANA.id, collectorName: 'Ana', unsent: 1200 },
      'Este aparelho tem 1.200 registros de Ana aguardando envio. Entre como Ana e sincronize antes de trocar de usuário.',
    ],
  ])('refusal message %#', (inUse, message) => {
    expect(deviceInUseMessage(inUse)).toBe(message);
  });

  test('refused for another collector, allowed for the same one, untouched by an owner', async () => {
    const env = { indexedDB: new IDBFactory(), IDBKeyRange, name: 'phone' };
    const opened = await openDb(env);
    if (!opened.ok) throw new Error(opened.failure.message);
    const db = opened.db;
    await claimDevice(db, { collectorId: ANA.id, collectorName: 'Ana', newId: () => 'dev-ana' });
    for (let i = 0; i < 2; i++)
      await recordFact(
        db,
        {
          mutation_id: crypto.randomUUID(),
          type: 'visit.recorded',
          type_version: 1,
          debtor_id: 'd',
          occurred_at: '2025-03-10T09:00:00-03:00',
          payload: {},
        },
        'x',
      );
    db.close();

    expect(await claimDeviceFor(BRUNO, env)).toBe(
      'Este aparelho tem 2 registros de Ana aguardando envio. Entre como Ana e sincronize antes de trocar de usuário.',
    );
    expect(await claimDeviceFor(OWNER, env)).toBeNull();
    expect(await claimDeviceFor(ANA, env)).toBeNull();

    const again = await openDb(env);
    if (!again.ok) throw new Error(again.failure.message);
    expect(await again.db.device.get('device')).toMatchObject({
      device_id: 'dev-ana',
      collector_id: ANA.id,
    });
    expect(await again.db.outbox.count()).toBe(2);
    // Once Ana's facts are acked, Bruno gets a fresh device.
    await again.db.outbox.toCollection().modify({ state: 'acked' });
    again.db.close();
    expect(await claimDeviceFor(BRUNO, env)).toBeNull();
    const after = await openDb(env);
    if (!after.ok) throw new Error(after.failure.message);
    expect((await after.db.device.get('device'))?.collector_id).toBe(BRUNO.id);
    expect(await after.db.outbox.count()).toBe(0);
    after.db.close();
  });
});
