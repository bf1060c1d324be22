/**
 * The wire between the workers of one database's tabs: one BroadcastChannel, `tabhive:<name>:repl`. Every tab
 * hears every message; addressed ones carry `to` and the others drop them.
 *
 * Rules:
 * - messages from other tabs are untrusted input (another version of the app, a bug, a hostile script of the
 *   same origin): `parseMessage` checks the whole shape before anything reads it, and a tab only ever
 *   executes engine commands from them — through the command table, with its arity and type checks;
 * - a message from one BroadcastChannel object reaches each other tab in the order it was posted: the stream
 *   (`w`) and a leader's replies (`rep`) share the leader's channel, so a reply always arrives after the
 *   stream entries holding its command's effects;
 * - every leader message carries the leader's epoch; a tab ignores messages of an epoch lower than the
 *   highest it knows (a deposed leader that woke up cannot be heard);
 * - the stream carries the state of every key a write touched (as stored in IndexedDB: type, serialized value,
 *   expiry), not the commands: replicas apply it as is, so non-deterministic commands (SPOP, EXPIRE relative
 *   times, INCRBYFLOAT …) propagate as their effects, and applying an entry twice changes nothing.
 */
import { ObjType } from '../engine/keyspace.js';
import type { WireReply } from '../worker/protocol.js';

export type TabId = string;

/**
 * One step of an entry: a key's state — put (type, serialized value, expiry, raw-string hint) or delete —, a db
 * emptied, a config parameter, or a command to run (4) for a key that only PROPAGATED commands changed.
 */
export type StreamOp =
  | [op: 0, db: number, key: string, type: ObjType, value: unknown, expireAt: number, raw: 0 | 1]
  | [op: 1, db: number, key: string]
  | [op: 2, db: number]
  | [op: 3, name: string, value: string]
  | [op: 4, db: number, argv: string[]];

/**
 * Commands that travel as themselves rather than as the key's new state (which costs the whole value: a push
 * onto a long list would copy the list). Each changes only its one key (argv[1]), never its TTL, and gives the
 * same result on the same value — so a replica holding the same value ends with the same value. They are
 * sent so only for a key without a TTL that no other command changed in the same task.
 */
export const PROPAGATED: ReadonlySet<string> = new Set([
  'lpush', 'rpush', 'lpushx', 'rpushx', 'lpop', 'rpop', 'lset', 'lrem', 'linsert', 'ltrim',
  'hset', 'hsetnx', 'hmset', 'hdel', 'hincrby',
  'sadd', 'srem',
  'zadd', 'zrem', 'zincrby', 'zremrangebyrank', 'zremrangebyscore', 'zremrangebylex',
  'incr', 'decr', 'incrby', 'decrby', 'append', 'setrange',
]);

/** A command of another tab whose effects are in an entry: its request id and its reply (for a retry). */
export type Applied = [tab: TabId, seq: number, reply: WireReply];

/** One step of the replication stream: the effects of what the leader ran in one task. */
export interface Entry {
  off: number;
  ops: StreamOp[];
  reqs?: Applied[];
}

/** A forwarded command: request id, session, argv (binary strings), bulk replies as bytes, db, RESP. */
export type Req = [seq: number, sid: number, argv: string[], bytes: 0 | 1, db: number, resp: 2 | 3];

/**
 * Flags of a forwarded session's state, told with each reply: whether its reads may run on the replica
 * (not in MULTI, not WATCHing, not in RESP2 subscribed mode, not blocked) and whether the leader closed it.
 */
export const PLAIN = 1;
export const CLOSED = 2;

/** A reply to a forwarded command: id, reply, flags (PLAIN|CLOSED), the session's db and RESP. */
export type Rep = [seq: number, reply: WireReply, flags: number, db: number, resp: 2 | 3];

/** A request id with no reply expected (a session's state replayed on a new leader). */
export const SILENT = -1;

