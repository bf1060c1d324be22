/**
 * The session example's page: a visit counter, a few fields, a draft that saves as you type, and a cart —
 * all in one session that survives reloads and browser restarts, with a sliding idle timeout.
 */
import type { TabhiveClient } from '../../src/client/index.js';
import { h, message } from '../dom.js';
import { formatTtl } from '../format.js';
import { openSession, type SessionState } from './session.js';

const IDLE_SECONDS = 30 * 60;

export function startSession(db: TabhiveClient, el: HTMLElement): { show(): void } {
  const s = openSession(db.duplicate(), { idleSeconds: IDLE_SECONDS });
  const name = h('input', { testid: 'session-name', placeholder: 'your name', spellcheck: 'false' });
  const theme = h('select', { testid: 'session-theme' }, ['dusk', 'forest', 'sand'].map((t) => h('option', { value: t }, t)));
  const draft = h('textarea', { testid: 'session-draft', rows: 4, placeholder: 'A draft that survives a reload…' });
  const item = h('input', { testid: 'session-item', placeholder: 'item' });
  const cart = h('ol', { testid: 'session-cart', class: 'cart' });
  const facts = h('dl', { testid: 'session-facts' });
  const saved = h('span', { class: 'saved', testid: 'session-saved' }, '');
  const card = h('div', { class: 'card session-card theme-dusk' });

  let state: SessionState | null = null;
  let deadline = 0;

  /** After a write: wait until IndexedDB has it, and say so. */
  async function write(f: () => Promise<unknown>): Promise<void> {
    saved.textContent = 'saving…';
    saved.dataset.state = 'saving';
    try {
      await f();
      await s.saved();
      saved.textContent = `saved to IndexedDB at ${new Date().toLocaleTimeString()}`;
      saved.dataset.state = 'saved';
      await refresh();
    } catch (e) {
      saved.textContent = `not saved: ${message(e)}`;
      saved.dataset.state = 'error';
    }
  }

  async function refresh(st?: SessionState): Promise<void> {
    state = st ?? (await s.read());
    deadline = Date.now() + state.ttl * 1000;
    if (document.activeElement !== name) name.value = state.fields.get('name') ?? '';
    if (document.activeElement !== draft) draft.value = state.fields.get('draft') ?? '';
    theme.value = state.fields.get('theme') ?? 'dusk';
    card.className = `card session-card theme-${theme.value}`;
    cart.replaceChildren(...state.cart.map((c, i) =>
      h('li', { testid: 'session-cart-item' }, c, ' ',
        h('button', { type: 'button', class: 'small danger', title: 'remove', onclick: () => void write(() => s.removeFromCart(i)) }, '✕'))));
    const fmt = (t: number) => (t > 0 ? new Date(t).toLocaleString() : '—');
    facts.replaceChildren(
      h('dt', null, 'visits'), h('dd', { testid: 'session-visits' }, String(state.visits)),
      h('dt', null, 'started'), h('dd', null, fmt(state.startedAt)),
      h('dt', null, 'last visit'), h('dd', null, fmt(state.lastSeen)),
      h('dt', null, 'ends if idle for'), h('dd', { testid: 'session-ttl' }, state.ttl > 0 ? formatTtl(deadline - Date.now()) : '—'),
    );
  }

  let draftTimer: ReturnType<typeof setTimeout> | null = null;
  draft.addEventListener('input', () => {
    if (draftTimer !== null) clearTimeout(draftTimer);
    saved.textContent = 'editing…';
    saved.dataset.state = 'editing';
    draftTimer = setTimeout(() => void write(() => s.set('draft', draft.value)), 300);
  });
  name.addEventListener('change', () => void write(() => s.set('name', name.value)));
  theme.addEventListener('change', () => void write(() => s.set('theme', theme.value)));

  card.append(
    h('div', { class: 'grid2' },
      h('div', null,
        h('label', { class: 'stack' }, 'Name', name),
        h('label', { class: 'stack' }, 'Theme', theme),
        h('label', { class: 'stack' }, 'Draft (saved as you type)', draft),
        h('form', { class: 'toolbar', onsubmit: (ev: Event) => {
          ev.preventDefault();
          const v = item.value.trim();
          if (v === '') return;
          item.value = '';
          void write(() => s.addToCart(v));
        } }, h('label', { class: 'grow' }, 'Cart ', item), h('button', { type: 'submit', testid: 'session-add' }, 'Add')),
        cart,
      ),
      h('div', null,
        facts,
        h('p', null, saved),
        h('button', { type: 'button', class: 'danger', testid: 'session-end', onclick: () => void write(() => s.end()).then(() => visit()) }, 'End session and start a new one'),
      ),
    ),
  );

  el.append(
    h('h2', null, 'Session storage that survives reloads'),
    h('p', { class: 'lede' },
      'A PWA’s session in a hash ', h('code', null, s.key), ' and a list ', h('code', null, `${s.key}:cart`),
      '. Every visit counts itself and renews EXPIRE on both keys (in one MULTI), so the session lasts while it is used and ' +
        `ends after ${IDLE_SECONDS / 60} minutes without a visit. Reload the page or restart the browser: it is still here. Source: `,
      h('code', null, 'demo/examples/session.ts'), '.'),
    card,
  );

  async function visit(): Promise<void> {
    const st = await s.visit();
    await s.saved();
    await refresh(st);
    saved.textContent =
      st.visits > 1 ? `visit ${st.visits}: restored from IndexedDB` : 'a new session, stored in IndexedDB';
    saved.dataset.state = 'saved';
    el.dataset.ready = 'true';
  }

  let started = false;
  let timer: ReturnType<typeof setInterval> | null = null;
  return {
    show() {
      if (!started) {
        started = true;
        void visit().catch((e) => {
          saved.textContent = message(e);
        });
      }
      timer ??= setInterval(() => {
        const t = facts.querySelector('[data-testid="session-ttl"]');
        if (t !== null && state !== null && state.ttl > 0) t.textContent = formatTtl(deadline - Date.now());
      }, 1000);
    },
  };
}
