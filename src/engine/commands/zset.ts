/**
 * Sorted sets (Redis's t_zset.c).
 *
 * A sorted set is a ZSetValue: a SkipList ordered by (score, member bytes) with span counts for ranks, and an
 * OrderedDict member → node for O(1) score lookups, insertion-sequence SCAN cursors and O(1) random picks.
 * Both shapes hold the same nodes; `encoding` is what Redis 7.0 would report, kept as state:
 * - "listpack" while the set has at most zset-max-listpack-entries members and none longer than
 *   zset-max-listpack-value bytes, "skiplist" from the first insertion that breaks either rule, for good
 *   (Redis converts back only when it builds a new destination: ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE);
 * - what the listpack shape shows through: a listpack stores an integral score as an integer, so -0 becomes
 *   0 there (a skiplist keeps -0), ZSCAN returns a listpack whole with cursor 0 and prints its scores as the
 *   listpack holds them, and ZRANDMEMBER's unique picks come out in set order.
 *
 * Scores are doubles, never NaN inside a set. Replies give them as DoubleReply (`double()`): a RESP2 bulk
 * string in %.17g ("1.1000000000000001"), a RESP3 double. WITHSCORES is a flat [member, score …] array in
 * RESP2 and an array of [member, score] pairs in RESP3, as Redis 7.0 does.
 *
 * The blocking BZPOPMIN / BZPOPMAX / BZMPOP are not here: `zpopFrom` and `zpopReply` are the pop logic and
 * reply they are meant to share with ZPOPMIN / ZPOPMAX / ZMPOP.
 */
import type { CommandSpec } from '../command.js';
import type { Ctx } from '../ctx.js';
import { parseScanCursor, parseScanOptions, scanAll, scanDict } from '../ds/scan.js';
import {
  lexGteMin,
  lexLteMax,
  scoreGteMin,
  scoreLteMax,
  SkipList,
  ZNode,
  type LexBound,
  type LexRange,
  type ScoreRange,
} from '../ds/skiplist.js';
import { CommandError, E } from '../errors.js';
import { ObjType, OrderedDict, registerCodec, type CollectionValue, type Entry } from '../keyspace.js';
import { NotifyClass } from '../notify.js';
import { formatDouble17, parseDouble, parseI64, type Int64 } from '../numbers.js';
import { double, NULL_ARRAY, type Reply } from '../reply.js';
import type { SetValue } from './set.js';

// ---- the data structure -----------------------------------------------------------------------------------

export type ZEncoding = 'listpack' | 'skiplist';

/** The listpack limits in force for one command (read once from the config). */
export interface ZLimits {
  entries: number;
  value: number;
}

export function zsetLimits(c: Ctx): ZLimits {
  const cfg = c.engine.config;
  return { entries: cfg.getInt('zset-max-listpack-entries'), value: cfg.getInt('zset-max-listpack-value') };
}

/** A (member, score) pair: a node of a set, or an element of a computed result. */
export interface ZPair {
  readonly ele: string;
  readonly score: number;
}

export class ZSetValue implements CollectionValue {
  readonly dict = new OrderedDict<ZNode>();
  readonly zsl = new SkipList();

  constructor(public encoding: ZEncoding = 'listpack') {}

  get size(): number {
    return this.zsl.length;
  }

  score(ele: string): number | undefined {
    return this.dict.get(ele)?.score;
  }

  /** Insert a member that is not present. A listpack stores an integral score as an integer: -0 is 0 there. */
  insert(ele: string, score: number): ZNode {
    if (this.encoding === 'listpack' && score === 0) score = 0;
    const n = this.zsl.insert(score, ele);
    this.dict.add(ele, n);
    return n;
  }

  /** Insert a member that sorts after every present one (bulk loads from sorted data). */
  append(ele: string, score: number): ZNode {
    if (this.encoding === 'listpack' && score === 0) score = 0;
    const n = this.zsl.append(score, ele);
    this.dict.add(ele, n);
    return n;
  }

  /** Change a present member's score. */
  setScore(n: ZNode, score: number): void {
    if (this.encoding === 'listpack' && score === 0) score = 0;
    this.zsl.updateScore(n, score);
  }

  delete(ele: string): boolean {
    const n = this.dict.get(ele);
    if (n === undefined) return false;
    this.removeNode(n);
    return true;
  }

  removeNode(n: ZNode): void {
    this.zsl.delete(n.score, n.ele);
    this.dict.delete(n.ele);
  }

  /**
   * Redis's zsetConvertToListpackIfNeeded, for a freshly built destination: small enough → listpack, whose
   * integer scores turn -0 into 0.
   */
  convertToListpackIfNeeded(lim: ZLimits, maxelelen: number): void {
    if (this.encoding === 'listpack' || this.size > lim.entries || maxelelen > lim.value) return;
    this.encoding = 'listpack';
    for (let n = this.zsl.first; n !== null; n = n.next[0]) if (n.score === 0) n.score = 0;
  }

  /** Members and scores flat, in order (`[m, s, m, s …]`). */
  *pairs(): IterableIterator<ZNode> {
    yield* this.zsl.nodes();
  }

  clone(): ZSetValue {
    const z = new ZSetValue(this.encoding);
    for (let n = this.zsl.first; n !== null; n = n.next[0]) z.append(n.ele, n.score);
    return z;
  }

  /** `[encoding (0 listpack, 1 skiplist), member, score, member, score …]`, in order; scores may be ±inf or -0. */
  serialize(): unknown {
    const out: (string | number)[] = [this.encoding === 'listpack' ? 0 : 1];
    for (let n = this.zsl.first; n !== null; n = n.next[0]) out.push(n.ele, n.score);
    return out;
  }

  static revive(data: unknown): ZSetValue {
    const a = data as (string | number)[];
    const z = new ZSetValue(a[0] === 0 ? 'listpack' : 'skiplist');
    for (let i = 1; i + 1 < a.length; i += 2) z.append(a[i] as string, a[i + 1] as number);
    return z;
  }
}

registerCodec(ObjType.ZSet, (d) => ZSetValue.revive(d));

const enum ZIn {
  None = 0,
  Incr = 1,
  NX = 2,
  XX = 4,
  GT = 8,
  LT = 16,
}

const enum ZOut {
  NaN = 1,
  Added = 2,
  Updated = 4,
  Nop = 8,
}

/** The score zsetAdd settled on (the reply of INCR), beside its returned flags. */
let addedScore = 0;

/**
 * Redis's zsetAdd: add or update one member under the NX/XX/GT/LT/INCR rules; returns ZOut flags and leaves
 * the resulting score in `addedScore`. A listpack that would break its limits becomes a skiplist before the
 * insertion.
 */
function zsetAdd(z: ZSetValue, score: number, ele: string, flags: number, lim: ZLimits): number {
  if (Number.isNaN(score)) return ZOut.NaN;
  const n = z.dict.get(ele);
  if (n !== undefined) {
    if (flags & ZIn.NX) return ZOut.Nop;
    const cur = n.score;
    if (flags & ZIn.Incr) {
      score += cur;
      if (Number.isNaN(score)) return ZOut.NaN;
    }
    if ((flags & ZIn.LT && score >= cur) || (flags & ZIn.GT && score <= cur)) return ZOut.Nop;
    addedScore = score;
    if (score !== cur) {
      z.setScore(n, score);
      return ZOut.Updated;
    }
    return 0;
  }
  if (flags & ZIn.XX) return ZOut.Nop;
  if (z.encoding === 'listpack' && (z.size + 1 > lim.entries || ele.length > lim.value)) z.encoding = 'skiplist';
  z.insert(ele, score);
  addedScore = score;
  return ZOut.Added;
}

