/**
 * The page ↔ worker wire: every message either side sends, and the codecs for arguments and replies. The one
 * place both sides agree on; the operations themselves are implemented in host.ts and their request and
 * result types are derived from that implementation here, so the two cannot drift.
 *
 * Two channels:
 * - the worker's own port carries a small control API exposed with Comlink (`Control`): open a connection,
 *   stats, flush, config, close. Rare calls, where Comlink's convenience costs nothing;
 * - `Control.open` hands the page a dedicated MessagePort (created by the worker, transferred in the reply)
 *   that carries the command stream, without Comlink: one Comlink call per command would pay a UUID and a
 *   wrapper object each, and Comlink leaves pending calls hanging when the worker dies, which the page must
 *   track itself anyway.
 *
 * Auto-pipelining: the page queues every operation issued in one tick and posts them as ONE `batch` message on
 * the command port. The worker runs the batch's operations in order and answers with ONE `replies` message
 * holding their results in the same order; batches are answered in the order they came. Messages are
 * structured-cloned once, never JSON-encoded.
 *
 * Arguments cross as `string | Uint8Array`: a JS string means its UTF-8 bytes. The worker turns them into the
 * engine's binary strings (bytes.ts). Replies come back as plain JS data, bulk strings decoded from UTF-8 — or
 * as Uint8Array when the command asked for bytes. A Redis error is data (`{ k: 'err', msg }`), never a throw.
 *
 * Two kinds of message fall outside the batch/replies rhythm:
 * - `later`: a command that blocked (BLPOP …) answers `{ k: 'later', n }` in its batch and its reply comes in
 *   a `later` message with ticket `n` once served or timed out; the commands its session sent meanwhile are
 *   held and answered the same way, in order, as Redis holds a blocked client's input. A command served
 *   within its own batch may have its `later` message arrive before the batch's replies;
 * - `push`: a session's out-of-band pushes (pub/sub messages). A command answered only by pushes (SUBSCRIBE
 *   …) has those pushes, as an array, for its reply.
 *
 * Near-cache (client/near-cache.ts; Redis's CLIENT TRACKING in spirit): a read of NEAR_CACHE_COMMANDS sent with
 * `track` makes the worker remember its key for this connection; once that key changes (any session, any
 * connection, expiry, eviction, FLUSHALL …) the worker forgets it and sends its id in `inv` (`flushed` for
 * whole dbs) on the very next message to that connection, before any reply or push that message carries. The
 * page applies `inv` before anything else in a message, so no later reply or event can be seen next to a
 * stale cached value.
 */
import { fromBytes, fromUtf8, toBytes, toUtf8 } from '../engine/bytes.js';
import { formatDouble17 } from '../engine/numbers.js';
import type { Reply } from '../engine/reply.js';
import type { Operations } from './host.js';
import type { ImportAnswer } from './rdb-io.js';
import type { ReplicationStatus } from '../replication/replication.js';

/**
 * How changes reach IndexedDB, as Redis's appendfsync: 'always' (a write is acknowledged once stored),
 * 'everysec' (within a second), 'no' (when idle, when the page is hidden, on SAVE); or 'memory' (never).
 */
export type Durability = 'always' | 'everysec' | 'no' | 'memory';

/** An argument on the wire: a JS string (its UTF-8 bytes) or raw bytes. */
export type WireArg = string | Uint8Array;

/** A Redis error reply; `msg` is Redis's text, error code first (`ERR …`, `WRONGTYPE …`). */
export interface WireError {
  readonly k: 'err';
  readonly msg: string;
}

/**
 * The command's reply comes later, in a `later` message with ticket `n`: it blocked (BLPOP …), or waits behind
 * a blocked command of its session.
 */
export interface WireLater {
  readonly k: 'later';
  readonly n: number;
}

/** A failure that is not a Redis reply (persistence could not write …): rejects with a plain Error. */
export interface WireFailure {
  readonly k: 'fail';
  readonly message: string;
}

