/**
 * Transactions and pipelines for the page, in node-redis v4's shape:
 *
 * ```ts
 * const [ok, n] = await db.multi().set('a', '1').incr('a').exec(); // ['OK', 2]
 * await db.watch('balance');
 * const balance = Number(await db.get('balance'));
 * await db.multi().set('balance', balance - 10).exec(); // rejects with WatchError if `balance` changed meanwhile
 * ```
 *
 * Rules:
 * - a `multi()` object records commands with the client's typed methods (same arguments, same reply
 *   transforms: `setNX` gives a boolean inside `exec()` too) or `addCommand([...])`; nothing is sent before
 *   `exec()` / `execAsPipeline()`;
 * - `exec()` sends MULTI, the commands and EXEC as one contiguous run of operations on the client's own session
 *   (they leave in one batch; the worker runs a batch's operations back to back), so nothing of another client
 *   can come between them. Other calls made on the SAME client in the same tick keep their order around it;
 * - outcomes, as node-redis v4 (4.7, the last v4) settles them:
 *   - the replies array, each reply transformed as its method does;
 *   - a command refused at queue time (unknown command, wrong arity, OOM …) rejects with that command's
 *     ReplyError (EXEC then answered EXECABORT and nothing ran);
 *   - a watched key changed (EXEC answered a null array) rejects with `WatchError` — node-redis v4 rejects too
 *     (`WatchError`, 'One (or more) of the watched keys has been changed'); it never resolves with null;
 *   - commands that failed while EXEC ran (WRONGTYPE …) do not roll back the others, as in Redis; the call
 *     rejects with `MultiErrorReply`, whose `replies` holds every reply (the failed ones as ReplyError values)
 *     and `errorIndexes` their positions (node-redis 4.6.13+; earlier v4 resolved with the errors in the array).
 *     A command Redis refuses inside MULTI without dooming the transaction (WATCH) is reported the same way,
 *     at its place, while the others ran;
 * - `execAsPipeline()` (or `exec(true)`) sends the same commands without MULTI/EXEC, still contiguous: no
 *   WATCH check and no EXECABORT, but nothing of another client runs between them (the worker runs a batch's
 *   operations in one go), unless one of them blocks (BLPOP …: the rest wait behind it, as in Redis). It
 *   resolves with the replies or rejects with the first error, as node-redis's Promise.all does;
 * - WATCH belongs to a session: `db.watch(key)` then `db.multi()…exec()` on the same client. When several parts
 *   of a page share one client, give each transaction a session of its own with `db.executeIsolated(fn)` or
 *   `db.duplicate()` (node-redis asks the same, since a connection's WATCH state is shared by its users).
 */
import { ClientClosedError, ReplyError } from './errors.js';
import type { Connection, SessionState } from './connection.js';
import type { CommandArgument, CommandOptions, RedisReply, TabhiveClient } from './client.js';
import { toWire } from './client.js';
import type { WireArg, WireReply } from '../worker/protocol.js';

/** EXEC answered null: a WATCHed key changed (or expired) since WATCH; nothing ran. */
export class WatchError extends Error {
  override name = 'WatchError';
  constructor(message = 'One (or more) of the watched keys has been changed') {
    super(message);
  }
}

/**
 * Some commands of a transaction failed while EXEC ran (the others ran: Redis does not roll back). `replies`
 * holds every reply in order, the failed ones as ReplyError values; `errorIndexes` says which.
 */
export class MultiErrorReply extends ReplyError {
  override name = 'MultiErrorReply';
  constructor(
    readonly replies: RedisReply[],
    readonly errorIndexes: number[],
  ) {
    super(`${errorIndexes.length} commands failed, see .replies and .errorIndexes for more information`);
  }

  /** The failed replies, in order. */
  *errors(): IterableIterator<ReplyError> {
    for (const i of this.errorIndexes) yield this.replies[i] as ReplyError;
  }
}

/** One recorded command: its wire arguments and how its reply is read (as its typed method reads it). */
interface Queued {
  args: WireArg[];
  map: ((r: WireReply) => unknown) | undefined;
  bytes: boolean;
}

/** What a transaction needs of its client: the connection, the session, the client's reply mode and class. */
export interface MultiTarget {
  conn: Connection;
  session: SessionState;
  bytes: boolean;
  /** The client's prototype: its typed methods are replayed against a recorder to queue them. */
  proto: object;
}