// ---- ranges -----------------------------------------------------------------------------------------------

const ERR_SCORE_RANGE = 'ERR min or max is not a float';
const ERR_LEX_RANGE = 'ERR min or max not valid string range item';

const STRTOD_HEX = /^[+-]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?[0-9]+)?/;
const STRTOD_DEC = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/;
const STRTOD_INF = /^[+-]?(?:infinity|inf)/i;
const STRTOD_NAN = /^[+-]?nan/i;
const STRTOD_SPACE = /^[ \t\n\v\f\r]*/;

/**
 * C's strtod over `s` from `from`, as zslParseRange uses it: leading white space skipped, the longest number
 * taken (overflow is ±inf, no error), and the rest must be empty — or start with a NUL byte, since Redis
 * checks the C string. No number at all reads as 0 when nothing follows (`(` alone is "(0"). NaN is refused.
 * Returns null when refused.
 */
function strtodRange(s: string, from: number): number | null {
  const ws = STRTOD_SPACE.exec(s.slice(from))![0].length;
  const t = s.slice(from + ws);
  let v: number;
  let m: RegExpExecArray | null;
  if ((m = STRTOD_HEX.exec(t)) !== null) v = hexFloat(m[0]);
  else if ((m = STRTOD_DEC.exec(t)) !== null) v = Number(m[0]);
  else if ((m = STRTOD_INF.exec(t)) !== null) v = m[0][0] === '-' ? -Infinity : Infinity;
  else if (STRTOD_NAN.test(t)) return null;
  else return from === s.length || s.charCodeAt(from) === 0 ? 0 : null;
  const end = from + ws + m[0].length;
  return end === s.length || s.charCodeAt(end) === 0 ? v : null;
}

/** A C hexadecimal float ("0x1.8p3"), rounded once as strtod does for all but subnormal extremes. */
function hexFloat(text: string): number {
  let i = 0;
  let sign = 1;
  if (text[0] === '+' || text[0] === '-') {
    if (text[0] === '-') sign = -1;
    i = 1;
  }
  i += 2;
  let mant = 0n;
  let exp = 0;
  let dot = false;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (ch === '.') {
      dot = true;
      continue;
    }
    if (ch === 'p' || ch === 'P') {
      exp += parseInt(text.slice(i + 1), 10);
      break;
    }
    mant = mant * 16n + BigInt(parseInt(ch, 16));
    if (dot) exp -= 4;
  }
  if (mant === 0n) return sign * 0;
  // Scale in two steps so an exponent that alone under- or overflows does not lose a representable product.
  const half = Math.trunc(exp / 2);
  return sign * Number(mant) * 2 ** half * 2 ** (exp - half);
}

function parseScoreItem(s: string): [number, boolean] {
  const ex = s.charCodeAt(0) === 40; // '('
  const v = strtodRange(s, ex ? 1 : 0);
  if (v === null) throw new CommandError(ERR_SCORE_RANGE);
  return [v, ex];
}

/** Redis's zslParseRange: `1.5`, `(1.5` (open), `-inf`, `+inf`. */
export function parseScoreRange(min: string, max: string): ScoreRange {
  const [lo, minex] = parseScoreItem(min);
  const [hi, maxex] = parseScoreItem(max);
  return { min: lo, max: hi, minex, maxex };
}

/** Redis's zslParseLexRangeItem: `[a` closed, `(a` open, `-` and `+` the ends (nothing may follow them). */
function parseLexItem(s: string): LexBound {
  const c0 = s.charCodeAt(0);
  if (c0 === 43 || c0 === 45) {
    // '+' / '-' must end the C string.
    if (s.length > 1 && s.charCodeAt(1) !== 0) throw new CommandError(ERR_LEX_RANGE);
    return { kind: c0 === 43 ? 1 : -1, s: '', ex: true };
  }
  if (c0 === 40 || c0 === 91) return { kind: 0, s: s.slice(1), ex: c0 === 40 };
  throw new CommandError(ERR_LEX_RANGE);
}

export function parseLexRange(min: string, max: string): LexRange {
  return { min: parseLexItem(min), max: parseLexItem(max) };
}

// ---- helpers shared by the family -------------------------------------------------------------------------

function readZ(c: Ctx, key: string): ZSetValue | undefined {
  return c.read(key, ObjType.ZSet)?.value as ZSetValue | undefined;
}

function writeZ(c: Ctx, key: string): ZSetValue | undefined {
  return c.write(key, ObjType.ZSet)?.value as ZSetValue | undefined;
}

/** Append a member (and its score, WITHSCORES) to a reply: flat in RESP2, a [member, score] pair in RESP3. */
function emit(out: Reply[], ele: string, score: number, withscores: boolean, resp3: boolean): void {
  if (!withscores) out.push(ele);
  else if (resp3) out.push([ele, double(score)]);
  else out.push(ele, double(score));
}

function pairsReply(c: Ctx, items: readonly ZPair[], withscores: boolean): Reply {
  const resp3 = c.session.resp === 3;
  const out: Reply[] = [];
  for (const p of items) emit(out, p.ele, p.score, withscores, resp3);
  return out;
}

/** A long argument with a range, as getRangeLongFromObjectOrReply: `msg` for both a non-integer and out of range. */
function rangeLong(s: string, min: Int64, max: Int64, msg?: string): Int64 {
  const v = parseI64(s);
  if (v === null) throw new CommandError(msg ?? E.NOT_INT);
  if (v < min || v > max) {
    throw new CommandError(msg ?? `ERR value is out of range, value must between ${min} and ${max}`);
  }
  return v;
}

const LONG_MAX = 2n ** 63n - 1n;

/** Clamp an Int64 to a JS number (anything beyond 2^53 is beyond any set's size). */
const clampIndex = (v: Int64): number =>
  typeof v === 'number' ? v : v < 0n ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;

/**
 * Store a computed set at `dst` (ZUNIONSTORE & co., ZRANGESTORE): replace the key (dropping its TTL) and fire
 * `event`, or — when empty — delete the key, firing `del` if it was there. Returns the reply.
 */
function storeResult(c: Ctx, dst: string, z: ZSetValue, event: string): Reply {
  if (z.size > 0) {
    // setKey looks the destination up for writing first (expiring it if due), then overwrites.
    c.write(dst);
    c.db.setKey(dst, ObjType.ZSet, z, c.now);
    c.modified(dst);
    c.notify(NotifyClass.ZSet, event, dst);
    return z.size;
  }
  if (c.db.remove(dst)) {
    c.modified(dst);
    c.notify(NotifyClass.Generic, 'del', dst);
  }
  return 0;
}

// ---- ZADD / ZINCRBY ----------------------------------------------------------------------------------------

// ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]
function zadd(c: Ctx): Reply {
  return zaddGeneric(c, ZIn.None);
}

// ZINCRBY key increment member
function zincrby(c: Ctx): Reply {
  return zaddGeneric(c, ZIn.Incr);
}