/**
 * A reply as the page receives it. RESP2 (the default): simple and bulk strings are strings (bulk ones
 * Uint8Array when asked), integers numbers (bigint beyond 2^53), doubles their RESP2 text, maps flat arrays,
 * booleans 1/0. After `HELLO 3`: doubles are numbers, maps `Map`s, booleans booleans.
 */
export type WireReply =
  | string
  | number
  | bigint
  | boolean
  | null
  | Uint8Array
  | WireError
  | WireReply[]
  | Map<WireReply, WireReply>;

// ---- operations (implemented by host.ts) --------------------------------------------------------------------

export type OpName = keyof Operations;

/** One queued operation: its name, then its arguments, as `Operations[name]` declares them. */
export type Op = { [K in OpName]: [K, ...Parameters<Operations[K]>] }[OpName];

/** What an operation answers, once settled. */
export type OpResult<K extends OpName = OpName> = Awaited<ReturnType<Operations[K]>>;

// ---- near-cache -------------------------------------------------------------------------------------------------

/**
 * The reads a page may answer from its near-cache, by lower-case name: their argument count (name included).
 * Each reads one key (argv[1]); a third argument (a field or member) is part of what is cached. Their replies
 * are scalars that depend only on the key's value and the arguments, the same in RESP2 and RESP3.
 */
export const NEAR_CACHE_COMMANDS: ReadonlyMap<string, number> = new Map([
  ['get', 2], ['strlen', 2], ['exists', 2], ['type', 2], ['hlen', 2], ['llen', 2], ['scard', 2], ['zcard', 2],
  ['hget', 3], ['hexists', 3], ['hstrlen', 3], ['sismember', 3],
]);

/**
 * A key's id in invalidations and in the page's cache: its binary string (bytes.ts), prefixed in dbs other than
 * 0 with the char 0x100 + db — a char no binary string holds, so ids of different dbs never meet.
 */
export function keyId(db: number, key: string): string {
  return db === 0 ? key : String.fromCharCode(0x100 + db) + key;
}

/** The db of a key id. */
export function keyIdDb(id: string): number {
  const c = id.length > 0 ? id.charCodeAt(0) : 0;
  return c >= 0x100 ? c - 0x100 : 0;
}

/**
 * Carried by any worker → page message: keys whose tracked values changed (`inv`, key ids) and dbs emptied
 * (`flushed`: db numbers, -1 for all). The page applies them before the message's own content.
 */
export interface Invalidations {
  inv?: string[];
  flushed?: number[];
}

// ---- messages -------------------------------------------------------------------------------------------------

/** Where persistence stands; sent at start and whenever it changes. */
export interface PersistenceStatus {
  /** The mode now: what the page asked for, or what `CONFIG SET appendfsync` made it since. */
  durability: Durability;
  /** True while changes are being written to IndexedDB. */
  persistent: boolean;
  /** Why changes are not written although `durability` asked for it (IndexedDB failed to open, …). */
  reason?: string;
  /** Keys loaded from IndexedDB at start. */
  loaded: number;
  /** Stored keys not loaded at start because they had expired (they are deleted from IndexedDB). */
  expired: number;
  /** Stored records not loaded at start because they were damaged (failed their checksum); left on disk. */
  corrupt: number;
  /**
   * Set while writing to IndexedDB fails (quota exceeded, aborted transactions …): write commands are refused
   * with Redis's MISCONF error until a retry succeeds; reads go on.
   */
  writeError?: string;
}

/** Something that happened to persistence, for the page (TabhiveClient.onPersistence). */
export interface PersistenceEvent {
  /**
   * 'corrupt': damaged records were skipped at load; 'memory-only': IndexedDB cannot be used (it could not be
   * opened, or a newer version of the database was opened in another tab) and data is kept in memory only;
   * 'write-failed' / 'write-resumed': writing to IndexedDB started failing (writes refused) / works again;
   * 'reconnected': the browser closed the connection and it was reopened; 'durability': the mode changed.
   */
  type: 'corrupt' | 'memory-only' | 'write-failed' | 'write-resumed' | 'reconnected' | 'durability';
  message: string;
}

// ---- the control API (Comlink, on the worker's own port) -------------------------------------------------------

