/**
 * The key browser: the keys of one db by SCAN (pattern and type filter), each with its type and its time to
 * live counting down; a view per type to read and edit a value; delete, expire, persist. It follows the
 * database live: it turns keyspace notifications on (CONFIG SET notify-keyspace-events, adding K and A to
 * what is set) and listens with PSUBSCRIBE `__keyspace@<db>__:*` on a session of its own.
 *
 * Rules:
 * - two sessions of its own (`duplicate()`): one reads and writes (SELECTs the browsed db), one only listens;
 * - a notification only names a key and an event: the browser asks the key's TYPE and PTTL again, so what it
 *   shows is what the database holds, whatever the event; events arriving together are handled together;
 * - the countdown runs on the page's clock from the PTTL last read; a key that reaches zero is asked about
 *   again (the worker's active expiry, or the lazy expiry that question triggers, removes it);
 * - keys are shown as UTF-8 text: a key that is not valid UTF-8 shows with replacement characters.
 */
import type { TabhiveClient } from '../src/client/index.js';
import { fromUtf8 } from '../src/engine/bytes.js';
import { globMatch } from '../src/engine/glob.js';
import { h, message } from './dom.js';
import { formatTtl } from './format.js';

/** At most this many keys are listed; the count says when there are more. */
const MAX_KEYS = 500;
/** Elements shown in a list, set, hash or sorted set view. */
const MAX_ITEMS = 200;

const TYPES = ['string', 'list', 'hash', 'set', 'zset'] as const;

interface Row {
  key: string;
  type: string;
  /** Page-clock time the key expires at; null without a TTL. */
  deadline: number | null;
  el: HTMLLIElement;
  ttlEl: HTMLSpanElement;
}