function zaddGeneric(c: Ctx, flags: number): Reply {
  const a = c.args;
  const key = a.next();
  let ch = false;
  // Options run up to the first argument that is not one (ZINCRBY goes through here too, as in Redis).
  for (;;) {
    const opt = a.peekUpper();
    if (opt === 'NX') flags |= ZIn.NX;
    else if (opt === 'XX') flags |= ZIn.XX;
    else if (opt === 'CH') ch = true;
    else if (opt === 'INCR') flags |= ZIn.Incr;
    else if (opt === 'GT') flags |= ZIn.GT;
    else if (opt === 'LT') flags |= ZIn.LT;
    else break;
    a.i++;
  }
  const first = a.i;
  const left = a.remaining;
  if (left === 0 || left % 2 !== 0) throw new CommandError(E.SYNTAX);
  const elements = left / 2;
  if (flags & ZIn.NX && flags & ZIn.XX) {
    throw new CommandError('ERR XX and NX options at the same time are not compatible');
  }
  if ((flags & ZIn.GT && flags & ZIn.NX) || (flags & ZIn.LT && flags & ZIn.NX) || (flags & ZIn.GT && flags & ZIn.LT)) {
    throw new CommandError('ERR GT, LT, and/or NX options at the same time are not compatible');
  }
  const incr = (flags & ZIn.Incr) !== 0;
  if (incr && elements > 1) throw new CommandError('ERR INCR option supports a single increment-element pair');
  // Every score is parsed before anything is written: the command runs whole or not at all.
  const scores = new Array<number>(elements);
  for (let j = 0; j < elements; j++) {
    const v = parseDouble(c.argv[first + 2 * j]);
    if (v === null) throw new CommandError(E.NOT_FLOAT);
    scores[j] = v;
  }

  let z = writeZ(c, key);
  let added = 0;
  let updated = 0;
  let processed = 0;
  let score = 0;
  const lim = zsetLimits(c);
  if (z === undefined) {
    if (flags & ZIn.XX) return incr ? null : 0;
    z = new ZSetValue(lim.entries === 0 || lim.value < c.argv[first + 1].length ? 'skiplist' : 'listpack');
    c.db.add(key, ObjType.ZSet, z, c.now);
  }
  for (let j = 0; j < elements; j++) {
    const out = zsetAdd(z, scores[j], c.argv[first + 2 * j + 1], flags, lim);
    if (out & ZOut.NaN) {
      signalAdd(c, key, incr, added, updated);
      throw new CommandError('ERR resulting score is not a number (NaN)');
    }
    if (out & ZOut.Added) added++;
    if (out & ZOut.Updated) updated++;
    if (!(out & ZOut.Nop)) processed++;
    score = addedScore;
  }
  signalAdd(c, key, incr, added, updated);
  if (incr) return processed ? double(score) : null;
  return ch ? added + updated : added;
}

function signalAdd(c: Ctx, key: string, incr: boolean, added: number, updated: number): void {
  if (added === 0 && updated === 0) return;
  c.modified(key, c.db, added + updated);
  c.notify(NotifyClass.ZSet, incr ? 'zincr' : 'zadd', key);
}

// ---- ZREM / ZREMRANGEBY* -----------------------------------------------------------------------------------

// ZREM key member [member ...]
function zrem(c: Ctx): Reply {
  const key = c.args.next();
  const z = writeZ(c, key);
  if (z === undefined) return 0;
  let deleted = 0;
  let keyRemoved = false;
  while (c.args.has()) {
    if (z.delete(c.args.next())) deleted++;
    if (z.size === 0) {
      c.db.remove(key);
      keyRemoved = true;
      break;
    }
  }
  if (deleted > 0) {
    c.modified(key, c.db, deleted);
    c.notify(NotifyClass.ZSet, 'zrem', key);
    if (keyRemoved) c.notify(NotifyClass.Generic, 'del', key);
  }
  return deleted;
}

const enum RangeType {
  Auto,
  Rank,
  Score,
  Lex,
}

// ZREMRANGEBYRANK key start stop
function zremrangebyrank(c: Ctx): Reply {
  return zremrange(c, RangeType.Rank);
}

// ZREMRANGEBYSCORE key min max
function zremrangebyscore(c: Ctx): Reply {
  return zremrange(c, RangeType.Score);
}

// ZREMRANGEBYLEX key min max
function zremrangebylex(c: Ctx): Reply {
  return zremrange(c, RangeType.Lex);
}

function zremrange(c: Ctx, type: RangeType): Reply {
  const key = c.args.next();
  let start = 0;
  let end = 0;
  let event: string;
  let range: ScoreRange | undefined;
  let lex: LexRange | undefined;
  if (type === RangeType.Rank) {
    event = 'zremrangebyrank';
    start = c.args.nextIndex();
    end = c.args.nextIndex();
  } else if (type === RangeType.Score) {
    event = 'zremrangebyscore';
    range = parseScoreRange(c.args.next(), c.args.next());
  } else {
    event = 'zremrangebylex';
    lex = parseLexRange(c.args.next(), c.args.next());
  }
  const z = writeZ(c, key);
  if (z === undefined) return 0;
  const zsl = z.zsl;
  const dropped = (n: ZNode) => void z.dict.delete(n.ele);
  let deleted: number;
  if (type === RangeType.Rank) {
    const llen = z.size;
    if (start < 0) start = llen + start;
    if (end < 0) end = llen + end;
    if (start < 0) start = 0;
    if (start > end || start >= llen) return 0;
    if (end >= llen) end = llen - 1;
    const lo = start + 1;
    const hi = end + 1;
    deleted = zsl.deleteRun((_n, r) => r < lo, (_n, r) => r <= hi, dropped);
  } else if (range !== undefined) {
    const r = range;
    deleted = zsl.deleteRun((n) => !scoreGteMin(n.score, r), (n) => scoreLteMax(n.score, r), dropped);
  } else {
    const r = lex!;
    deleted = zsl.deleteRun((n) => !lexGteMin(n.ele, r), (n) => lexLteMax(n.ele, r), dropped);
  }
  const keyRemoved = z.size === 0;
  if (keyRemoved) c.db.remove(key);
  if (deleted > 0) {
    c.modified(key, c.db, deleted);
    c.notify(NotifyClass.ZSet, event, key);
    if (keyRemoved) c.notify(NotifyClass.Generic, 'del', key);
  }
  return deleted;
}

// ---- ZUNION / ZINTER / ZDIFF and their STORE forms, ZINTERCARD --------------------------------------------------

const enum SetOp {
  Union,
  Inter,
  Diff,
}

const enum Aggr {
  Sum,
  Min,
  Max,
}

/** One input of ZUNION & co.: a sorted set, a plain set, or a missing key (empty). */
interface Src {
  /** The value itself; two inputs naming one key share it (Redis's `subject`). */
  subject: unknown;
  z: ZSetValue | null;
  set: SetValue | null;
  size: number;
  weight: number;
}

/**
 * Iterate an input as (member, score) pairs: a plain set with scores 1, a sorted set from its highest member
 * down, as Redis's zuiNext does (which shows in ZRANDMEMBER's whole-set reply).
 */
function forEachIn(src: Src, f: (ele: string, score: number) => boolean | void): void {
  if (src.z !== null) {
    for (let n = src.z.zsl.tail; n !== null; n = n.backward) if (f(n.ele, n.score) === false) return;
  } else if (src.set !== null) {
    src.set.forEach((m) => f(m, 1));
  }
}