/** `Control.open`'s request: which database, and how. */
export interface OpenRequest {
  name: string;
  durability: Durability;
  /**
   * A Web Lock the worker holds while it lives, so the page learns of its death (a terminated or crashed
   * worker fires no event the page can rely on). Null where locks are unavailable.
   */
  lock: string | null;
  /** Most keys the worker tracks for this connection's near-cache (beyond it the oldest are invalidated). */
  trackingMaxKeys?: number;
  /**
   * Carry the command stream on the endpoint itself rather than on a MessagePort of its own. A worker's own
   * port is the cheaper channel: in Chromium a MessagePort round trip costs 20–70 µs more (bench: serial GET
   * floor). One connection per endpoint may have it; later ones get a port whatever they ask.
   */
  direct?: boolean;
  /**
   * Keep the worker awake up to this long (ms) after answering a batch, when the page sent it soon after the
   * answer before (worker/spin.ts). 0 or absent: never. At most MAX_SPIN_MS.
   */
  spinMs?: number;
}

/**
 * `Control.open`'s answer: the database is loaded and `port` carries the command stream — or, null, the
 * endpoint itself does (`direct`): its command messages are those with a `t` (ToWorker, FromWorker), which
 * Comlink's never have.
 */
export interface Opened {
  port: MessagePort | null;
  status: PersistenceStatus;
  /** The worker holds the request's Web Lock. */
  locked: boolean;
  /** What happened while starting (damaged records skipped, IndexedDB unusable). */
  events?: PersistenceEvent[];
}

/** What `Control.stats` reports of the worker. */
export interface WorkerStats {
  status: PersistenceStatus;
  /** Page connections (command ports) and sessions open on them. */
  connections: number;
  sessions: number;
  /** Keys in all dbs. */
  keys: number;
  commandsProcessed: number;
  /** Batches and operations received on all command ports. */
  batches: number;
  ops: number;
  /** Time spent running batches (ms): the engine's share of the work, transport excluded. */
  busyMs: number;
  /** Times the worker kept its thread awake after an answer, waiting for the next batch (worker/spin.ts). */
  spins: number;
  /** Keys tracked for near-caches now, and invalidations sent (keys, and whole-db flushes). */
  trackedKeys: number;
  invalidations: number;
  /** This tab among the database's tabs (replication/): role, leader, epoch, offset, tabs known. */
  replication?: ReplicationStatus;
}

/**
 * The worker's control API, exposed with Comlink on its own port. Sessions are opened and closed in the command
 * stream itself (the `open` / `close` operations), because they must stay in order with the session's commands.
 */
export interface Control {
  /**
   * Open a connection to database `name`: the first call starts the engine and loads it from IndexedDB; later
   * ones (more pages, later) share it. Rejects when the worker serves another database or could not start.
   */
  open(req: OpenRequest): Promise<Opened>;
  /** Where persistence stands and what the worker has done. */
  stats(): WorkerStats;
  /** Write every change so far to IndexedDB; resolves once there (a WireFailure when it could not be). */
  flush(): Promise<null | WireFailure>;
  /**
   * CONFIG SET each pair (as the command: all or nothing, Redis's error text on failure), then answer every
   * parameter's value, as CONFIG GET * does.
   */
  config(set?: Record<string, string>): Record<string, string> | WireError;
  /** The whole dataset as an RDB file (rdb-io.ts); the bytes are transferred. */
  exportRdb(): Promise<Uint8Array>;
  /** Replace the whole dataset with an RDB file's (rdb-io.ts); answered once stored. */
  importRdb(bytes: Uint8Array): Promise<ImportAnswer>;
  /** Flush and stop the engine: the worker serves nothing afterwards. */
  close(): Promise<void>;
}

// ---- the command stream (on the worker's own port, or the port `open` hands over) ----------------------------

/** Page → worker: a tick's operations, flat (WireOps). */
export type ToWorker = { t: 'batch'; id: number; w: WireOps };

/**
 * A message of the command stream (ToWorker, FromWorker): one with a string `t`. Where the stream shares the
 * worker's own port with Comlink's control calls (OpenRequest.direct), this tells them apart: Comlink's
 * messages never have a `t`.
 */
