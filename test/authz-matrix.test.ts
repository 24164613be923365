/**
 * The authorisation matrix: EVERY route of the app (enumerated from `app.routes`, so a new route
 * without an entry here fails) × caller (owner, staff, collector, anonymous, and the owner's and
 * staff's personal tokens of scope `extension`) × target debtor (assigned to the collector or
 * not). An extension token reaches only the routes in EXTENSION_SCOPE (else 403 `token-scope`,
 * whatever its user's role: an owner's extension token cannot create users). Expected: anonymous → 401 on protected routes; a role the
 * route does not admit → 403; a collector on a debtor not assigned to them → 404 (never 403: the
 * debtor's existence must not leak); an admitted caller → anything but 401/403/404/5xx (a 409 or
 * 422 still proves the gate let them through).
 */
import { CLIENT_SCHEMA_VERSION } from '#shared/sync/envelope.schema';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Role } from '#shared/auth/user.schema';
import { createApp } from '../server/app';
import type { Db } from '../server/db/db';
import { issueToken } from '../server/auth/tokens.repo';
import { EXTENSION_TOKEN_ROUTES } from '../server/auth/token-scope';
import { forEachDb, openTestDb } from './helpers/test-db';
import { seedUser, testClock, type SeededUser } from './helpers/auth';
import { call } from './helpers/http';
import { assign, createDebt, createDebtor } from './helpers/ledger';

type Who = Role | 'anonymous' | 'owner-extension-token' | 'staff-extension-token';
type TokenCaller = Extract<Who, `${string}-extension-token`>;

/**
 * The only routes a personal token of scope `extension` may call (what the extension does:
 * lookup, search, detail, queue, creditor data and templates, contacts, chat identity
 * confirmation, its own sign-out). Stated here independently of server/auth/token-scope.ts.
 */
const EXTENSION_SCOPE: readonly string[] = [
  'GET /api/auth/me',
  'POST /api/auth/logout',
  'GET /api/debtors/lookup',
  'GET /api/debtors',
  'GET /api/debtors/:id',
  'POST /api/debtors/:id/portal-links',
  'GET /api/cadence/today',
  'GET /api/settings/organisation',
  'GET /api/settings/templates',
  'POST /api/contacts',
  'GET /api/extension/chat-identities',
  'POST /api/extension/chat-identities',
  'DELETE /api/extension/chat-identities/:id',
];
type Target = 'assigned' | 'unassigned';

/** The rows of one debtor the matrix acts on. */
interface Rows {
  debtor: string;
  debt: string;
  payment: string;
  promise: string;
  agreement: string;
  dispute: string;
  escalation: string;
  /** The debtor's phone (contact point id). */
  point: string;
}

interface Fixture {
  assigned: Rows;
  unassigned: Rows;
  spare: string;
  users: Record<Role, SeededUser>;
  otherCollector: SeededUser;
  /** Personal tokens (scope `extension`) of the owner and of the staff member. */
  tokens: Record<TokenCaller, Record<string, string>>;
}

interface Req {
  path: string;
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
}

interface Entry {
  /** Who may call it; 'public' routes need no session. */
  roles: readonly Role[] | 'public';
  /** A collector reaches it only for assigned debtors (404 otherwise). */
  scoped: boolean;
  request: (f: Fixture, r: Rows) => Req;
  /** Statuses an admitted caller may get, when the default (not 401/403/404/5xx) is too strict. */
  allowed?: readonly number[];
  /** Use a throwaway session (the route ends it). */
  freshSession?: boolean;
}

const ALL: readonly Role[] = ['owner', 'staff', 'collector'];
const OFFICE: readonly Role[] = ['owner', 'staff'];
const OWNER: readonly Role[] = ['owner'];
const NO_ID = '01890a5d-ac96-774b-bcce-b302099a8057';
const MATRIX_CHAT = 'whatsapp:204283749201837@lid';
const SYNC_DEVICE = '6f1c2b1e-9a0b-4c5d-8e7f-001122334455';
const SYNC_NOW = '2025-03-10T09:00:00-03:00';
const SYNC_HEALTH = {
  app_version: '1.0.0',
  schema_version: CLIENT_SCHEMA_VERSION,
  outbox_pending: 0,
  outbox_oldest_pending_at: null,
  outbox_rejected: 0,
  persisted: true,
  storage_usage: 1,
  storage_quota: 100,
  installed: true,
  last_error: null,
  user_agent: 'authz-matrix',
};

