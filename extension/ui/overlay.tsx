/**
 * The overlay (an extension page framed into Gmail/WhatsApp by the content script): renders the
 * state the service worker pushes over a port. Debt data exists only here and in the worker; the
 * host page cannot read this frame. "Inserir" asks the worker to have the content script write the
 * text into the compose box; sending stays with the person.
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
} from '#shared/extension/page-messages';
import { t } from '../i18n';
import { stepWords } from '../core/step-words';
import { ask, channelLabel, dateBR, money, statusLabel } from './format';

const state = signal<OverlayState>({ view: 'loading' });
const linkResults = signal<{ id: string; name: string }[] | null>(null);
const notice = signal<{ text: string; warn: boolean } | null>(null);

function conversationOf(s: OverlayState): string {
  return s.view === 'debtor' ? `debtor:${s.card.debtorId}` : s.view;
}

function connect(): void {
  const port = chrome.runtime.connect({ name: 'overlay' });
  port.onMessage.addListener((raw: unknown) => {
    const parsed = v.safeParse(WorkerToOverlaySchema, raw);
    if (!parsed.success) return;
    // A notice belongs to the conversation it was about: drop it when another one is shown.
    if (conversationOf(parsed.output.state) !== conversationOf(state.value)) notice.value = null;
    state.value = parsed.output.state;
  });
  // The worker is stopped when idle; reconnecting wakes it and gets the state again.
  port.onDisconnect.addListener(() => setTimeout(connect, 200));
}

async function insert(message: OverlayMessage): Promise<void> {
  try {
    const result = await ask<InsertResult>({ type: 'insert', messageId: message.id });
    notice.value = result.ok
      ? { text: t('overlay.inserted'), warn: false }
      : {
          text: t(result.reason === 'no-composer' ? 'overlay.noComposer' : 'overlay.insertFailed'),
          warn: true,
        };
  } catch (error) {
    notice.value = { text: error instanceof Error ? error.message : String(error), warn: true };
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

async function searchToLink(event: Event): Promise<void> {
  event.preventDefault();
  const query = String(new FormData(event.currentTarget as HTMLFormElement).get('q') ?? '');
  try {
    linkResults.value = (
      await ask<{ items: { id: string; name: string }[] }>({ type: 'search', query })
    ).items;
  } catch (error) {
    notice.value = { text: error instanceof Error ? error.message : String(error), warn: true };
  }
}

async function link(debtorId: string): Promise<void> {
  try {
    await ask({ type: 'link-chat', debtorId });
    linkResults.value = null;
  } catch (error) {
    notice.value = { text: error instanceof Error ? error.message : String(error), warn: true };
  }
}

/** For a LID chat: find the debtor and link the chat to them. */
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
              onClick={() => void link(r.id)}
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
            <p class="note warn">{t('overlay.missing', { fields: m.missing.join(', ') })}</p>
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

const BALANCE_LINES = ['principal', 'fine', 'interest', 'fees', 'paid', 'discount'] as const;

function Card({ card }: { card: DebtorCard }) {
  return (
    <section>
      <h1 data-debtor-name>{card.name}</h1>
      <span class="chip" data-status={card.status}>
        {statusLabel(card)}
      </span>
      {card.restricted && <p class="note warn">{t(`overlay.restricted.${card.restricted}`)}</p>}
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
                step: stepWords(card.stepDue.stepId),
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
      {s.view === 'error' && <p class="note warn">{s.message}</p>}
      {s.view === 'group' && <p class="note">{t('overlay.group')}</p>}
      {s.view === 'unidentified' && (
        <>
          <p class="note">{t('overlay.unidentified')}</p>
          {s.linkable && <LinkChat />}
        </>
      )}
      {s.view === 'no-match' && <p class="note">{t('overlay.noMatchGeneric')}</p>}
      {s.view === 'debtor' && <Card card={s.card} />}
      {notice.value && (
        <p class={notice.value.warn ? 'note warn' : 'note'} data-notice role="status">
          {notice.value.text}
        </p>
      )}
      {'messages' in s && <Messages messages={s.messages} canLog={s.view === 'debtor'} />}
    </main>
  );
}

connect();
const root = document.getElementById('root');
if (root) render(<Overlay />, root);
