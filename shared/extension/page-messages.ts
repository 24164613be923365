/**
 * Messages between the extension pages (overlay iframe, popup, options) and the service worker,
 * and the overlay's state: one valibot schema each, parsed on receipt. Debt data travels only on
 * these, never to a content script.
 */
import * as v from 'valibot';
import { DebtorStatusSchema } from '../api/ledger.schema';
import { CentsSchema } from '../money/cents.schema';

const Short = v.pipe(v.string(), v.maxLength(200));

// ---------------------------------------------------------------------------------------------
// Extension pages → service worker (one-off requests).

const ServerUrl = v.pipe(v.string(), v.trim(), v.url(), v.maxLength(300));

export const PageRequestSchema = v.variant('type', [
  v.object({ type: v.literal('status') }),
  v.object({
    type: v.literal('sign-in'),
    serverUrl: ServerUrl,
    email: v.pipe(v.string(), v.trim(), v.minLength(3), v.maxLength(254)),
    password: v.pipe(v.string(), v.minLength(1), v.maxLength(1000)),
  }),
  v.object({ type: v.literal('sign-out') }),
  /** From the options page: try now to revoke tokens whose sign-out could not reach the server. */
  v.object({ type: v.literal('retry-revocation') }),
  /** From the overlay: write a message into the compose box of the overlay's own tab. */
  v.object({ type: v.literal('insert'), messageId: Short }),
  /** From the overlay: log the contact just sent with message `messageId`. */
  v.object({ type: v.literal('log-contact'), messageId: Short }),
  /** From the overlay: look again now ("Tentar de novo"), dropping cached answers. */
  v.object({ type: v.literal('refresh') }),
  /** From the overlay: I believe this hidden-id chat is that debtor (a claim, kept locally). */
  v.object({ type: v.literal('link-chat'), debtorId: Short, name: Short }),
  /** From the overlay: forget this chat's hand link. */
  v.object({ type: v.literal('unlink-chat') }),
  /** From the overlay: the person identified themselves; record it on the server (audited). */
  v.object({ type: v.literal('confirm-identity'), debtorId: Short }),
  /** From the overlay: the confirmation of this chat was a mistake; revoke it (audited). */
  v.object({ type: v.literal('undo-identity') }),
  v.object({ type: v.literal('queue') }),
  v.object({ type: v.literal('search'), query: v.pipe(v.string(), v.trim(), v.maxLength(120)) }),
]);
export type PageRequest = v.InferOutput<typeof PageRequestSchema>;

// ---------------------------------------------------------------------------------------------
// What the overlay shows (service worker → overlay iframe, over a port).

/** A message ready to insert, rendered by the service worker. */
export const OverlayMessageSchema = v.object({
  id: Short,
  templateId: Short,
  label: Short,
  privacySafe: v.boolean(),
  /** The rendered text, or null with `missing` naming the facts that were not available. */
  text: v.nullable(v.string()),
  missing: v.array(Short),
});
export type OverlayMessage = v.InferOutput<typeof OverlayMessageSchema>;

export const DebtorCardSchema = v.object({
  debtorId: Short,
  name: Short,
  status: DebtorStatusSchema,
  daysOverdue: v.number(),
  /** The due date of the active promise to pay, when there is one. */
  promiseUntil: v.nullable(Short),
  /** Null when the debtor has no open debt. */
  balance: v.nullable(
    v.object({
      principal: CentsSchema,
      fine: CentsSchema,
      interest: CentsSchema,
      fees: CentsSchema,
      paid: CentsSchema,
      discount: CentsSchema,
      totalDue: CentsSchema,
      asOf: Short,
    }),
  ),
  lastContact: v.nullable(v.object({ at: Short, channel: Short })),
  budgetLeft: v.object({ today: v.number(), last7Days: v.number() }),
  windowOpen: v.boolean(),
  /** The guard's verdict for contacting now on this channel; `message` says why not. */
  contactNow: v.object({ allowed: v.boolean(), message: v.nullable(v.string()) }),
  stepDue: v.nullable(v.object({ stepId: Short, channel: Short, dueOn: Short })),
  otherMatches: v.number(),
  /** A hidden-id chat shown in full because staff confirmed who it is: who and when. */
  confirmedBy: v.nullable(v.object({ name: Short, at: Short })),
});
export type DebtorCard = v.InferOutput<typeof DebtorCardSchema>;

/** Why the overlay is in privacy-safe mode. */
export const PrivacySafeReasonSchema = v.picklist([
  /** A WhatsApp group: never looked up. */
  'group',
  /** A conversation with no readable identity (a hidden-id chat nobody linked, a name only). */
  'unidentified',
  /** Looked up, no debtor matched. */
  'no-match',
  /** A hidden-id chat linked by hand, identity not confirmed. */
  'claimed',
  /** Some messages or recipients could not be read. */
  'incomplete',
  /** The address or number is not verified as the debtor's. */
  'unverified',
  /** Someone else receives the conversation (Cc, another participant). */
  'third-parties',
]);
export type PrivacySafeReason = v.InferOutput<typeof PrivacySafeReasonSchema>;

/**
 * The privacy-safe mode: the person's name at most. By construction it carries no amount, no
 * status, no stage, no due date: the overlay cannot show what it is never sent.
 */
export const PrivacySafeSchema = v.object({
  view: v.literal('privacy-safe'),
  reason: PrivacySafeReasonSchema,
  /** The debtor's name when one was found (or linked); null otherwise. */
  name: v.nullable(Short),
  /** Addresses or numbers that receive the conversation and are not verified as the debtor's. */
  others: v.array(Short),
  /** Messages or recipients whose people could not be read. */
  unreadable: v.number(),
  /** A hidden-id chat: the user may link it to a debtor by hand. */
  linkable: v.boolean(),
  /** A hand-linked hidden-id chat: the user may unlink it or confirm the person's identity. */
  linkedTo: v.nullable(Short),
  /** A debtor is known: a sent message can be logged against them. */
  canLog: v.boolean(),
  messages: v.array(OverlayMessageSchema),
});
export type PrivacySafe = v.InferOutput<typeof PrivacySafeSchema>;

export const OverlayStateSchema = v.variant('view', [
  v.object({ view: v.literal('signed-out') }),
  v.object({ view: v.literal('idle') }),
  v.object({ view: v.literal('loading') }),
  v.object({
    view: v.literal('error'),
    message: v.string(),
    /** When the worker tries again by itself (epoch ms), or null when it will not. */
    retryAt: v.nullable(v.number()),
  }),
  PrivacySafeSchema,
  v.object({
    view: v.literal('debtor'),
    card: DebtorCardSchema,
    messages: v.array(OverlayMessageSchema),
  }),
]);
export type OverlayState = v.InferOutput<typeof OverlayStateSchema>;

export const WorkerToOverlaySchema = v.variant('type', [
  v.object({ type: v.literal('state'), state: OverlayStateSchema }),
]);
export type WorkerToOverlay = v.InferOutput<typeof WorkerToOverlaySchema>;

/** Answers to page requests: `ok` with a payload, or a pt-BR message for the user. */
export type PageResponse<T = unknown> = { ok: true; value: T } | { ok: false; message: string };
