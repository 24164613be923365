/**
 * The overlay (an extension page framed into Gmail/Outlook/WhatsApp by the content script):
 * renders the state the service worker pushes over a port. Debt data exists only here and in the
 * worker; the host page cannot read this frame. "Inserir" asks the worker to have the content
 * script write the text into the compose box of the conversation it was written for; sending
 * stays with the person. In privacy-safe mode the state carries the person's name at most, so
 * nothing else can be shown.
 */
import { render } from 'preact';
import { signal } from '@preact/signals';
import * as v from 'valibot';
import type { InsertResult } from '#shared/extension/content-messages';
import {
  WorkerToOverlaySchema,
  type DebtorCard,
  type OverlayMessage,
  type OverlayState,
  type PrivacySafe,
} from '#shared/extension/page-messages';
import { isPlaceholderName, PLACEHOLDERS } from '#shared/templates/placeholders';
import { t, type MessageKey } from '../i18n';
import { ask, channelLabel, dateBR, money, statusLabel, stepLabel } from './format';

const state = signal<OverlayState>({ view: 'loading' });
const linkResults = signal<{ id: string; name: string }[] | null>(null);
/** `sticky`: survives the next change of conversation (it is about that change). */
const notice = signal<{ text: string; warn: boolean; sticky?: boolean } | null>(null);
/** Ticks every second while an automatic retry is pending, for its countdown. */
const now = signal(Date.now());

/** Which conversation a state shows; null while loading (not a conversation of its own). */
function conversationOf(s: OverlayState): string | null {
  if (s.view === 'loading') return null;
  if (s.view === 'debtor') return `debtor:${s.card.debtorId}`;
  if (s.view === 'privacy-safe') return `safe:${s.reason}:${s.name ?? ''}`;
  return s.view;
}

let shownConversation: string | null = null;

function connect(): void {
  const port = chrome.runtime.connect({ name: 'overlay' });
  port.onMessage.addListener((raw: unknown) => {
    const parsed = v.safeParse(WorkerToOverlaySchema, raw);
    if (!parsed.success) return;
    const next = parsed.output.state;
    // A notice belongs to the conversation it was about: drop it when another one is shown
    // (except the notice saying the conversation changed, which is about exactly that).
    const conversation = conversationOf(next);
    if (conversation !== null && conversation !== shownConversation) {
      if (shownConversation !== null)
        notice.value = notice.value?.sticky ? { ...notice.value, sticky: false } : null;
      shownConversation = conversation;
    }
    if (next.view !== 'privacy-safe' || !next.linkable) linkResults.value = null;
    state.value = next;
  });
  // The worker is stopped when idle; reconnecting wakes it and gets the state again.
  port.onDisconnect.addListener(() => setTimeout(connect, 200));
}

function show(error: unknown): void {
  notice.value = { text: error instanceof Error ? error.message : String(error), warn: true };
}

const INSERT_NOTICE: Record<Exclude<InsertResult, { ok: true }>['reason'], MessageKey> = {
  'no-composer': 'overlay.noComposer',
  'not-verified': 'overlay.insertFailed',
  'conversation-changed': 'overlay.conversationChanged',
};

async function insert(message: OverlayMessage): Promise<void> {
  try {
    const result = await ask<InsertResult>({ type: 'insert', messageId: message.id });
    notice.value = result.ok
      ? { text: t('overlay.inserted'), warn: false }
      : {
          text: t(INSERT_NOTICE[result.reason]),
          warn: true,
          sticky: result.reason === 'conversation-changed',
        };
  } catch (error) {
    show(error);
  }
}

async function logContact(message: OverlayMessage): Promise<void> {
  try {
    await ask({ type: 'log-contact', messageId: message.id });
    notice.value = { text: t('overlay.logged'), warn: false };
  } catch (error) {
    notice.value = {
      text: t('overlay.logRefused', {
        message: error instanceof Error ? error.message : String(error),
      }),
      warn: true,
    };
  }
}

async function act(request: Record<string, unknown>, done?: string): Promise<void> {
  try {
    await ask(request);
    notice.value = done ? { text: done, warn: false } : null;
  } catch (error) {
    show(error);
  }
}

async function searchToLink(event: Event): Promise<void> {
  event.preventDefault();
  const query = String(new FormData(event.currentTarget as HTMLFormElement).get('q') ?? '');
  try {
    linkResults.value = (
      await ask<{ items: { id: string; name: string }[] }>({ type: 'search', query })
    ).items;
  } catch (error) {
    show(error);
  }
}

