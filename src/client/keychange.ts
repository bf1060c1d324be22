/**
 * `db.onKeyChange(patterns, (event, key) => …)`: be called when keys matching glob patterns change — set,
 * deleted, expired, evicted, pushed to … — built on Redis's keyspace notifications.
 *
 * ```ts
 * const off = await db.onKeyChange('cart:*', (event, key) => render(key, event)); // 'set', 'del', 'expired' …
 * …
 * await off();
 * ```
 *
 * Rules:
 * - it widens `notify-keyspace-events` with K and the event classes asked (default 'A': every class but key
 *   misses and 'new'), never narrowing flags set by others (settings.ts), and leaves them set when stopped:
 *   another listener may rely on them;
 * - it PSUBSCRIBEs `__keyspace@<db>__:<pattern>` on a private session of its own (not the client's), so the
 *   client's commands and pub/sub are untouched; the returned function closes that session;
 * - `<db>` is the client's selected db when `onKeyChange` is called (CLIENT INFO tells), or `options.db`;
 * - patterns are Redis glob patterns over key names: to watch one key whose name holds `* ? [ ] \`, escape
 *   them (`escapeGlob(key)`);
 * - the event is Redis's name for what happened (`set`, `del`, `expire`, `expired`, `evicted`, `hset`,
 *   `lpush`, `rename_from`, `rename_to` …); the key comes as a string decoded from UTF-8, or as Uint8Array with
 *   `{ bytes: true }`. Events of one worker arrive in the order they happened.
 */
import type { Connection, SessionState } from './connection.js';
import type { Key } from './client.js';
import { ClientClosedError } from './errors.js';
import { onClose, Subscriber } from './pubsub.js';
import { enableKeyspaceEvents } from './settings.js';
import type { WireReply } from '../worker/protocol.js';

export interface KeyChangeOptions<B extends boolean = boolean> {
  /** The db whose keys to watch; default: the client's selected db at the time of the call. */
  db?: number;
  /**
   * Which event classes, in Redis's letters: g (generic: del, expire, rename …), $ (strings), l (lists),
   * s (sets), h (hashes), z (sorted sets), x (expired), e (evicted), t (streams), m (key misses), n (new keys),
   * A (all but m and n). Default 'A'.
   */
  events?: string;
  /** Keys as Uint8Array (their exact bytes) rather than strings. */
  bytes?: B;
}

export type KeyChangeListener<K extends string | Uint8Array = string> = (event: string, key: K) => unknown;

/** A key name as a glob pattern matching just itself: `* ? [ ] \` escaped with a backslash. */
export function escapeGlob(key: string): string {
  return key.replace(/[*?[\]\\]/g, '\\$&');
}

/**
 * Start watching; resolves once events flow, with the function that stops (resolving once the private session
 * closed). See the file's rules.
 */
export async function onKeyChange(
  conn: Connection,
  session: SessionState,
  patterns: Key | Key[],
  listener: KeyChangeListener<string> | KeyChangeListener<Uint8Array>,
  options: KeyChangeOptions = {},
): Promise<() => Promise<void>> {
  if (session.closed) throw new ClientClosedError();
  if (typeof listener !== 'function') throw new TypeError('tabhive: onKeyChange needs a listener function');
  const list = Array.isArray(patterns) ? patterns : [patterns];
  if (list.length === 0) throw new TypeError('tabhive: onKeyChange needs at least one pattern');
  for (const p of list) {
    if (typeof p !== 'string' && !(p instanceof Uint8Array)) {
      throw new TypeError('tabhive: a key pattern must be a string or a Uint8Array');
    }
  }
  const db = options.db ?? (await selectedDb(conn, session));
  if (!Number.isInteger(db) || db < 0) throw new TypeError(`tabhive: db must be a non-negative integer, not ${db}`);
  const events = options.events ?? 'A';
  const prefix = `__keyspace@${db}__:`;
  const bytes = options.bytes === true;

  const sub = new Subscriber(conn);
  const cancel = onClose(session, () => void sub.close());
  try {
    await enableKeyspaceEvents(conn, sub.session.sid, `K${events}`);
    const channels = list.map((p) => (typeof p === 'string' ? prefix + p : concat(prefix, p)));
    if (bytes) {
      const n = prefix.length;
      const l = listener as KeyChangeListener<Uint8Array>;
      await sub.subscribe('pattern', channels, ((event: Uint8Array, channel: Uint8Array) =>
        l(ascii(event), channel.subarray(n))) as never, true);
    } else {
      // The prefix is ASCII: as many UTF-16 units as bytes.
      const n = prefix.length;
      const l = listener as KeyChangeListener<string>;
      await sub.subscribe('pattern', channels, ((event: string, channel: string) => l(event, channel.slice(n))) as never, false);
    }
  } catch (e) {
    cancel();
    void sub.close();
    throw e;
  }
  let stopped: Promise<void> | null = null;
  return () => {
    if (stopped === null) {
      cancel();
      stopped = sub.close();
    }
    return stopped;
  };
}

/** The db the client on `session` has selected, from CLIENT INFO's `db=` field. */
async function selectedDb(conn: Connection, session: SessionState): Promise<number> {
  const info = await conn.call<WireReply>(['cmd', session.sid, ['CLIENT', 'INFO'], false], session.sid);
  const m = typeof info === 'string' ? / db=(\d+)/.exec(info) : null;
  if (m === null) throw new Error('tabhive: could not tell the selected db from CLIENT INFO; pass options.db');
  return Number(m[1]);
}

function concat(prefix: string, p: Uint8Array): Uint8Array {
  const out = new Uint8Array(prefix.length + p.length);
  for (let i = 0; i < prefix.length; i++) out[i] = prefix.charCodeAt(i);
  out.set(p, prefix.length);
  return out;
}

function ascii(b: Uint8Array): string {
  return String.fromCharCode(...b);
}