const MATRIX: Record<string, Entry> = {
  'GET /api/health': { roles: 'public', scoped: false, request: () => ({ path: '/api/health' }) },
  'GET /api/openapi.json': {
    roles: 'public',
    scoped: false,
    request: () => ({ path: '/api/openapi.json' }),
  },
  'POST /api/auth/login': {
    roles: 'public',
    scoped: false,
    allowed: [401, 429],
    request: () => ({
      path: '/api/auth/login',
      json: { email: 'nobody@example.com', password: 'wrong password here' },
    }),
  },
  'POST /api/setup': {
    roles: 'public',
    scoped: false,
    allowed: [400, 401, 403, 404, 409, 410, 422],
    request: () => ({
      path: '/api/setup',
      json: {
        token: 'not-a-token',
        email: 'x@example.com',
        name: 'X',
        password: 'a long enough password',
      },
    }),
  },
  'POST /api/auth/logout': {
    roles: ALL,
    scoped: false,
    freshSession: true,
    request: () => ({ path: '/api/auth/logout' }),
  },
  'GET /api/auth/me': { roles: ALL, scoped: false, request: () => ({ path: '/api/auth/me' }) },
  'GET /api/auth/tokens': {
    roles: OFFICE,
    scoped: false,
    request: () => ({ path: '/api/auth/tokens' }),
  },
  'POST /api/auth/tokens': {
    roles: OFFICE,
    scoped: false,
    request: () => ({ path: '/api/auth/tokens', json: { name: 'extensão', days: 30 } }),
  },
  'DELETE /api/auth/tokens/:id': {
    roles: OFFICE,
    scoped: false,
    allowed: [200, 204, 404],
    request: () => ({ path: `/api/auth/tokens/${NO_ID}` }),
  },
  'GET /api/users': { roles: OWNER, scoped: false, request: () => ({ path: '/api/users' }) },
  'POST /api/users': {
    roles: OWNER,
    scoped: false,
    request: () => ({
      path: '/api/users',
      json: {
        email: 'matrix@example.com',
        name: 'M',
        role: 'staff',
        password: 'a long enough password',
      },
    }),
  },
  'GET /api/users/:id': {
    roles: OWNER,
    scoped: false,
    request: (f) => ({ path: `/api/users/${f.users.staff.user.id}` }),
  },
  'PATCH /api/users/:id': {
    roles: OWNER,
    scoped: false,
    request: (f) => ({ path: `/api/users/${f.users.staff.user.id}`, json: { name: 'Equipe' } }),
  },

  'GET /api/debtor-duplicates': {
    roles: OFFICE,
    scoped: false,
    request: () => ({ path: '/api/debtor-duplicates' }),
  },
  'GET /api/debtors/:id/story': {
    roles: OFFICE,
    scoped: true,
    request: (_f, r) => ({ path: `/api/debtors/${r.debtor}/story` }),
  },
  'POST /api/debtors/:id/contact-points': {
    roles: OFFICE,
    scoped: true,
    request: (_f, r) => ({
      path: `/api/debtors/${r.debtor}/contact-points`,
      json: { kind: 'email', value: 'matriz@exemplo.com' },
    }),
  },
  'PATCH /api/debtors/:id/contact-points/:pointId': {
    roles: OFFICE,
    scoped: true,
    request: (_f, r) => ({
      path: `/api/debtors/${r.debtor}/contact-points/${r.point}`,
      json: { version: 99, label: 'celular' },
    }),
  },
  'POST /api/debtors/:id/contact-points/:pointId/verification': {
    roles: OFFICE,
    scoped: true,
    request: (_f, r) => ({
      path: `/api/debtors/${r.debtor}/contact-points/${r.point}/verification`,
      json: { state: 'verified', source: 'in_person' },
    }),
  },
  'POST /api/debtors/:id/merge': {
    roles: OWNER,
    scoped: true,
    request: (f, r) => ({
      path: `/api/debtors/${r.debtor}/merge`,
      json: { duplicateId: f.spare, version: 99, duplicateVersion: 99 },
    }),
  },
  'POST /api/users/:id/password-reset': {
    roles: OWNER,
    scoped: false,
    request: (f) => ({ path: `/api/users/${f.users.staff.user.id}/password-reset` }),
  },
  'GET /api/users/:id/access': {
    roles: OWNER,
    scoped: false,
    request: (f) => ({ path: `/api/users/${f.users.collector.user.id}/access` }),
  },
  'DELETE /api/users/:id/tokens/:tokenId': {
    roles: OWNER,
    scoped: false,
    allowed: [204, 404],
    request: (f) => ({ path: `/api/users/${f.users.staff.user.id}/tokens/${NO_ID}` }),
  },
  'POST /api/users/:id/devices/:deviceId/revoke': {
    roles: OWNER,
    scoped: false,
    // An unknown device: admitted callers reach the route's own 404.
    allowed: [404],
    request: (f) => ({ path: `/api/users/${f.users.collector.user.id}/devices/${NO_ID}/revoke` }),
  },
  'POST /api/password-reset/check': {
    roles: 'public',
    scoped: false,
    allowed: [410, 422],
    request: () => ({
      path: '/api/password-reset/check',
      json: { token: 'quita_reset_not_a_real_link_at_all' },
    }),
  },
  'POST /api/password-reset': {
    roles: 'public',
    scoped: false,
    allowed: [410, 422],
    request: () => ({
      path: '/api/password-reset',
      json: { token: 'quita_reset_not_a_real_link_at_all', password: 'sabiá laranjeira 1987' },
    }),
  },
  'POST /api/users/:id/sign-in-code': {
    roles: OWNER,
    scoped: false,
    request: (f) => ({ path: `/api/users/${f.users.collector.user.id}/sign-in-code` }),
  },
  'POST /api/auth/code/check': {
    roles: 'public',
    scoped: false,
    allowed: [410, 429],
    request: () => ({
      path: '/api/auth/code/check',
      json: { code: 'quita_code_not_a_real_code_at_all_000' },
    }),
  },
  'POST /api/auth/code': {
    roles: 'public',
    scoped: false,
    allowed: [410, 429],
    request: () => ({
      path: '/api/auth/code',
      json: { code: 'quita_code_not_a_real_code_at_all_000' },
    }),
  },
  'GET /api/onboarding': {
    roles: OWNER,
    scoped: false,
    request: () => ({ path: '/api/onboarding' }),
  },
  'PUT /api/onboarding/steps/:step': {
    roles: OWNER,
    scoped: false,
    request: () => ({ path: '/api/onboarding/steps/import', json: { state: 'skipped' } }),
  },
  'POST /api/onboarding/name': {
    roles: OWNER,
    scoped: false,
    request: (f) => ({ path: '/api/onboarding/name', json: { name: f.users.owner.user.name } }),
  },
  'POST /api/demo': {
    roles: OWNER,
    scoped: false,
    // The fixture's organisation has debtors of its own: an admitted owner gets the route's 409.
    allowed: [409],
    request: () => ({ path: '/api/demo', json: {} }),
  },

  'GET /api/debtors/lookup': {
    roles: ALL,
    scoped: false,
    request: () => ({ path: '/api/debtors/lookup?phone=11987654321' }),
  },
  'GET /api/debtors': { roles: ALL, scoped: false, request: () => ({ path: '/api/debtors?q=a' }) },
  'POST /api/debtors': {
    roles: OFFICE,
    scoped: false,
    request: () => ({ path: '/api/debtors', json: { kind: 'person', name: 'Nova' } }),
  },
  'GET /api/debtors/:id': {
    roles: ALL,
    scoped: true,
    request: (_f, r) => ({ path: `/api/debtors/${r.debtor}` }),
  },
  'GET /api/debtors/:id/timeline': {
    roles: ALL,
    scoped: true,
    request: (_f, r) => ({ path: `/api/debtors/${r.debtor}/timeline` }),
  },
  'PATCH /api/debtors/:id': {
    roles: ALL,
    scoped: true,
    request: (_f, r) => ({
      path: `/api/debtors/${r.debtor}`,
      json: { version: 1, preferredChannel: 'sms' },
    }),
  },

  // The debtor's page link for a message: every role that writes to the debtor may get it.
  'POST /api/debtors/:id/portal-links': {
    roles: ALL,
    scoped: true,
    request: (_f, r) => ({ path: `/api/debtors/${r.debtor}/portal-links` }),
  },
  'GET /api/debtors/:id/portal-links': {
    roles: OFFICE,
    scoped: true,
    request: (_f, r) => ({ path: `/api/debtors/${r.debtor}/portal-links` }),
  },
  'DELETE /api/debtors/:id/portal-links': {
    roles: OFFICE,
    scoped: true,
    request: (_f, r) => ({ path: `/api/debtors/${r.debtor}/portal-links` }),
  },

  // New due dates debtors asked for on their page: the office answers them.
  'GET /api/portal/requests': {
    roles: OFFICE,
    scoped: false,
    request: () => ({ path: '/api/portal/requests' }),
  },
  'POST /api/portal/requests/:id/grant': {
    roles: OFFICE,
    scoped: false,
    allowed: [404],
    request: () => ({ path: `/api/portal/requests/${NO_ID}/grant`, json: {} }),
  },
  'POST /api/portal/requests/:id/refuse': {
    roles: OFFICE,
    scoped: false,
    allowed: [404],
    request: () => ({ path: `/api/portal/requests/${NO_ID}/refuse`, json: { note: 'não' } }),
  },

  'GET /api/debts': {
    roles: ALL,
    scoped: true,
    request: (_f, r) => ({ path: `/api/debts?debtorId=${r.debtor}` }),
  },
  'POST /api/debts': {
    roles: OFFICE,
    scoped: true,
    request: (_f, r) => ({
      path: '/api/debts',
      json: {
        debtorId: r.debtor,
        description: 'X',
        principal: 1_000,
        issueDate: '2025-01-01',
        dueDate: '2025-02-01',
        kind: 'consumer',
      },
    }),
  },
  'GET /api/debts/:id': {
    roles: ALL,
    scoped: true,
    request: (_f, r) => ({ path: `/api/debts/${r.debt}` }),
  },
  'PATCH /api/debts/:id': {
    roles: OFFICE,
    scoped: true,
    request: (_f, r) => ({ path: `/api/debts/${r.debt}`, json: { version: 99, description: 'Y' } }),
  },
  'POST /api/debts/:id/cancel': {
    roles: OFFICE,
    scoped: true,
    // An unknown id: admitted callers get as far as the lookup (404 is the route's own answer).
    allowed: [404],
    request: () => ({ path: `/api/debts/${NO_ID}/cancel`, json: { reason: 'teste' } }),
  },

  'GET /api/payments': {
    roles: ALL,
    scoped: true,
    request: (_f, r) => ({ path: `/api/payments?debtorId=${r.debtor}` }),
  },
  'POST /api/payments': {
    roles: OFFICE,
    scoped: true,
    request: (_f, r) => ({
      path: '/api/payments',
      json: { debtId: r.debt, date: '2025-03-10', amount: 100, method: 'pix' },
    }),
  },
  'POST /api/payments/reported': {
    roles: ALL,
    scoped: true,
    request: (_f, r) => ({
      path: '/api/payments/reported',
      json: {
        debtId: r.debt,
        date: '2025-03-10',
        amount: 100,
        method: 'cash',
        receiptNumber: 'M-1',
        reportedAt: '2025-03-10T11:00:00.000Z',
      },
    }),
  },
  'POST /api/payments/:id/confirm': {
    roles: OFFICE,
    scoped: true,
    request: (_f, r) => ({ path: `/api/payments/${r.payment}/confirm` }),
  },
  'POST /api/payments/:id/reject': {
    roles: OFFICE,
    scoped: true,
    request: (_f, r) => ({ path: `/api/payments/${r.payment}/reject`, json: { reason: 'não' } }),
  },

  'GET /api/promises': {
    roles: ALL,
    scoped: true,
    request: (_f, r) => ({ path: `/api/promises?debtorId=${r.debtor}` }),
  },
  'POST /api/promises': {
    roles: ALL,
    scoped: true,
    request: (_f, r) => ({
      path: '/api/promises',
      json: {
        debtorId: r.debtor,
        debtIds: [r.debt],
        amount: 5_000,
        dueDate: '2025-03-12',
        channel: 'visit',
      },
    }),
  },
  'POST /api/promises/:id/cancel': {
    roles: ALL,
    scoped: true,
    request: (_f, r) => ({ path: `/api/promises/${r.promise}/cancel`, json: { reason: 'teste' } }),
  },

  'GET /api/agreements': {
    roles: ALL,
    scoped: true,
    request: (_f, r) => ({ path: `/api/agreements?debtorId=${r.debtor}` }),
  },
  'GET /api/agreements/:id': {
    roles: ALL,
    scoped: true,
    request: (_f, r) => ({ path: `/api/agreements/${r.agreement}` }),
  },
  'POST /api/agreements': {
    roles: ALL,
    scoped: true,
    request: (_f, r) => ({
      path: '/api/agreements',
      json: {
        debtorId: r.debtor,
        debtIds: [r.debt],
        downPayment: 1_000,
        installments: 0,
        firstDueDate: '2025-03-12',
      },
    }),
  },
  'POST /api/agreements/:id/approve': {
    roles: OWNER,
    scoped: true,
    request: (_f, r) => ({ path: `/api/agreements/${r.agreement}/approve` }),
  },
  'POST /api/agreements/:id/reject': {
    roles: OWNER,
    scoped: true,
    request: (_f, r) => ({
      path: `/api/agreements/${r.agreement}/reject`,
      json: { reason: 'não' },
    }),
  },

  'GET /api/disputes': {
    roles: ALL,
    scoped: true,
    request: (_f, r) => ({ path: `/api/disputes?debtorId=${r.debtor}` }),
  },
  'POST /api/disputes': {
    roles: ALL,
    scoped: true,
    request: (_f, r) => ({
      path: '/api/disputes',
      json: { debtorId: r.debtor, debtId: r.debt, reason: 'other' },
    }),
  },
  'POST /api/disputes/:id/resolve': {
    roles: OFFICE,
    scoped: true,
    request: (_f, r) => ({
      path: `/api/disputes/${r.dispute}/resolve`,
      json: { outcome: 'rejected', note: 'ok' },
    }),
  },
  'POST /api/disputes/:id/withdraw': {
    roles: ALL,
    scoped: true,
    request: (_f, r) => ({ path: `/api/disputes/${r.dispute}/withdraw`, json: { reason: 'ok' } }),
  },

  'GET /api/contacts': {
    roles: ALL,
    scoped: true,
    request: (_f, r) => ({ path: `/api/contacts?debtorId=${r.debtor}` }),
  },
  'POST /api/contacts': {
    roles: ALL,
    scoped: true,
    request: (_f, r) => ({ path: '/api/contacts', json: { debtorId: r.debtor, channel: 'visit' } }),
  },
  'GET /api/notices': {
    roles: ALL,
    scoped: true,
    request: (_f, r) => ({ path: `/api/notices?debtorId=${r.debtor}` }),
  },
  'POST /api/notices': {
    roles: OFFICE,
    scoped: true,
    request: (_f, r) => ({
      path: '/api/notices',
      json: {
        debtorId: r.debtor,
        debtId: r.debt,
        purpose: 'protesto',
        method: 'letter',
        sentTo: 'Rua A',
        sentOn: '2025-03-01',
        amountStated: 100,
      },
    }),
  },
  'GET /api/escalations': {
    roles: OFFICE,
    scoped: true,
    request: (_f, r) => ({ path: `/api/escalations?debtorId=${r.debtor}` }),
  },
  'POST /api/escalations': {
    roles: OWNER,
    scoped: true,
    request: (_f, r) => ({
      path: '/api/escalations',
      json: { debtorId: r.debtor, debtId: r.debt, kind: 'protesto' },
    }),
  },
  'POST /api/escalations/:id/listed': {
    roles: OWNER,
    scoped: true,
    request: (_f, r) => ({
      path: `/api/escalations/${r.escalation}/listed`,
      json: { listedOn: '2025-03-10' },
    }),
  },
  'POST /api/escalations/:id/removed': {
    roles: OWNER,
    scoped: true,
    request: (_f, r) => ({
      path: `/api/escalations/${r.escalation}/removed`,
      json: { removedOn: '2025-03-10' },
    }),
  },
  'POST /api/escalations/:id/cancel': {
    roles: OWNER,
    scoped: true,
    request: (_f, r) => ({
      path: `/api/escalations/${r.escalation}/cancel`,
      json: { reason: 'ok' },
    }),
  },
  'GET /api/assignments': {
    roles: OWNER,
    scoped: false,
    request: () => ({ path: '/api/assignments' }),
  },
  'POST /api/assignments': {
    roles: OWNER,
    scoped: false,
    // Re-assigning to the same collector changes nothing, so the matrix never moves its targets.
    request: (f) => ({
      path: '/api/assignments',
      json: { collectorId: f.users.collector.user.id, debtorIds: [f.assigned.debtor] },
    }),
  },
  'POST /api/assignments/unassign': {
    roles: OWNER,
    scoped: false,
    request: (f) => ({ path: '/api/assignments/unassign', json: { debtorIds: [f.spare] } }),
  },

  'POST /api/import/debtors': {
    roles: OFFICE,
    scoped: false,
    allowed: [200, 201, 400, 415, 422],
    request: () => ({
      path: '/api/import/debtors?dry_run=1',
      body: 'external_id,name,document,email,phone,address,city,state,debt_id,description,amount,due_date\n',
      headers: { 'content-type': 'text/csv' },
    }),
  },
  'GET /api/import/template.csv': {
    roles: OFFICE,
    scoped: false,
    request: () => ({ path: '/api/import/template.csv' }),
  },
  'POST /api/import/preview': {
    roles: OFFICE,
    scoped: false,
    request: () => ({
      path: '/api/import/preview',
      body: 'codigo_cliente;nome;cpf_cnpj\r\nA-1;Ana;529.982.247-25\r\n',
      headers: { 'content-type': 'text/csv' },
    }),
  },
  'GET /api/import/mappings': {
    roles: OFFICE,
    scoped: false,
    request: () => ({ path: '/api/import/mappings' }),
  },
  'PUT /api/import/mappings': {
    roles: OFFICE,
    scoped: false,
    request: () => ({
      path: '/api/import/mappings',
      json: {
        headers: ['Cod', 'Nome', 'Doc', 'Fatura', 'Total', 'Venc'],
        columns: { external_id: 0, name: 1, document: 2, debt_id: 3, amount: 4, due_date: 5 },
      },
    }),
  },
  'DELETE /api/import/mappings/:signature': {
    roles: OFFICE,
    scoped: false,
    // No map with this signature: admitted callers reach the lookup (404).
    allowed: [204, 404],
    request: () => ({ path: `/api/import/mappings/${'0'.repeat(32)}` }),
  },
  'GET /api/export/portfolio.csv': {
    roles: OFFICE,
    scoped: false,
    request: () => ({ path: '/api/export/portfolio.csv' }),
  },
  'GET /api/export/queue.csv': {
    roles: OFFICE,
    scoped: false,
    request: () => ({ path: '/api/export/queue.csv' }),
  },
  'GET /api/lgpd/report': {
    roles: OWNER,
    scoped: false,
    request: () => ({ path: '/api/lgpd/report?document=52998224725' }),
  },
  'GET /api/lgpd/anonymisation': {
    roles: OWNER,
    scoped: false,
    request: () => ({ path: '/api/lgpd/anonymisation' }),
  },
  'POST /api/lgpd/anonymisation': {
    roles: OWNER,
    scoped: false,
    // The matrix's debtors have open debts: admitted, nothing anonymised (skipped).
    request: (f) => ({ path: '/api/lgpd/anonymisation', json: { debtorIds: [f.spare] } }),
  },
  'GET /api/cadence/today': {
    roles: ALL,
    scoped: false,
    request: () => ({ path: '/api/cadence/today' }),
  },
  // 404 is the answer when the debtor has no work today for the role (or is not the collector's).
  'GET /api/cadence/today/:debtorId': {
    roles: ALL,
    scoped: false,
    allowed: [200, 404],
    request: (_f, r) => ({ path: `/api/cadence/today/${r.debtor}` }),
  },
  'GET /api/portfolio': {
    roles: OFFICE,
    scoped: false,
    request: () => ({ path: '/api/portfolio' }),
  },
  // Bank reconciliation is office work; a collector never sees the bank's credits.
  'POST /api/reconciliation/statements': {
    roles: OFFICE,
    scoped: false,
    request: () => ({
      path: '/api/reconciliation/statements',
      body: 'OFXHEADER:100\r\n\r\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>BRL<BANKTRANLIST></BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>',
      headers: { 'content-type': 'application/x-ofx' },
    }),
  },
  'GET /api/reconciliation/statements': {
    roles: OFFICE,
    scoped: false,
    request: () => ({ path: '/api/reconciliation/statements' }),
  },
  'GET /api/reconciliation/credits': {
    roles: OFFICE,
    scoped: false,
    request: () => ({ path: '/api/reconciliation/credits?status=suggested,unmatched' }),
  },
  'POST /api/reconciliation/credits/:id/confirm': {
    roles: OFFICE,
    scoped: false,
    // No credit exists in the fixture: the admitted caller reaches the lookup (404).
    allowed: [404],
    request: (_f, r) => ({
      path: `/api/reconciliation/credits/${NO_ID}/confirm`,
      json: { debtorId: r.debtor, target: { kind: 'debt', debtId: r.debt } },
    }),
  },
  'POST /api/reconciliation/credits/:id/undo': {
    roles: OFFICE,
    scoped: false,
    allowed: [404],
    request: () => ({
      path: `/api/reconciliation/credits/${NO_ID}/undo`,
      json: { reason: 'teste' },
    }),
  },
  'POST /api/reconciliation/credits/:id/ignore': {
    roles: OFFICE,
    scoped: false,
    allowed: [404],
    request: () => ({
      path: `/api/reconciliation/credits/${NO_ID}/ignore`,
      json: { reason: 'teste' },
    }),
  },
  'GET /api/reconciliation/refunds': {
    roles: OFFICE,
    scoped: false,
    request: () => ({ path: '/api/reconciliation/refunds' }),
  },
  'POST /api/reconciliation/refunds/:id/returned': {
    roles: OFFICE,
    scoped: false,
    allowed: [404],
    request: () => ({ path: `/api/reconciliation/refunds/${NO_ID}/returned` }),
  },
  // Sync is per collector: the feed is the collector's scope, so office roles get 403.
  'POST /api/sync/devices': {
    roles: ['collector'],
    scoped: false,
    allowed: [200, 201],
    request: () => ({
      path: '/api/sync/devices',
      json: { protocol: 1, device_id: SYNC_DEVICE, device_now: SYNC_NOW, health: SYNC_HEALTH },
    }),
  },
  'POST /api/sync/push': {
    roles: ['collector'],
    scoped: false,
    request: () => ({
      path: '/api/sync/push',
      json: {
        protocol: 1,
        device_id: SYNC_DEVICE,
        app_version: '1.0.0',
        schema_version: CLIENT_SCHEMA_VERSION,
        device_now: SYNC_NOW,
        health: SYNC_HEALTH,
        mutations: [],
      },
    }),
  },
  'GET /api/sync/pull': {
    roles: ['collector'],
    scoped: false,
    request: () => ({
      path: '/api/sync/pull?limit=50',
      headers: { 'x-quita-device': SYNC_DEVICE },
    }),
  },
  'POST /api/sync/integrity': {
    roles: ['collector'],
    scoped: false,
    request: (_f, r) => ({
      path: '/api/sync/integrity',
      json: {
        protocol: 1,
        device_id: SYNC_DEVICE,
        device_now: SYNC_NOW,
        health: SYNC_HEALTH,
        debtor_ids: [r.debtor],
      },
    }),
  },
  'GET /api/status/devices': {
    roles: OWNER,
    scoped: false,
    request: () => ({ path: '/api/status/devices' }),
  },
  'GET /api/status/conflicts': {
    roles: OWNER,
    scoped: false,
    request: () => ({ path: '/api/status/conflicts' }),
  },
  'POST /api/status/conflicts/:id/resolve': {
    roles: OWNER,
    scoped: false,
    // No conflict exists in the fixture: the admitted owner reaches the lookup (404).
    allowed: [404],
    request: () => ({
      path: `/api/status/conflicts/${NO_ID}/resolve`,
      json: { resolution: 'keep_applied' },
    }),
  },
  'GET /api/status/rejections': {
    roles: OWNER,
    scoped: false,
    request: () => ({ path: '/api/status/rejections' }),
  },
  'PATCH /api/status/devices/:id': {
    roles: OWNER,
    scoped: false,
    // No device exists in the fixture: the admitted owner reaches the lookup (404).
    allowed: [404],
    request: () => ({ path: `/api/status/devices/${NO_ID}`, json: { name: 'Moto G de Carlos' } }),
  },
  'GET /api/status/server': {
    roles: OWNER,
    scoped: false,
    request: () => ({ path: '/api/status/server' }),
  },
  'GET /api/settings': { roles: ALL, scoped: false, request: () => ({ path: '/api/settings' }) },
  'GET /api/settings/organisation': {
    roles: ALL,
    scoped: false,
    request: () => ({ path: '/api/settings/organisation' }),
  },
  'PUT /api/settings/organisation': {
    roles: OWNER,
    scoped: false,
    request: () => ({ path: '/api/settings/organisation', json: {} }),
  },
  'GET /api/settings/cadence': {
    roles: ALL,
    scoped: false,
    request: () => ({ path: '/api/settings/cadence' }),
  },
  'PUT /api/settings/cadence': {
    roles: OWNER,
    scoped: false,
    request: () => ({ path: '/api/settings/cadence', json: {} }),
  },
  'GET /api/settings/contact-windows': {
    roles: ALL,
    scoped: false,
    request: () => ({ path: '/api/settings/contact-windows' }),
  },
  'PUT /api/settings/contact-windows': {
    roles: OWNER,
    scoped: false,
    request: () => ({ path: '/api/settings/contact-windows', json: {} }),
  },
  'GET /api/settings/negotiation': {
    roles: ALL,
    scoped: false,
    request: () => ({ path: '/api/settings/negotiation' }),
  },
  'PUT /api/settings/negotiation': {
    roles: OWNER,
    scoped: false,
    request: () => ({ path: '/api/settings/negotiation', json: {} }),
  },
  'GET /api/settings/messages': {
    roles: ALL,
    scoped: false,
    request: () => ({ path: '/api/settings/messages' }),
  },
  'PUT /api/settings/messages': {
    roles: OWNER,
    scoped: false,
    request: () => ({ path: '/api/settings/messages', json: { smsSaveSegments: false } }),
  },
  'GET /api/settings/promise': {
    roles: ALL,
    scoped: false,
    request: () => ({ path: '/api/settings/promise' }),
  },
  'PUT /api/settings/promise': {
    roles: OWNER,
    scoped: false,
    request: () => ({ path: '/api/settings/promise', json: {} }),
  },
  'GET /api/settings/portal': {
    roles: ALL,
    scoped: false,
    request: () => ({ path: '/api/settings/portal' }),
  },
  'PUT /api/settings/portal': {
    roles: OWNER,
    scoped: false,
    request: () => ({ path: '/api/settings/portal', json: {} }),
  },
  'GET /api/settings/holidays': {
    roles: ALL,
    scoped: false,
    request: () => ({ path: '/api/settings/holidays' }),
  },
  'PUT /api/settings/holidays': {
    roles: OWNER,
    scoped: false,
    request: () => ({ path: '/api/settings/holidays', json: [] }),
  },
  'GET /api/settings/templates': {
    roles: ALL,
    scoped: false,
    request: () => ({ path: '/api/settings/templates' }),
  },
  'POST /api/settings/templates/lint': {
    roles: OFFICE,
    scoped: false,
    request: () => ({ path: '/api/settings/templates/lint', json: {} }),
  },
  'PUT /api/settings/templates/:id': {
    roles: OWNER,
    scoped: false,
    request: () => ({ path: '/api/settings/templates/matrix.sms', json: {} }),
  },
  'GET /api/extension/chat-identities': {
    roles: OFFICE,
    scoped: false,
    request: () => ({ path: `/api/extension/chat-identities?chat=${MATRIX_CHAT}` }),
  },
  'POST /api/extension/chat-identities': {
    roles: OFFICE,
    scoped: true,
    // The second target finds the chat confirmed for the first debtor: 409 still proves entry.
    request: (_f, r) => ({
      path: '/api/extension/chat-identities',
      json: { chat: MATRIX_CHAT, debtorId: r.debtor },
    }),
  },
  'DELETE /api/extension/chat-identities/:id': {
    roles: OFFICE,
    scoped: false,
    allowed: [404],
    request: () => ({ path: `/api/extension/chat-identities/${NO_ID}` }),
  },
  'DELETE /api/settings/templates/:id': {
    roles: OWNER,
    scoped: false,
    allowed: [200, 204, 404, 409],
    request: () => ({ path: '/api/settings/templates/matrix.sms' }),
  },
};