export function isStreamMessage(m: unknown): m is ToWorker | FromWorker {
  return typeof m === 'object' && m !== null && typeof (m as { t?: unknown }).t === 'string';
}

/** A batch as operations (decodeOps): what WorkerLike.tap is told. */
export interface BatchView {
  t: 'batch';
  id: number;
  ops: Op[];
}

/**
 * A batch's operations as they travel: flat — one array, not a tuple and an argument array per operation.
 * Cloning one array of strings and small integers costs about half as much (Chromium, 10,000 SETs in one
 * message: 0.65 µs per SET flat, 1.3 µs as tuples), and the worker reads the arguments straight out of it.
 * Each operation is a code, then its payload:
 *   code = sid · 16 + kind · 4 + flags;
 *   kind 0, cmd: flags 1 = bytes, 2 = track; then the argument count and the arguments;
 *   kind 1, open: flag 1 = pushBytes;  kind 2, close;  kind 3, flush.
 */
export type WireOps = (number | WireArg)[];

export const OP_CMD = 0;
export const OP_OPEN = 1;
export const OP_CLOSE = 2;
export const OP_FLUSH = 3;

/** Append a command (the hot path: no tuple). */
export function encodeCmd(w: WireOps, sid: number, args: readonly WireArg[], bytes: boolean, track: boolean): void {
  w.push(sid * 16 + (bytes ? 1 : 0) + (track ? 2 : 0), args.length);
  for (let i = 0; i < args.length; i++) w.push(args[i]);
}

/** Append any operation. */
export function encodeOp(w: WireOps, op: Op): void {
  switch (op[0]) {
    case 'cmd':
      encodeCmd(w, op[1], op[2], op[3], op[4] === 1);
      break;
    case 'open':
      w.push(op[1] * 16 + OP_OPEN * 4 + (op[2] === true ? 1 : 0));
      break;
    case 'close':
      w.push(op[1] * 16 + OP_CLOSE * 4);
      break;
    case 'flush':
      w.push(OP_FLUSH * 4);
      break;
  }
}

/** Where the operation starting at `p` ends. */
export function skipOp(w: WireOps, p: number): number {
  const code = w[p] as number;
  return (code >> 2) % 4 === OP_CMD ? p + 2 + (w[p + 1] as number) : p + 1;
}

/** The operations of a flat batch. */
export function decodeOps(w: WireOps): Op[] {
  const out: Op[] = [];
  for (let p = 0; p < w.length; p = skipOp(w, p)) {
    const code = w[p] as number;
    const sid = Math.floor(code / 16);
    switch ((code >> 2) % 4) {
      case OP_CMD: {
        const args = w.slice(p + 2, p + 2 + (w[p + 1] as number)) as WireArg[];
        out.push(code & 2 ? ['cmd', sid, args, (code & 1) === 1, 1] : ['cmd', sid, args, (code & 1) === 1]);
        break;
      }
      case OP_OPEN:
        out.push(code & 1 ? ['open', sid, true] : ['open', sid]);
        break;
      case OP_CLOSE:
        out.push(['close', sid]);
        break;
      default:
        out.push(['flush']);
    }
  }
  return out;
}

/** Worker → page. Any of them may carry Invalidations, applied first. */
export type FromWorker = (
  /**
   * Batch `id`'s results, in the order of its operations. `nested` lists the results that hold an error
   * inside an array (EXEC), so the page looks into those only. `closed` lists the sessions the engine closed
   * while running the batch (QUIT, CLIENT KILL): their clients are closed from then on. For tracked reads:
   * `nc` lists those that must not be cached (not run as a plain read: queued in MULTI, held, an error …),
   * `ttl` holds [index, ms to live] pairs of those whose key has a TTL. `st`: NearCacheState pairs.
   */
  | {
      t: 'replies'; id: number; r: OpResult[]; nested?: number[]; closed?: number[];
      nc?: number[]; ttl?: number[]; st?: number[];
    }
  /**
   * The reply of a command answered `later` (ticket `n`). `nested`: it holds an error inside an array.
   * `closed`: sessions the engine closed while running it. `st`: NearCacheState pairs.
   */
  | { t: 'later'; n: number; r: WireReply; nested?: boolean; closed?: number[]; st?: number[] }
  /** An out-of-band push for session `sid` (a pub/sub message), bulk strings decoded. */
  | { t: 'push'; sid: number; r: WireReply }
  /** Persistence changed (the connection to IndexedDB was lost …); `event` says what happened. */
  | { t: 'status'; status: PersistenceStatus; event?: PersistenceEvent }
  /** Nothing but invalidations (a change made by another connection, or by time). */
  | { t: 'inv' }
) & Invalidations;

