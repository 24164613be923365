import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Role } from '#shared/auth/user.schema';
import { DEFAULT_CADENCE_POLICY, type CadencePolicy } from '#shared/cadence/cadence.schema';
import { DEFAULT_NEGOTIATION_POLICY } from '#shared/negotiation/negotiation.schema';
import { defaultTemplate } from '#shared/templates/default-templates';
import { createApp } from '../app';
import type { Db } from '../db/db';
import { TEST_ORGANISATION } from '../cadence/testing';
import { forEachDb, openTestDb } from '#test/helpers/test-db';
import { seedUser, testClock, type SeededUser } from '#test/helpers/auth';
import { call, expectProblem } from '#test/helpers/http';

interface Section<T> {
  value: T;
  isDefault: boolean;
  version: number;
}

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  const users = {} as Record<Role, SeededUser>;
  const clock = testClock();

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test', now: clock.now });
    for (const role of ['owner', 'staff', 'collector'] as const)
      users[role] = await seedUser(db, role, { now: clock.now() });
  });
  afterAll(async () => {
    await db.close();
  });

  const as = (role: Role) => ({ headers: users[role].headers });

  describe('reading', () => {
    test('every signed-in role reads the defaults until an owner saves', async () => {
      for (const role of ['owner', 'staff', 'collector'] as const) {
        const res = await call<Section<CadencePolicy>>(
          app,
          'GET',
          '/api/settings/cadence',
          as(role),
        );
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ isDefault: true, version: 0 });
        expect(res.body.value.steps).toEqual(DEFAULT_CADENCE_POLICY.steps);
      }
      const all = await call<{ negotiation: unknown; templates: unknown[] }>(
        app,
        'GET',
        '/api/settings',
        as('collector'),
      );
      expect(all.body.negotiation).toEqual(DEFAULT_NEGOTIATION_POLICY);
      expect(all.body.templates.length).toBeGreaterThan(30);
    });

    test('without a token → 401', async () => {
      expectProblem(await call(app, 'GET', '/api/settings'), 401, 'unauthenticated');
    });
  });

  describe('writing is for owners only', () => {
    test.each([
      ['PUT', '/api/settings/organisation'],
      ['PUT', '/api/settings/cadence'],
      ['PUT', '/api/settings/contact-windows'],
      ['PUT', '/api/settings/negotiation'],
      ['PUT', '/api/settings/promise'],
      ['PUT', '/api/settings/holidays'],
      ['PUT', '/api/settings/templates/d0.sms'],
      ['DELETE', '/api/settings/templates/d0.sms'],
    ] as const)('%s %s: staff and collector → 403', async (method, path) => {
      for (const role of ['staff', 'collector'] as const)
        expectProblem(await call(app, method, path, { ...as(role), json: {} }), 403, 'forbidden');
    });
  });

  describe('organisation', () => {
    test('an owner saves the creditor identity; it is normalised, audited and versioned', async () => {
      const res = await call<{ configured: boolean; document: string; version: number }>(
        app,
        'PUT',
        '/api/settings/organisation',
        { ...as('owner'), json: TEST_ORGANISATION },
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        configured: true,
        legalName: 'Padaria Pão Quente Ltda',
        document: '11222333000181',
        address: { postalCode: '13010000', city: 'Campinas' },
        pix: { key: 'financeiro@paoquente.com.br', keyType: 'email' },
        timeZone: 'America/Sao_Paulo',
        state: 'SP',
        retentionDays: 1825,
      });
      const [row] = await db.query<{ creditor_address: string }>(
        'SELECT creditor_address FROM organisation',
      );
      expect(row?.creditor_address).toBe('Rua das Flores, 123, Centro, Campinas/SP, CEP 13010-000');
      const audits = await db.query<{ actor_id: string; detail: { changed: string[] } }>(
        `SELECT actor_id, detail FROM audit_log WHERE action = 'settings.update' AND entity_id = 'organisation'`,
      );
      expect(audits.at(-1)?.actor_id).toBe(users.owner.user.id);
      expect(audits.at(-1)?.detail.changed).toContain('legalName');
    });

    test('a wrong CNPJ check digit is refused naming the field', async () => {
      const res = await call(app, 'PUT', '/api/settings/organisation', {
        ...as('owner'),
        json: { ...TEST_ORGANISATION, document: '11.222.333/0001-82' },
      });
      expectProblem(res, 422, 'validation', 'document');
    });

    test('a payment link without {txid} is refused', async () => {
      const res = await call(app, 'PUT', '/api/settings/organisation', {
        ...as('owner'),
        json: { ...TEST_ORGANISATION, paymentLinkTemplate: 'https://pague.example.com' },
      });
      expectProblem(res, 422, 'validation', 'paymentLinkTemplate');
    });

    test('a stale If-Match is 412 and changes nothing', async () => {
      const before = await call<{ version: number }>(
        app,
        'GET',
        '/api/settings/organisation',
        as('staff'),
      );
      const res = await call(app, 'PUT', '/api/settings/organisation', {
        headers: { ...users.owner.headers, 'if-match': String(before.body.version - 1) },
        json: { ...TEST_ORGANISATION, legalName: 'Outra Ltda' },
      });
      expectProblem(res, 412, 'stale-version');
      const after = await call<{ legalName: string }>(
        app,
        'GET',
        '/api/settings/organisation',
        as('staff'),
      );
      expect(after.body.legalName).toBe('Padaria Pão Quente Ltda');
    });
  });

  describe('cadence and contact windows', () => {
    test('a step naming a template that does not exist is refused', async () => {
      const policy = structuredClone(DEFAULT_CADENCE_POLICY);
      policy.steps[0] = { ...policy.steps[0]!, templateId: 'd-3.telegram' };
      const res = await call(app, 'PUT', '/api/settings/cadence', { ...as('owner'), json: policy });
      expectProblem(res, 422, 'validation', 'steps[0].templateId');
    });

    test('a step whose template is for another channel is refused', async () => {
      const policy = structuredClone(DEFAULT_CADENCE_POLICY);
      policy.steps[0] = { ...policy.steps[0]!, templateId: 'd-3.sms' };
      const res = await call(app, 'PUT', '/api/settings/cadence', { ...as('owner'), json: policy });
      expectProblem(res, 422, 'validation', 'steps[0].templateId');
    });

    test('a time zone other than the organisation’s is refused', async () => {
      const policy = { ...DEFAULT_CADENCE_POLICY, timeZone: 'America/Manaus' };
      const res = await call(app, 'PUT', '/api/settings/cadence', { ...as('owner'), json: policy });
      expectProblem(res, 422, 'validation', 'timeZone');
    });

    test('a valid policy is saved; contact windows read and replace their part of it', async () => {
      const policy = { ...DEFAULT_CADENCE_POLICY, minDaysOverdueForNegativacao: 10 };
      const saved = await call<Section<CadencePolicy>>(app, 'PUT', '/api/settings/cadence', {
        ...as('owner'),
        json: policy,
      });
      expect(saved.status).toBe(200);
      expect(saved.body).toMatchObject({ isDefault: false, version: 1 });

      const windows = await call<Section<{ budget: unknown }>>(
        app,
        'GET',
        '/api/settings/contact-windows',
        as('collector'),
      );
      expect(windows.body.value.budget).toEqual({ maxPerDay: 1, maxPer7Days: 2 });
      const put = await call(app, 'PUT', '/api/settings/contact-windows', {
        headers: { ...users.owner.headers, 'if-match': '1' },
        json: {
          windows: { ...DEFAULT_CADENCE_POLICY.windows, saturday: null },
          stateWindows: {},
          budget: { maxPerDay: 1, maxPer7Days: 3 },
        },
      });
      expect(put.status).toBe(200);
      const after = await call<Section<CadencePolicy>>(
        app,
        'GET',
        '/api/settings/cadence',
        as('staff'),
      );
      expect(after.body.version).toBe(2);
      expect(after.body.value.budget.maxPer7Days).toBe(3);
      expect(after.body.value.windows.saturday).toBeNull();
      expect(after.body.value.stateWindows).toEqual({});
      // The rest of the policy is untouched.
      expect(after.body.value.minDaysOverdueForNegativacao).toBe(10);
    });

    test('a budget of zero contacts is refused naming the field', async () => {
      const res = await call(app, 'PUT', '/api/settings/contact-windows', {
        ...as('owner'),
        json: {
          windows: DEFAULT_CADENCE_POLICY.windows,
          stateWindows: {},
          budget: { maxPerDay: 0, maxPer7Days: 2 },
        },
      });
      expectProblem(res, 422, 'validation', 'budget.maxPerDay');
    });
  });

  describe('templates', () => {
    const base = defaultTemplate('d0.sms');
    if (base?.channel !== 'sms') throw new Error('fixture: d0.sms must be an SMS template');

    test('an unknown placeholder is refused with the linter findings, nothing saved', async () => {
      const res = await call<{ findings: { rule: string; severity: string }[] }>(
        app,
        'PUT',
        '/api/settings/templates/d0.sms',
        { ...as('owner'), json: { ...base, body: 'Oi {{debtor_first_name}}, pague {{valor}}.' } },
      );
      expectProblem(res, 422, 'template-lint', 'body');
      expect(res.body.findings).toContainEqual(
        expect.objectContaining({ rule: 'unknown_placeholder', severity: 'error' }),
      );
      const list = await call<{ templates: { template: { id: string }; source: string }[] }>(
        app,
        'GET',
        '/api/settings/templates',
        as('staff'),
      );
      expect(list.body.templates.find((t) => t.template.id === 'd0.sms')?.source).toBe('default');
    });

    test('a threat is refused', async () => {
      const res = await call(app, 'PUT', '/api/settings/templates/d0.sms', {
        ...as('owner'),
        json: { ...base, body: 'Pague hoje ou vamos chamar a polícia.' },
      });
      expectProblem(res, 422, 'template-lint');
    });

    test('warnings are saved and returned; DELETE goes back to the default', async () => {
      const body = 'Oi {{debtor_first_name}}, sua conta de {{amount_due}} vence hoje!!!';
      const res = await call<{ findings: { rule: string; severity: string }[] }>(
        app,
        'PUT',
        '/api/settings/templates/d0.sms',
        { ...as('owner'), json: { ...base, body } },
      );
      expect(res.status).toBe(200);
      expect(res.body.findings.every((f) => f.severity === 'warning')).toBe(true);
      expect(res.body.findings.map((f) => f.rule)).toContain('exclamation');
      const list = await call<{
        templates: { template: { id: string; body: string }; source: string }[];
      }>(app, 'GET', '/api/settings/templates', as('collector'));
      const saved = list.body.templates.find((t) => t.template.id === 'd0.sms');
      expect(saved).toMatchObject({ source: 'override', template: { body } });

      const reset = await call<{ template: { body: string } }>(
        app,
        'DELETE',
        '/api/settings/templates/d0.sms',
        as('owner'),
      );
      expect(reset.status).toBe(200);
      expect(reset.body.template.body).toBe(base.body);
    });

    test('a body id different from the path is refused', async () => {
      const res = await call(app, 'PUT', '/api/settings/templates/d0.sms', {
        ...as('owner'),
        json: { ...base, id: 'd0.other' },
      });
      expectProblem(res, 422, 'validation', 'id');
    });

    test('a template the régua uses cannot switch channel', async () => {
      const email = defaultTemplate('d+5.email');
      if (email?.channel !== 'email') throw new Error('fixture');
      const res = await call(app, 'PUT', '/api/settings/templates/d+5.email', {
        ...as('owner'),
        json: {
          id: 'd+5.email',
          channel: 'sms',
          tone: 'neutral',
          privacySafe: false,
          body: 'Oi {{debtor_first_name}}.',
        },
      });
      expectProblem(res, 422, 'validation', 'channel');
    });

    test('lint preview answers findings without saving', async () => {
      const res = await call<{ ok: boolean }>(app, 'POST', '/api/settings/templates/lint', {
        ...as('staff'),
        json: { ...base, body: 'Oi {{nome}}' },
      });
      expect(res.status).toBe(200);
      expect(res.body.ok).toBe(false);
    });
  });
});