/** A personal API token (scope `extension`, as the extension mints) for `who`, as headers. */
async function extensionToken(db: Db, who: SeededUser, now: Date): Promise<Record<string, string>> {
  const { token } = await db.transaction((tx) =>
    issueToken(tx, {
      userId: who.user.id,
      kind: 'api',
      name: 'Extensão Chrome',
      now,
      expiresAt: new Date(now.getTime() + 86_400_000),
    }),
  );
  return { authorization: `Bearer ${token}` };
}

/** Every distinct `METHOD /path` under /api the app answers. */
function appRoutes(app: ReturnType<typeof createApp>): string[] {
  const keys = app.routes
    .filter((r) => r.method !== 'ALL' && r.path.startsWith('/api'))
    .map((r) => `${r.method} ${r.path}`);
  return [...new Set(keys)].sort();
}

function expected(entry: Entry, who: Who, target: Target, key: string): 'admitted' | number {
  if (who === 'owner-extension-token' || who === 'staff-extension-token')
    return EXTENSION_SCOPE.includes(key)
      ? expected(entry, who === 'owner-extension-token' ? 'owner' : 'staff', target, key)
      : 403;
  if (entry.roles === 'public') return 'admitted';
  if (who === 'anonymous') return 401;
  if (!entry.roles.includes(who)) return 403;
  if (who === 'collector' && entry.scoped && target === 'unassigned') return 404;
  return 'admitted';
}