/**
 * `st` in replies: flat [sid, state] pairs for sessions whose state changed, where state is the db a plain read
 * of the session runs in, or -1 while its reads are not plain (in MULTI, blocked, RESP2 subscribe mode): the
 * page answers a session's reads from its near-cache only in the db reported, and not at all under -1. A
 * session starts plain in db 0.
 */
export type NearCacheState = number;

// ---- codecs -----------------------------------------------------------------------------------------------------

/** Wire arguments → the engine's argv of binary strings. */
export function decodeArgs(args: readonly WireArg[]): string[] {
  const argv = new Array<string>(args.length);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    argv[i] = typeof a === 'string' ? fromUtf8(a) : fromBytes(a);
  }
  return argv;
}

/** Per-reply encoding state. */
export interface Encoding {
  /** Bulk strings as Uint8Array rather than decoded strings. */
  bytes: boolean;
  /** The session's protocol (HELLO): RESP2 flattens what RESP3 types. */
  resp: 2 | 3;
  /** Set when an error reply was met inside an array. */
  nested: boolean;
  /** Buffers of the Uint8Arrays made, to transfer rather than copy. */
  transfer: ArrayBuffer[];
}

/** An engine reply → its wire form (see WireReply). */
export function encodeReply(r: Reply, enc: Encoding): WireReply {
  return encode(r, enc, false);
}

function encode(r: Reply, enc: Encoding, inner: boolean): WireReply {
  switch (typeof r) {
    case 'string':
      return bulk(r, enc);
    case 'number':
    case 'bigint':
      return r;
  }
  if (r === null) return null;
  if (Array.isArray(r)) return encodeArray(r, enc);
  switch (r.k) {
    case 'simple':
      return toUtf8(r.s);
    case 'err': {
      if (inner) enc.nested = true;
      const msg = toUtf8(r.msg);
      return msg === r.msg ? r : { k: 'err', msg };
    }
    case 'double':
      return enc.resp === 3 ? r.v : bulk(formatDouble17(r.v), enc);
    case 'map': {
      if (enc.resp === 2) return encodeArray(r.v, enc);
      const m = new Map<WireReply, WireReply>();
      for (let i = 0; i + 1 < r.v.length; i += 2) m.set(encode(r.v[i], enc, true), encode(r.v[i + 1], enc, true));
      return m;
    }
    case 'set':
    case 'push':
      return encodeArray(r.v, enc);
    case 'nullarr':
      return null;
    case 'verbatim':
      return bulk(r.s, enc);
    case 'bool':
      return enc.resp === 3 ? r.v : r.v ? 1 : 0;
  }
}

function encodeArray(a: readonly Reply[], enc: Encoding): WireReply[] {
  const out = new Array<WireReply>(a.length);
  for (let i = 0; i < a.length; i++) out[i] = encode(a[i], enc, true);
  return out;
}

function bulk(s: string, enc: Encoding): string | Uint8Array {
  if (!enc.bytes) return toUtf8(s);
  const b = toBytes(s);
  enc.transfer.push(b.buffer as ArrayBuffer);
  return b;
}

/** True for a Redis error on the wire. Uint8Array, arrays and Maps have no `k`. */
export function isWireError(r: unknown): r is WireError {
  return typeof r === 'object' && r !== null && (r as { k?: unknown }).k === 'err';
}

/** True for a non-Redis failure on the wire. */
export function isWireFailure(r: unknown): r is WireFailure {
  return typeof r === 'object' && r !== null && (r as { k?: unknown }).k === 'fail';
}