/** For a hidden-id chat nobody linked: find the person and link the chat to them. */
function LinkChat() {
  return (
    <section data-link>
      <p>{t('overlay.link.intro')}</p>
      <form onSubmit={(e) => void searchToLink(e)}>
        <input name="q" placeholder={t('overlay.link.placeholder')} />
      </form>
      {linkResults.value?.length === 0 && <p>{t('overlay.link.none')}</p>}
      <ul>
        {(linkResults.value ?? []).map((r) => (
          <li key={r.id}>
            {r.name}{' '}
            <button
              type="button"
              class="secondary"
              data-link-to={r.id}
              onClick={() => void act({ type: 'link-chat', debtorId: r.id, name: r.name })}
            >
              {t('overlay.link.button')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Messages({ messages, canLog }: { messages: OverlayMessage[]; canLog: boolean }) {
  return (
    <section>
      <h2>{t('overlay.messages')}</h2>
      {messages.map((m) => (
        <div class="msg" key={m.id} data-template={m.templateId}>
          <strong>{m.label}</strong>
          {m.text === null ? (
            <p class="note warn">
              {t('overlay.missing', { fields: m.missing.map(placeholderLabel).join(', ') })}
            </p>
          ) : (
            <>
              <pre>{m.text}</pre>
              <div class="row">
                <button type="button" data-action="insert" onClick={() => void insert(m)}>
                  {t('overlay.insert')}
                </button>
                <button
                  type="button"
                  class="secondary"
                  onClick={() => void navigator.clipboard.writeText(m.text ?? '')}
                >
                  {t('overlay.copy')}
                </button>
                {canLog && (
                  <button
                    type="button"
                    class="secondary"
                    data-action="log"
                    onClick={() => void logContact(m)}
                  >
                    {t('overlay.log')}
                  </button>
                )}
              </div>
            </>
          )}
        </div>
      ))}
    </section>
  );
}

/** The privacy-safe mode: why, the person's name at most, and what can be done about it. */
function Safe({ s }: { s: PrivacySafe }) {
  const name = s.name ?? '';
  const why =
    s.reason === 'claimed' || s.reason === 'unverified'
      ? t(`privacy.${s.reason}`, { name })
      : s.reason === 'incomplete'
        ? s.unreadable === 1
          ? t('privacy.incomplete.one')
          : t('privacy.incomplete', { count: s.unreadable })
        : t(`privacy.${s.reason}`);
  return (
    <section data-reason={s.reason}>
      {s.name !== null && <h1 data-debtor-name>{s.name}</h1>}
      {s.linkable && <p class="note">{t('privacy.hiddenNumber')}</p>}
      <p class="note warn" data-why>
        {why}
      </p>
      {s.others.length > 0 && (
        <p class="note" data-others>
          {t('privacy.others')} {s.others.join(', ')}
        </p>
      )}
      {s.reason === 'claimed' && s.linkedTo !== null && (
        <div data-confirm>
          <p class="note">{t('privacy.confirmIntro')}</p>
          <div class="row">
            <button
              type="button"
              data-action="confirm-identity"
              onClick={() =>
                void act(
                  { type: 'confirm-identity', debtorId: s.linkedTo },
                  t('overlay.identityConfirmed'),
                )
              }
            >
              {t('privacy.confirm')}
            </button>
            <button
              type="button"
              class="secondary"
              data-action="unlink"
              onClick={() => void act({ type: 'unlink-chat' })}
            >
              {t('privacy.unlink')}
            </button>
          </div>
        </div>
      )}
      {s.linkable && <LinkChat />}
    </section>
  );
}

/** A missing fact in words ("Link para pagamento"), never its placeholder name. */
function placeholderLabel(name: string): string {
  return isPlaceholderName(name) ? PLACEHOLDERS[name].description : name;
}

const BALANCE_LINES = ['principal', 'fine', 'interest', 'fees', 'paid', 'discount'] as const;

function Card({ card }: { card: DebtorCard }) {
  return (
    <section>
      <h1 data-debtor-name>{card.name}</h1>
      <span class="chip" data-status={card.status}>
        {statusLabel(card)}
      </span>
      {card.confirmedBy && (
        <p class="note" data-confirmed>
          {t('overlay.confirmedBy', {
            name: card.confirmedBy.name,
            date: dateBR(card.confirmedBy.at),
          })}{' '}
          <button
            type="button"
            class="secondary"
            data-action="undo-identity"
            onClick={() => void act({ type: 'undo-identity' })}
          >
            {t('overlay.undoIdentity')}
          </button>
        </p>
      )}
      {card.otherMatches > 0 && (
        <p class="note">{t('overlay.otherMatches', { n: card.otherMatches })}</p>
      )}
      {card.balance && (
        <>
          <h2>{t('overlay.balance', { date: dateBR(card.balance.asOf) })}</h2>
          <dl data-balance>
            {BALANCE_LINES.filter(
              (k) => card.balance && (card.balance[k] !== 0 || k === 'principal'),
            ).map((k) => (
              <>
                <dt>{t(`overlay.balance.${k}`)}</dt>
                <dd>{money(card.balance?.[k] ?? 0)}</dd>
              </>
            ))}
            <dt>{t('overlay.balance.totalDue')}</dt>
            <dd class="total" data-total>
              {money(card.balance.totalDue)}
            </dd>
          </dl>
        </>
      )}
      <h2>{t('overlay.lastContact')}</h2>
      <p>
        {card.lastContact
          ? `${dateBR(card.lastContact.at)} · ${channelLabel(card.lastContact.channel)}`
          : t('overlay.lastContact.none')}
      </p>
      <dl>
        <dt>{t('overlay.budget')}</dt>
        <dd>
          {t('overlay.budget.value', {
            today: card.budgetLeft.today,
            week: card.budgetLeft.last7Days,
          })}
        </dd>
        <dt>{t('overlay.window')}</dt>
        <dd>{t(card.windowOpen ? 'overlay.window.open' : 'overlay.window.closed')}</dd>
        <dt>{t('overlay.step')}</dt>
        <dd>
          {card.stepDue
            ? t('overlay.step.value', {
                step: stepLabel(card.stepDue.stepId),
                channel: channelLabel(card.stepDue.channel),
                date: dateBR(card.stepDue.dueOn),
              })
            : t('overlay.step.none')}
        </dd>
      </dl>
      {!card.contactNow.allowed && card.contactNow.message && (
        <p class="note warn" data-guard>
          {t('overlay.guard.refused', { message: card.contactNow.message })}
        </p>
      )}
    </section>
  );
}

/** The server could not answer: what happened, when the worker tries again, and a button. */
function Failure({ message, retryAt }: { message: string; retryAt: number | null }) {
  const seconds = retryAt === null ? null : Math.max(0, Math.ceil((retryAt - now.value) / 1000));
  return (
    <section data-error>
      <p class="note warn">{message}</p>
      {seconds !== null && (
        <p class="note" data-retry-in>
          {seconds > 0 ? t('overlay.retryIn', { seconds }) : t('overlay.retrying')}
        </p>
      )}
      <button type="button" data-action="retry" onClick={() => void act({ type: 'refresh' })}>
        {t('overlay.retry')}
      </button>
    </section>
  );
}

function Overlay() {
  const s = state.value;
  return (
    <main data-view={s.view}>
      {s.view === 'loading' && <p>{t('overlay.loading')}</p>}
      {s.view === 'idle' && <p>{t('overlay.idle')}</p>}
      {s.view === 'signed-out' && (
        <>
          <p>{t('overlay.signedOut')}</p>
          <button type="button" onClick={() => void chrome.runtime.openOptionsPage()}>
            {t('overlay.openOptions')}
          </button>
        </>
      )}
      {s.view === 'error' && <Failure message={s.message} retryAt={s.retryAt} />}
      {s.view === 'privacy-safe' && <Safe s={s} />}
      {s.view === 'debtor' && <Card card={s.card} />}
      {notice.value && (
        <p class={notice.value.warn ? 'note warn' : 'note'} data-notice role="status">
          {notice.value.text}
        </p>
      )}
      {'messages' in s && (
        <Messages
          messages={s.messages}
          canLog={s.view === 'debtor' || (s.view === 'privacy-safe' && s.canLog)}
        />
      )}
    </main>
  );
}

setInterval(() => {
  if (state.value.view === 'error' && state.value.retryAt !== null) now.value = Date.now();
}, 1000);
connect();
const root = document.getElementById('root');
if (root) render(<Overlay />, root);
