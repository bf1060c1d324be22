/**
 * The client a page holds: node-redis v4's shape — `sendCommand` for any command, typed camelCase methods with
 * node-redis's names, options and reply shapes — over one session in the worker. Every method is one
 * `sendCommand`; the reply transforms are node-redis's (booleans for 0/1 replies, `{ cursor, keys }` for SCAN,
 * `{ value, score }` for sorted-set members, a Date for TIME).
 *
 * The typed command methods live by family in commands/<family>.ts (strings, keys, lists, hashes, sets, sorted
 * sets, SORT, server, connection, pub/sub); this file holds the client itself: its session, `sendCommand`,
 * transactions, subscriptions.
 *
 * Strings: an argument string means its UTF-8 bytes, a Uint8Array means itself; bulk replies are decoded from
 * UTF-8 into strings, or come back as Uint8Array from `withBytes()` or with `{ bytes: true }`. Integers are
 * numbers; a value beyond 2^53 (only INCR & co. can make one) is a bigint, never a rounded number.
 */
import type { Connection, SessionState } from './connection.js';
import { ClientClosedError } from './errors.js';
import { onKeyChange, type KeyChangeListener, type KeyChangeOptions } from './keychange.js';
import { createMulti, executeIsolated, type RedisMulti } from './multi.js';
import { nearRead } from './near-cache.js';
import { closeChildren, existingSubscriber, subscriberOf, type PubSubListener } from './pubsub.js';
import type { ReplyError } from './errors.js';
import type { PersistenceStatus, PersistenceEvent, WireArg, WireReply, WorkerStats } from '../worker/protocol.js';
import type { ImportSummary } from '../worker/rdb-io.js';
import { addCommands, CommandBase, type CommandArgument, type Key } from './commands/base.js';
import { ConnectionCommands } from './commands/connection.js';
import { HashCommands } from './commands/hash.js';
import { KeyCommands } from './commands/keys.js';
import { ListCommands } from './commands/list.js';
import { PubSubCommands } from './commands/pubsub.js';
import { ServerCommands } from './commands/server.js';
import { SetCommands } from './commands/set.js';
import { SortCommands } from './commands/sort.js';
import { StringCommands } from './commands/string.js';
import { SortedSetCommands } from './commands/zset.js';

export type { Bulk, CollectionScanOptions, CommandArgument, Key, Value, ZMember } from './commands/base.js';
export type {
  GetExOptions, LcsIdxOptions, LcsIdxReply, LcsIdxWithMatchLenReply, MSetArguments, Range, SetOptions,
} from './commands/string.js';
export type { CopyOptions, ExpireMode, RestoreOptions, ScanOptions } from './commands/keys.js';
export type * from './commands/server.js';
export type * from './commands/connection.js';
export type * from './commands/list.js';
export type * from './commands/hash.js';
export type * from './commands/set.js';
export type * from './commands/zset.js';
export type * from './commands/sort.js';

/**
 * Any reply, as `sendCommand` resolves it. Error replies reject (ReplyError); inside an array (EXEC) they are
 * ReplyError values. RESP3 (after HELLO 3) adds `Map`s, booleans and numbers for doubles.
 */
export type RedisReply =
  | string
  | number
  | bigint
  | boolean
  | null
  | Uint8Array
  | ReplyError
  | RedisReply[]
  | Map<RedisReply, RedisReply>;

export interface CommandOptions {
  /** Bulk strings as Uint8Array instead of decoded strings. */
  bytes?: boolean;
}

/** What `stats()` reports: this client's near-cache reads, the shared near-cache, its connection's traffic. */
export interface ClientStats {
  /** This client reads through the near-cache (`createClient({ nearCache: false })` turns it off). */
  nearCache: boolean;
  /** Near-cache reads (GET, HGET … see near-cache.ts) of this client answered in the page / sent to the worker. */
  hits: number;
  misses: number;
  /** Entries held and the bound, for every client of this database in the page (they share the cache). */
  entries: number;
  capacity: number;
  /** Keys the worker invalidated. */
  invalidations: number;
  /** Batches (messages) and operations this page sent to the database's worker. */
  batches: number;
  ops: number;
  /** Round trips the page kept its thread awake for (`createClient({ spin })`, worker/spin.ts). */
  spins: number;
}

