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
  /** From the overlay: write a message into the compose box of the overlay's own tab. */
  v.object({ type: v.literal('insert'), messageId: Short }),
  /** From the overlay: log the contact just sent with message `messageId`. */
  v.object({ type: v.literal('log-contact'), messageId: Short }),
  v.object({ type: v.literal('refresh') }),
  /** From the overlay: this (LID) chat is with that debtor; remembered for the chat's JID. */
  v.object({ type: v.literal('link-chat'), debtorId: Short }),
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
  /** Null when the recipients are not verified as the debtor: then no amount is shown anywhere. */
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
  /** Why only the privacy-safe message is offered, or null. */
  restricted: v.nullable(v.picklist(['unverified', 'third-parties'])),
  otherMatches: v.number(),
});
export type DebtorCard = v.InferOutput<typeof DebtorCardSchema>;

export const OverlayStateSchema = v.variant('view', [
  v.object({ view: v.literal('signed-out') }),
  v.object({ view: v.literal('idle') }),
  v.object({ view: v.literal('loading') }),
  v.object({ view: v.literal('error'), message: v.string() }),
  /** A WhatsApp group: never looked up, privacy-safe message only. */
  v.object({ view: v.literal('group'), messages: v.array(OverlayMessageSchema) }),
  /** A chat or thread with no readable identity (LID chat, unsaved name): privacy-safe only. */
  v.object({
    view: v.literal('unidentified'),
    /** A WhatsApp LID chat the user may link to a debtor by hand. */
    linkable: v.boolean(),
    messages: v.array(OverlayMessageSchema),
  }),
  /** Looked up, no debtor matched: privacy-safe only. */
  v.object({ view: v.literal('no-match'), messages: v.array(OverlayMessageSchema) }),
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