/** Client methods that are not one command each, hence not queueable. */
const NOT_QUEUEABLE = new Set([
  'constructor', 'run', 'send', 'withBytes', 'withStrings', 'duplicate', 'onPush', 'onPersistence', 'flush', 'quit',
  'disconnect', 'sendCommand', 'scanIterator', 'hScanIterator', 'sScanIterator', 'zScanIterator', 'multi',
  'executeIsolated', 'subscribe', 'unsubscribe', 'pSubscribe', 'pUnsubscribe', 'sSubscribe', 'sUnsubscribe',
  'onKeyChange', 'sub', 'exportRdb', 'importRdb', 'stats', 'workerStats',
]);

type NotQueueable =
  | 'withBytes' | 'withStrings' | 'duplicate' | 'onPush' | 'onPersistence' | 'flush' | 'quit' | 'disconnect'
  | 'sendCommand' | 'scanIterator' | 'hScanIterator' | 'sScanIterator' | 'zScanIterator' | 'multi'
  | 'executeIsolated' | 'subscribe' | 'unsubscribe' | 'pSubscribe' | 'pUnsubscribe' | 'sSubscribe' | 'sUnsubscribe'
  | 'onKeyChange' | 'exportRdb' | 'importRdb' | 'stats' | 'workerStats';

/** The client's typed command methods (those resolving a reply), by name. */
type Candidate<S extends string | Uint8Array> = Exclude<keyof TabhiveClient<S>, NotQueueable>;
type CommandMethod<S extends string | Uint8Array> = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [K in Candidate<S>]: TabhiveClient<S>[K] extends (...args: any[]) => Promise<unknown> ? K : never;
}[Candidate<S>];

/** Every typed command method of the client, queueing instead of sending and returning the transaction. */
export type MultiCommands<S extends string | Uint8Array> = {
  [K in CommandMethod<S>]: TabhiveClient<S>[K] extends (...args: infer A) => unknown ? (...args: A) => RedisMulti<S> : never;
};

/** `db.multi()`: chain commands, then `exec()` or `execAsPipeline()`. */
export type RedisMulti<S extends string | Uint8Array = string> = MultiCommand & MultiCommands<S>;

/** A promise that never settles: what a recorded method's own call returns (nobody awaits it). */
const NEVER = new Promise<never>(() => {});

export class MultiCommand {
  private readonly queue: Queued[] = [];
  private readonly recorder: object;
  private recorded: Queued | null = null;

  /** @internal Use `db.multi()`. */
  constructor(private readonly target: MultiTarget) {
    installCommands(target.proto);
    // The client's methods run against this object: their `send` records instead of sending.
    this.recorder = Object.create(target.proto, {
      bytes: { value: target.bytes },
      session: { value: target.session },
      send: {
        value: (args: readonly unknown[], copy: boolean, map: Queued['map'], bytes: boolean) => {
          this.recorded = { args: toWire(args, copy), map, bytes };
          return NEVER;
        },
      },
    }) as object;
  }

  /** Commands queued so far. */
  get length(): number {
    return this.queue.length;
  }

  /**
   * Queue any command: `addCommand(['HSET', 'h', 'f', 'v'])`. Its reply comes as `sendCommand` would give it
   * (bulk strings as Uint8Array with `{ bytes: true }`). Throws TypeError on a bad argument.
   */
  addCommand(args: readonly CommandArgument[], options?: CommandOptions): this {
    this.queue.push({ args: toWire(args, true), map: undefined, bytes: options?.bytes ?? this.target.bytes });
    return this;
  }

  /** @internal Queue what typed method `method` sends for `args`. */
  record(name: string, method: (...a: unknown[]) => unknown, args: unknown[]): this {
    this.recorded = null;
    method.apply(this.recorder, args);
    const q = this.recorded as Queued | null;
    if (q === null) throw new TypeError(`tabhive: ${name}() cannot be queued in multi()`);
    this.recorded = null;
    this.queue.push(q);
    return this;
  }