/** Score of `ele` in an input, or undefined (Redis's zuiFind). */
function findIn(src: Src, ele: string): number | undefined {
  if (src.z !== null) return src.z.dict.get(ele)?.score;
  if (src.set !== null) return src.set.has(ele) ? 1 : undefined;
  return undefined;
}

/** Redis's zunionInterAggregate, NaN rule included: inf + -inf sums to 0; MIN/MAX keep the target on NaN. */
function aggregate(target: number, val: number, aggr: Aggr): number {
  if (aggr === Aggr.Sum) {
    const r = target + val;
    return Number.isNaN(r) ? 0 : r;
  }
  if (aggr === Aggr.Min) return val < target ? val : target;
  return val > target ? val : target;
}

function byScoreThenMember(a: ZPair, b: ZPair): number {
  if (a.score < b.score) return -1;
  if (a.score > b.score) return 1;
  return a.ele < b.ele ? -1 : a.ele > b.ele ? 1 : 0;
}

// ZUNION numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>] [WITHSCORES]
function zunion(c: Ctx): Reply {
  return zsetOp(c, null, 1, SetOp.Union, false, 'zunion');
}

// ZINTER numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>] [WITHSCORES]
function zinter(c: Ctx): Reply {
  return zsetOp(c, null, 1, SetOp.Inter, false, 'zinter');
}

// ZDIFF numkeys key [key ...] [WITHSCORES]
function zdiff(c: Ctx): Reply {
  return zsetOp(c, null, 1, SetOp.Diff, false, 'zdiff');
}

// ZINTERCARD numkeys key [key ...] [LIMIT limit]
function zintercard(c: Ctx): Reply {
  return zsetOp(c, null, 1, SetOp.Inter, true, 'zintercard');
}

// ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>]
function zunionstore(c: Ctx): Reply {
  return zsetOp(c, c.argv[1], 2, SetOp.Union, false, 'zunionstore');
}

// ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>]
function zinterstore(c: Ctx): Reply {
  return zsetOp(c, c.argv[1], 2, SetOp.Inter, false, 'zinterstore');
}

// ZDIFFSTORE destination numkeys key [key ...]
function zdiffstore(c: Ctx): Reply {
  return zsetOp(c, c.argv[1], 2, SetOp.Diff, false, 'zdiffstore');
}

/** Redis's zunionInterDiffGenericCommand. */
function zsetOp(c: Ctx, dst: string | null, numkeysIdx: number, op: SetOp, cardOnly: boolean, name: string): Reply {
  const argv = c.argv;
  const a = c.args;
  a.i = numkeysIdx;
  const setnum = a.nextIndex();
  if (setnum < 1) throw new CommandError(`ERR at least 1 input key is needed for '${name}' command`);
  if (setnum > argv.length - (numkeysIdx + 1)) throw new CommandError(E.SYNTAX);

  // Inputs are looked up (and type-checked) before the options are parsed, as Redis does.
  const src: Src[] = [];
  for (let i = 0; i < setnum; i++) {
    const e = c.read(a.next());
    src.push(inputOf(e));
  }

  let aggr = Aggr.Sum;
  let withscores = false;
  let limit = 0;
  while (a.has()) {
    const opt = a.nextUpper();
    const remaining = a.remaining + 1;
    if (op !== SetOp.Diff && !cardOnly && remaining >= setnum + 1 && opt === 'WEIGHTS') {
      for (let i = 0; i < setnum; i++) {
        const w = parseDouble(a.next());
        if (w === null) throw new CommandError('ERR weight value is not a float');
        src[i].weight = w;
      }
    } else if (op !== SetOp.Diff && !cardOnly && remaining >= 2 && opt === 'AGGREGATE') {
      const how = a.nextUpper();
      if (how === 'SUM') aggr = Aggr.Sum;
      else if (how === 'MIN') aggr = Aggr.Min;
      else if (how === 'MAX') aggr = Aggr.Max;
      else throw new CommandError(E.SYNTAX);
    } else if (dst === null && !cardOnly && opt === 'WITHSCORES') {
      withscores = true;
    } else if (cardOnly && remaining >= 2 && opt === 'LIMIT') {
      limit = clampIndex(rangeLong(a.next(), 0, LONG_MAX, "ERR LIMIT can't be negative"));
    } else {
      throw new CommandError(E.SYNTAX);
    }
  }

  // Smallest first (a stable sort, as glibc's qsort is here): fewer lookups, and the order sums are taken in.
  if (op !== SetOp.Diff) src.sort((x, y) => x.size - y.size);

  const result: ZPair[] = [];
  let maxelelen = 0;
  let cardinality = 0;
  if (op === SetOp.Inter) {
    if (src[0].size > 0) {
      const s0 = src[0];
      forEachIn(s0, (ele, sc) => {
        let score = s0.weight * sc;
        if (Number.isNaN(score)) score = 0;
        let j = 1;
        for (; j < setnum; j++) {
          const v = src[j].subject === s0.subject ? sc : findIn(src[j], ele);
          if (v === undefined) break;
          score = aggregate(score, v * src[j].weight, aggr);
        }
        if (j < setnum) return true;
        if (cardOnly) {
          cardinality++;
          return !(limit && cardinality >= limit);
        }
        result.push({ ele, score });
        if (ele.length > maxelelen) maxelelen = ele.length;
        return true;
      });
    }
  } else if (op === SetOp.Union) {
    const acc = new Map<string, number>();
    for (const s of src) {
      if (s.size === 0) continue;
      forEachIn(s, (ele, sc) => {
        let score = s.weight * sc;
        if (Number.isNaN(score)) score = 0;
        const cur = acc.get(ele);
        if (cur === undefined) {
          acc.set(ele, score);
          if (ele.length > maxelelen) maxelelen = ele.length;
        } else {
          acc.set(ele, aggregate(cur, score, aggr));
        }
      });
    }
    for (const [ele, score] of acc) result.push({ ele, score });
  } else {
    const s0 = src[0];
    // A key given again after the first subtracts everything.
    if (s0.size > 0 && !src.some((s, j) => j > 0 && s.subject === s0.subject)) {
      forEachIn(s0, (ele, sc) => {
        for (let j = 1; j < setnum; j++) if (findIn(src[j], ele) !== undefined) return;
        result.push({ ele, score: sc });
        if (ele.length > maxelelen) maxelelen = ele.length;
      });
    }
  }

  if (cardOnly) return cardinality;
  result.sort(byScoreThenMember);
  if (dst === null) return pairsReply(c, result, withscores);

  const z = new ZSetValue('skiplist');
  for (const p of result) z.append(p.ele, p.score);
  z.convertToListpackIfNeeded(zsetLimits(c), maxelelen);
  return storeResult(c, dst, z, op === SetOp.Union ? 'zunionstore' : op === SetOp.Inter ? 'zinterstore' : 'zdiffstore');
}

function inputOf(e: Entry | undefined): Src {
  if (e === undefined) return { subject: null, z: null, set: null, size: 0, weight: 1 };
  if (e.type === ObjType.ZSet) {
    const z = e.value as ZSetValue;
    return { subject: z, z, set: null, size: z.size, weight: 1 };
  }
  if (e.type === ObjType.Set) {
    const s = e.value as SetValue;
    return { subject: s, z: null, set: s, size: s.size, weight: 1 };
  }
  throw new CommandError(E.WRONGTYPE);
}

// ---- ZRANGE and its older forms, ZRANGESTORE ---------------------------------------------------------------------

