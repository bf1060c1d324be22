/**
 * Pub/sub for the page, in node-redis v4's shape:
 *
 * ```ts
 * await db.subscribe('news', (message, channel) => console.log(channel, message));
 * await db.pSubscribe('user:*', (message, channel) => …);
 * await db.subscribe('blobs', (message: Uint8Array, channel: Uint8Array) => …, true); // bytes
 * await db.publish('news', 'hello');
 * await db.unsubscribe('news');
 * ```
 *
 * Rules:
 * - subscriptions live on a session of their own, opened when a client first subscribes (node-redis needs a
 *   dedicated connection for this; here the client makes it itself): the client keeps running every other
 *   command, in RESP2 too, and its own session never enters subscribe mode. `sendCommand(['SUBSCRIBE', …])`
 *   still acts on the client's own session, as in Redis, with messages through `onPush`;
 * - one subscriber session per client (its views `withBytes()` / `withStrings()` share it); `duplicate()` has
 *   its own; it closes with the client (`quit()`, `disconnect()`);
 * - a channel (pattern, shard channel) is subscribed once however many listeners it has: SUBSCRIBE is sent for
 *   its first listener, UNSUBSCRIBE once its last one is removed; listeners are registered before the command
 *   leaves, so no message published after `subscribe()` was called is missed;
 * - a listener gets `(message, channel)` — for patterns the channel that matched — as strings decoded from
 *   UTF-8, or as Uint8Array (the exact bytes) when subscribed with `bufferMode` true. The session receives the
 *   bytes and decodes for string listeners, so both kinds of listener can share a channel;
 * - delivery: every message PUBLISHed in this worker reaches every listener, in publish order (the worker runs
 *   one command at a time and posts pushes in order); at most once, as Redis: a listener added after a PUBLISH
 *   ran does not get it. Another tab's worker is another database until the multi-tab layer joins them.
 */
import { fromBytes, fromUtf8 } from '../engine/bytes.js';
import type { Connection, SessionState } from './connection.js';
import type { Key } from './client.js';
import { ClientClosedError } from './errors.js';
import type { WireArg, WireReply } from '../worker/protocol.js';

/** A pub/sub listener: the message and its channel, as strings or (bufferMode) Uint8Array. */
export type PubSubListener<T extends string | Uint8Array = string> = (message: T, channel: T) => unknown;

export type SubscriptionKind = 'channel' | 'pattern' | 'shard';

const VERBS: Record<SubscriptionKind, { sub: string; unsub: string }> = {
  channel: { sub: 'SUBSCRIBE', unsub: 'UNSUBSCRIBE' },
  pattern: { sub: 'PSUBSCRIBE', unsub: 'PUNSUBSCRIBE' },
  shard: { sub: 'SSUBSCRIBE', unsub: 'SUNSUBSCRIBE' },
};

/** A listener of either kind, as stored (the set it is in says which). */
type AnyListener = PubSubListener<never>;

interface ChannelListeners {
  /** The name as the caller gave it, to send again in UNSUBSCRIBE. */
  name: WireArg;
  strings: Set<AnyListener>;
  buffers: Set<AnyListener>;
}

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** A channel name's identity: its bytes, as a binary string (a JS string means its UTF-8 bytes). */
function keyOf(name: Key): string {
  if (typeof name === 'string') return fromUtf8(name);
  if (name instanceof Uint8Array) return fromBytes(name);
  throw new TypeError(`tabhive: a channel or pattern must be a string or a Uint8Array, not ${describe(name)}`);
}

function describe(x: unknown): string {
  return x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x;
}

function names(x: Key | Key[] | undefined): Key[] {
  return x === undefined ? [] : Array.isArray(x) ? x : [x];
}

/** The subscriptions of one client, on a session of their own. */
export class Subscriber {
  readonly session: SessionState;
  private readonly tables: Record<SubscriptionKind, Map<string, ChannelListeners>> = {
    channel: new Map(),
    pattern: new Map(),
    shard: new Map(),
  };
  private readonly offPush: () => void;

  constructor(private readonly conn: Connection) {
    const { session, opened } = conn.openSession(true);
    opened.catch(() => {});
    this.session = session;
    this.offPush = conn.onPush(session.sid, (r) => this.dispatch(r));
  }

  /** Channels, patterns and shard channels with at least one listener. */
  get size(): number {
    return this.tables.channel.size + this.tables.pattern.size + this.tables.shard.size;
  }

  /** Add `listener` to each name; subscribe the names that had none. Resolves once subscribed. */
  subscribe(kind: SubscriptionKind, which: Key | Key[], listener: PubSubListener<never>, bufferMode: boolean): Promise<void> {
    if (this.session.closed) return Promise.reject(new ClientClosedError());
    if (typeof listener !== 'function') return Promise.reject(new TypeError('tabhive: a listener must be a function'));
    const list = names(which);
    if (list.length === 0) return Promise.reject(new TypeError(`tabhive: ${VERBS[kind].sub} needs at least one name`));
    const table = this.tables[kind];
    const added: ChannelListeners[] = [];
    const fresh: WireArg[] = [];
    try {
      for (const name of list) {
        const key = keyOf(name);
        let l = table.get(key);
        if (l === undefined) {
          l = { name, strings: new Set(), buffers: new Set() };
          table.set(key, l);
          fresh.push(name);
        }
        (bufferMode ? l.buffers : l.strings).add(listener);
        added.push(l);
      }
    } catch (e) {
      this.drop(kind, added, listener, bufferMode);
      return Promise.reject(e);
    }
    if (fresh.length === 0) return Promise.resolve();
    return this.send([VERBS[kind].sub, ...fresh]).then(
      () => {},
      (e: unknown) => {
        this.drop(kind, added, listener, bufferMode);
        throw e;
      },
    );
  }