async function rowsFor(
  app: ReturnType<typeof createApp>,
  owner: SeededUser,
  name: string,
  receipt: string,
): Promise<Rows> {
  const debtor = await createDebtor(app, owner, {
    name,
    contactPoints: [{ kind: 'phone', value: name === 'Alvo' ? '11 98765-4321' : '11 97777-0000' }],
    address: {
      street: 'Rua A',
      number: '1',
      district: 'Centro',
      city: 'São Paulo',
      state: 'SP',
      postalCode: '01001000',
    },
  });
  // 61 days late and large enough that an agreement needs the owner's approval.
  const debt = await createDebt(app, owner, debtor, {
    principal: 2_000_000,
    dueDate: '2025-01-08',
    issueDate: '2024-12-08',
  });
  const h = owner.headers;
  const ok = async <T>(method: string, path: string, json: unknown) => {
    const res = await call<T & { id: string }>(app, method, path, { headers: h, json });
    expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(201);
    return res.body.id;
  };
  await ok('POST', '/api/notices', {
    debtorId: debtor,
    debtId: debt,
    purpose: 'negativacao',
    method: 'letter',
    sentTo: 'Rua A, 1',
    sentOn: '2025-02-01',
    amountStated: 2_000_000,
  });
  const escalation = await ok('POST', '/api/escalations', {
    debtorId: debtor,
    debtId: debt,
    kind: 'negativacao',
  });
  const payment = await ok('POST', '/api/payments/reported', {
    debtId: debt,
    date: '2025-03-10',
    amount: 1_000,
    method: 'cash',
    receiptNumber: receipt,
    reportedAt: '2025-03-10T11:00:00.000Z',
  });
  const agreement = await ok('POST', '/api/agreements', {
    debtorId: debtor,
    debtIds: [debt],
    downPayment: 300_000,
    installments: 9,
    firstDueDate: '2025-03-14',
  });
  const promise = await ok('POST', '/api/promises', {
    debtorId: debtor,
    debtIds: [debt],
    amount: 50_000,
    dueDate: '2025-03-13',
    channel: 'phone',
  });
  const dispute = await ok('POST', '/api/disputes', {
    debtorId: debtor,
    debtId: debt,
    reason: 'wrong_amount',
  });
  const detail = await call<{ debtor: { contactPoints: { id: string }[] } }>(
    app,
    'GET',
    `/api/debtors/${debtor}`,
    { headers: h },
  );
  const point = detail.body.debtor.contactPoints[0]?.id ?? '';
  return { debtor, debt, payment, promise, agreement, dispute, escalation, point };
}

