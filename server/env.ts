/**
 * The server's configuration from environment variables, parsed once. Only `readEnv` looks at
 * the environment; everything else receives an `Env`.
 */
import * as v from 'valibot';
import { readOpsEnv, type OpsEnv } from './ops/ops-env';

const TEXT = 'deve ser um texto';
const NOT_EMPTY = 'não pode ficar vazio';
const ZERO_OR_ONE = 'deve ser 0, 1, true ou false';

const PortSchema = v.pipe(
  v.string(TEXT),
  v.regex(/^\d{1,5}$/, 'deve ser um número de porta'),
  v.transform(Number),
  v.maxValue(65_535, 'deve ser uma porta entre 0 e 65535'),
);

const EnvSchema = v.object({
  PORT: v.optional(PortSchema, '8787'),
  HOST: v.optional(v.pipe(v.string(TEXT), v.minLength(1, NOT_EMPTY)), '127.0.0.1'),
  DATABASE_URL: v.optional(
    v.pipe(
      v.string(TEXT),
      v.regex(/^postgres(ql)?:\/\//, 'deve começar com postgres:// ou postgresql://'),
    ),
  ),
  QUITA_DATA_DIR: v.optional(v.pipe(v.string(TEXT), v.minLength(1, NOT_EMPTY)), './data'),
  QUITA_OWNER_EMAIL: v.optional(v.string(TEXT)),
  QUITA_OWNER_PASSWORD: v.optional(v.string(TEXT)),
  QUITA_OWNER_NAME: v.optional(v.string(TEXT)),
  QUITA_PUBLIC_URL: v.optional(v.pipe(v.string(TEXT), v.url('deve ser uma URL'))),
  SMTP_URL: v.optional(
    v.pipe(v.string(TEXT), v.regex(/^smtps?:\/\//, 'deve começar com smtp:// ou smtps://')),
  ),
  QUITA_PWA: v.optional(v.picklist(['0', '1', 'true', 'false'], ZERO_OR_ONE)),
  QUITA_DEMO_DEBTORS: v.optional(
    v.pipe(
      v.string(TEXT),
      v.regex(/^\d{2,4}$/, 'deve ser um número de 10 a 5000'),
      v.transform(Number),
      v.minValue(10, 'deve ser um número de 10 a 5000'),
      v.maxValue(5000, 'deve ser um número de 10 a 5000'),
    ),
  ),
  QUITA_MAIL_FROM: v.optional(v.pipe(v.string(TEXT), v.email('deve ser um endereço de e-mail'))),
  QUITA_PORTAL_SECRET: v.optional(
    v.pipe(v.string(TEXT), v.minLength(32, 'deve ter pelo menos 32 caracteres')),
  ),
});

/** Parsed configuration. */
export interface Env {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  ownerEmail: string | undefined;
  ownerPassword: string | undefined;
  ownerName: string | undefined;
  publicUrl: string | undefined;
  /** HTTPS, proxies, logs, metrics, backups, embedded-database memory (server/ops/ops-env.ts). */
  ops: OpsEnv;
  /** Automatic e-mail steps are sent through this SMTP server; without it they wait as tasks. */
  smtpUrl: string | undefined;
  /** Build (when stale) and serve the PWA at `/`; QUITA_PWA=0 serves the API only. */
  buildPwa: boolean;
  /** Envelope sender of automatic e-mails (the display name is the creditor's legal name). */
  mailFrom: string;
  /** Debtors the demo loads (QUITA_DEMO_DEBTORS, 10–5000); undefined = the default 2,000. */
  demoDebtors: number | undefined;
  /** Derives the debtor's page links; else `<dataDir>/portal-secret` (server/portal/portal-token.ts). */
  portalSecret: string | undefined;
}

/** Parses `env`; throws a one-line error naming the variable. Empty strings count as unset. */
export function readEnv(env: Readonly<Record<string, string | undefined>>): Env {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = v.safeParse(EnvSchema, present);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    throw new Error(`${v.getDotPath(issue) ?? 'ambiente'}: ${issue.message}`);
  }
  const e = parsed.output;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.QUITA_DATA_DIR,
    ownerEmail: e.QUITA_OWNER_EMAIL,
    ownerPassword: e.QUITA_OWNER_PASSWORD,
    ownerName: e.QUITA_OWNER_NAME,
    publicUrl: e.QUITA_PUBLIC_URL,
    ops: readOpsEnv(present as Record<string, string>),
    smtpUrl: e.SMTP_URL,
    buildPwa: e.QUITA_PWA === undefined || e.QUITA_PWA === '1' || e.QUITA_PWA === 'true',
    mailFrom: e.QUITA_MAIL_FROM ?? 'cobranca@localhost',
    demoDebtors: e.QUITA_DEMO_DEBTORS,
    portalSecret: e.QUITA_PORTAL_SECRET,
  };
}