/**
 * The typed command methods, one family per file (commands/*.ts): declared here so that a client has them
 * with their own types and TSDoc, copied onto the class's prototype below.
 */
export interface TabhiveClient<S extends string | Uint8Array = string>
  extends StringCommands<S>,
    KeyCommands<S>,
    ListCommands<S>,
    HashCommands<S>,
    SetCommands<S>,
    SortedSetCommands<S>,
    SortCommands<S>,
    ServerCommands<S>,
    ConnectionCommands<S>,
    PubSubCommands<S> {}

/**
 * A connection to a tabhive database: one session (selected db, protocol) in the worker. Make one with
 * `createClient()`, another session with `duplicate()`. `S` is how bulk strings come back: `string`, or
 * `Uint8Array` from `withBytes()`.
 */
export class TabhiveClient<S extends string | Uint8Array = string> extends CommandBase {
  /** @internal Use createClient(). */
  constructor(
    private readonly conn: Connection,
    private readonly session: SessionState,
    private readonly bytes: boolean,
  ) {
    super();
  }

  // ---- the client ---------------------------------------------------------------------------------------------

  /** The database's name (IndexedDB database `tabhive:<name>`). */
  get name(): string {
    return this.conn.name;
  }

  /** Where persistence stands: whether changes reach IndexedDB, and why not. */
  get persistence(): Readonly<PersistenceStatus> {
    return this.conn.status;
  }

  /**
   * Be told what happens to persistence: first what happened when the database was opened ('corrupt': damaged
   * records were skipped; 'memory-only': IndexedDB could not be used), then each later event — writes failing
   * ('write-failed': write commands reject with MISCONF meanwhile) or working again ('write-resumed'), the
   * connection reopened, IndexedDB given up for a newer version opened in another tab — with the status after
   * it. Until the returned function is called.
   */
  onPersistence(listener: (event: PersistenceEvent, status: Readonly<PersistenceStatus>) => void): () => void {
    return this.conn.onPersistence(listener);
  }

  /** False once `quit()` or `disconnect()` was called (or QUIT sent), or the worker died. */
  get isOpen(): boolean {
    return !this.session.closed && this.conn.failure === null && !this.conn.closed;
  }

  /** Same as isOpen: a tabhive client is ready as soon as it exists. */
  get isReady(): boolean {
    return this.isOpen;
  }

  /** This client with bulk replies as Uint8Array; same session. */
  withBytes(): TabhiveClient<Uint8Array> {
    return new TabhiveClient<Uint8Array>(this.conn, this.session, true);
  }

  /** This client with bulk replies as strings; same session. */
  withStrings(): TabhiveClient<string> {
    return new TabhiveClient<string>(this.conn, this.session, false);
  }

  /**
   * This client's near-cache hits and misses, the shared near-cache's size, and the connection's traffic.
   * Counters only: cheap enough to read in a loop.
   */
  stats(): ClientStats {
    const near = this.session.near;
    const cache = this.conn.cache;
    return {
      nearCache: near?.on ?? false,
      hits: near?.hits ?? 0,
      misses: near?.misses ?? 0,
      entries: cache?.size ?? 0,
      capacity: cache?.capacity ?? 0,
      invalidations: cache?.invalidations ?? 0,
      batches: this.conn.batchesSent,
      ops: this.conn.opsSent,
      spins: this.conn.spins,
    };
  }

  /** What the worker reports of itself: persistence, sessions, keys, batches, tracked keys (its control API). */
  workerStats(): Promise<WorkerStats> {
    return this.conn.workerStats();
  }

  /**
   * The whole database — every db, every key with its type, encoding and TTL — as an RDB file: the format
   * redis-server writes on SAVE (RDB version 10, Redis 7.0). Save the bytes as `dump.rdb` and redis-server 7.0
   * (or later) loads them at start; `redis-check-rdb` accepts them. Keys whose TTL has passed are left out.
   * The file holds the effect of every command this page issued before the call.
   *
   * Rejects with ClientClosedError on a closed client, WorkerError when the worker died.
   */
  exportRdb(): Promise<Uint8Array> {
    if (this.session.closed) return Promise.reject(new ClientClosedError());
    return this.conn.exportRdb();
  }