forEachDb((kind) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  const clock = testClock('2025-03-10T12:00:00Z');
  let fixture: Fixture;

  beforeAll(async () => {
    db = await openTestDb(kind);
    app = createApp({ db, version: 'test', now: clock.now });
    const users = {} as Record<Role, SeededUser>;
    for (const role of ['owner', 'staff', 'collector'] as const)
      users[role] = await seedUser(db, role, { now: clock.now() });
    const otherCollector = await seedUser(db, 'collector', { now: clock.now() });
    const assigned = await rowsFor(app, users.owner, 'Alvo', 'A-1');
    const unassigned = await rowsFor(app, users.owner, 'Outro', 'B-1');
    const spare = await createDebtor(app, users.owner, { name: 'Reserva' });
    await assign(app, users.owner, users.collector.user.id, [assigned.debtor]);
    await assign(app, users.owner, otherCollector.user.id, [unassigned.debtor, spare]);
    const tokens = {
      'owner-extension-token': await extensionToken(db, users.owner, clock.now()),
      'staff-extension-token': await extensionToken(db, users.staff, clock.now()),
    };
    fixture = { assigned, unassigned, spare, users, otherCollector, tokens };
  });
  afterAll(async () => {
    await db.close();
  });

  test('the extension scope names real routes, and the server enforces exactly it', () => {
    const routes = appRoutes(app);
    expect(EXTENSION_SCOPE.filter((k) => !routes.includes(k))).toEqual([]);
    expect([...EXTENSION_TOKEN_ROUTES].sort()).toEqual([...EXTENSION_SCOPE].sort());
  });

  test('every /api route has a matrix entry and every entry a route', () => {
    const routes = appRoutes(app);
    expect(
      routes.filter((r) => !(r in MATRIX)),
      'routes without a matrix entry',
    ).toEqual([]);
    expect(
      Object.keys(MATRIX).filter((k) => !routes.includes(k)),
      'entries without a route',
    ).toEqual([]);
  });

  describe.each(Object.keys(MATRIX).sort())('%s', (key) => {
    const entry = MATRIX[key] as Entry;
    const method = key.split(' ')[0] as string;
    test.each(
      (
        [
          'anonymous',
          'collector',
          'staff',
          'owner',
          'staff-extension-token',
          'owner-extension-token',
        ] as const
      ).flatMap((who) => (['unassigned', 'assigned'] as const).map((target) => ({ who, target }))),
    )('$who on the $target debtor', async ({ who, target }) => {
      const req = entry.request(fixture, fixture[target]);
      let auth: Record<string, string> = {};
      if (who === 'owner-extension-token' || who === 'staff-extension-token')
        auth = entry.freshSession
          ? await extensionToken(
              db,
              fixture.users[who === 'owner-extension-token' ? 'owner' : 'staff'],
              clock.now(),
            )
          : fixture.tokens[who];
      else if (who !== 'anonymous')
        auth = entry.freshSession
          ? (await seedUser(db, who, { now: clock.now() })).headers
          : fixture.users[who].headers;
      const res = await call(app, method, req.path, {
        headers: { ...req.headers, ...auth },
        ...(req.json === undefined ? {} : { json: req.json }),
        ...(req.body === undefined ? {} : { body: req.body }),
      });
      const want = expected(entry, who, target, key);
      const detail = `${who} ${target}: ${res.status} ${JSON.stringify(res.body)}`;
      expect(res.status, detail).toBeLessThan(500);
      if (want === 403 && who.endsWith('-extension-token') && !EXTENSION_SCOPE.includes(key)) {
        expect(res.status, detail).toBe(403);
        expect((res.body as { type?: string }).type, detail).toBe('/problems/token-scope');
      } else if (want !== 'admitted') expect(res.status, detail).toBe(want);
      else if (entry.allowed && res.status >= 400)
        expect(entry.allowed, detail).toContain(res.status);
      else if (!entry.allowed) expect([401, 403, 404], detail).not.toContain(res.status);
    });
  });

  /**
   * The debtor's page is not the API: no role, no bearer token and no other link's session opens
   * it. Every /p route (enumerated, so a new one without an entry fails) × caller: a stranger with
   * no cookie, a signed-in owner's bearer token, and a session opened on ANOTHER debtor's link
   * replayed here. None ever sees the debtor (no name in the answer) nor writes a fact.
   */
  describe("the debtor's page (/p/:token)", () => {
    type PortalCaller = 'stranger' | 'owner-bearer' | 'other-link-session';
    const PORTAL: Record<
      string,
      { status: Record<PortalCaller, number>; form?: Record<string, string> }
    > = {
      'GET /p/:token': {
        status: { stranger: 200, 'owner-bearer': 200, 'other-link-session': 200 },
      },
      'POST /p/:token/confirmar': {
        status: { stranger: 403, 'owner-bearer': 403, 'other-link-session': 403 },
        form: { doc: '000000', csrf: 'x' },
      },
      'POST /p/:token/acordo': {
        status: { stranger: 401, 'owner-bearer': 401, 'other-link-session': 401 },
        form: { primeiro: '2025-03-10', opcao: 'p3', confirmar: '1', total: '1' },
      },
      'POST /p/:token/promessa': {
        status: { stranger: 401, 'owner-bearer': 401, 'other-link-session': 401 },
        form: { data: '2025-03-12', valor: '100,00' },
      },
      'POST /p/:token/vencimento': {
        status: { stranger: 401, 'owner-bearer': 401, 'other-link-session': 401 },
        form: { data: '2025-05-01' },
      },
      'POST /p/:token/contestacao': {
        status: { stranger: 401, 'owner-bearer': 401, 'other-link-session': 401 },
        form: { motivo: 'other', descricao: 'x' },
      },
      'POST /p/:token/preferencias': {
        status: { stranger: 401, 'owner-bearer': 401, 'other-link-session': 401 },
        form: { canal: 'sms' },
      },
      'POST /p/:token/sair': {
        status: { stranger: 303, 'owner-bearer': 303, 'other-link-session': 303 },
      },
    };
    let target = { path: '', name: '' };
    let otherSession = '';

    beforeAll(async () => {
      // The page opens only for a creditor with its identity set (CDC art. 42-A).
      const org = await call(app, 'PUT', '/api/settings/organisation', {
        headers: fixture.users.owner.headers,
        json: {
          legalName: 'Credora Matriz Ltda',
          document: '11.222.333/0001-81',
          address: {
            street: 'Rua A',
            number: '1',
            district: 'Centro',
            city: 'São Paulo',
            state: 'SP',
            postalCode: '01001000',
          },
        },
      });
      expect(org.status).toBe(200);
      const mint = async (debtorId: string) => {
        const res = await call<{ url: string }>(
          app,
          'POST',
          `/api/debtors/${debtorId}/portal-links`,
          {
            headers: fixture.users.owner.headers,
          },
        );
        expect(res.status).toBe(200);
        return new URL(res.body.url).pathname;
      };
      target = { path: await mint(fixture.assigned.debtor), name: 'Alvo' };
      // A real session, opened on the other debtor's link with that debtor's own digits.
      const otherPath = await mint(fixture.unassigned.debtor);
      const [row] = await db.query<{ document: string }>(
        'SELECT document FROM debtors WHERE id = $1',
        [fixture.unassigned.debtor],
      );
      const first = await app.request(otherPath);
      const checkCookie = first.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      const csrf = /name="csrf" value="([^"]+)"/.exec(await first.text())?.[1] ?? '';
      const opened = await app.request(`${otherPath}/confirmar`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: checkCookie },
        body: new URLSearchParams({ csrf, doc: row?.document.slice(0, 6) ?? '' }).toString(),
      });
      expect(opened.status).toBe(303);
      otherSession = opened.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      expect(otherSession).toMatch(/^quita_p=/);
    });

    test('every /p route has an entry and every entry a route', () => {
      const routes = [
        ...new Set(
          app.routes
            .filter((r) => r.method !== 'ALL' && r.path.startsWith('/p/'))
            .map((r) => `${r.method} ${r.path}`),
        ),
      ].sort();
      expect(routes).toEqual(Object.keys(PORTAL).sort());
    });

    describe.each(Object.keys(PORTAL).sort())('%s', (key) => {
      const entry = PORTAL[key] as (typeof PORTAL)[string];
      test.each(['stranger', 'owner-bearer', 'other-link-session'] as const)('%s', async (who) => {
        const [method = 'GET', pattern = ''] = key.split(' ');
        const path = pattern.replace('/p/:token', target.path);
        const headers: Record<string, string> = {};
        if (who === 'owner-bearer') Object.assign(headers, fixture.users.owner.headers);
        if (who === 'other-link-session') headers['cookie'] = otherSession;
        const facts = async () =>
          (
            await db.query<{ n: number | string }>(
              `SELECT (SELECT count(*) FROM agreements) + (SELECT count(*) FROM promises)
                    + (SELECT count(*) FROM disputes) + (SELECT count(*) FROM due_date_requests) AS n`,
            )
          )[0]?.n;
        const before = await facts();
        let body: string | undefined;
        if (method === 'POST') {
          headers['content-type'] = 'application/x-www-form-urlencoded';
          body = new URLSearchParams(entry.form ?? {}).toString();
        }
        const res = await app.request(path, {
          method,
          headers,
          ...(body === undefined ? {} : { body }),
        });
        const text = await res.text();
        expect(res.status, `${who}: ${text.slice(0, 200)}`).toBe(entry.status[who]);
        expect(text).not.toContain(target.name);
        expect(text).not.toContain('Total hoje');
        expect(await facts()).toEqual(before);
      });
    });
  });
});
