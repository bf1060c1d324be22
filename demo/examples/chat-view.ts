/**
 * The chat example's page: chat windows side by side, each a participant with sessions of its own, in one
 * room. The page opened in another tab joins the same room with windows of its own: messages go both ways.
 */
import type { TabhiveClient } from '../../src/client/index.js';
import { h, message } from '../dom.js';
import { channelOf, joinChat, type Chat, type ChatMessage } from './chat.js';

const NAMES = ['Ada', 'Grace', 'Linus', 'Barbara', 'Ken', 'Margaret'];

export function startChat(db: TabhiveClient, el: HTMLElement): { show(): void } {
  const room = h('input', { value: 'lobby', testid: 'chat-room', class: 'narrow', spellcheck: 'false' });
  const windows = h('div', { class: 'chat-windows', testid: 'chat-windows' });
  const open: { chat: Chat; el: HTMLElement }[] = [];
  /** This page's id in its messages, to mark those that came from another tab. */
  const tab = Math.random().toString(36).slice(2, 10);

  async function addWindow(): Promise<void> {
    // Named after how many are in the room already, in every tab: another tab's windows get other names.
    const [, count] = await db.sendCommand<[string, number]>(['PUBSUB', 'NUMSUB', channelOf(room.value)]);
    const name = NAMES[count % NAMES.length] + (count >= NAMES.length ? ` ${Math.floor(count / NAMES.length) + 1}` : '');
    const list = h('ol', { class: 'messages', testid: 'chat-messages' });
    const text = h('input', { placeholder: `Message as ${name}`, testid: 'chat-input', class: 'grow' });
    const status = h('p', { class: 'dim', testid: 'chat-status' }, 'joining…');
    const seen = new Set<string>();
    const show = (m: ChatMessage, old: boolean) => {
      if (seen.has(m.id)) return;
      seen.add(m.id);
      list.append(
        h('li', { class: old ? 'old' : m.from === name ? 'mine' : '', testid: 'chat-message' },
          h('b', null, m.from), ' ', h('span', null, m.text), ' ', h('time', { class: 'dim' }, new Date(m.at).toLocaleTimeString()),
          m.tab !== undefined && m.tab !== tab ? h('small', { class: 'dim', testid: 'chat-other-tab' }, ' · from another tab') : null),
      );
      list.scrollTop = list.scrollHeight;
    };
    const box = h('section', { class: 'chat-window card', testid: 'chat-window', 'data-name': name },
      h('h3', null, `${name} · #${room.value}`),
      list,
      h('form', { class: 'toolbar', onsubmit: (ev: Event) => {
        ev.preventDefault();
        const t = text.value.trim();
        if (t === '') return;
        text.value = '';
        void entry.chat.send(t).then(
          (n) => (status.textContent = `last message reached ${n} participant${n === 1 ? '' : 's'} (PUBLISH's reply)`),
          (e) => (status.textContent = message(e)),
        );
      } }, text, h('button', { type: 'submit', testid: 'chat-send' }, 'Send')),
      status,
    );
    windows.append(box);
    const entry = { chat: await joinChat(db, { room: room.value, name, tab, onMessage: (m) => show(m, false) }), el: box };
    open.push(entry);
    for (const m of entry.chat.history) show(m, true);
    status.textContent = `joined #${room.value} as ${name}; ${entry.chat.history.length} earlier message(s) from the history list`;
  }

  async function rejoin(): Promise<void> {
    for (const w of open.splice(0)) {
      await w.chat.leave();
      w.el.remove();
    }
    await addWindow();
    await addWindow();
  }

  el.append(
    h('h2', null, 'Chat over pub/sub'),
    h('p', { class: 'lede' },
      'Each window is a participant: one session SUBSCRIBEd to ', h('code', null, 'chat:<room>'),
      ', one that PUBLISHes and keeps the last 100 messages in the list ', h('code', null, 'chat:<room>:history'),
      ' (in one MULTI). Source: ', h('code', null, 'demo/examples/chat.ts'), '.'),
    h('p', { class: 'notice', testid: 'chat-scope' },
      'Messages reach every tab of this app: open this page in another tab and its windows join the same room. ' +
        'Tabs share one database, so a PUBLISH in one tab reaches the SUBSCRIBErs in all of them (its reply counts ' +
        'them all), and a window that opens later reads the last messages from the history list.'),
    h('div', { class: 'toolbar' },
      h('label', null, 'room ', room),
      h('button', { type: 'button', testid: 'chat-rejoin', onclick: () => void rejoin() }, 'Join'),
      h('button', { type: 'button', testid: 'chat-add', onclick: () => void addWindow() }, 'Add a chat window'),
    ),
    windows,
  );
  let started = false;
  return {
    show() {
      if (started) return;
      started = true;
      void rejoin();
    },
  };
}