  /**
   * Replace the WHOLE database — every db, for every client and tab of it — with an RDB file's contents, as
   * redis-server does when it starts on that file: keys not in the file are gone afterwards. Takes what
   * redis-server 7.0's SAVE / BGSAVE writes (RDB versions 1 to 10, so older Redis files too); keys whose TTL
   * has passed are not loaded. Resolves with what was loaded once the new dataset is stored in IndexedDB.
   * Near-caches are emptied and WATCHed keys that existed before or exist after count as changed; `bytes` is
   * copied, not taken.
   *
   * Rejects, changing nothing, with RdbFileError when the bytes are not a file tabhive can load — its message
   * is what Redis says of the same file (`Wrong signature trying to load DB from file`, `Wrong RDB checksum
   * …`, `Unexpected EOF reading RDB file`; stream and module values are refused) — and with ReplyError
   * (MISCONF) while writes to IndexedDB fail. Rejects with WorkerError when the new dataset is in place but
   * could not be stored (it is retried, as any write).
   */
  importRdb(bytes: Uint8Array): Promise<ImportSummary> {
    if (this.session.closed) return Promise.reject(new ClientClosedError());
    return this.conn.importRdb(bytes);
  }

  /** A new client on the same database with a session of its own (own selected db, own MULTI …). */
  duplicate(): TabhiveClient<S> {
    if (this.session.closed) throw new ClientClosedError();
    if (this.conn.failure !== null) throw this.conn.failure;
    const { session, opened } = this.conn.openSession(false, this.session.near?.on === true);
    opened.catch(() => {});
    return new TabhiveClient<S>(this.conn, session, this.bytes);
  }

  /**
   * Receive this session's out-of-band pushes — pub/sub messages once it SUBSCRIBEd (`['message', channel,
   * message]`, `['pmessage', pattern, channel, message]`), with bulk strings decoded — until the returned
   * function is called. The replies of SUBSCRIBE & co. themselves are not pushes here: `sendCommand(['SUBSCRIBE',
   * 'a', 'b'])` resolves with them, one per channel.
   */
  onPush(listener: (push: RedisReply[]) => void): () => void {
    if (this.session.closed) throw new ClientClosedError();
    return this.conn.onPush(this.session.sid, listener as (r: WireReply) => void);
  }

  /** Resolves once everything written so far is in IndexedDB (at once with durability 'memory'). */
  flush(): Promise<void> {
    if (this.session.closed) return Promise.reject(new ClientClosedError());
    return this.conn.call(['flush'], this.session.sid, () => undefined);
  }

  /**
   * Write pending changes to IndexedDB, then close this session; later calls reject. Resolves 'OK'; rejects
   * (WorkerError) when that write failed — the client is closed either way.
   */
  quit(): Promise<'OK'> {
    if (this.session.closed) return Promise.reject(new ClientClosedError());
    if (this.conn.failure !== null) return Promise.reject(this.conn.failure);
    closeChildren(this.session);
    return this.conn.closeSession(this.session, true).then(() => 'OK' as const);
  }

  /**
   * Close this session now: its pending calls reject, later calls reject. Changes already made stay (the
   * worker still writes them when this was its last session).
   */
  disconnect(): Promise<void> {
    if (this.session.closed) return Promise.reject(new ClientClosedError());
    if (this.conn.failure !== null) {
      this.session.closed = true;
      return Promise.resolve();
    }
    closeChildren(this.session);
    void this.conn.closeSession(this.session, false).catch(() => {});
    return Promise.resolve();
  }

  // ---- any command --------------------------------------------------------------------------------------------

