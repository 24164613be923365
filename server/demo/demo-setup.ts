/**
 * The demo's people and creditor (`quita demo`, ./seed-demo.ts): the three collectors (and the
 * owner and office staff when the organisation has none), matched by e-mail; the creditor
 * identity and the PIX key, filled only when unset.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as v from 'valibot';
import type { Role } from '#shared/auth/user.schema';
import { OrganisationSettingsSchema } from '#shared/settings/settings.schema';
import { hashPassword } from '../auth/password';
import { findUserByEmail, insertUser } from '../auth/users.repo';
import { audit } from '../db/audit';
import type { Db } from '../db/db';
import { confirmName } from '../onboarding/onboarding.repo';
import { readOrganisation, writeOrganisation } from '../settings/settings.repo';
import { recordSettingChange } from '../sync/settings-feed';
import { DEMO_COLLECTORS } from './demo-portfolio';

/** A stable UUID (version 8, RFC 9562 "custom") from a name, so re-seeding finds its own rows. */
export function demoId(name: string): string {
  const h = createHash('sha256').update(`quita-demo:${name}`).digest('hex');
  const variant = ((parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface DemoUser {
  email: string;
  name: string;
  role: Role;
  /** Only for users created by this run; existing users keep their password. */
  password?: string;
  created: boolean;
}

const COLLECTORS = DEMO_COLLECTORS;

export async function ensureUsers(
  db: Db,
): Promise<{ users: DemoUser[]; ids: Map<string, string> }> {
  const users: DemoUser[] = [];
  const ids = new Map<string, string>();
  const wanted: { email: string; name: string; role: Role }[] = [];
  for (const role of ['owner', 'staff'] as const) {
    const [existing] = await db.query<{ email: string; id: string }>(
      'SELECT id, email FROM users WHERE role = $1 AND active ORDER BY created_at LIMIT 1',
      [role],
    );
    if (existing) {
      ids.set(role, existing.id);
      users.push({ email: existing.email, name: '', role, created: false });
    } else
      wanted.push(
        role === 'owner'
          ? { email: 'dona@quita.demo', name: 'Dona Demo', role }
          : { email: 'escritorio@quita.demo', name: 'Escritório Demo', role },
      );
  }
  wanted.push(...COLLECTORS.map((c) => ({ ...c, role: 'collector' as const })));
  for (const user of wanted) {
    const existing = await findUserByEmail(db, user.email);
    if (existing) {
      ids.set(user.role === 'collector' ? user.email : user.role, existing.id);
      users.push({ ...user, created: false });
      continue;
    }
    const password = randomBytes(9).toString('base64url');
    const passwordHash = await hashPassword(password);
    const row = await db.transaction(async (tx) => {
      const inserted = await insertUser(tx, { ...user, passwordHash });
      await audit(tx, {
        actor: null,
        action: 'user.create',
        entity: 'user',
        entityId: inserted.id,
        detail: { email: user.email, role: user.role, source: 'demo' },
      });
      return inserted;
    });
    ids.set(user.role === 'collector' ? user.email : user.role, row.id);
    users.push({ ...user, password, created: true });
    // The demo's owner has a real name: the guide need not ask for it.
    if (user.role === 'owner')
      await db.transaction((tx) => confirmName(tx, { by: row.id, now: new Date() }));
  }
  return { users, ids };
}

/**
 * The demo's creditor, so every message names one (CDC art. 42-A) and the PIX screens draw a
 * code. The CNPJ is the well-known documentation example; the PIX key is an e-mail at a domain
 * that cannot exist (`.demo` is no top-level domain), so a code scanned by a real bank app can
 * never pay a stranger.
 */
export const DEMO_CREDITOR = {
  legalName: 'Comércio Exemplo Ltda',
  tradeName: 'Loja Exemplo',
  document: '11.222.333/0001-81',
  phone: '(11) 3333-4444',
  address: {
    street: 'Rua da Demonstração',
    number: '100',
    district: 'Centro',
    city: 'São Paulo',
    state: 'SP',
    postalCode: '01001-000',
  },
} as const;
export const DEMO_PIX = { key: 'pix@quita.demo', keyType: 'email' } as const;

/** Fills the creditor identity and the PIX key where they are unset; keeps what an owner saved. */
export async function ensureOrganisation(
  db: Db,
  now: Date,
): Promise<{ creditor: 'filled' | 'kept'; pix: 'filled' | 'kept' }> {
  return db.transaction(async (tx) => {
    const org = await readOrganisation(tx);
    if (org.configured && org.pix !== null) return { creditor: 'kept', pix: 'kept' };
    const current =
      org.configured && org.legalName && org.document && org.address
        ? {
            legalName: org.legalName,
            ...(org.tradeName ? { tradeName: org.tradeName } : {}),
            document: org.document,
            address: org.address,
            ...(org.phone ? { phone: org.phone } : {}),
            ...(org.pixMerchantName ? { pixMerchantName: org.pixMerchantName } : {}),
            ...(org.pixMerchantCity ? { pixMerchantCity: org.pixMerchantCity } : {}),
            ...(org.paymentLinkTemplate ? { paymentLinkTemplate: org.paymentLinkTemplate } : {}),
          }
        : DEMO_CREDITOR;
    const input = v.parse(OrganisationSettingsSchema, {
      ...current,
      pix: org.pix ?? DEMO_PIX,
      timeZone: org.timeZone,
      state: org.configured ? org.state : DEMO_CREDITOR.address.state,
      retentionDays: org.retentionDays,
    });
    const saved = await writeOrganisation(tx, input, { actorId: null, now });
    if (!saved) throw new Error('the organisation row is missing');
    await recordSettingChange(tx, 'organisation', saved.version);
    const outcome = {
      creditor: org.configured ? 'kept' : 'filled',
      pix: org.pix === null ? 'filled' : 'kept',
    } as const;
    await audit(tx, {
      actor: null,
      action: 'settings.update',
      entity: 'settings',
      entityId: 'organisation',
      detail: { version: saved.version, source: 'demo', ...outcome },
    });
    return outcome;
  });
}
