/**
 * The page ↔ worker wire: every message either side sends, and the codecs for arguments and replies. The one
 * place both sides agree on; the operations themselves are implemented in host.ts and their request and
 * result types are derived from that implementation here, so the two cannot drift.
 *
 * Auto-pipelining: the page queues every operation issued in one tick and posts them as ONE `batch` message
 * (raw postMessage: with batching, Comlink measured the same per command and adds a UUID and a wrapper per
 * call, and it leaves pending calls hanging when the worker dies, which the page must track itself anyway).
 * The worker runs the batch's operations in order and answers with ONE `replies` message holding their
 * results in the same order; batches are answered in the order they came.
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
 */
import { fromBytes, fromUtf8, toBytes, toUtf8 } from '../engine/bytes.js';
import { formatDouble17 } from '../engine/numbers.js';
import type { Reply } from '../engine/reply.js';
import type { Operations } from './host.js';

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

/** Page → worker. */
export type ToWorker =
  /**
   * First message: which database to open. `lock` names a Web Lock the worker holds while it lives, so the page
   * learns of its death (a terminated or crashed worker fires no event the page can rely on).
   */
  | { t: 'hello'; name: string; durability: Durability; lock: string | null }
  /** A tick's operations. */
  | { t: 'batch'; id: number; ops: Op[] };

/** Worker → page. */
export type FromWorker =
  /**
   * The database is loaded; batches may come. `locked`: the worker holds the hello's Web Lock. `events`: what
   * happened while starting (damaged records skipped, IndexedDB unusable).
   */
  | { t: 'ready'; status: PersistenceStatus; locked: boolean; events?: PersistenceEvent[] }
  /**
   * Batch `id`'s results, in the order of its operations. `nested` lists the results that hold an error
   * inside an array (EXEC), so the page looks into those only. `closed` lists the sessions the engine closed
   * while running the batch (QUIT, CLIENT KILL): their clients are closed from then on.
   */
  | { t: 'replies'; id: number; r: OpResult[]; nested?: number[]; closed?: number[] }
  /**
   * The reply of a command answered `later` (ticket `n`). `nested`: it holds an error inside an array.
   * `closed`: sessions the engine closed while running it.
   */
  | { t: 'later'; n: number; r: WireReply; nested?: boolean; closed?: number[] }
  /** An out-of-band push for session `sid` (a pub/sub message), bulk strings decoded. */
  | { t: 'push'; sid: number; r: WireReply }
  /** Persistence changed (the connection to IndexedDB was lost …); `event` says what happened. */
  | { t: 'status'; status: PersistenceStatus; event?: PersistenceEvent }
  /** The worker cannot serve (the database could not be set up): every call fails with `message`. */
  | { t: 'fatal'; message: string };

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