const enum Dir {
  Auto,
  Forward,
  Reverse,
}

// ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]
function zrange(c: Ctx): Reply {
  return zrangeGeneric(c, 1, null, RangeType.Auto, Dir.Auto);
}

// ZRANGESTORE dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count]
function zrangestore(c: Ctx): Reply {
  return zrangeGeneric(c, 2, c.argv[1], RangeType.Auto, Dir.Auto);
}

// ZREVRANGE key start stop [WITHSCORES]
function zrevrange(c: Ctx): Reply {
  return zrangeGeneric(c, 1, null, RangeType.Rank, Dir.Reverse);
}

// ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]
function zrangebyscore(c: Ctx): Reply {
  return zrangeGeneric(c, 1, null, RangeType.Score, Dir.Forward);
}

// ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]
function zrevrangebyscore(c: Ctx): Reply {
  return zrangeGeneric(c, 1, null, RangeType.Score, Dir.Reverse);
}

// ZRANGEBYLEX key min max [LIMIT offset count]
function zrangebylex(c: Ctx): Reply {
  return zrangeGeneric(c, 1, null, RangeType.Lex, Dir.Forward);
}

// ZREVRANGEBYLEX key max min [LIMIT offset count]
function zrevrangebylex(c: Ctx): Reply {
  return zrangeGeneric(c, 1, null, RangeType.Lex, Dir.Reverse);
}