  /**
   * Remove `listener` (or, without one, every listener) from the names (or, without names, from all of this
   * kind); unsubscribe the names left without listeners. Resolves once done.
   */
  unsubscribe(
    kind: SubscriptionKind,
    which?: Key | Key[],
    listener?: PubSubListener<never>,
    bufferMode = false,
  ): Promise<void> {
    const table = this.tables[kind];
    const gone: WireArg[] = [];
    if (which === undefined) {
      for (const l of table.values()) gone.push(l.name);
      table.clear();
    } else {
      for (const name of names(which)) {
        let key: string;
        try {
          key = keyOf(name);
        } catch (e) {
          return Promise.reject(e);
        }
        const l = table.get(key);
        if (l === undefined) continue;
        if (listener !== undefined) {
          (bufferMode ? l.buffers : l.strings).delete(listener);
          if (l.strings.size + l.buffers.size > 0) continue;
        }
        table.delete(key);
        gone.push(l.name);
      }
    }
    if (gone.length === 0 || this.session.closed) return Promise.resolve();
    return this.send([VERBS[kind].unsub, ...gone]).then(() => {});
  }

  /** Close the session: every subscription ends at once. Resolves once the worker closed it. */
  close(): Promise<void> {
    this.offPush();
    for (const t of Object.values(this.tables)) t.clear();
    if (this.session.closed) return Promise.resolve();
    return this.conn.closeSession(this.session, false).catch(() => {});
  }

  private send(args: WireArg[]): Promise<unknown> {
    const sid = this.session.sid;
    return this.conn.call(['cmd', sid, args, false], sid);
  }

  /** Undo what a failed subscribe added. */
  private drop(kind: SubscriptionKind, added: ChannelListeners[], listener: PubSubListener<never>, bufferMode: boolean) {
    const table = this.tables[kind];
    for (const l of added) {
      (bufferMode ? l.buffers : l.strings).delete(listener);
      if (l.strings.size + l.buffers.size === 0) {
        const key = keyOf(l.name);
        if (table.get(key) === l) table.delete(key);
      }
    }
  }

  /** A push of the subscriber session: `message`, `pmessage` or `smessage`, its bulk strings as bytes. */
  private dispatch(r: WireReply): void {
    if (!Array.isArray(r) || !(r[0] instanceof Uint8Array)) return;
    let l: ChannelListeners | undefined;
    let channel: Uint8Array;
    let message: Uint8Array;
    switch (fromBytes(r[0])) {
      case 'message':
        l = this.tables.channel.get(fromBytes(r[1] as Uint8Array));
        channel = r[1] as Uint8Array;
        message = r[2] as Uint8Array;
        break;
      case 'pmessage':
        l = this.tables.pattern.get(fromBytes(r[1] as Uint8Array));
        channel = r[2] as Uint8Array;
        message = r[3] as Uint8Array;
        break;
      case 'smessage':
        l = this.tables.shard.get(fromBytes(r[1] as Uint8Array));
        channel = r[1] as Uint8Array;
        message = r[2] as Uint8Array;
        break;
      default:
        return;
    }
    if (l === undefined) return;
    if (l.buffers.size > 0) {
      for (const f of [...l.buffers]) call(() => (f as PubSubListener<Uint8Array>)(message, channel));
    }
    if (l.strings.size > 0) {
      const m = decoder.decode(message);
      const c = decoder.decode(channel);
      for (const f of [...l.strings]) call(() => (f as PubSubListener<string>)(m, c));
    }
  }
}

/** Run a listener; its exception is the page's, reported without stopping delivery to the others. */
function call(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    queueMicrotask(() => {
      throw e;
    });
  }
}

// ---- per-client state -------------------------------------------------------------------------------------------

/** Each client session's subscriber, made on first use. */
const subscribers = new WeakMap<SessionState, Subscriber>();
/** What closes with a client session: its subscriber, its key-change watchers. */
const children = new WeakMap<SessionState, Set<() => void>>();

/** The subscriber of the client on `session`, made if needed. */
export function subscriberOf(conn: Connection, session: SessionState): Subscriber {
  if (session.closed) throw new ClientClosedError();
  let s = subscribers.get(session);
  if (s === undefined || s.session.closed) {
    const sub = new Subscriber(conn);
    subscribers.set(session, sub);
    onClose(session, () => void sub.close());
    s = sub;
  }
  return s;
}

/** The subscriber of the client on `session`, if it has one. */
export function existingSubscriber(session: SessionState): Subscriber | undefined {
  return subscribers.get(session);
}

/** Run `close` when the client on `session` closes; the returned function cancels that. */
export function onClose(session: SessionState, close: () => void): () => void {
  let set = children.get(session);
  if (set === undefined) children.set(session, (set = new Set()));
  set.add(close);
  return () => void set.delete(close);
}

/** The client on `session` is closing: close what belongs to it. */
export function closeChildren(session: SessionState): void {
  const set = children.get(session);
  if (set === undefined) return;
  children.delete(session);
  subscribers.delete(session);
  for (const close of set) close();
}