export type ReplMessage =
  /** A tab started: the leader answers with `leader`. */
  | { t: 'hello'; from: TabId }
  /** The leader is alive (and where its stream is). */
  | { t: 'hb'; from: TabId; ep: number; off: number; replid: string }
  /** A tab leads from now on (after an election, or answering `hello`). */
  | { t: 'leader'; from: TabId; ep: number; off: number; replid: string }
  /** Stream entries, in order. */
  | { t: 'w'; from: TabId; ep: number; replid: string; e: Entry[] }
  /** A replica asks for the stream after `off` (of history `replid`). */
  | { t: 'sync'; from: TabId; to: TabId; off: number; replid: string }
  /** Full resync: every key, the config that shapes encodings, at offset `off`. */
  | {
      t: 'full'; from: TabId; to: TabId; ep: number; off: number; replid: string;
      keys: StreamOp[]; applied: Applied[];
    }
  /** Partial resync, or entries a candidate fetched: every entry after the asked offset. */
  | { t: 'part'; from: TabId; to: TabId; ep: number; replid: string; e: Entry[] }
  /** Commands forwarded to the leader. */
  | { t: 'req'; from: TabId; to: TabId; ep: number; list: Req[] }
  /** Replies to forwarded commands. */
  | { t: 'rep'; from: TabId; to: TabId; ep: number; list: Rep[] }
  /** An out-of-band push (pub/sub message, keyspace event …) of a forwarded session. */
  | { t: 'push'; from: TabId; to: TabId; ep: number; sid: number; r: WireReply }
  /**
   * A new leader takes over a forwarded session: its db, RESP and subscriptions (kind 0 channel, 1 pattern,
   * 2 shard); a MULTI (`multi`) or WATCH (`watch`) lost with the old leader comes back doomed.
   */
  | {
      t: 'restore'; from: TabId; to: TabId; sid: number; db: number; resp: 2 | 3;
      subs: [kind: number, name: string][]; multi: 0 | 1; watch: 0 | 1;
    }
  /** A forwarded session was closed by its page. */
  | { t: 'close'; from: TabId; to: TabId; sid: number }
  /** Persist everything so far (a page's flush()); answered by `flushed` with the same seq. */
  | { t: 'flush'; from: TabId; to: TabId; seq: number }
  | { t: 'flushed'; from: TabId; to: TabId; ep: number; seq: number; error: string | null }
  /** A candidate leader (epoch claimed) asks every tab where its stream is. */
  | { t: 'elect'; from: TabId; ep: number }
  | { t: 'state'; from: TabId; to: TabId; off: number; replid: string }
  /** A candidate asks a more advanced tab for its entries after `off`. */
  | { t: 'fetch'; from: TabId; to: TabId; off: number; replid: string }
  /** A tab is going away (page closed). */
  | { t: 'bye'; from: TabId };

export type ReplMessageType = ReplMessage['t'];

// ---- validation -------------------------------------------------------------------------------------------

type Rec = Record<string, unknown>;

const isStr = (v: unknown): v is string => typeof v === 'string';
const isNat = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isDb = (v: unknown): boolean => isNat(v) && v < 16;
const isResp = (v: unknown): boolean => v === 2 || v === 3;
const isBin = (v: unknown): boolean => isStr(v);
const isTab = (v: unknown): v is string => isStr(v) && v.length > 0 && v.length <= 64;
const TYPES = new Set<unknown>([ObjType.String, ObjType.List, ObjType.Set, ObjType.ZSet, ObjType.Hash]);

/** A wire reply is data only: structured clone already stripped functions; check nothing else sneaks in. */
function isReply(v: unknown, depth = 0): boolean {
  if (depth > 64) return false;
  const t = typeof v;
  if (v === null || t === 'string' || t === 'number' || t === 'bigint' || t === 'boolean') return true;
  if (v instanceof Uint8Array) return true;
  if (Array.isArray(v)) return v.every((x) => isReply(x, depth + 1));
  if (v instanceof Map) {
    for (const [k, x] of v) if (!isReply(k, depth + 1) || !isReply(x, depth + 1)) return false;
    return true;
  }
  if (typeof v !== 'object') return false;
  // An error: exactly { k: 'err', msg }.
  const o = v as Rec;
  return o.k === 'err' && isStr(o.msg) && Object.keys(o).length === 2;
}

