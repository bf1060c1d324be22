/**
 * The demo console: a redis-cli look-alike on top of one tabhive client. What redis-cli does with the typed line
 * and the reply lives in cli.ts; this file is the DOM, the history and the prompt.
 *
 * For tests the page exposes `window.tabhiveDemo` ({ db, run, createClient, ReplyError }) and sets `data-ready="true"` on the console
 * once the client is connected.
 */
import { createClient, ReplyError } from '../src/client/index.js';
import { argLatin1, argValue, formatLines, repeatPrefix, splitArgs, toView, type Line, type View } from './cli.js';

type Client = Awaited<ReturnType<typeof createClient>>;

declare global {
  interface Window {
    tabhiveDemo?: {
      db: Client;
      run: (line: string) => Promise<Line[]>;
      createClient: typeof createClient;
      ReplyError: typeof ReplyError;
    };
  }
}

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const root = $<HTMLElement>('console');
const output = $<HTMLDivElement>('output');
const input = $<HTMLInputElement>('input');
const promptEl = $<HTMLLabelElement>('prompt');

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
  input.value = cursor === history.length ? draft : history[cursor];
  input.setSelectionRange(input.value.length, input.value.length);
}

// --- Prompt state, following redis-cli: `[n]` after a successful SELECT n, `(TX)` inside MULTI.
let dbnum = 0;
let inMulti = false;
let preMultiDb = 0;

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

function addEntry(line: string): HTMLDivElement {
  const entry = document.createElement('div');
  entry.className = 'entry';
  entry.dataset.testid = 'console-entry';
  const cmd = document.createElement('div');
  cmd.className = 'command';
  cmd.dataset.testid = 'console-command';
  cmd.textContent = prompt() + line;
  entry.append(cmd);
  output.append(entry);
  return entry;
}

function addReply(entry: HTMLElement, lines: Line[], kind: string): void {
  const pre = document.createElement('pre');
  pre.className = 'reply';
  pre.dataset.testid = 'console-reply';
  pre.dataset.kind = kind;
  for (const l of lines) {
    const span = document.createElement('div');
    span.className = l.error ? 'line error' : 'line';
    if (l.error) span.dataset.testid = 'console-error';
    span.textContent = l.text;
    pre.append(span);
  }
  entry.append(pre);
  scrollDown();
}

// --- Running a line

let db: Client;
let queue: Promise<unknown> = Promise.resolve();

/**
 * Sends one command and turns its reply, or its error, into a view. Bulk strings are asked for as bytes, so they
 * print byte for byte, and so a string in the reply can only be a status reply (`+OK`), which redis-cli prints
 * bare.
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
  const rep = repeatPrefix(args);
  if (rep === 'invalid') return notice(line, 'Invalid redis-cli repeat command option value.');
  const cmd = args.slice(rep.skip);
  if (cmd.length === 1 && argLatin1(cmd[0]).toLowerCase() === 'clear') {
    output.replaceChildren();
    return [];
  }
  const entry = addEntry(line);
  const printed: Line[] = [];
  const started = performance.now();
  for (let i = 0; i < rep.repeat; i++) {
    const view = await send(cmd);
    const lines = formatLines(view);
    addReply(entry, lines, view.t);
    printed.push(...lines);
    track(cmd, view);
  }
  const elapsed = performance.now() - started;
  if (elapsed >= 500) {
    const t = `(${(elapsed / 1000).toFixed(2)}s)`;
    addReply(entry, [{ text: t, error: false }], 'timing');
    printed.push({ text: t, error: false });
  }
  return printed;
}

function notice(line: string, text: string): Line[] {
  const entry = addEntry(line);
  const lines = [{ text, error: false }];
  addReply(entry, lines, 'notice');
  return lines;
}

/** Lines typed while a command runs wait their turn, so replies print in order. */
function enqueue(line: string): Promise<Line[]> {
  const p = queue.then(() => run(line));
  queue = p.catch(() => undefined);
  return p;
}

// --- Wiring

document.getElementById('line')!.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const line = input.value;
  input.value = '';
  void enqueue(line);
});

input.addEventListener('keydown', (ev) => {
  if (ev.key === 'ArrowUp') {
    ev.preventDefault();
    browse(-1);
  } else if (ev.key === 'ArrowDown') {
    ev.preventDefault();
    browse(1);
  } else if (ev.key === 'l' && ev.ctrlKey) {
    ev.preventDefault();
    output.replaceChildren();
  }
});

root.addEventListener('click', () => {
  if (!window.getSelection()?.toString()) input.focus();
});

async function start(): Promise<void> {
  try {
    db = await createClient({ name: 'demo' });
  } catch (e) {
    const p = document.createElement('div');
    p.className = 'notice error';
    p.dataset.testid = 'console-fatal';
    p.textContent = `Could not start tabhive: ${e instanceof Error ? e.message : String(e)}`;
    output.append(p);
    return;
  }
  window.tabhiveDemo = { db, run: enqueue, createClient, ReplyError };
  input.disabled = false;
  input.placeholder = '';
  input.focus();
  root.dataset.ready = 'true';
}

void start();
