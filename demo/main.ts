/**
 * The demo: one tabhive database ('demo') behind six views — the console, the key browser, the status panel
 * and the three worked examples. Each view opens its own sessions on the same database (`duplicate()`), so the
 * console's SELECT, MULTI or SUBSCRIBE never reach the others. The URL's hash picks the view (`#keys`), and a
 * view starts the first time it is shown.
 *
 * For tests the page exposes `window.tabhiveDemo` ({ db, run, createClient, ReplyError }) and sets
 * `data-ready="true"` on the console once the client is connected and the help table loaded.
 */
import { createClient, ReplyError, type TabhiveClient } from '../src/client/index.js';
import type { Line } from './cli.js';
import { startConsole } from './console.js';
import { startChat } from './examples/chat-view.js';
import { startFetchCache } from './examples/fetch-view.js';
import { startSession } from './examples/session-view.js';
import { startKeys } from './keys.js';
import { startStatus } from './status.js';

declare global {
  interface Window {
    tabhiveDemo?: {
      db: TabhiveClient;
      run: (line: string) => Promise<Line[]>;
      createClient: typeof createClient;
      ReplyError: typeof ReplyError;
    };
  }
}

/** A view: started once, told when it is shown and hidden. */
interface View {
  show?(): void;
  hide?(): void;
}

const VIEWS = ['console', 'keys', 'status', 'fetch', 'chat', 'session'] as const;
type ViewName = (typeof VIEWS)[number];

const starters: Record<Exclude<ViewName, 'console'>, (db: TabhiveClient, el: HTMLElement) => View> = {
  keys: startKeys,
  status: startStatus,
  fetch: startFetchCache,
  chat: startChat,
  session: startSession,
};

function viewOf(hash: string): ViewName {
  const name = hash.replace(/^#/, '');
  return (VIEWS as readonly string[]).includes(name) ? (name as ViewName) : 'console';
}

async function start(): Promise<void> {
  let db: TabhiveClient;
  try {
    db = await createClient({ name: 'demo' });
  } catch (e) {
    const p = document.createElement('div');
    p.className = 'notice error';
    p.dataset.testid = 'console-fatal';
    p.textContent = `Could not start tabhive: ${e instanceof Error ? e.message : String(e)}`;
    document.getElementById('output')!.append(p);
    return;
  }
  const con = startConsole(db);
  window.tabhiveDemo = { db, run: con.run, createClient, ReplyError };

  const started = new Map<ViewName, View>([['console', {}]]);
  let current: ViewName | null = null;

  const show = (name: ViewName) => {
    if (name === current) return;
    if (current !== null) started.get(current)?.hide?.();
    for (const el of document.querySelectorAll<HTMLElement>('.view')) el.hidden = el.dataset.view !== name;
    for (const a of document.querySelectorAll<HTMLAnchorElement>('#nav a')) {
      if (a.dataset.view === name) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    let view = started.get(name);
    if (view === undefined && name !== 'console') {
      view = starters[name](db, document.getElementById(`view-${name}`)!);
      started.set(name, view);
    }
    current = name;
    view?.show?.();
    if (name === 'console') document.getElementById('input')?.focus();
  };

  window.addEventListener('hashchange', () => show(viewOf(location.hash)));
  show(viewOf(location.hash));
}

void start();