export function startKeys(db: TabhiveClient, el: HTMLElement): { show(): void; hide(): void } {
  const cmd = db.duplicate();
  const events = db.duplicate();

  const $ = <T extends HTMLElement>(sel: string) => el.querySelector(sel) as T;
  const form = $<HTMLFormElement>('#key-filter');
  const dbSelect = $<HTMLSelectElement>('#key-db');
  const patternInput = $<HTMLInputElement>('#key-pattern');
  const typeSelect = $<HTMLSelectElement>('#key-type');
  const list = $<HTMLUListElement>('#key-list');
  const countEl = $<HTMLDivElement>('#key-count');
  const detail = $<HTMLDivElement>('#key-detail');

  const rows = new Map<string, Row>();
  let dbIndex = 0;
  let pattern = '*';
  let typeFilter = '';
  let selected: string | null = null;
  let more = false;
  let eventCount = 0;
  let visible = false;
  /** Until then, notifications about the selected key come from the browser's own edit. */
  let quietUntil = 0;

  // ---- live updates -----------------------------------------------------------------------------------------

  const pending = new Set<string>();
  let flushTimer: ReturnType<typeof setTimeout> | null = null;

  events.onPush((push) => {
    if (!Array.isArray(push) || push[0] !== 'pmessage') return;
    const channel = String(push[2]);
    const prefix = `__keyspace@${dbIndex}__:`;
    if (!channel.startsWith(prefix)) return;
    eventCount++;
    pending.add(channel.slice(prefix.length));
    flushTimer ??= setTimeout(() => {
      flushTimer = null;
      const keys = [...pending];
      pending.clear();
      void refreshKeys(keys);
    }, 30);
  });

  const subscribed: Promise<void> = (async () => {
    const flags = String(((await cmd.sendCommand(['CONFIG', 'GET', 'notify-keyspace-events'])) as string[])[1] ?? '');
    if (!flags.includes('K') || !flags.includes('A')) {
      const next = [...new Set([...flags, 'K', 'A'])].join('');
      await cmd.sendCommand(['CONFIG', 'SET', 'notify-keyspace-events', next]);
    }
    await events.sendCommand(['PSUBSCRIBE', `__keyspace@${dbIndex}__:*`]);
  })().catch((e) => {
    countEl.textContent = `Live updates are off: ${message(e)}`;
  });

  function matches(key: string, type: string): boolean {
    return (typeFilter === '' || type === typeFilter) && globMatch(fromUtf8(pattern), fromUtf8(key));
  }

  /** Ask again about keys an event named (or whose countdown ended): add, update or drop their rows. */
  async function refreshKeys(keys: string[]): Promise<void> {
    const facts = await Promise.all(keys.map((k) => Promise.all([cmd.type(k), cmd.pTTL(k)]).catch(() => ['none', -2] as const)));
    const now = Date.now();
    keys.forEach((key, i) => {
      const [type, pttl] = facts[i];
      const row = rows.get(key);
      if (type === 'none' || !matches(key, type)) {
        if (row !== undefined) {
          row.el.remove();
          rows.delete(key);
        }
      } else if (row !== undefined) {
        row.type = type;
        row.deadline = pttl >= 0 ? now + pttl : null;
        row.el.querySelector('.badge')!.replaceWith(badge(type));
      } else if (rows.size < MAX_KEYS) {
        addRow(key, type, pttl >= 0 ? now + pttl : null, true);
      } else {
        more = true;
      }
      // The browser's own edits redraw the detail themselves; only others' changes are news.
      if (key === selected && Date.now() > quietUntil) void showKey(key, true);
    });
    renderCount();
    tick();
  }

  // ---- the list ---------------------------------------------------------------------------------------------

  function badge(type: string): HTMLSpanElement {
    return h('span', { class: `badge t-${type}`, testid: 'key-type' }, type);
  }

  function addRow(key: string, type: string, deadline: number | null, sorted: boolean): void {
    const ttlEl = h('span', { class: 'ttl', testid: 'key-ttl' });
    const li = h(
      'li',
      { testid: 'key-row', 'data-key': key, tabindex: 0, onclick: () => void select(key), onkeydown: (ev: KeyboardEvent) => ev.key === 'Enter' && void select(key) },
      badge(type),
      h('span', { class: 'name', title: key }, key),
      ttlEl,
    );
    if (key === selected) li.classList.add('selected');
    const row: Row = { key, type, deadline, el: li, ttlEl };
    rows.set(key, row);
    // Rows stay in key order: a new key goes where it sorts.
    let before: Element | null = null;
    if (sorted) for (const r of rows.values()) if (r !== row && r.key > key && (before === null || r.key < (before as HTMLElement).dataset.key!)) before = r.el;
    list.insertBefore(li, before);
  }

  function renderCount(): void {
    const n = rows.size;
    countEl.textContent =
      `${n}${more ? '+' : ''} key${n === 1 ? '' : 's'} in db ${dbIndex}` +
      `${more ? ` (first ${MAX_KEYS} shown)` : ''} · ${eventCount} live event${eventCount === 1 ? '' : 's'}`;
  }

  let scanSeq = 0;
  async function scan(): Promise<void> {
    const seq = ++scanSeq;
    await subscribed;
    const found: string[] = [];
    more = false;
    const opts = { MATCH: pattern, COUNT: 200, ...(typeFilter ? { TYPE: typeFilter } : {}) };
    for await (const key of cmd.scanIterator(opts)) {
      if (found.length >= MAX_KEYS) {
        more = true;
        break;
      }
      found.push(key);
    }
    found.sort();
    const facts = await Promise.all(found.map((k) => Promise.all([typeFilter ? typeFilter : cmd.type(k), cmd.pTTL(k)])));
    if (seq !== scanSeq) return;
    rows.clear();
    list.replaceChildren();
    const now = Date.now();
    found.forEach((key, i) => {
      const [type, pttl] = facts[i];
      if (type !== 'none') addRow(key, type, pttl >= 0 ? now + pttl : null, false);
    });
    renderCount();
    tick();
  }

  /** The countdown: every row's time left, from the page's clock. */
  const rechecking = new Set<string>();
  function tick(): void {
    const now = Date.now();
    for (const r of rows.values()) {
      if (r.deadline === null) {
        r.ttlEl.textContent = '';
        r.ttlEl.title = 'no expiry';
        continue;
      }
      const left = r.deadline - now;
      r.ttlEl.textContent = left > 0 ? formatTtl(left) : 'expiring';
      r.ttlEl.title = `expires at ${new Date(r.deadline).toLocaleTimeString()}`;
      if (left <= 0 && !rechecking.has(r.key)) {
        rechecking.add(r.key);
        setTimeout(() => {
          rechecking.delete(r.key);
          void refreshKeys([r.key]);
        }, 150);
      }
    }
    if (selected !== null) {
      const r = rows.get(selected);
      const t = detail.querySelector<HTMLElement>('[data-testid="detail-ttl"]');
      if (t !== null) t.textContent = r?.deadline != null ? formatTtl(r.deadline - now) : 'no expiry';
    }
  }
  let ticker: ReturnType<typeof setInterval> | null = null;

  // ---- the detail -------------------------------------------------------------------------------------------

  async function select(key: string): Promise<void> {
    rows.get(selected ?? '')?.el.classList.remove('selected');
    selected = key;
    rows.get(key)?.el.classList.add('selected');
    await showKey(key, false);
  }

  /** Render the selected key. On a live update, an edit in progress is not overwritten: a notice says so. */
  async function showKey(key: string, live: boolean): Promise<void> {
    const editing = document.activeElement?.matches('input, textarea, select') && detail.contains(document.activeElement);
    if (live && editing) {
      const n = detail.querySelector('[data-testid="detail-stale"]');
      if (n !== null) (n as HTMLElement).hidden = false;
      return;
    }
    let body: HTMLElement;
    let type: string;
    try {
      type = await cmd.type(key);
      if (type === 'none') {
        detail.replaceChildren(h('p', { class: 'dim', testid: 'detail-gone' }, `The key “${key}” no longer exists.`));
        return;
      }
      body = await typeView(key, type);
    } catch (e) {
      detail.replaceChildren(h('p', { class: 'error' }, message(e)));
      return;
    }
    if (key !== selected) return;
    const [encoding, size] = await Promise.all([
      cmd.objectEncoding(key).catch(() => null),
      cmd.sendCommand<number | null>(['MEMORY', 'USAGE', key]).catch(() => null),
    ]);
    const ttlInput = h('input', { type: 'number', min: 1, placeholder: 'seconds', testid: 'detail-ttl-input', class: 'narrow' });
    detail.replaceChildren(
      h('div', { class: 'detail-head' },
        badge(type),
        h('h2', { testid: 'detail-key', title: key }, key),
        h('span', { class: 'dim' }, [encoding ?? '', size !== null ? ` · ${size} bytes` : ''].join('')),
      ),
      h('div', { class: 'toolbar' },
        h('span', null, 'TTL ', h('b', { testid: 'detail-ttl' }, '')),
        ttlInput,
        h('button', { type: 'button', testid: 'detail-expire', onclick: () => {
          const s = Number(ttlInput.value);
          if (Number.isInteger(s) && s > 0) edit(key, () => cmd.expire(key, s))();
        } }, 'Expire'),
        h('button', { type: 'button', testid: 'detail-persist', onclick: edit(key, () => cmd.persist(key)) }, 'Persist'),
        h('button', { type: 'button', class: 'danger', testid: 'detail-delete', onclick: edit(key, () => cmd.del(key)) }, 'Delete'),
      ),
      h('p', { class: 'notice', testid: 'detail-stale', hidden: true }, 'This key changed elsewhere. ',
        h('button', { type: 'button', onclick: () => void showKey(key, false) }, 'Reload')),
      h('p', { class: 'error', testid: 'detail-error', hidden: true }),
      body,
    );
    tick();
  }

  /** Run an edit; a Redis error shows under the key instead of breaking the page. */
  async function act(f: () => Promise<unknown>): Promise<void> {
    const errEl = detail.querySelector<HTMLElement>('[data-testid="detail-error"]');
    try {
      await f();
      if (errEl) errEl.hidden = true;
    } catch (e) {
      if (errEl) {
        errEl.textContent = message(e);
        errEl.hidden = false;
      }
    }
  }

  /** After an edit the notification refreshes the row; the detail is redrawn at once for the editor. */
  const edit = (key: string, f: () => Promise<unknown>) => () =>
    void act(() => {
      quietUntil = Date.now() + 500;
      return f();
    }).then(() => (document.activeElement as HTMLElement | null)?.blur?.()).then(() => showKey(key, false));

  async function typeView(key: string, type: string): Promise<HTMLElement> {
    switch (type) {
      case 'string': {
        const value = (await cmd.get(key)) ?? '';
        const area = h('textarea', { testid: 'detail-value', rows: 6, spellcheck: 'false' });
        area.value = value;
        return h('div', { class: 'type-view' },
          area,
          h('div', { class: 'toolbar' },
            h('button', { type: 'button', testid: 'detail-save', onclick: edit(key, () => cmd.set(key, area.value, { KEEPTTL: true })) }, 'Save (SET … KEEPTTL)'),
            h('span', { class: 'dim' }, `${await cmd.strLen(key)} bytes`),
          ),
        );
      }
      case 'list': {
        const [len, items] = await Promise.all([
          cmd.sendCommand<number>(['LLEN', key]),
          cmd.sendCommand<string[]>(['LRANGE', key, '0', String(MAX_ITEMS - 1)]),
        ]);
        const push = h('input', { placeholder: 'element', testid: 'detail-new-value' });
        return h('div', { class: 'type-view' },
          table(['index', 'element', ''], items.map((v, i) => [
            String(i),
            cellInput(v, (nv) => edit(key, () => cmd.sendCommand(['LSET', key, String(i), nv]))()),
            removeButton(edit(key, () => removeListIndex(key, i))),
          ]), len),
          h('div', { class: 'toolbar' }, push,
            h('button', { type: 'button', testid: 'detail-add', onclick: edit(key, () => cmd.sendCommand(['RPUSH', key, push.value])) }, 'RPUSH')),
        );
      }
      case 'hash': {
        const len = await cmd.sendCommand<number>(['HLEN', key]);
        const flat = await scanAll(['HSCAN', key], 2);
        const pairs: [string, string][] = [];
        for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i], flat[i + 1]]);
        pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
        const field = h('input', { placeholder: 'field', testid: 'detail-new-field', class: 'narrow' });
        const value = h('input', { placeholder: 'value', testid: 'detail-new-value' });
        return h('div', { class: 'type-view' },
          table(['field', 'value', ''], pairs.map(([f, v]) => [
            f,
            cellInput(v, (nv) => edit(key, () => cmd.sendCommand(['HSET', key, f, nv]))()),
            removeButton(edit(key, () => cmd.sendCommand(['HDEL', key, f]))),
          ]), len),
          h('div', { class: 'toolbar' }, field, value,
            h('button', { type: 'button', testid: 'detail-add', onclick: edit(key, () => cmd.sendCommand(['HSET', key, field.value, value.value])) }, 'HSET')),
        );
      }
      case 'set': {
        const len = await cmd.sendCommand<number>(['SCARD', key]);
        const members = (await scanAll(['SSCAN', key], 1)).sort();
        const add = h('input', { placeholder: 'member', testid: 'detail-new-value' });
        return h('div', { class: 'type-view' },
          table(['member', ''], members.map((m) => [m, removeButton(edit(key, () => cmd.sendCommand(['SREM', key, m])))]), len),
          h('div', { class: 'toolbar' }, add,
            h('button', { type: 'button', testid: 'detail-add', onclick: edit(key, () => cmd.sendCommand(['SADD', key, add.value])) }, 'SADD')),
        );
      }
      case 'zset': {
        const [len, flat] = await Promise.all([
          cmd.sendCommand<number>(['ZCARD', key]),
          cmd.sendCommand<string[]>(['ZRANGE', key, '0', String(MAX_ITEMS - 1), 'WITHSCORES']),
        ]);
        const rowsOut: (string | HTMLElement)[][] = [];
        for (let i = 0; i < flat.length; i += 2) {
          const member = flat[i];
          rowsOut.push([
            String(i / 2),
            member,
            cellInput(flat[i + 1], (score) => edit(key, () => cmd.sendCommand(['ZADD', key, score, member]))(), 'score'),
            removeButton(edit(key, () => cmd.sendCommand(['ZREM', key, member]))),
          ]);
        }
        const member = h('input', { placeholder: 'member', testid: 'detail-new-value' });
        const score = h('input', { placeholder: 'score', testid: 'detail-new-score', class: 'narrow' });
        return h('div', { class: 'type-view' },
          table(['rank', 'member', 'score', ''], rowsOut, len),
          h('div', { class: 'toolbar' }, score, member,
            h('button', { type: 'button', testid: 'detail-add', onclick: edit(key, () => cmd.sendCommand(['ZADD', key, score.value, member.value])) }, 'ZADD')),
        );
      }
      default:
        return h('p', { class: 'dim' }, `No view for the type ${type}.`);
    }
  }

  /** Every element of a HSCAN/SSCAN iteration, up to MAX_ITEMS entries of `width` elements. */
  async function scanAll(head: string[], width: number): Promise<string[]> {
    const out: string[] = [];
    let cursor = '0';
    do {
      const [next, page] = await cmd.sendCommand<[string, string[]]>([...head, cursor, 'COUNT', '100']);
      out.push(...page);
      cursor = next;
    } while (cursor !== '0' && out.length < MAX_ITEMS * width);
    return out.slice(0, MAX_ITEMS * width);
  }

  /** Remove the element at an index: mark it with a value no one else holds, then LREM that value, in one MULTI. */
  async function removeListIndex(key: string, index: number): Promise<unknown> {
    const mark = `__tabhive_demo_removed_${Date.now()}_${Math.random().toString(36).slice(2)}`;
    const [, , , exec] = await Promise.all([
      cmd.sendCommand(['MULTI']),
      cmd.sendCommand(['LSET', key, String(index), mark]),
      cmd.sendCommand(['LREM', key, '1', mark]),
      cmd.sendCommand(['EXEC']),
    ]);
    const failed = (exec as unknown[]).find((r) => r instanceof Error);
    if (failed) throw failed;
    return exec;
  }

  function table(head: string[], body: (string | HTMLElement)[][], total: number): HTMLElement {
    return h('div', { class: 'table-wrap' },
      h('table', { testid: 'detail-table' },
        h('thead', null, h('tr', null, head.map((c) => h('th', null, c)))),
        h('tbody', null, body.map((r) => h('tr', { testid: 'detail-row' }, r.map((c) => h('td', null, c))))),
      ),
      total > body.length ? h('p', { class: 'dim' }, `${body.length} of ${total} shown`) : null,
    );
  }

  /** A value that saves on Enter or when it loses focus after a change. */
  function cellInput(value: string, save: (v: string) => void, testid = 'cell'): HTMLInputElement {
    const input = h('input', { class: 'cell', testid: `detail-${testid}`, spellcheck: 'false' });
    input.value = value;
    input.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') input.blur();
      if (ev.key === 'Escape') {
        input.value = value;
        input.blur();
      }
    });
    input.addEventListener('change', () => save(input.value));
    return input;
  }

  function removeButton(onclick: () => void): HTMLButtonElement {
    return h('button', { type: 'button', class: 'small danger', title: 'remove', testid: 'detail-remove', onclick }, '✕');
  }

  // ---- new key ----------------------------------------------------------------------------------------------

  function newKeyForm(): void {
    rows.get(selected ?? '')?.el.classList.remove('selected');
    selected = null;
    const type = h('select', { testid: 'new-type' }, TYPES.map((t) => h('option', { value: t }, t)));
    const key = h('input', { placeholder: 'key', testid: 'new-key' });
    const a = h('input', { placeholder: 'value', testid: 'new-a' });
    const b = h('input', { placeholder: 'field / score', testid: 'new-b', class: 'narrow' });
    const ttl = h('input', { type: 'number', min: 1, placeholder: 'TTL s (optional)', testid: 'new-ttl', class: 'narrow' });
    const err = h('p', { class: 'error', hidden: true });
    const relabel = () => {
      b.hidden = type.value !== 'hash' && type.value !== 'zset';
      b.placeholder = type.value === 'hash' ? 'field' : 'score';
      a.placeholder = { string: 'value', list: 'element', hash: 'value', set: 'member', zset: 'member' }[type.value] ?? 'value';
    };
    type.addEventListener('change', relabel);
    relabel();
    const create = async () => {
      const k = key.value;
      const args: Record<string, string[]> = {
        string: ['SET', k, a.value],
        list: ['RPUSH', k, a.value],
        hash: ['HSET', k, b.value, a.value],
        set: ['SADD', k, a.value],
        zset: ['ZADD', k, b.value, a.value],
      };
      try {
        if (k === '') throw new Error('A key needs a name.');
        if ((await cmd.exists(k)) > 0) throw new Error(`“${k}” exists already.`);
        await cmd.sendCommand(args[type.value]);
        if (ttl.value !== '') await cmd.expire(k, Number(ttl.value));
        await select(k);
      } catch (e) {
        err.textContent = message(e);
        err.hidden = false;
      }
    };
    detail.replaceChildren(
      h('h2', null, 'New key'),
      h('div', { class: 'toolbar wrap' }, type, key, b, a, ttl,
        h('button', { type: 'button', testid: 'new-create', onclick: () => void create() }, 'Create')),
      err,
    );
    key.focus();
  }

  // ---- wiring -----------------------------------------------------------------------------------------------

  for (let i = 0; i < 16; i++) dbSelect.append(h('option', { value: i }, String(i)));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    pattern = patternInput.value === '' ? '*' : patternInput.value;
    typeFilter = typeSelect.value;
    void scan();
  });
  typeSelect.addEventListener('change', () => form.requestSubmit());
  dbSelect.addEventListener('change', () => {
    const next = Number(dbSelect.value);
    void (async () => {
      await subscribed;
      await events.sendCommand(['PUNSUBSCRIBE']);
      dbIndex = next;
      await cmd.sendCommand(['SELECT', String(next)]);
      await events.sendCommand(['PSUBSCRIBE', `__keyspace@${next}__:*`]);
      selected = null;
      detail.replaceChildren(h('p', { class: 'dim' }, 'Pick a key.'));
      await scan();
    })();
  });
  $<HTMLButtonElement>('#key-new').addEventListener('click', newKeyForm);

  return {
    show() {
      visible = true;
      ticker ??= setInterval(() => visible && tick(), 100);
      void scan();
    },
    hide() {
      visible = false;
      if (ticker !== null) clearInterval(ticker);
      ticker = null;
    },
  };
}
