/**
 * The client a page holds: node-redis v4's shape — `sendCommand` for any command, typed camelCase methods with
 * node-redis's names, options and reply shapes for the string and generic families — over one session in the
 * worker. Every method is one `sendCommand`; the reply transforms are node-redis's (booleans for 0/1 replies,
 * `{ cursor, keys }` for SCAN, a Date for TIME).
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

/** An argument: a string (its UTF-8 bytes), a number (its decimal text) or raw bytes. */
export type CommandArgument = string | number | bigint | Uint8Array;
/** A key or other byte-string argument. */
export type Key = string | Uint8Array;
/** A value: a string, bytes, or a number sent as its decimal text. */
export type Value = string | number | Uint8Array;

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

/** SET's options (node-redis v4): at most one expiry option, at most one of NX / XX. */
export interface SetOptions {
  EX?: number;
  PX?: number;
  EXAT?: number | Date;
  PXAT?: number | Date;
  KEEPTTL?: true;
  NX?: true;
  XX?: true;
  GET?: true;
}

/** GETEX's option: one of them. */
export type GetExOptions =
  | { EX: number }
  | { PX: number }
  | { EXAT: number | Date }
  | { PXAT: number | Date }
  | { PERSIST: true };

export type ExpireMode = 'NX' | 'XX' | 'GT' | 'LT';
export type FlushMode = 'ASYNC' | 'SYNC';

export interface ScanOptions {
  MATCH?: string | Uint8Array;
  COUNT?: number;
  TYPE?: string;
}

export interface CopyOptions {
  /** Copy into this db rather than the selected one. */
  destinationDb?: number;
  /** Overwrite the destination if it exists. */
  replace?: boolean;
}

export interface LcsIdxOptions {
  /** Only report matches at least this long. */
  MINMATCHLEN?: number;
}

export interface Range {
  start: number;
  end: number;
}

export interface LcsIdxReply {
  matches: { key1: Range; key2: Range }[];
  length: number;
}

export interface LcsIdxWithMatchLenReply {
  matches: { key1: Range; key2: Range; length: number }[];
  length: number;
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
}

/** TIME's reply: the server time as a Date, and the microseconds within its second. */
export type TimeReply = Date & { microseconds: number };

/** The pairs MSET / MSETNX take: an object, an array of [key, value] pairs, or a flat key, value … array. */
export type MSetArguments =
  | Record<string, Value>
  | [Key, Value][]
  | Value[];

/**
 * A connection to a tabhive database: one session (selected db, protocol) in the worker. Make one with
 * `createClient()`, another session with `duplicate()`. `S` is how bulk strings come back: `string`, or
 * `Uint8Array` from `withBytes()`.
 */