/** Redis's zrangeGenericCommand: `<src> <min> <max> [BYSCORE | BYLEX] [REV] [WITHSCORES] [LIMIT offset count]`. */
function zrangeGeneric(c: Ctx, keyIdx: number, dst: string | null, type: RangeType, dir: Dir): Reply {
  const argv = c.argv;
  const a = c.args;
  const key = argv[keyIdx];
  let minIdx = keyIdx + 1;
  let maxIdx = keyIdx + 2;
  let withscores = false;
  let offset = 0;
  let limit = -1;
  a.i = keyIdx + 3;
  while (a.has()) {
    const opt = a.nextUpper();
    if (dst === null && opt === 'WITHSCORES') {
      withscores = true;
    } else if (opt === 'LIMIT' && a.remaining >= 2) {
      offset = a.nextIndex();
      limit = a.nextIndex();
    } else if (dir === Dir.Auto && opt === 'REV') {
      dir = Dir.Reverse;
    } else if (type === RangeType.Auto && opt === 'BYLEX') {
      type = RangeType.Lex;
    } else if (type === RangeType.Auto && opt === 'BYSCORE') {
      type = RangeType.Score;
    } else {
      throw new CommandError(E.SYNTAX);
    }
  }
  if (dir === Dir.Auto) dir = Dir.Forward;
  if (type === RangeType.Auto) type = RangeType.Rank;
  // LIMIT 0 -1 is no limit at all, so Redis lets it pass with a rank range.
  if (limit !== -1 && type === RangeType.Rank) {
    throw new CommandError('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
  }
  if (withscores && type === RangeType.Lex) {
    throw new CommandError('ERR syntax error, WITHSCORES not supported in combination with BYLEX');
  }
  const reverse = dir === Dir.Reverse;
  if (reverse && type !== RangeType.Rank) [minIdx, maxIdx] = [maxIdx, minIdx];

  let start = 0;
  let end = 0;
  let range: ScoreRange | undefined;
  let lex: LexRange | undefined;
  if (type === RangeType.Rank) {
    a.i = minIdx;
    start = a.nextIndex();
    a.i = maxIdx;
    end = a.nextIndex();
  } else if (type === RangeType.Score) {
    range = parseScoreRange(argv[minIdx], argv[maxIdx]);
  } else {
    lex = parseLexRange(argv[minIdx], argv[maxIdx]);
  }

  const z = readZ(c, key);
  let nodes: ZNode[];
  if (z === undefined) nodes = [];
  else if (type === RangeType.Rank) nodes = rangeByRank(z, start, end, reverse);
  else if (range !== undefined) nodes = rangeByScore(z, range, offset, limit, reverse);
  else nodes = rangeByLex(z, lex!, offset, limit, reverse);

  if (dst === null) return pairsReply(c, nodes, withscores);
  // ZRANGESTORE fills its destination as Redis does, member by member from a listpack (a skiplist from the
  // start when a rank range is known to be too long), converting on the way.
  const lim = zsetLimits(c);
  const out = new ZSetValue(type === RangeType.Rank && nodes.length > lim.entries ? 'skiplist' : 'listpack');
  for (const n of nodes) zsetAdd(out, n.score, n.ele, ZIn.None, lim);
  return storeResult(c, dst, out, 'zrangestore');
}

/** Redis's genericZrangebyrankCommand's selection. */
function rangeByRank(z: ZSetValue, start: number, end: number, reverse: boolean): ZNode[] {
  const llen = z.size;
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  if (start > end || start >= llen) return [];
  if (end >= llen) end = llen - 1;
  let len = end - start + 1;
  const zsl = z.zsl;
  const out: ZNode[] = [];
  let n = reverse ? (start > 0 ? zsl.byRank(llen - start) : zsl.tail) : start > 0 ? zsl.byRank(start + 1) : zsl.first;
  while (len-- > 0 && n !== null) {
    out.push(n);
    n = reverse ? n.backward : n.next[0];
  }
  return out;
}

/**
 * The nodes from `n` (of rank `rank`) on, skipping `offset`, up to `limit` (negative: no limit) while `inRange`
 * holds. A negative offset selects nothing (Redis walks it off the end of the list). The skip is a rank lookup,
 * O(log n), where Redis steps one node at a time.
 */
function walk(
  z: ZSetValue,
  n: ZNode | null,
  rank: number,
  offset: number,
  limit: number,
  reverse: boolean,
  inRange: (n: ZNode) => boolean,
): ZNode[] {
  const out: ZNode[] = [];
  if (n === null || offset < 0) return out;
  if (offset > 0) n = z.zsl.byRank(reverse ? rank - offset : rank + offset);
  let left = limit < 0 ? Infinity : limit;
  while (n !== null && left-- > 0) {
    if (!inRange(n)) break;
    out.push(n);
    n = reverse ? n.backward : n.next[0];
  }
  return out;
}

function rangeByScore(z: ZSetValue, r: ScoreRange, offset: number, limit: number, reverse: boolean): ZNode[] {
  if (offset > 0 && offset >= z.size) return [];
  const zsl = z.zsl;
  const n = reverse ? zsl.lastInScore(r) : zsl.firstInScore(r);
  return walk(z, n, zsl.lastRank, offset, limit, reverse, reverse ? (x) => scoreGteMin(x.score, r) : (x) => scoreLteMax(x.score, r));
}

function rangeByLex(z: ZSetValue, r: LexRange, offset: number, limit: number, reverse: boolean): ZNode[] {
  const zsl = z.zsl;
  const n = reverse ? zsl.lastInLex(r) : zsl.firstInLex(r);
  return walk(z, n, zsl.lastRank, offset, limit, reverse, reverse ? (x) => lexGteMin(x.ele, r) : (x) => lexLteMax(x.ele, r));
}

// ---- ZCARD / ZSCORE / ZMSCORE / ZRANK / ZCOUNT / ZLEXCOUNT ------------------------------------------------------

// ZCARD key
function zcard(c: Ctx): Reply {
  return readZ(c, c.args.next())?.size ?? 0;
}

// ZSCORE key member
function zscore(c: Ctx): Reply {
  const z = readZ(c, c.args.next());
  if (z === undefined) return null;
  const s = z.score(c.args.next());
  return s === undefined ? null : double(s);
}

// ZMSCORE key member [member ...]
function zmscore(c: Ctx): Reply {
  const z = readZ(c, c.args.next());
  const out: Reply[] = [];
  while (c.args.has()) {
    const member = c.args.next();
    const s = z === undefined ? undefined : z.score(member);
    out.push(s === undefined ? null : double(s));
  }
  return out;
}

// ZRANK key member
function zrank(c: Ctx): Reply {
  return zrankGeneric(c, false);
}

// ZREVRANK key member
function zrevrank(c: Ctx): Reply {
  return zrankGeneric(c, true);
}

function zrankGeneric(c: Ctx, reverse: boolean): Reply {
  const z = readZ(c, c.args.next());
  if (z === undefined) return null;
  const n = z.dict.get(c.args.next());
  if (n === undefined) return null;
  const r = z.zsl.getRank(n.score, n.ele);
  return reverse ? z.size - r : r - 1;
}

// ZCOUNT key min max
function zcount(c: Ctx): Reply {
  const key = c.args.next();
  const r = parseScoreRange(c.args.next(), c.args.next());
  const z = readZ(c, key);
  if (z === undefined) return 0;
  if (z.zsl.firstInScore(r) === null) return 0;
  const lo = z.zsl.lastRank;
  z.zsl.lastInScore(r);
  return z.zsl.lastRank - lo + 1;
}

// ZLEXCOUNT key min max
function zlexcount(c: Ctx): Reply {
  const key = c.args.next();
  const r = parseLexRange(c.args.next(), c.args.next());
  const z = readZ(c, key);
  if (z === undefined) return 0;
  if (z.zsl.firstInLex(r) === null) return 0;
  const lo = z.zsl.lastRank;
  z.zsl.lastInLex(r);
  return z.zsl.lastRank - lo + 1;
}

// ---- ZPOPMIN / ZPOPMAX / ZMPOP ---------------------------------------------------------------------------------

/**
 * Pop up to `count` (≥ 1) members from the low (`max` false) or high end of the sorted set at `key`, which
 * exists and is not empty: fires zpopmin/zpopmax, and del when it empties the key (Redis's genericZpopCommand).
 * BZPOPMIN/BZPOPMAX/BZMPOP are to serve a woken client through this too.
 */
export function zpopFrom(c: Ctx, key: string, z: ZSetValue, max: boolean, count: number): ZNode[] {
  const n = Math.min(count, z.size);
  const out: ZNode[] = [];
  for (let i = 0; i < n; i++) {
    const node = max ? z.zsl.tail! : z.zsl.first!;
    z.removeNode(node);
    out.push(node);
  }
  c.modified(key, c.db, n);
  c.notify(NotifyClass.ZSet, max ? 'zpopmax' : 'zpopmin', key);
  if (z.size === 0) {
    c.db.remove(key);
    c.notify(NotifyClass.Generic, 'del', key);
  }
  return out;
}

/**
 * The reply shapes of the pops: `nested` gives [member, score] pairs (ZPOP with COUNT in RESP3, ZMPOP),
 * else a flat [member, score …]; `key` (ZMPOP, BZMPOP) wraps it as [key, pairs], `flatKey` (BZPOPMIN/MAX)
 * puts the key first in the flat array.
 */
export function zpopReply(popped: readonly ZNode[], nested: boolean, key?: string, flatKey = false): Reply {
  const items: Reply[] = [];
  for (const n of popped) {
    if (nested) items.push([n.ele, double(n.score)]);
    else items.push(n.ele, double(n.score));
  }
  if (key === undefined) return items;
  return flatKey ? [key, ...items] : [key, items];
}

// ZPOPMIN key [count]
function zpopmin(c: Ctx): Reply {
  return zpopMinMax(c, false);
}

// ZPOPMAX key [count]
function zpopmax(c: Ctx): Reply {
  return zpopMinMax(c, true);
}

function zpopMinMax(c: Ctx, max: boolean): Reply {
  if (c.argv.length > 3) throw new CommandError(E.SYNTAX);
  const key = c.args.next();
  let count = -1;
  if (c.args.has()) count = clampIndex(rangeLong(c.args.next(), 0, LONG_MAX, E.NOT_POSITIVE));
  const nested = c.session.resp === 3 && count !== -1;
  const z = writeZ(c, key);
  if (z === undefined || count === 0) return [];
  return zpopReply(zpopFrom(c, key, z, max, count === -1 ? 1 : count), nested);
}

// ZMPOP numkeys key [key ...] <MIN | MAX> [COUNT count]
function zmpop(c: Ctx): Reply {
  const a = c.args;
  const numkeys = clampIndex(rangeLong(a.next(), 1, LONG_MAX, 'ERR numkeys should be greater than 0'));
  const whereIdx = 1 + numkeys + 1;
  if (whereIdx >= c.argv.length) throw new CommandError(E.SYNTAX);
  const where = c.argv[whereIdx].toUpperCase();
  if (where !== 'MIN' && where !== 'MAX') throw new CommandError(E.SYNTAX);
  let count = -1;
  a.i = whereIdx + 1;
  while (a.has()) {
    const opt = a.nextUpper();
    if (count === -1 && opt === 'COUNT' && a.has()) {
      count = clampIndex(rangeLong(a.next(), 1, LONG_MAX, 'ERR count should be greater than 0'));
    } else {
      throw new CommandError(E.SYNTAX);
    }
  }
  if (count === -1) count = 1;
  for (let i = 2; i < whereIdx; i++) {
    const key = c.argv[i];
    const z = writeZ(c, key);
    if (z === undefined) continue;
    return zpopReply(zpopFrom(c, key, z, where === 'MAX', count), true, key);
  }
  return NULL_ARRAY;
}

// ---- ZRANDMEMBER -----------------------------------------------------------------------------------------------

/**
 * The most elements one ZRANDMEMBER may return. Redis has no limit of its own (a huge negative count fills
 * the client's output buffer until memory runs out); here a reply must fit one JS array.
 */
const RANDMEMBER_MAX = 1 << 24;

// ZRANDMEMBER key [count [WITHSCORES]]
function zrandmember(c: Ctx): Reply {
  const a = c.args;
  const key = a.next();
  if (!a.has()) {
    const z = readZ(c, key);
    if (z === undefined) return null;
    return z.dict.random(c.engine.random)!.ele;
  }
  const l = rangeLong(a.next(), -LONG_MAX, LONG_MAX);
  let withscores = false;
  if (a.has()) {
    if (a.remaining > 1 || a.nextUpper() !== 'WITHSCORES') throw new CommandError(E.SYNTAX);
    withscores = true;
    // The reply has two entries per element in RESP2: Redis refuses counts whose double would overflow.
    if (l < -(LONG_MAX / 2n) || l > LONG_MAX / 2n) throw new CommandError('ERR value is out of range');
  }
  return zrandmemberWithCount(c, key, clampIndex(l), withscores);
}

function zrandmemberWithCount(c: Ctx, key: string, l: number, withscores: boolean): Reply {
  const z = readZ(c, key);
  if (z === undefined) return [];
  const rnd = c.engine.random;
  const size = z.size;
  const uniq = l >= 0;
  const count = Math.abs(l);
  if (count === 0) return [];
  const resp3 = c.session.resp === 3;
  const out: Reply[] = [];

  // Repeats allowed (negative count): independent picks, in pick order.
  if (!uniq || count === 1) {
    if (count > RANDMEMBER_MAX) throw new CommandError('ERR value is out of range');
    for (let i = 0; i < count; i++) {
      const n = z.dict.random(rnd)!;
      emit(out, n.ele, n.score, withscores, resp3);
    }
    return out;
  }
  // Asking for at least the whole set: the whole set, from the highest member down (Redis's zuiNext order).
  if (count >= size) {
    for (let n = z.zsl.tail; n !== null; n = n.backward) emit(out, n.ele, n.score, withscores, resp3);
    return out;
  }
  let picked: ZNode[];
  if (count * 3 > size) {
    // Most of the set: drop random members until `count` remain.
    picked = [...z.dict.values()];
    for (let left = size; left > count; left--) {
      const i = Math.floor(rnd() * left);
      picked[i] = picked[left - 1];
    }
    picked.length = count;
  } else if (z.encoding === 'listpack') {
    // A listpack is sampled in one ordered pass (selection sampling), so the picks come out in set order.
    picked = [];
    let need = count;
    let left = size;
    for (let n = z.zsl.first; n !== null && need > 0; n = n.next[0], left--) {
      if (rnd() * left < need) {
        picked.push(n);
        need--;
      }
    }
  } else {
    const seen = new Set<ZNode>();
    while (seen.size < count) seen.add(z.dict.random(rnd)!);
    picked = [...seen];
  }
  for (const n of picked) emit(out, n.ele, n.score, withscores, resp3);
  return out;
}

// ---- ZSCAN -------------------------------------------------------------------------------------------------------

/**
 * A score as a listpack holds it, which is what ZSCAN of a listpack prints: an integer when the double is
 * one within ±2^62 (Redis's double2ll), else %.17g.
 */
function listpackScore(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) <= 2 ** 62) {
    return Math.abs(v) <= Number.MAX_SAFE_INTEGER ? String(v + 0) : BigInt(v).toString();
  }
  return formatDouble17(v);
}