  /**
   * MULTI, the queued commands, EXEC — as one contiguous run on the client's session. Resolves with the
   * replies; rejects as the file's notes say (queue-time error, WatchError, MultiErrorReply). `exec(true)` is
   * `execAsPipeline()`.
   */
  exec(execAsPipeline = false): Promise<RedisReply[]> {
    if (execAsPipeline) return this.execAsPipeline();
    const { conn, session } = this.target;
    if (session.closed) return Promise.reject(new ClientClosedError());
    const sid = session.sid;
    const queue = this.queue.slice();
    // One bytes setting covers EXEC's whole reply: bytes if any command wants them, decoded back for the rest.
    const bytes = queue.some((q) => q.bytes);
    const sent: Promise<unknown>[] = [conn.call(['cmd', sid, ['MULTI'], false], sid)];
    for (const q of queue) sent.push(conn.call(['cmd', sid, q.args, false], sid));
    sent.push(conn.call(['cmd', sid, ['EXEC'], bytes], sid));
    return Promise.allSettled(sent).then((rs) => {
      const first = rs[0];
      const last = rs[rs.length - 1];
      // MULTI refused (already in a MULTI opened with sendCommand): that error.
      if (first.status === 'rejected') throw first.reason;
      if (last.status === 'rejected') {
        // EXECABORT: the first command refused at queue time says why; else EXEC's own error.
        for (let i = 1; i < rs.length - 1; i++) if (rs[i].status === 'rejected') throw (rs[i] as PromiseRejectedResult).reason;
        throw last.reason;
      }
      const replies = last.value as RedisReply[] | null;
      if (replies === null) throw new WatchError();
      // One result per queued command: EXEC's replies for those queued, the error for any refused without
      // aborting the transaction (WATCH inside MULTI).
      const errorIndexes: number[] = [];
      let j = 0;
      const out = queue.map((q, i): RedisReply => {
        const ack = rs[i + 1];
        if (ack.status === 'rejected') {
          errorIndexes.push(i);
          return ack.reason as ReplyError;
        }
        const r = replies[j++];
        if (r instanceof ReplyError) {
          errorIndexes.push(i);
          return r;
        }
        const reply = bytes && !q.bytes ? decodeBulk(r as WireReply) : (r as WireReply);
        return (q.map === undefined ? reply : q.map(reply)) as RedisReply;
      });
      if (errorIndexes.length > 0) throw new MultiErrorReply(out, errorIndexes);
      return out;
    });
  }

  /** EXEC, node-redis's uppercase alias. */
  EXEC(execAsPipeline = false): Promise<RedisReply[]> {
    return this.exec(execAsPipeline);
  }

  /**
   * The queued commands without MULTI/EXEC, sent contiguously: resolves with their replies (transformed as
   * their methods do), or rejects with the first error.
   */
  execAsPipeline(): Promise<RedisReply[]> {
    const { conn, session } = this.target;
    if (this.queue.length === 0) return Promise.resolve([]);
    if (session.closed) return Promise.reject(new ClientClosedError());
    const sid = session.sid;
    return Promise.all(
      this.queue.map((q) => conn.call<RedisReply>(['cmd', sid, q.args, q.bytes], sid, q.map as (r: WireReply) => RedisReply)),
    );
  }
}

let installedFor: object | null = null;

/**
 * Give MultiCommand a queueing twin of every typed command method of the client class, once: each replays the
 * client's method against the recorder, so arguments and reply transforms stay the client's own.
 */
function installCommands(proto: object): void {
  if (installedFor === proto) return;
  installedFor = proto;
  const target = MultiCommand.prototype as unknown as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(proto)) {
    if (NOT_QUEUEABLE.has(name) || Object.prototype.hasOwnProperty.call(target, name) && !isTwin(target[name])) continue;
    const d = Object.getOwnPropertyDescriptor(proto, name);
    if (d === undefined || typeof d.value !== 'function') continue;
    const method = d.value as (...a: unknown[]) => unknown;
    const twin = function (this: MultiCommand, ...args: unknown[]) {
      return this.record(name, method, args);
    };
    twins.add(twin);
    Object.defineProperty(target, name, { value: twin, configurable: true, writable: true });
  }
}

const twins = new WeakSet<object>();

function isTwin(f: unknown): boolean {
  return typeof f === 'function' && twins.has(f);
}

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Bulk strings that came as bytes (EXEC asked for bytes for another command) back to strings. */
function decodeBulk(r: WireReply): WireReply {
  if (r instanceof Uint8Array) return decoder.decode(r);
  if (Array.isArray(r)) return r.map(decodeBulk);
  if (r instanceof Map) {
    const m = new Map<WireReply, WireReply>();
    for (const [k, v] of r) m.set(decodeBulk(k), decodeBulk(v));
    return m;
  }
  return r;
}

/** `db.multi()` */
export function createMulti<S extends string | Uint8Array>(target: MultiTarget): RedisMulti<S> {
  return new MultiCommand(target) as RedisMulti<S>;
}

/**
 * `db.executeIsolated(fn)`: `fn` gets a client with a session of its own (its own WATCH, MULTI, selected db),
 * closed once `fn`'s promise settles — calls `fn` left pending then reject, so await them inside `fn`.
 */
export async function executeIsolated<C extends { disconnect(): Promise<void> }, T>(
  isolated: C,
  fn: (client: C) => T | Promise<T>,
): Promise<T> {
  try {
    return await fn(isolated);
  } finally {
    await isolated.disconnect().catch(() => {});
  }
}
