/**
 * The console view: a redis-cli look-alike on one tabhive client. What redis-cli does with a typed line and its
 * reply lives in cli.ts, its help table in help.ts; this file is the DOM, the history, the prompt, hints and
 * completion, transactions shown as one block, and subscribe mode.
 *
 * Rules, as redis-cli 7.0's REPL:
 * - `help` and `?` are answered locally from the help table (COMMAND DOCS), never sent;
 * - after (P|S)SUBSCRIBE the prompt goes away: "Reading messages..." and every message as an array, until
 *   Ctrl+C (redis-cli closes the connection there; the console unsubscribes instead and keeps its session);
 * - replies of SUBSCRIBE & co. print one array per channel, as they arrive on the wire;
 * - Tab cycles through the commands starting with the line (the line itself comes back after the last one);
 *   Escape puts back what was typed.
 */
import type { TabhiveClient } from '../src/client/index.js';
import { argLatin1, argValue, formatLines, repeatPrefix, splitArgs, toView, type Line, type View } from './cli.js';
import { completions, helpLines, helpTable, hintFor, matchEntry, type HelpTable } from './help.js';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

export interface ConsoleApi {
  /** Runs a line as if typed (after the lines before it); resolves with the lines printed. */
  run(line: string): Promise<Line[]>;
}

const SUBSCRIBING = new Set(['subscribe', 'psubscribe', 'ssubscribe']);
const UNSUBSCRIBING = new Set(['unsubscribe', 'punsubscribe', 'sunsubscribe']);