export class TabhiveClient<S extends string | Uint8Array = string> {
  /** @internal Use createClient(). */
  constructor(
    private readonly conn: Connection,
    private readonly session: SessionState,
    private readonly bytes: boolean,
  ) {}

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
    };
  }

  /** What the worker reports of itself: persistence, sessions, keys, batches, tracked keys (its control API). */
  workerStats(): Promise<WorkerStats> {
    return this.conn.workerStats();
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

  /** A typed method's command: `args` is the method's own array, converted in place. */
  private run<T>(args: unknown[], map?: (r: WireReply) => T, bytes = this.bytes): Promise<T> {
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

  // ---- pub/sub (pubsub.ts, keychange.ts) ----------------------------------------------------------------------

  /** `PUBLISH channel message` — how many subscribers received it. */
  publish(channel: Key, message: Value): Promise<number> {
    return this.run(['PUBLISH', channel, message]);
  }

  /** `SPUBLISH shardchannel message` — how many subscribers received it. */
  sPublish(channel: Key, message: Value): Promise<number> {
    return this.run(['SPUBLISH', channel, message]);
  }

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

  // ---- strings ------------------------------------------------------------------------------------------------

  /** `GET key` */
  get(key: Key): Promise<S | null> {
    return this.run(['GET', key]);
  }

  /**
   * `SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds |
   * PXAT unix-time-milliseconds | KEEPTTL]`
   *
   * Resolves 'OK', or null when NX/XX stopped it; with GET, the old value (null if none).
   */
  set(key: Key, value: Value, options?: SetOptions): Promise<S | 'OK' | null> {
    const args: unknown[] = ['SET', key, value];
    if (options !== undefined) {
      if (options.EX !== undefined) args.push('EX', options.EX);
      if (options.PX !== undefined) args.push('PX', options.PX);
      if (options.EXAT !== undefined) args.push('EXAT', seconds(options.EXAT));
      if (options.PXAT !== undefined) args.push('PXAT', millis(options.PXAT));
      if (options.KEEPTTL) args.push('KEEPTTL');
      if (options.NX) args.push('NX');
      if (options.XX) args.push('XX');
      if (options.GET) args.push('GET');
    }
    return this.run(args);
  }

  /** `SETEX key seconds value` */
  setEx(key: Key, seconds: number, value: Value): Promise<'OK'> {
    return this.run(['SETEX', key, seconds, value]);
  }

  /** `PSETEX key milliseconds value` */
  pSetEx(key: Key, milliseconds: number, value: Value): Promise<'OK'> {
    return this.run(['PSETEX', key, milliseconds, value]);
  }

  /** `SETNX key value` — true when it set the key. */
  setNX(key: Key, value: Value): Promise<boolean> {
    return this.run(['SETNX', key, value], toBoolean);
  }

  /** `GETDEL key` */
  getDel(key: Key): Promise<S | null> {
    return this.run(['GETDEL', key]);
  }

  /** `GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST]` */
  getEx(key: Key, options: GetExOptions): Promise<S | null> {
    const args: unknown[] = ['GETEX', key];
    const o = options as Partial<Record<'EX' | 'PX' | 'EXAT' | 'PXAT' | 'PERSIST', number | Date | true>>;
    if (o.EX !== undefined) args.push('EX', o.EX);
    if (o.PX !== undefined) args.push('PX', o.PX);
    if (o.EXAT !== undefined) args.push('EXAT', seconds(o.EXAT as number | Date));
    if (o.PXAT !== undefined) args.push('PXAT', millis(o.PXAT as number | Date));
    if (o.PERSIST) args.push('PERSIST');
    return this.run(args);
  }

  /** `GETSET key value` */
  getSet(key: Key, value: Value): Promise<S | null> {
    return this.run(['GETSET', key, value]);
  }

  /** `GETRANGE key start end` */
  getRange(key: Key, start: number, end: number): Promise<S> {
    return this.run(['GETRANGE', key, start, end]);
  }

  /** `SETRANGE key offset value` — the string's length after it. */
  setRange(key: Key, offset: number, value: Value): Promise<number> {
    return this.run(['SETRANGE', key, offset, value]);
  }

  /** `APPEND key value` — the string's length after it. */
  append(key: Key, value: Value): Promise<number> {
    return this.run(['APPEND', key, value]);
  }

  /** `STRLEN key` */
  strLen(key: Key): Promise<number> {
    return this.run(['STRLEN', key]);
  }

  /** `INCR key` — a bigint beyond 2^53. */
  incr(key: Key): Promise<number | bigint> {
    return this.run(['INCR', key]);
  }

  /** `INCRBY key increment` — a bigint beyond 2^53. */
  incrBy(key: Key, increment: number | bigint): Promise<number | bigint> {
    return this.run(['INCRBY', key, increment]);
  }

  /** `INCRBYFLOAT key increment` — the new value as Redis prints it. */
  incrByFloat(key: Key, increment: number): Promise<S> {
    return this.run(['INCRBYFLOAT', key, increment]);
  }

  /** `DECR key` — a bigint beyond 2^53. */
  decr(key: Key): Promise<number | bigint> {
    return this.run(['DECR', key]);
  }

  /** `DECRBY key decrement` — a bigint beyond 2^53. */
  decrBy(key: Key, decrement: number | bigint): Promise<number | bigint> {
    return this.run(['DECRBY', key, decrement]);
  }

  /** `MGET key [key ...]` */
  mGet(keys: Key[]): Promise<(S | null)[]> {
    return this.run(['MGET', ...keys]);
  }

  /** `MSET key value [key value ...]` — from an object, [key, value] pairs or a flat array. */
  mSet(toSet: MSetArguments): Promise<'OK'> {
    return this.run(['MSET', ...pairs(toSet)]);
  }

  /** `MSETNX key value [key value ...]` — true when it set them all (none existed). */
  mSetNX(toSet: MSetArguments): Promise<boolean> {
    return this.run(['MSETNX', ...pairs(toSet)], toBoolean);
  }

  /** `LCS key1 key2` — the longest common substring. */
  lcs(key1: Key, key2: Key): Promise<S> {
    return this.run(['LCS', key1, key2]);
  }

  /** `LCS key1 key2 LEN` */
  lcsLen(key1: Key, key2: Key): Promise<number> {
    return this.run(['LCS', key1, key2, 'LEN']);
  }

  /** `LCS key1 key2 IDX [MINMATCHLEN min-match-len]` */
  lcsIdx(key1: Key, key2: Key, options?: LcsIdxOptions): Promise<LcsIdxReply> {
    const args: unknown[] = ['LCS', key1, key2, 'IDX'];
    if (options?.MINMATCHLEN !== undefined) args.push('MINMATCHLEN', options.MINMATCHLEN);
    return this.run(args, (r) => {
      const [, matches, , len] = r as [unknown, [[number, number], [number, number]][], unknown, number];
      return { matches: matches.map(([a, b]) => ({ key1: range(a), key2: range(b) })), length: len };
    });
  }

  /** `LCS key1 key2 IDX [MINMATCHLEN min-match-len] WITHMATCHLEN` */
  lcsIdxWithMatchLen(key1: Key, key2: Key, options?: LcsIdxOptions): Promise<LcsIdxWithMatchLenReply> {
    const args: unknown[] = ['LCS', key1, key2, 'IDX'];
    if (options?.MINMATCHLEN !== undefined) args.push('MINMATCHLEN', options.MINMATCHLEN);
    args.push('WITHMATCHLEN');
    return this.run(args, (r) => {
      const [, matches, , len] = r as [unknown, [[number, number], [number, number], number][], unknown, number];
      return {
        matches: matches.map(([a, b, n]) => ({ key1: range(a), key2: range(b), length: n })),
        length: len,
      };
    });
  }

  // ---- keys ---------------------------------------------------------------------------------------------------

  /** `DEL key [key ...]` — how many were deleted. */
  del(...keys: (Key | Key[])[]): Promise<number> {
    return this.run(['DEL', ...keys.flat()]);
  }

  /** `UNLINK key [key ...]` — how many were deleted. */
  unlink(...keys: (Key | Key[])[]): Promise<number> {
    return this.run(['UNLINK', ...keys.flat()]);
  }

  /** `EXISTS key [key ...]` — how many of them exist (a key named twice counts twice). */
  exists(...keys: (Key | Key[])[]): Promise<number> {
    return this.run(['EXISTS', ...keys.flat()]);
  }

  /** `TOUCH key [key ...]` — how many exist. */
  touch(...keys: (Key | Key[])[]): Promise<number> {
    return this.run(['TOUCH', ...keys.flat()]);
  }

  /** `EXPIRE key seconds [NX | XX | GT | LT]` — true when the timeout was set. */
  expire(key: Key, seconds: number, mode?: ExpireMode): Promise<boolean> {
    return this.run(withMode(['EXPIRE', key, seconds], mode), toBoolean);
  }

  /** `PEXPIRE key milliseconds [NX | XX | GT | LT]` — true when the timeout was set. */
  pExpire(key: Key, milliseconds: number, mode?: ExpireMode): Promise<boolean> {
    return this.run(withMode(['PEXPIRE', key, milliseconds], mode), toBoolean);
  }

  /** `EXPIREAT key unix-time-seconds [NX | XX | GT | LT]` — a Date or seconds; true when set. */
  expireAt(key: Key, timestamp: number | Date, mode?: ExpireMode): Promise<boolean> {
    return this.run(withMode(['EXPIREAT', key, seconds(timestamp)], mode), toBoolean);
  }

  /** `PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT]` — a Date or ms; true when set. */
  pExpireAt(key: Key, timestamp: number | Date, mode?: ExpireMode): Promise<boolean> {
    return this.run(withMode(['PEXPIREAT', key, millis(timestamp)], mode), toBoolean);
  }

  /** `EXPIRETIME key` — unix seconds; -1 without a timeout, -2 when the key does not exist. */
  expireTime(key: Key): Promise<number> {
    return this.run(['EXPIRETIME', key]);
  }

  /** `PEXPIRETIME key` — unix ms; -1 without a timeout, -2 when the key does not exist. */
  pExpireTime(key: Key): Promise<number> {
    return this.run(['PEXPIRETIME', key]);
  }

  /** `TTL key` — seconds left; -1 without a timeout, -2 when the key does not exist. */
  ttl(key: Key): Promise<number> {
    return this.run(['TTL', key]);
  }

  /** `PTTL key` — ms left; -1 without a timeout, -2 when the key does not exist. */
  pTTL(key: Key): Promise<number> {
    return this.run(['PTTL', key]);
  }

  /** `PERSIST key` — true when a timeout was removed. */
  persist(key: Key): Promise<boolean> {
    return this.run(['PERSIST', key], toBoolean);
  }

  /** `TYPE key` — 'string', 'list', 'set', 'zset', 'hash', 'stream' or 'none'. */
  type(key: Key): Promise<string> {
    return this.run(['TYPE', key], undefined, false);
  }

  /** `RENAME key newkey` */
  rename(key: Key, newKey: Key): Promise<'OK'> {
    return this.run(['RENAME', key, newKey]);
  }

  /** `RENAMENX key newkey` — true when renamed (newkey did not exist). */
  renameNX(key: Key, newKey: Key): Promise<boolean> {
    return this.run(['RENAMENX', key, newKey], toBoolean);
  }

  /** `COPY source destination [DB destination-db] [REPLACE]` — true when copied. */
  copy(source: Key, destination: Key, options?: CopyOptions): Promise<boolean> {
    const args: unknown[] = ['COPY', source, destination];
    if (options?.destinationDb !== undefined) args.push('DB', options.destinationDb);
    if (options?.replace) args.push('REPLACE');
    return this.run(args, toBoolean);
  }

  /** `MOVE key db` — true when moved. */
  move(key: Key, db: number): Promise<boolean> {
    return this.run(['MOVE', key, db], toBoolean);
  }

  /** `KEYS pattern` */
  keys(pattern: Key): Promise<S[]> {
    return this.run(['KEYS', pattern]);
  }

  /** `RANDOMKEY` — null when the db is empty. */
  randomKey(): Promise<S | null> {
    return this.run(['RANDOMKEY']);
  }

  /** `SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]` — the next cursor (0: done) and a page of keys. */
  scan(cursor: number, options?: ScanOptions): Promise<{ cursor: number; keys: S[] }> {
    const args: unknown[] = ['SCAN', cursor];
    if (options?.MATCH !== undefined) args.push('MATCH', options.MATCH);
    if (options?.COUNT !== undefined) args.push('COUNT', options.COUNT);
    if (options?.TYPE !== undefined) args.push('TYPE', options.TYPE);
    return this.run(args, (r) => {
      const [next, keys] = r as [string | Uint8Array, S[]];
      return { cursor: Number(ascii(next)), keys };
    });
  }

  /** Every key SCAN finds, one by one (`for await (const key of db.scanIterator({ MATCH: 'user:*' }))`). */
  async *scanIterator(options?: ScanOptions): AsyncIterableIterator<S> {
    let cursor = 0;
    do {
      const page = await this.scan(cursor, options);
      cursor = page.cursor;
      yield* page.keys;
    } while (cursor !== 0);
  }

  /** `OBJECT ENCODING key` — null when the key does not exist. */
  objectEncoding(key: Key): Promise<string | null> {
    return this.run(['OBJECT', 'ENCODING', key], undefined, false);
  }

  /** `OBJECT FREQ key` (needs an LFU maxmemory-policy) */
  objectFreq(key: Key): Promise<number | null> {
    return this.run(['OBJECT', 'FREQ', key]);
  }

  /** `OBJECT IDLETIME key` — seconds since last access. */
  objectIdleTime(key: Key): Promise<number | null> {
    return this.run(['OBJECT', 'IDLETIME', key]);
  }

  /** `OBJECT REFCOUNT key` */
  objectRefCount(key: Key): Promise<number | null> {
    return this.run(['OBJECT', 'REFCOUNT', key]);
  }

  // ---- server and connection ----------------------------------------------------------------------------------

  /** `DBSIZE` — keys in the selected db. */
  dbSize(): Promise<number> {
    return this.run(['DBSIZE']);
  }

  /** `FLUSHDB [ASYNC | SYNC]` */
  flushDb(mode?: FlushMode): Promise<'OK'> {
    return this.run(mode === undefined ? ['FLUSHDB'] : ['FLUSHDB', mode]);
  }

  /** `FLUSHALL [ASYNC | SYNC]` */
  flushAll(mode?: FlushMode): Promise<'OK'> {
    return this.run(mode === undefined ? ['FLUSHALL'] : ['FLUSHALL', mode]);
  }

  /** `SELECT index` — this session's db from now on. */
  select(db: number): Promise<'OK'> {
    return this.run(['SELECT', db]);
  }

  /** `SWAPDB index1 index2` */
  swapDb(index1: number, index2: number): Promise<'OK'> {
    return this.run(['SWAPDB', index1, index2]);
  }

  /** `PING [message]` — 'PONG', or the message. */
  ping(message?: Value): Promise<S | 'PONG'> {
    return this.run(message === undefined ? ['PING'] : ['PING', message]);
  }

  /** `ECHO message` */
  echo(message: Value): Promise<S> {
    return this.run(['ECHO', message]);
  }

  /** `TIME` — the worker's clock as a Date, with the microseconds within the second. */
  time(): Promise<TimeReply> {
    return this.run(
      ['TIME'],
      (r) => {
        const [s, us] = r as [string, string];
        const d = new Date(Number(s) * 1000 + Number(us) / 1000) as TimeReply;
        d.microseconds = Number(us);
        return d;
      },
      false,
    );
  }

  /** `INFO [section [section ...]]` */
  info(...sections: string[]): Promise<string> {
    return this.run(['INFO', ...sections], undefined, false);
  }
}

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

function toBoolean(r: WireReply): boolean {
  return r === 1;
}

function range(r: [number, number]): Range {
  return { start: r[0], end: r[1] };
}

function ascii(x: string | Uint8Array): string {
  return typeof x === 'string' ? x : String.fromCharCode(...x);
}

function seconds(t: number | Date): number {
  return t instanceof Date ? Math.floor(t.getTime() / 1000) : t;
}

function millis(t: number | Date): number {
  return t instanceof Date ? t.getTime() : t;
}

function withMode(args: unknown[], mode: ExpireMode | undefined): unknown[] {
  if (mode !== undefined) args.push(mode);
  return args;
}

function pairs(toSet: MSetArguments): unknown[] {
  if (Array.isArray(toSet)) return Array.isArray(toSet[0]) ? (toSet as [Key, Value][]).flat() : toSet;
  const out: unknown[] = [];
  for (const [k, v] of Object.entries(toSet)) out.push(k, v);
  return out;
}