  /**
   * Send any command: `sendCommand(['SET', 'k', 'v'])`. Resolves with the reply; rejects with ReplyError
   * (Redis's text) on an error reply, TypeError on an argument that is not a string, number or Uint8Array.
   */
  sendCommand<T = RedisReply>(args: readonly CommandArgument[], options?: CommandOptions): Promise<T> {
    // The caller's array is copied: it leaves at the end of the tick and may be changed before that.
    return this.send<T>(args, true, undefined, options?.bytes ?? this.bytes);
  }

  /** @internal A typed method's command: `args` is the method's own array, converted in place. */
  protected override run<T>(args: unknown[], map?: (r: WireReply) => T, bytes = this.bytes): Promise<T> {
    return this.send(args, false, map, bytes);
  }

  private send<T>(args: readonly unknown[], copy: boolean, map: ((r: WireReply) => T) | undefined, bytes: boolean): Promise<T> {
    if (this.session.closed) return Promise.reject(new ClientClosedError());
    let wire: WireArg[];
    try {
      wire = toWire(args, copy);
    } catch (e) {
      return Promise.reject(e);
    }
    // Single-key reads go through the near-cache rules (near-cache.ts), whether this client caches or not.
    if (this.session.near !== undefined) {
      const sub = nearRead(wire, bytes);
      if (sub !== null) return this.conn.read<T>(this.session, wire, bytes, sub, map);
    }
    const sid = this.session.sid;
    return this.conn.call<T>(['cmd', sid, wire, bytes], sid, map);
  }

  // ---- transactions (multi.ts) --------------------------------------------------------------------------------

  /**
   * A transaction: `await db.multi().set('a', '1').incr('a').exec()` → `['OK', 2]`. Rejects with WatchError when
   * a WATCHed key changed, MultiErrorReply when commands failed as EXEC ran; `execAsPipeline()` sends the same
   * commands without MULTI/EXEC. See multi.ts.
   */
  multi(): RedisMulti<S> {
    return createMulti<S>({ conn: this.conn, session: this.session, bytes: this.bytes, proto: Object.getPrototypeOf(this) as object });
  }

  /** `WATCH key [key ...]` — this client's next EXEC fails (WatchError) if one of them changes before it. */
  watch(...keys: (Key | Key[])[]): Promise<'OK'> {
    return this.run(['WATCH', ...keys.flat()]);
  }

  /** `UNWATCH` */
  unwatch(): Promise<'OK'> {
    return this.run(['UNWATCH']);
  }