export function startConsole(db: TabhiveClient): ConsoleApi {
  const root = $<HTMLElement>('console');
  const output = $<HTMLDivElement>('output');
  const input = $<HTMLInputElement>('input');
  const promptEl = $<HTMLLabelElement>('prompt');
  const form = $<HTMLFormElement>('line');
  const ghostTyped = document.querySelector<HTMLSpanElement>('#ghost .typed')!;
  const ghostHint = document.querySelector<HTMLSpanElement>('#ghost .hint')!;
  const helpLine = $<HTMLDivElement>('help-line');
  const reading = $<HTMLDivElement>('reading');

  // --- History, as linenoise keeps it: no empty lines, no repeat of the line just before, at most 100 kept.
  const HISTORY_KEY = 'tabhive-demo-history';
  const HISTORY_MAX = 100;
  const history: string[] = loadHistory();
  let cursor = history.length;
  let draft = '';

  function loadHistory(): string[] {
    try {
      const h = JSON.parse(localStorage.getItem(HISTORY_KEY) ?? '[]');
      return Array.isArray(h) ? h.filter((x): x is string => typeof x === 'string').slice(-HISTORY_MAX) : [];
    } catch {
      return [];
    }
  }

  function remember(line: string): void {
    if (history[history.length - 1] !== line) history.push(line);
    if (history.length > HISTORY_MAX) history.splice(0, history.length - HISTORY_MAX);
    cursor = history.length;
    draft = '';
    try {
      localStorage.setItem(HISTORY_KEY, JSON.stringify(history));
    } catch {
      // History is a convenience: a full or disabled localStorage must not stop the console.
    }
  }

  function browse(step: -1 | 1): void {
    const next = cursor + step;
    if (next < 0 || next > history.length) return;
    if (cursor === history.length) draft = input.value;
    cursor = next;
    setInput(cursor === history.length ? draft : history[cursor]);
  }

  function setInput(value: string): void {
    input.value = value;
    input.setSelectionRange(value.length, value.length);
    showHint();
  }

  // --- Prompt state, following redis-cli: `[n]` after a successful SELECT n, `(TX)` inside MULTI.
  let dbnum = 0;
  let inMulti = false;
  let preMultiDb = 0;
  /** The entry of the open transaction block (MULTI … EXEC), for grouping its lines. */
  let txBlock: HTMLDivElement | null = null;

  function prompt(): string {
    return `tabhive${dbnum !== 0 ? `[${dbnum}]` : ''}${inMulti ? '(TX)' : ''}> `;
  }

  /** What redis-cli changes in its prompt after a command (cliSendCommand). */
  function track(args: Uint8Array[], view: View): void {
    const name = argLatin1(args[0]).toLowerCase();
    const failed = view.t === 'error';
    if (name === 'select' && args.length === 2 && !failed) {
      dbnum = Number.parseInt(argLatin1(args[1]), 10) || 0;
    } else if (name === 'multi' && args.length === 1 && !failed) {
      inMulti = true;
      preMultiDb = dbnum;
    } else if (name === 'exec' && args.length === 1 && inMulti) {
      inMulti = false;
      if (failed || view.t === 'nil') dbnum = preMultiDb;
    } else if (name === 'discard' && args.length === 1 && !failed) {
      inMulti = false;
      dbnum = preMultiDb;
    } else if (name === 'reset' && args.length === 1 && !failed) {
      inMulti = false;
      dbnum = 0;
    }
    promptEl.textContent = prompt();
  }

  // --- Output

  function scrollDown(): void {
    output.scrollTop = output.scrollHeight;
  }

  /** A transaction's lines go into one block, from MULTI to EXEC or DISCARD, so it reads as one unit. */
  function container(): HTMLElement {
    return txBlock ?? output;
  }

  function addEntry(line: string): HTMLDivElement {
    const entry = document.createElement('div');
    entry.className = 'entry';
    entry.dataset.testid = 'console-entry';
    const cmd = document.createElement('div');
    cmd.className = 'command';
    cmd.dataset.testid = 'console-command';
    cmd.textContent = prompt() + line;
    entry.append(cmd);
    container().append(entry);
    return entry;
  }

  function addReply(entry: HTMLElement, lines: Line[], kind: string): void {
    const pre = document.createElement('pre');
    pre.className = 'reply';
    pre.dataset.testid = 'console-reply';
    pre.dataset.kind = kind;
    // Lines are spans joined by newlines inside a <pre>, so the text reads back exactly (empty lines too).
    lines.forEach((l, i) => {
      if (i > 0) pre.append('\n');
      const span = document.createElement('span');
      span.className = l.error ? 'line error' : 'line';
      if (l.error) span.dataset.testid = 'console-error';
      span.textContent = l.text;
      pre.append(span);
    });
    entry.append(pre);
    scrollDown();
  }

  const plain = (texts: string[]): Line[] => texts.map((text) => ({ text, error: false }));

  function notice(line: string, text: string): Line[] {
    const entry = addEntry(line);
    const lines = plain([text]);
    addReply(entry, lines, 'notice');
    return lines;
  }

  // --- Help table, hints and completion

  let table: HelpTable | null = null;
  let hints = true;
  const helpReady: Promise<void> = (async () => {
    // A session of its own, so the console's (its db, its MULTI) never sees this.
    const docsClient = db.duplicate();
    try {
      table = helpTable(await docsClient.sendCommand(['COMMAND', 'DOCS']));
    } catch (e) {
      helpLine.textContent = `No help: COMMAND DOCS failed (${e instanceof Error ? e.message : String(e)})`;
    } finally {
      await docsClient.quit().catch(() => undefined);
    }
    showHint();
  })();

  /** redis-cli's grey hint after the cursor, and a line of inline help under the console. */
  function showHint(): void {
    const line = input.value;
    ghostTyped.textContent = line;
    ghostHint.textContent = '';
    if (table === null || subscribed) return;
    const args = (splitArgs(line) ?? []).map(argLatin1);
    const hint = hints ? hintFor(table, line, args) : null;
    // The hint sits after the typed text; once the text scrolls inside the field it could not line up.
    if (hint !== null && input.scrollWidth <= input.clientWidth) ghostHint.textContent = hint;
    if (completion !== null) return;
    const m = args.length > 0 ? matchEntry(table, args) : null;
    if (m === null) {
      helpLine.replaceChildren();
      return;
    }
    const e = m.entry;
    const name = document.createElement('b');
    name.textContent = e.name;
    const params = document.createElement('span');
    params.className = 'params';
    params.textContent = e.params === '' ? '' : ` ${e.params}`;
    const about = document.createElement('span');
    about.className = 'about';
    about.textContent = ` — ${e.summary} · since ${e.since} · @${e.group}${e.complexity ? ` · ${e.complexity}` : ''}`;
    helpLine.replaceChildren(name, params, about);
  }

  /** Tab completion in progress: what was typed, the candidates, which one shows (-1: the typed line). */
  let completion: { typed: string; candidates: string[]; at: number } | null = null;

  function complete(): void {
    if (table === null) return;
    if (completion === null) {
      const candidates = completions(table, input.value);
      if (candidates.length === 0) return;
      completion = { typed: input.value, candidates, at: -1 };
    }
    const c = completion;
    // linenoise: each Tab shows the next candidate, then the typed line again, then the first one …
    c.at = c.at + 1 > c.candidates.length - 1 ? (c.at === -1 ? 0 : -1) : c.at + 1;
    input.value = c.at === -1 ? c.typed : c.candidates[c.at];
    input.setSelectionRange(input.value.length, input.value.length);
    const list = c.candidates.slice(0, 12).join('  ') + (c.candidates.length > 12 ? `  … ${c.candidates.length - 12} more` : '');
    helpLine.textContent = c.candidates.length > 1 ? `Tab: ${list}` : '';
    ghostTyped.textContent = input.value;
    ghostHint.textContent = '';
  }

  // --- Subscribe mode

  let subscribed = false;
  let readingEntry: HTMLDivElement | null = null;

  db.onPush((push) => {
    if (!subscribed || readingEntry === null) return;
    addReply(readingEntry, formatLines(toView(push)), 'push');
  });

  function enterReading(entry: HTMLDivElement): void {
    subscribed = true;
    readingEntry = entry;
    form.hidden = true;
    reading.hidden = false;
    helpLine.replaceChildren();
    root.focus();
  }

  /** Ctrl+C: redis-cli drops the connection; the console ends its subscriptions and keeps the session. */
  async function leaveReading(): Promise<void> {
    if (!subscribed) return;
    subscribed = false;
    readingEntry = null;
    for (const c of ['UNSUBSCRIBE', 'PUNSUBSCRIBE', 'SUNSUBSCRIBE']) await db.sendCommand([c]).catch(() => undefined);
    reading.hidden = true;
    form.hidden = false;
    input.focus();
    showHint();
  }

  // --- Running a line

  let queue: Promise<unknown> = Promise.resolve();

  /**
   * Sends one command and turns its reply, or its error, into a view. Bulk strings are asked for as bytes, so
   * they print byte for byte, and so a string in the reply can only be a status reply (`+OK`), which redis-cli
   * prints bare.
   */
  async function send(args: Uint8Array[]): Promise<View> {
    try {
      const reply = await db.sendCommand(args.map(argValue), { bytes: true });
      return toView(reply, () => true);
    } catch (e) {
      return { t: 'error', s: e instanceof Error ? e.message : String(e) };
    }
  }

  /** Runs one typed line as redis-cli's REPL does; returns the lines printed. */
  async function run(line: string): Promise<Line[]> {
    if (line.trim() !== '') remember(line);
    const args = splitArgs(line);
    if (args === null) return notice(line, 'Invalid argument(s)');
    if (args.length === 0) return [];
    const first = argLatin1(args[0]).toLowerCase();
    if (first === 'help' || first === '?') {
      await helpReady;
      const entry = addEntry(line);
      const lines = plain(table === null ? ['(help unavailable)'] : helpLines(table, args.slice(1).map(argLatin1)));
      addReply(entry, lines, 'help');
      return lines;
    }
    if (first === ':set' && args.length === 2) {
      const pref = argLatin1(args[1]).toLowerCase();
      if (pref === 'hints' || pref === 'nohints') {
        hints = pref === 'hints';
        showHint();
        addEntry(line);
        return [];
      }
    }
    const rep = repeatPrefix(args);
    if (rep === 'invalid') return notice(line, 'Invalid redis-cli repeat command option value.');
    const cmd = args.slice(rep.skip);
    const name = argLatin1(cmd[0]).toLowerCase();
    if (cmd.length === 1 && name === 'clear') {
      output.replaceChildren();
      txBlock = null;
      return [];
    }
    const wasInMulti = inMulti;
    if (name === 'multi' && !inMulti) {
      txBlock = document.createElement('div');
      txBlock.className = 'tx';
      txBlock.dataset.testid = 'console-tx';
      output.append(txBlock);
    }
    const entry = addEntry(line);
    const printed: Line[] = [];
    const started = performance.now();
    for (let i = 0; i < rep.repeat; i++) {
      const view = await send(cmd);
      // SUBSCRIBE & co. answer one array per channel: redis-cli prints each as it comes off the wire.
      const perChannel = (SUBSCRIBING.has(name) || UNSUBSCRIBING.has(name)) && view.t === 'array' && !inMulti;
      const views = perChannel ? (view as { items: readonly View[] }).items : [view];
      if (SUBSCRIBING.has(name) && perChannel) {
        const t = plain(['Reading messages... (press Ctrl-C to quit)']);
        addReply(entry, t, 'notice');
        printed.push(...t);
      }
      for (const v of views) {
        const lines = formatLines(v);
        addReply(entry, lines, v.t);
        printed.push(...lines);
      }
      track(cmd, view);
      if (SUBSCRIBING.has(name) && perChannel) {
        enterReading(entry);
        break;
      }
    }
    const elapsed = performance.now() - started;
    if (elapsed >= 500) {
      const t = `(${(elapsed / 1000).toFixed(2)}s)`;
      addReply(entry, plain([t]), 'timing');
      printed.push({ text: t, error: false });
    }
    if (wasInMulti && !inMulti) txBlock = null;
    if (!wasInMulti && !inMulti && txBlock !== null && name === 'multi') txBlock = null; // MULTI failed
    return printed;
  }

  /** Lines typed while a command runs wait their turn, so replies print in order. */
  function enqueue(line: string): Promise<Line[]> {
    const p = queue.then(() => run(line));
    queue = p.catch(() => undefined);
    return p;
  }

  // --- Wiring

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const line = input.value;
    input.value = '';
    completion = null;
    showHint();
    void enqueue(line);
  });

  input.addEventListener('input', () => {
    completion = null;
    showHint();
  });

  // Several lines pasted at once run one after another, as a terminal feeds them to redis-cli.
  input.addEventListener('paste', (ev) => {
    const text = ev.clipboardData?.getData('text') ?? '';
    if (!/[\r\n]/.test(text)) return;
    ev.preventDefault();
    const lines = text.split(/\r\n|\r|\n/);
    const last = lines.pop() ?? '';
    lines[0] = input.value + lines[0];
    for (const l of lines) void enqueue(l);
    setInput(last);
  });

  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Tab') {
      ev.preventDefault();
      complete();
      return;
    }
    if (ev.key === 'Escape' && completion !== null) {
      ev.preventDefault();
      setInput(completion.typed);
      completion = null;
      return;
    }
    if (completion !== null && ev.key !== 'Shift') {
      completion = null;
      helpLine.replaceChildren();
    }
    if (ev.key === 'ArrowUp') {
      ev.preventDefault();
      browse(-1);
    } else if (ev.key === 'ArrowDown') {
      ev.preventDefault();
      browse(1);
    } else if (ev.key === 'l' && ev.ctrlKey) {
      ev.preventDefault();
      output.replaceChildren();
      txBlock = null;
    } else if (ev.key === 'c' && ev.ctrlKey && input.selectionStart === input.selectionEnd) {
      // Ctrl+C at the prompt drops the line, as linenoise does (copying a selection still works).
      ev.preventDefault();
      setInput('');
    }
  });

  root.tabIndex = -1;
  root.addEventListener('keydown', (ev) => {
    if (subscribed && ev.key === 'c' && ev.ctrlKey) {
      ev.preventDefault();
      void leaveReading();
    }
  });
  $<HTMLButtonElement>('stop-reading').addEventListener('click', (ev) => {
    ev.stopPropagation();
    void leaveReading();
  });

  root.addEventListener('click', () => {
    if (!window.getSelection()?.toString()) (subscribed ? root : input).focus();
  });

  void helpReady.then(() => {
    input.disabled = false;
    input.placeholder = '';
    input.focus();
    root.dataset.ready = 'true';
  });

  return { run: enqueue };
}
