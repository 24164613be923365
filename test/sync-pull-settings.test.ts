/**
 * What the collector's phone knows offline, through the pull feed (issues 4/5): the organisation
 * settings (first sync carries every section; an owner's save reaches every collector's next
 * incremental pull; nothing private leaves the server) and the contacts logged for assigned
 * debtors (office, cadence, inbound; a visit's own contact row is not sent, so the phone counts
 * the visit once; reassignment brings the contact history). On PostgreSQL: an org-wide row held
 * open by a slow save is not skipped by a pull that ran meanwhile.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { defaultTemplate } from '#shared/templates/default-templates';
import { createApp } from '../server/app';
import type { Db } from '../server/db/db';
import { TEST_ORGANISATION } from '../server/cadence/testing';
import { DEFAULT_NEGOTIATION_POLICY } from '#shared/negotiation/negotiation.schema';
import { writeSection } from '../server/settings/settings.repo';
import { recordSettingChange } from '../server/sync/settings-feed';
import { loadMigrations, migrate } from '../server/db/migrate';
import { openPglite } from '../server/db/pglite';
import { forEachDb, openTestDb } from './helpers/test-db';
import { seedUser, testClock, type SeededUser } from './helpers/auth';
import { call } from './helpers/http';
import { assign, createDebt, createDebtor } from './helpers/ledger';
import { applyPage, testDevice, visitPayload } from './helpers/sync';

const SECTIONS = [
  'organisation',
  'cadence',
  'negotiation',
  'promise',
  'holidays',
  'templates',
  'messages',
];

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  let owner: SeededUser;
  let staff: SeededUser;
  // Monday 09:00 in São Paulo: inside the default contact window.
  const clock = testClock('2025-03-10T12:00:00Z');

  const newCollector = () => seedUser(db, 'collector', { now: clock.now() });
  const assignedDebtor = async (who: SeededUser) => {
    const debtor = await createDebtor(app, owner);
    await createDebt(app, owner, debtor);
    await assign(app, owner, who.user.id, [debtor]);
    return debtor;
  };
  const logContact = async (debtorId: string, json: Record<string, unknown> = {}) => {
    const res = await call<{ contact: { id: string } }>(app, 'POST', '/api/contacts', {
      headers: staff.headers,
      json: { debtorId, channel: 'whatsapp', body: 'Olá, segue o boleto', ...json },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.contact.id;
  };
  const settingsOf = (state: Map<string, Record<string, unknown>>) =>
    [...state.keys()]
      .filter((k) => k.startsWith('setting:'))
      .map((k) => k.slice('setting:'.length))
      .sort();

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test', now: clock.now });
    owner = await seedUser(db, 'owner', { now: clock.now() });
    staff = await seedUser(db, 'staff', { now: clock.now() });
  });
  afterAll(async () => {
    await db.close();
  });

  test('the first sync carries every settings section, defaults included, and nothing private', async () => {
    const collector = await newCollector();
    await assignedDebtor(collector);
    const device = testDevice(app, collector.headers, clock.now);
    const pages = await device.sync();
    expect(settingsOf(device.state)).toEqual([...SECTIONS].sort());
    // Sections come first, on the first page only.
    expect(pages[0]?.changes.slice(0, SECTIONS.length).map((c) => c.id)).toEqual(SECTIONS);
    expect(pages.slice(1).flatMap((p) => p.changes.filter((c) => c.entity === 'setting'))).toEqual(
      [],
    );
    expect(device.state.get('setting:cadence')).toMatchObject({
      version: 0,
      value: { timeZone: 'America/Sao_Paulo', budget: { maxPerDay: 1, maxPer7Days: 2 } },
    });
    const templates = device.state.get('setting:templates')?.['value'];
    expect(Array.isArray(templates) && templates.length).toBeGreaterThan(30);
    const wire = JSON.stringify(pages);
    for (const secret of ['retentionDays', 'password', 'token', 'smtp', owner.user.email])
      expect(wire.toLowerCase()).not.toContain(secret.toLowerCase());
  });

  test("an owner's save reaches every collector's next pull, as the section's new version", async () => {
    const a = await newCollector();
    const b = await newCollector();
    await assignedDebtor(a);
    const deviceA = testDevice(app, a.headers, clock.now);
    const deviceB = testDevice(app, b.headers, clock.now); // no debtor at all: still gets settings
    await deviceA.sync();
    await deviceB.sync();
    const org = await call<{ version: number }>(app, 'PUT', '/api/settings/organisation', {
      headers: owner.headers,
      json: TEST_ORGANISATION,
    });
    expect(org.status, JSON.stringify(org.body)).toBe(200);
    const windows = await call<{ version: number }>(app, 'PUT', '/api/settings/contact-windows', {
      headers: owner.headers,
      json: {
        windows: {
          weekdays: { from: '09:00', to: '18:00' },
          saturday: null,
          sunday: null,
          allowHolidays: false,
        },
        stateWindows: {},
        budget: { maxPerDay: 1, maxPer7Days: 3 },
      },
    });
    expect(windows.status, JSON.stringify(windows.body)).toBe(200);
    for (const device of [deviceA, deviceB]) {
      const pages = await device.sync();
      const changes = pages.flatMap((p) => p.changes);
      // Only what changed, once each (latest op per entity).
      expect(changes.map((c) => `${c.entity}:${c.id}`).sort()).toEqual([
        'setting:cadence',
        'setting:organisation',
      ]);
      expect(device.state.get('setting:organisation')).toMatchObject({
        version: org.body.version,
        value: {
          tradeName: 'Pão Quente',
          pix: { key: 'financeiro@paoquente.com.br', keyType: 'email' },
        },
      });
      expect(device.state.get('setting:organisation')?.['value']).not.toHaveProperty(
        'retentionDays',
      );
      expect(device.state.get('setting:cadence')).toMatchObject({
        version: windows.body.version,
        value: { budget: { maxPer7Days: 3 }, windows: { saturday: null } },
      });
    }
    // A template override: one put of the effective list (defaults + override), its new version.
    const base = defaultTemplate('d0.sms');
    if (!base) throw new Error('no default d0.sms');
    const template = { ...base, body: `${base.body} Obrigado!` };
    const saved = await call<{ version: number }>(app, 'PUT', '/api/settings/templates/d0.sms', {
      headers: owner.headers,
      json: template,
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const pages = await deviceA.sync();
    expect(pages.flatMap((p) => p.changes).map((c) => c.id)).toEqual(['templates']);
    const list = deviceA.state.get('setting:templates') as {
      version: number;
      value: { id: string; body: string }[];
    };
    expect(list.version).toBe(saved.body.version);
    expect(list.value.find((t) => t.id === 'd0.sms')?.body).toBe(template.body);
    expect(list.value.length).toBeGreaterThan(30);
  });

  test('contacts logged by the office reach the phone without their body; a visit counts once', async () => {
    const collector = await newCollector();
    const debtor = await assignedDebtor(collector);
    const device = testDevice(app, collector.headers, clock.now);
    await device.sync();
    const contactId = await logContact(debtor);
    let pages = await device.sync();
    expect(pages.flatMap((p) => p.changes).map((c) => `${c.op}:${c.entity}`)).toEqual([
      'put:contact',
    ]);
    const contact = device.state.get(`contact:${contactId}`);
    expect(contact).toEqual({
      id: contactId,
      debtorId: debtor,
      channel: 'whatsapp',
      direction: 'outbound',
      automated: false,
      status: 'sent',
      occurredAt: clock.now().toISOString(),
      version: 1,
    });
    // A visit from the phone: the server also logs a 'visit' contact for the budget; the phone
    // gets the visit, and neither that contact row nor a remove for it.
    clock.advance(26 * 3600_000);
    const visit = device.mutation('visit.recorded', debtor, visitPayload());
    expect((await device.push([visit])).body.acked_through_seq).toBe(1);
    const [row] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM contact_log WHERE debtor_id = $1 AND channel = 'visit'`,
      [debtor],
    );
    expect(row?.n).toBe(1);
    pages = await device.sync();
    const changes = pages.flatMap((p) => p.changes);
    expect(changes.filter((c) => c.entity === 'contact')).toEqual([]);
    expect(device.state.has(`visit:${visit.mutation_id}`)).toBe(true);
    // An inbound message is a contact too (shown; the guard ignores inbound ones).
    const inbound = await logContact(debtor, { direction: 'inbound', channel: 'email' });
    await device.sync();
    expect(device.state.get(`contact:${inbound}`)).toMatchObject({
      direction: 'inbound',
      status: 'received',
    });
  });

  test('a debtor assigned to another collector arrives with its contact history', async () => {
    const a = await newCollector();
    const b = await newCollector();
    const debtor = await assignedDebtor(a);
    const deviceB = testDevice(app, b.headers, clock.now);
    await deviceB.sync();
    clock.advance(48 * 3600_000);
    const contactId = await logContact(debtor, { channel: 'email' });
    const deviceA = testDevice(app, a.headers, clock.now);
    const visit = deviceA.mutation('visit.recorded', debtor, visitPayload());
    await deviceA.sync();
    clock.advance(3600_000);
    expect((await deviceA.push([visit])).status).toBe(200);
    await assign(app, owner, b.user.id, [debtor]);
    await deviceB.sync();
    const contacts = [...deviceB.state.entries()].filter(([k]) => k.startsWith('contact:'));
    expect(contacts.map(([k]) => k)).toEqual([`contact:${contactId}`]);
    expect(deviceB.state.has(`visit:${visit.mutation_id}`)).toBe(true);
  });

  if (kind === 'postgres')
    test('a settings save held open is never skipped by a pull that ran meanwhile', async () => {
      const collector = await newCollector();
      const debtor = await assignedDebtor(collector);
      const device = testDevice(app, collector.headers, clock.now);
      await device.sync();
      const before = device.state.get('setting:negotiation')?.['version'];
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      let started: () => void = () => {};
      const inside = new Promise<void>((resolve) => (started = resolve));
      // T1: an owner's save writes its feed row and sleeps before committing.
      const t1 = db.transaction(async (tx) => {
        const saved = await writeSection(tx, 'negotiation', DEFAULT_NEGOTIATION_POLICY, {
          actorId: owner.user.id,
          now: clock.now(),
        });
        if (!saved) throw new Error('not saved');
        await recordSettingChange(tx, 'negotiation', saved.version);
        started();
        await gate;
      });
      await inside;
      // T2: the office logs a contact meanwhile. Writers no longer wait for each other
      // (server/sync/feed-sequence.ts): it commits, and a pull in between delivers it, not T1.
      clock.advance(7 * 24 * 3600_000);
      let contactId: string;
      try {
        contactId = await logContact(debtor);
        const during = await device.pull(device.cursor);
        expect(during.status).toBe(200);
        const seen = during.body.changes.map((c) => `${c.entity}:${c.id}`);
        expect(seen).toContain(`contact:${contactId}`);
        expect(seen).not.toContain('setting:negotiation');
        applyPage(device.state, during.body);
        device.cursor = during.body.cursor;
      } finally {
        release();
      }
      await t1;
      await device.sync();
      expect(device.state.get('setting:negotiation')?.['version']).toBe(Number(before) + 1);
      expect(device.state.has(`contact:${contactId}`)).toBe(true);
    });
});

test('a phone that synced before settings were in the feed gets them on its next pull after the upgrade', async () => {
  const db = await openPglite();
  try {
    const all = loadMigrations();
    await migrate(
      db,
      // Everything but the settings feed (later migrations are the code's own columns).
      all.filter((m) => m.version !== 60),
    );
    const clock = testClock('2025-03-10T12:00:00Z');
    const app = createApp({ db, version: 'test', now: clock.now });
    const collector = await seedUser(db, 'collector', { now: clock.now() });
    const device = testDevice(app, collector.headers, clock.now);
    await device.sync();
    // What the old app held: a cursor, and no sections.
    const [before] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM changes WHERE entity = 'setting'`,
    );
    expect(before?.n).toBe(0);
    await migrate(db, all);
    const res = await device.pull(device.cursor);
    expect(res.status).toBe(200);
    // The sections migration 0060 announced; 'messages' came later and reaches phones with its
    // first save (until then the phone's default is the server's: accents kept).
    expect(res.body.changes.map((c) => `${c.op}:${c.entity}:${c.id}`)).toEqual(
      SECTIONS.filter((key) => key !== 'messages').map((key) => `put:setting:${key}`),
    );
  } finally {
    await db.close();
  }
  // A cold PGlite init plus every migration, twice: ~35 s on a loaded 2-core machine.
}, 120_000);