  /**
   * Run `fn` with a client of its own session (its own WATCH / MULTI / selected db), closed once `fn` settles:
   * await its calls inside `fn`.
   */
  executeIsolated<T>(fn: (client: TabhiveClient<S>) => T | Promise<T>): Promise<T> {
    try {
      return executeIsolated(this.duplicate(), fn);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  // ---- pub/sub (pubsub.ts, keychange.ts; PUBLISH and PUBSUB are in commands/pubsub.ts) ------------------------

  /**
   * Call `listener(message, channel)` for each message on these channels, until unsubscribed; strings, or
   * Uint8Array with `bufferMode` true. Subscriptions use a session of their own (pubsub.ts): this client goes on
   * serving every command. Resolves once subscribed.
   */
  subscribe<B extends boolean = false>(
    channels: Key | Key[],
    listener: PubSubListener<B extends true ? Uint8Array : string>,
    bufferMode?: B,
  ): Promise<void> {
    return this.sub((s) => s.subscribe('channel', channels, listener as never, bufferMode === true));
  }

  /** Remove `listener` (or all listeners) from these channels (or all); unsubscribes those left without any. */
  unsubscribe<B extends boolean = false>(
    channels?: Key | Key[],
    listener?: PubSubListener<B extends true ? Uint8Array : string>,
    bufferMode?: B,
  ): Promise<void> {
    return existingSubscriber(this.session)?.unsubscribe('channel', channels, listener as never, bufferMode === true) ?? Promise.resolve();
  }

  /** As `subscribe`, for glob patterns: `listener(message, channel)` gets the channel that matched. */
  pSubscribe<B extends boolean = false>(
    patterns: Key | Key[],
    listener: PubSubListener<B extends true ? Uint8Array : string>,
    bufferMode?: B,
  ): Promise<void> {
    return this.sub((s) => s.subscribe('pattern', patterns, listener as never, bufferMode === true));
  }

  /** As `unsubscribe`, for patterns. */
  pUnsubscribe<B extends boolean = false>(
    patterns?: Key | Key[],
    listener?: PubSubListener<B extends true ? Uint8Array : string>,
    bufferMode?: B,
  ): Promise<void> {
    return existingSubscriber(this.session)?.unsubscribe('pattern', patterns, listener as never, bufferMode === true) ?? Promise.resolve();
  }

  /** As `subscribe`, for shard channels (SSUBSCRIBE; messages from SPUBLISH). */
  sSubscribe<B extends boolean = false>(
    channels: Key | Key[],
    listener: PubSubListener<B extends true ? Uint8Array : string>,
    bufferMode?: B,
  ): Promise<void> {
    return this.sub((s) => s.subscribe('shard', channels, listener as never, bufferMode === true));
  }

  /** As `unsubscribe`, for shard channels. */
  sUnsubscribe<B extends boolean = false>(
    channels?: Key | Key[],
    listener?: PubSubListener<B extends true ? Uint8Array : string>,
    bufferMode?: B,
  ): Promise<void> {
    return existingSubscriber(this.session)?.unsubscribe('shard', channels, listener as never, bufferMode === true) ?? Promise.resolve();
  }

  /**
   * Call `listener(event, key)` when keys matching these glob patterns change (`set`, `del`, `expired`,
   * `evicted` …), from keyspace notifications it enables. Resolves, once events flow, with the function that
   * stops it. See keychange.ts.
   */
  onKeyChange<B extends boolean = false>(
    patterns: Key | Key[],
    listener: KeyChangeListener<B extends true ? Uint8Array : string>,
    options?: KeyChangeOptions<B>,
  ): Promise<() => Promise<void>> {
    return onKeyChange(this.conn, this.session, patterns, listener as KeyChangeListener<string>, options);
  }

  private sub(f: (s: ReturnType<typeof subscriberOf>) => Promise<void>): Promise<void> {
    if (this.conn.failure !== null) return Promise.reject(this.conn.failure);
    try {
      return f(subscriberOf(this.conn, this.session));
    } catch (e) {
      return Promise.reject(e);
    }
  }
}

addCommands(TabhiveClient.prototype, [
  StringCommands,
  KeyCommands,
  ListCommands,
  HashCommands,
  SetCommands,
  SortedSetCommands,
  SortCommands,
  ServerCommands,
  ConnectionCommands,
  PubSubCommands,
]);

// ---- helpers ------------------------------------------------------------------------------------------------------

/**
 * Check and convert arguments for the wire: strings and bytes as they are, numbers as decimal text. Into a new
 * array with `copy`, else in place.
 */
export function toWire(args: readonly unknown[], copy: boolean): WireArg[] {
  if (!Array.isArray(args)) throw new TypeError('tabhive: sendCommand takes an array of arguments');
  if (args.length === 0) throw new TypeError('tabhive: a command needs at least its name');
  const out = copy ? new Array<WireArg>(args.length) : (args as WireArg[]);
  for (let i = 0; i < args.length; i++) {
    const a: unknown = args[i];
    if (typeof a === 'string') out[i] = a;
    else if (typeof a === 'number' || typeof a === 'bigint') out[i] = String(a);
    else if (isBytes(a)) out[i] = a;
    else {
      const name = typeof args[0] === 'string' ? `${args[0]} ` : '';
      throw new TypeError(
        `tabhive: argument ${i} of ${name}is ${describe(a)}; expected a string, a number or a Uint8Array`,
      );
    }
  }
  return out;
}

function isBytes(a: unknown): a is Uint8Array {
  return a instanceof Uint8Array || Object.prototype.toString.call(a) === '[object Uint8Array]';
}

function describe(a: unknown): string {
  if (a === null) return 'null';
  if (Array.isArray(a)) return 'an array';
  if (typeof a === 'object') return `an object (${Object.prototype.toString.call(a).slice(8, -1)})`;
  return typeof a === 'undefined' ? 'undefined' : `a ${typeof a}`;
}