function isOp(v: unknown): v is StreamOp {
  if (!Array.isArray(v)) return false;
  switch (v[0]) {
    case 0:
      return v.length === 7 && isDb(v[1]) && isBin(v[2]) && TYPES.has(v[3]) && isNat(v[5]) && (v[6] === 0 || v[6] === 1);
    case 1:
      return v.length === 3 && isDb(v[1]) && isBin(v[2]);
    case 2:
      return v.length === 2 && isDb(v[1]);
    case 3:
      return v.length === 3 && isStr(v[1]) && isStr(v[2]);
    case 4:
      return (
        v.length === 3 && isDb(v[1]) && Array.isArray(v[2]) && v[2].length >= 2 && v[2].every(isBin) &&
        PROPAGATED.has((v[2][0] as string).toLowerCase())
      );
    default:
      return false;
  }
}

function isApplied(v: unknown): v is Applied {
  return Array.isArray(v) && v.length === 3 && isTab(v[0]) && isNat(v[1]) && isReply(v[2]);
}

function isEntry(v: unknown): v is Entry {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Rec;
  if (!isNat(o.off) || !Array.isArray(o.ops) || !o.ops.every(isOp)) return false;
  return o.reqs === undefined || (Array.isArray(o.reqs) && o.reqs.every(isApplied));
}

function isReq(v: unknown): v is Req {
  return (
    Array.isArray(v) && v.length === 6 && isInt(v[0]) && isNat(v[1]) && Array.isArray(v[2]) && v[2].length > 0 &&
    v[2].every(isBin) && (v[3] === 0 || v[3] === 1) && isDb(v[4]) && isResp(v[5])
  );
}

function isRep(v: unknown): v is Rep {
  return Array.isArray(v) && v.length === 5 && isInt(v[0]) && isReply(v[1]) && isNat(v[2]) && isDb(v[3]) && isResp(v[4]);
}

/** Each message type's fields and their checks (besides `t` and `from`). */
const SHAPES: { [T in ReplMessageType]: Record<string, (v: unknown) => boolean> } = {
  hello: {},
  bye: {},
  hb: { ep: isNat, off: isNat, replid: isStr },
  leader: { ep: isNat, off: isNat, replid: isStr },
  w: { ep: isNat, replid: isStr, e: (v) => Array.isArray(v) && v.every(isEntry) },
  sync: { to: isTab, off: isNat, replid: isStr },
  full: {
    to: isTab, ep: isNat, off: isNat, replid: isStr,
    keys: (v) => Array.isArray(v) && v.every(isOp),
    applied: (v) => Array.isArray(v) && v.every(isApplied),
  },
  part: { to: isTab, ep: isNat, replid: isStr, e: (v) => Array.isArray(v) && v.every(isEntry) },
  req: { to: isTab, ep: isNat, list: (v) => Array.isArray(v) && v.every(isReq) },
  rep: { to: isTab, ep: isNat, list: (v) => Array.isArray(v) && v.every(isRep) },
  push: { to: isTab, ep: isNat, sid: isNat, r: isReply },
  close: { to: isTab, sid: isNat },
  restore: {
    to: isTab, sid: isNat, db: isDb, resp: isResp,
    subs: (v) => Array.isArray(v) && v.every((x) => Array.isArray(x) && x.length === 2 && (x[0] === 0 || x[0] === 1 || x[0] === 2) && isBin(x[1])),
    multi: (v) => v === 0 || v === 1, watch: (v) => v === 0 || v === 1,
  },
  flush: { to: isTab, seq: isNat },
  flushed: { to: isTab, ep: isNat, seq: isNat, error: (v) => v === null || isStr(v) },
  elect: { ep: isNat },
  state: { to: isTab, off: isNat, replid: isStr },
  fetch: { to: isTab, off: isNat, replid: isStr },
};

/** The message if it has exactly a known shape, else null (dropped, and counted by the caller). */
export function parseMessage(data: unknown): ReplMessage | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const o = data as Rec;
  if (!isStr(o.t) || !Object.prototype.hasOwnProperty.call(SHAPES, o.t) || !isTab(o.from)) return null;
  const shape = SHAPES[o.t as ReplMessageType];
  for (const [field, ok] of Object.entries(shape)) if (!ok(o[field])) return null;
  return o as unknown as ReplMessage;
}