// ZSCAN key cursor [MATCH pattern] [COUNT count]
function zscan(c: Ctx): Reply {
  const key = c.args.next();
  const cursor = parseScanCursor(c.args.next());
  const z = readZ(c, key);
  if (z === undefined) return ['0', []];
  const opts = parseScanOptions(c.args);
  if (z.encoding === 'listpack') {
    const flat: string[] = [];
    for (let n = z.zsl.first; n !== null; n = n.next[0]) flat.push(n.ele, listpackScore(n.score));
    return scanAll(flat, opts, true);
  }
  return scanDict(z.dict, cursor, opts, (n, out) => out.push(n.ele, formatDouble17(n.score)));
}

// ---- the table ----------------------------------------------------------------------------------------------

export const commands: CommandSpec[] = [
  {
    name: 'zadd', arity: -4, flags: ['write', 'denyoom', 'fast'], acl: ['sortedset'], keys: [1, 1, 1],
    group: 'sorted-set', summary: 'Add one or more members to a sorted set, or update its score if it already exists', since: '1.2.0',
    syntax: 'ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]',
    complexity: 'O(log(N)) for each item added, where N is the number of elements in the sorted set.', handler: zadd,
  },
  {
    name: 'zcard', arity: 2, flags: ['readonly', 'fast'], acl: ['sortedset'], keys: [1, 1, 1],
    group: 'sorted-set', summary: 'Get the number of members in a sorted set', since: '1.2.0',
    syntax: 'ZCARD key',
    complexity: 'O(1)', handler: zcard,
  },
  {
    name: 'zcount', arity: 4, flags: ['readonly', 'fast'], acl: ['sortedset'], keys: [1, 1, 1],
    group: 'sorted-set', summary: 'Count the members in a sorted set with scores within the given values', since: '2.0.0',
    syntax: 'ZCOUNT key min max',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.', handler: zcount,
  },
  {
    name: 'zdiff', arity: -3, flags: ['readonly', 'movablekeys'], acl: ['sortedset'], keys: [0, 0, 0],
    group: 'sorted-set', summary: 'Subtract multiple sorted sets', since: '6.2.0',
    syntax: 'ZDIFF numkeys key [key ...] [WITHSCORES]',
    complexity: 'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.', handler: zdiff,
  },
  {
    name: 'zdiffstore', arity: -4, flags: ['write', 'denyoom', 'movablekeys'], acl: ['sortedset'], keys: [1, 1, 1],
    group: 'sorted-set', summary: 'Subtract multiple sorted sets and store the resulting sorted set in a new key', since: '6.2.0',
    syntax: 'ZDIFFSTORE destination numkeys key [key ...]',
    complexity: 'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.', handler: zdiffstore,
  },
  {
    name: 'zincrby', arity: 4, flags: ['write', 'denyoom', 'fast'], acl: ['sortedset'], keys: [1, 1, 1],
    group: 'sorted-set', summary: 'Increment the score of a member in a sorted set', since: '1.2.0',
    syntax: 'ZINCRBY key increment member',
    complexity: 'O(log(N)) where N is the number of elements in the sorted set.', handler: zincrby,
  },
  {
    name: 'zinter', arity: -3, flags: ['readonly', 'movablekeys'], acl: ['sortedset'], keys: [0, 0, 0],
    group: 'sorted-set', summary: 'Intersect multiple sorted sets', since: '6.2.0',
    syntax: 'ZINTER numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>] [WITHSCORES]',
    complexity: 'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.', handler: zinter,
  },
  {
    name: 'zintercard', arity: -3, flags: ['readonly', 'movablekeys'], acl: ['sortedset'], keys: [0, 0, 0],
    group: 'sorted-set', summary: 'Intersect multiple sorted sets and return the cardinality of the result', since: '7.0.0',
    syntax: 'ZINTERCARD numkeys key [key ...] [LIMIT limit]',
    complexity: 'O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.', handler: zintercard,
  },
  {
    name: 'zinterstore', arity: -4, flags: ['write', 'denyoom', 'movablekeys'], acl: ['sortedset'], keys: [1, 1, 1],
    group: 'sorted-set', summary: 'Intersect multiple sorted sets and store the resulting sorted set in a new key', since: '2.0.0',
    syntax: 'ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>]',
    complexity: 'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.', handler: zinterstore,
  },
  {
    name: 'zlexcount', arity: 4, flags: ['readonly', 'fast'], acl: ['sortedset'], keys: [1, 1, 1],
    group: 'sorted-set', summary: 'Count the number of members in a sorted set between a given lexicographical range', since: '2.8.9',
    syntax: 'ZLEXCOUNT key min max',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.', handler: zlexcount,
  },
  {
    name: 'zmpop', arity: -4, flags: ['write', 'movablekeys'], acl: ['sortedset'], keys: [0, 0, 0],
    group: 'sorted-set', summary: 'Remove and return members with scores in a sorted set', since: '7.0.0',
    syntax: 'ZMPOP numkeys key [key ...] <MIN | MAX> [COUNT count]',
    complexity: 'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.', handler: zmpop,
  },
  {
    name: 'zmscore', arity: -3, flags: ['readonly', 'fast'], acl: ['sortedset'], keys: [1, 1, 1],
    group: 'sorted-set', summary: 'Get the score associated with the given members in a sorted set', since: '6.2.0',
    syntax: 'ZMSCORE key member [member ...]',
    complexity: 'O(N) where N is the number of members being requested.', handler: zmscore,
  },
  {
    name: 'zpopmax', arity: -2, flags: ['write', 'fast'], acl: ['sortedset'], keys: [1, 1, 1],
    group: 'sorted-set', summary: 'Remove and return members with the highest scores in a sorted set', since: '5.0.0',
    syntax: 'ZPOPMAX key [count]',
    complexity: 'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.', handler: zpopmax,
  },
  {
    name: 'zpopmin', arity: -2, flags: ['write', 'fast'], acl: ['sortedset'], keys: [1, 1, 1],
    group: 'sorted-set', summary: 'Remove and return members with the lowest scores in a sorted set', since: '5.0.0',
    syntax: 'ZPOPMIN key [count]',
    complexity: 'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.', handler: zpopmin,
  },
  {
    name: 'zrandmember', arity: -2, flags: ['readonly'], acl: ['sortedset'], keys: [1, 1, 1], tips: ['nondeterministic_output'],
    group: 'sorted-set', summary: 'Get one or multiple random elements from a sorted set', since: '6.2.0',
    syntax: 'ZRANDMEMBER key [count [WITHSCORES]]',
    complexity: 'O(N) where N is the number of elements returned', handler: zrandmember,
  },
  {
    name: 'zrange', arity: -4, flags: ['readonly'], acl: ['sortedset'], keys: [1, 1, 1],
    group: 'sorted-set', summary: 'Return a range of members in a sorted set', since: '1.2.0',
    syntax: 'ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.', handler: zrange,
  },
  {
    name: 'zrangebylex', arity: -4, flags: ['readonly'], acl: ['sortedset'], keys: [1, 1, 1],
    group: 'sorted-set', summary: 'Return a range of members in a sorted set, by lexicographical range', since: '2.8.9',
    syntax: 'ZRANGEBYLEX key min max [LIMIT offset count]',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).', handler: zrangebylex,
  },
  {
    name: 'zrangebyscore', arity: -4, flags: ['readonly'], acl: ['sortedset'], keys: [1, 1, 1],
    group: 'sorted-set', summary: 'Return a range of members in a sorted set, by score', since: '1.0.5',
    syntax: 'ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).', handler: zrangebyscore,
  },
  {
    name: 'zrangestore', arity: -5, flags: ['write', 'denyoom'], acl: ['sortedset'], keys: [1, 2, 1],
    group: 'sorted-set', summary: 'Store a range of members from sorted set into another key', since: '6.2.0',
    syntax: 'ZRANGESTORE dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count]',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.', handler: zrangestore,
  },
  {
    name: 'zrank', arity: 3, flags: ['readonly', 'fast'], acl: ['sortedset'], keys: [1, 1, 1],
    group: 'sorted-set', summary: 'Determine the index of a member in a sorted set', since: '2.0.0',
    syntax: 'ZRANK key member',
    complexity: 'O(log(N))', handler: zrank,
  },
  {
    name: 'zrem', arity: -3, flags: ['write', 'fast'], acl: ['sortedset'], keys: [1, 1, 1],
    group: 'sorted-set', summary: 'Remove one or more members from a sorted set', since: '1.2.0',
    syntax: 'ZREM key member [member ...]',
    complexity: 'O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.', handler: zrem,
  },
  {
    name: 'zremrangebylex', arity: 4, flags: ['write'], acl: ['sortedset'], keys: [1, 1, 1],
    group: 'sorted-set', summary: 'Remove all members in a sorted set between the given lexicographical range', since: '2.8.9',
    syntax: 'ZREMRANGEBYLEX key min max',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.', handler: zremrangebylex,
  },
  {
    name: 'zremrangebyrank', arity: 4, flags: ['write'], acl: ['sortedset'], keys: [1, 1, 1],
    group: 'sorted-set', summary: 'Remove all members in a sorted set within the given indexes', since: '2.0.0',
    syntax: 'ZREMRANGEBYRANK key start stop',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.', handler: zremrangebyrank,
  },
  {
    name: 'zremrangebyscore', arity: 4, flags: ['write'], acl: ['sortedset'], keys: [1, 1, 1],
    group: 'sorted-set', summary: 'Remove all members in a sorted set within the given scores', since: '1.2.0',
    syntax: 'ZREMRANGEBYSCORE key min max',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.', handler: zremrangebyscore,
  },
  {
    name: 'zrevrange', arity: -4, flags: ['readonly'], acl: ['sortedset'], keys: [1, 1, 1],
    group: 'sorted-set', summary: 'Return a range of members in a sorted set, by index, with scores ordered from high to low', since: '1.2.0',
    syntax: 'ZREVRANGE key start stop [WITHSCORES]',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.', handler: zrevrange,
  },
  {
    name: 'zrevrangebylex', arity: -4, flags: ['readonly'], acl: ['sortedset'], keys: [1, 1, 1],
    group: 'sorted-set', summary: 'Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.', since: '2.8.9',
    syntax: 'ZREVRANGEBYLEX key max min [LIMIT offset count]',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).', handler: zrevrangebylex,
  },
  {
    name: 'zrevrangebyscore', arity: -4, flags: ['readonly'], acl: ['sortedset'], keys: [1, 1, 1],
    group: 'sorted-set', summary: 'Return a range of members in a sorted set, by score, with scores ordered from high to low', since: '2.2.0',
    syntax: 'ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).', handler: zrevrangebyscore,
  },
  {
    name: 'zrevrank', arity: 3, flags: ['readonly', 'fast'], acl: ['sortedset'], keys: [1, 1, 1],
    group: 'sorted-set', summary: 'Determine the index of a member in a sorted set, with scores ordered from high to low', since: '2.0.0',
    syntax: 'ZREVRANK key member',
    complexity: 'O(log(N))', handler: zrevrank,
  },
  {
    name: 'zscan', arity: -3, flags: ['readonly'], acl: ['sortedset'], keys: [1, 1, 1], tips: ['nondeterministic_output'],
    group: 'sorted-set', summary: 'Incrementally iterate sorted sets elements and associated scores', since: '2.8.0',
    syntax: 'ZSCAN key cursor [MATCH pattern] [COUNT count]',
    complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..', handler: zscan,
  },
  {
    name: 'zscore', arity: 3, flags: ['readonly', 'fast'], acl: ['sortedset'], keys: [1, 1, 1],
    group: 'sorted-set', summary: 'Get the score associated with the given member in a sorted set', since: '1.2.0',
    syntax: 'ZSCORE key member',
    complexity: 'O(1)', handler: zscore,
  },
  {
    name: 'zunion', arity: -3, flags: ['readonly', 'movablekeys'], acl: ['sortedset'], keys: [0, 0, 0],
    group: 'sorted-set', summary: 'Add multiple sorted sets', since: '6.2.0',
    syntax: 'ZUNION numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>] [WITHSCORES]',
    complexity: 'O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.', handler: zunion,
  },
  {
    name: 'zunionstore', arity: -4, flags: ['write', 'denyoom', 'movablekeys'], acl: ['sortedset'], keys: [1, 1, 1],
    group: 'sorted-set', summary: 'Add multiple sorted sets and store the resulting sorted set in a new key', since: '2.0.0',
    syntax: 'ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>]',
    complexity: 'O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.', handler: zunionstore,
  },
];
