/**
 * Sorted sets (Redis's t_zset.c).
 *
 * A sorted set is a ZSetValue: a ZTree (an order-statistic B+tree, ds/ztree.ts) ordered by (score, member
 * bytes) for ranks and ranges in O(log n), beside an OrderedDict member → slot for O(1) score lookups,
 * insertion-sequence ZSCAN cursors and O(1) random picks. `encoding` is what Redis 7.0 would report, kept as
 * state:
 * - "listpack" while the set has at most zset-max-listpack-entries members and none longer than
 *   zset-max-listpack-value bytes, "skiplist" from the first insertion that breaks either rule, for good
 *   (Redis converts back only when it builds a new destination: ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE);
 * - where the listpack shape shows through, this follows it: a listpack stores an integral score as an
 *   integer, so -0 becomes 0 there (a skiplist keeps -0); ZSCAN returns a listpack whole with cursor 0 and
 *   prints its scores as the listpack holds them; ZRANDMEMBER's unique picks come out in set order; lex
 *   ranges over unequal scores are scanned from the ends as Redis scans a listpack.
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
import { parseScanCursor, parseScanOptions, scanAll, scanDict, type ScanSlot } from '../ds/scan.js';
import {
  firstInLex,
  firstInScore,
  lastInLex,
  lastInScore,
  lexGteMin,
  lexLteMax,
  lexRangeEmpty,
  scoreGteMin,
  scoreLteMax,
  ZTree,
  type LexBound,
  type LexRange,
  type ScoreRange,
} from '../ds/ztree.js';
import { CommandError, E } from '../errors.js';
import { ObjType, OrderedDict, registerCodec, type CollectionValue, type Entry } from '../keyspace.js';
import { collectionUsage } from '../memory.js';
import { NotifyClass } from '../notify.js';
import { formatDouble17, parseDouble, parseI64, toIndex, type Int64 } from '../numbers.js';
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

/** A (member, score) pair: an element of a set or of a computed result. */
export interface ZPair {
  readonly ele: string;
  readonly score: number;
}

/** A member's slot in the dict: its score, and its insertion sequence for ZSCAN cursors and random picks. */
export class ZSlot implements ScanSlot {
  seq = 0;
  dead = false;
  constructor(
    readonly key: string,
    public score: number,
  ) {}
}

/** A listpack stores an integral score as an integer, so -0 reads back as 0 there. */
const lpScore = (v: number): number => (v === 0 ? 0 : v);

export class ZSetValue implements CollectionValue {
  readonly dict = new OrderedDict<ZSlot>();
  readonly tree: ZTree;

  constructor(
    public encoding: ZEncoding = 'listpack',
    tree?: ZTree,
  ) {
    this.tree = tree ?? new ZTree();
  }

  /** A set from pairs already in order (ascending score, then member), scores as given. */
  static fromSorted(encoding: ZEncoding, eles: readonly string[], scores: readonly number[]): ZSetValue {
    const z = new ZSetValue(encoding, ZTree.fromSorted(scores, eles));
    for (let i = 0; i < eles.length; i++) z.dict.add(eles[i], new ZSlot(eles[i], scores[i]));
    return z;
  }

  get size(): number {
    return this.tree.length;
  }

  score(ele: string): number | undefined {
    return this.dict.get(ele)?.score;
  }

  /** 0-based rank of a member, or -1. */
  rank(ele: string): number {
    const slot = this.dict.get(ele);
    return slot === undefined ? -1 : this.tree.rank(slot.score, ele);
  }

  /** Insert a member that is not present. */
  insert(ele: string, score: number): void {
    if (this.encoding === 'listpack') score = lpScore(score);
    this.tree.insert(score, ele);
    this.dict.add(ele, new ZSlot(ele, score));
  }

  /** Change a present member's score. */
  setScore(slot: ZSlot, score: number): void {
    if (this.encoding === 'listpack') score = lpScore(score);
    this.tree.update(slot.score, slot.key, score);
    slot.score = score;
  }

  delete(ele: string): boolean {
    const slot = this.dict.get(ele);
    if (slot === undefined) return false;
    this.tree.delete(slot.score, ele);
    this.dict.delete(ele);
    return true;
  }

  /** Remove `count` members from 0-based rank `from` on; returns how many went. */
  removeRange(from: number, count: number): number {
    return this.tree.deleteRange(from, count, (ele) => void this.dict.delete(ele));
  }

  /** Remove `count` members from 0-based rank `from` on; returns them in order. */
  takeRange(from: number, count: number): ZPair[] {
    const out: ZPair[] = [];
    this.tree.deleteRange(from, count, (ele, score) => {
      this.dict.delete(ele);
      out.push({ ele, score });
    });
    return out;
  }

  /** Up to `count` members from 0-based rank `from` (which must exist), forwards or backwards. */
  slice(from: number, count: number, reverse: boolean): ZPair[] {
    const out: ZPair[] = [];
    if (count <= 0) return out;
    this.tree.walk(from, reverse, (ele, score) => {
      out.push({ ele, score });
      return out.length < count;
    });
    return out;
  }

  /** Every member in order (ascending), or from the highest down. */
  forEach(f: (ele: string, score: number) => boolean | void, descending = false): void {
    if (this.size > 0) this.tree.walk(descending ? this.size - 1 : 0, descending, f);
  }

  /**
   * Redis's zsetConvertToListpackIfNeeded, for a freshly built destination: small enough → listpack, whose
   * integer scores turn -0 into 0.
   */
  convertToListpackIfNeeded(lim: ZLimits, maxelelen: number): void {
    if (this.encoding === 'listpack' || this.size > lim.entries || maxelelen > lim.value) return;
    this.encoding = 'listpack';
    const negZero: string[] = [];
    for (const slot of this.dict.values()) if (Object.is(slot.score, -0)) negZero.push(slot.key);
    for (const m of negZero) this.setScore(this.dict.get(m)!, 0);
  }

  /**
   * MEMORY USAGE in O(samples): memory.ts's estimate of Redis's objectComputeSize, which for a skiplist looks
   * at the first `samples` members only (as Redis does) and scales to the whole; a listpack is measured whole.
   */
  memoryUsage(samples: number): number {
    const whole = this.encoding === 'listpack' || samples >= this.size;
    const data = whole ? this.serialize() : [1, ...this.slice(0, samples, false).flatMap((p) => [p.ele, p.score])];
    const view: CollectionValue = { encoding: this.encoding, size: this.size, clone: () => view, serialize: () => data };
    return collectionUsage(ObjType.ZSet, view, samples, { listFill: -2 });
  }

  /** Members and scores, in order. */
  pairs(): ZPair[] {
    const out: ZPair[] = [];
    this.forEach((ele, score) => void out.push({ ele, score }));
    return out;
  }

  clone(): ZSetValue {
    const eles: string[] = [];
    const scores: number[] = [];
    this.forEach((e, s) => void (eles.push(e), scores.push(s)));
    return ZSetValue.fromSorted(this.encoding, eles, scores);
  }

  /** `[encoding (0 listpack, 1 skiplist), member, score, member, score …]`, in order; scores may be ±inf or -0. */
  serialize(): unknown {
    const out: (string | number)[] = [this.encoding === 'listpack' ? 0 : 1];
    this.forEach((e, s) => void out.push(e, s));
    return out;
  }

  static revive(data: unknown): ZSetValue {
    const a = data as (string | number)[];
    const eles: string[] = [];
    const scores: number[] = [];
    for (let i = 1; i + 1 < a.length; i += 2) {
      eles.push(a[i] as string);
      scores.push(a[i + 1] as number);
    }
    return ZSetValue.fromSorted(a[0] === 0 ? 'listpack' : 'skiplist', eles, scores);
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
  const slot = z.dict.get(ele);
  if (slot !== undefined) {
    if (flags & ZIn.NX) return ZOut.Nop;
    const cur = slot.score;
    if (flags & ZIn.Incr) {
      score += cur;
      if (Number.isNaN(score)) return ZOut.NaN;
    }
    if ((flags & ZIn.LT && score >= cur) || (flags & ZIn.GT && score <= cur)) return ZOut.Nop;
    addedScore = score;
    if (score !== cur) {
      z.setScore(slot, score);
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

/**
 * First member (0-based rank) of a lex range, or -1. Lex ranges assume every score is equal; when they are not,
 * what Redis answers depends on the encoding, and a listpack is scanned from its start exactly as Redis's
 * zzlFirstInLexRange does. A skiplist is searched.
 */
function lexFirst(z: ZSetValue, r: LexRange): number {
  if (z.encoding !== 'listpack') return firstInLex(z.tree, r);
  if (z.size === 0 || lexRangeEmpty(r)) return -1;
  if (!lexGteMin(z.tree.eleAt(z.size - 1), r) || !lexLteMax(z.tree.eleAt(0), r)) return -1;
  let i = 0;
  let found = -1;
  z.forEach((e) => {
    if (lexGteMin(e, r)) {
      if (lexLteMax(e, r)) found = i;
      return false;
    }
    i++;
  });
  return found;
}

/** Last member of a lex range, or -1 (a listpack scanned from its end, as zzlLastInLexRange). */
function lexLast(z: ZSetValue, r: LexRange): number {
  if (z.encoding !== 'listpack') return lastInLex(z.tree, r);
  if (z.size === 0 || lexRangeEmpty(r)) return -1;
  if (!lexGteMin(z.tree.eleAt(z.size - 1), r) || !lexLteMax(z.tree.eleAt(0), r)) return -1;
  let i = z.size - 1;
  let found = -1;
  z.forEach((e) => {
    if (lexLteMax(e, r)) {
      if (lexGteMin(e, r)) found = i;
      return false;
    }
    i--;
  }, true);
  return found;
}

/** How many members from rank `first` on stay within the range's max (ZREMRANGEBYLEX, ZLEXCOUNT of a listpack). */
function lexRun(z: ZSetValue, first: number, r: LexRange): number {
  let n = 0;
  z.tree.walk(first, false, (e) => {
    if (!lexLteMax(e, r)) return false;
    n++;
  });
  return n;
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
  let deleted = 0;
  if (type === RangeType.Rank) {
    const llen = z.size;
    if (start < 0) start = llen + start;
    if (end < 0) end = llen + end;
    if (start < 0) start = 0;
    if (start > end || start >= llen) return 0;
    if (end >= llen) end = llen - 1;
    deleted = z.removeRange(start, end - start + 1);
  } else if (range !== undefined) {
    const first = firstInScore(z.tree, range);
    if (first >= 0) deleted = z.removeRange(first, lastInScore(z.tree, range) - first + 1);
  } else {
    const r = lex!;
    const first = lexFirst(z, r);
    if (first >= 0) deleted = z.removeRange(first, lexRun(z, first, r));
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
    src.z.forEach(f, true);
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
      limit = toIndex(rangeLong(a.next(), 0, LONG_MAX, "ERR LIMIT can't be negative"));
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

  const z = ZSetValue.fromSorted(
    'skiplist',
    result.map((p) => p.ele),
    result.map((p) => p.score),
  );
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
  let items: ZPair[];
  if (z === undefined) items = [];
  else if (type === RangeType.Rank) items = rangeByRank(z, start, end, reverse);
  else if (range !== undefined) items = rangeByScore(z, range, offset, limit, reverse);
  else items = rangeByLex(z, lex!, offset, limit, reverse);

  if (dst === null) return pairsReply(c, items, withscores);
  // ZRANGESTORE fills its destination as Redis does, member by member from a listpack (a skiplist from the
  // start when a rank range is known to be too long), converting on the way.
  const lim = zsetLimits(c);
  const out = new ZSetValue(type === RangeType.Rank && items.length > lim.entries ? 'skiplist' : 'listpack');
  for (const p of items) zsetAdd(out, p.score, p.ele, ZIn.None, lim);
  return storeResult(c, dst, out, 'zrangestore');
}

/** Redis's genericZrangebyrankCommand's selection. */
function rangeByRank(z: ZSetValue, start: number, end: number, reverse: boolean): ZPair[] {
  const llen = z.size;
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  if (start > end || start >= llen) return [];
  if (end >= llen) end = llen - 1;
  return z.slice(reverse ? llen - 1 - start : start, end - start + 1, reverse);
}

/**
 * The members from rank `first` (-1: none) on, skipping `offset`, up to `limit` (negative: no limit), while
 * `inRange` holds. A negative offset selects nothing (Redis walks it off the end of the list). The skip is a
 * rank lookup, O(log n), where Redis steps one element at a time.
 */
function walkRange(
  z: ZSetValue,
  first: number,
  offset: number,
  limit: number,
  reverse: boolean,
  inRange: (ele: string, score: number) => boolean,
): ZPair[] {
  const out: ZPair[] = [];
  if (first < 0 || offset < 0 || limit === 0) return out;
  const from = reverse ? first - offset : first + offset;
  if (from < 0 || from >= z.size) return out;
  let left = limit < 0 ? Infinity : limit;
  z.tree.walk(from, reverse, (ele, score) => {
    if (!inRange(ele, score)) return false;
    out.push({ ele, score });
    return --left > 0;
  });
  return out;
}

function rangeByScore(z: ZSetValue, r: ScoreRange, offset: number, limit: number, reverse: boolean): ZPair[] {
  if (offset > 0 && offset >= z.size) return [];
  const first = reverse ? lastInScore(z.tree, r) : firstInScore(z.tree, r);
  const inRange = reverse ? (_e: string, s: number) => scoreGteMin(s, r) : (_e: string, s: number) => scoreLteMax(s, r);
  return walkRange(z, first, offset, limit, reverse, inRange);
}

function rangeByLex(z: ZSetValue, r: LexRange, offset: number, limit: number, reverse: boolean): ZPair[] {
  const first = reverse ? lexLast(z, r) : lexFirst(z, r);
  const inRange = reverse ? (e: string) => lexGteMin(e, r) : (e: string) => lexLteMax(e, r);
  return walkRange(z, first, offset, limit, reverse, inRange);
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
  const r = z.rank(c.args.next());
  if (r < 0) return null;
  return reverse ? z.size - 1 - r : r;
}

// ZCOUNT key min max
function zcount(c: Ctx): Reply {
  const key = c.args.next();
  const r = parseScoreRange(c.args.next(), c.args.next());
  const z = readZ(c, key);
  if (z === undefined) return 0;
  const first = firstInScore(z.tree, r);
  return first < 0 ? 0 : lastInScore(z.tree, r) - first + 1;
}

// ZLEXCOUNT key min max
function zlexcount(c: Ctx): Reply {
  const key = c.args.next();
  const r = parseLexRange(c.args.next(), c.args.next());
  const z = readZ(c, key);
  if (z === undefined) return 0;
  const first = lexFirst(z, r);
  if (first < 0) return 0;
  return z.encoding === 'listpack' ? lexRun(z, first, r) : lastInLex(z.tree, r) - first + 1;
}

// ---- ZPOPMIN / ZPOPMAX / ZMPOP ---------------------------------------------------------------------------------

/**
 * Pop up to `count` (≥ 1) members from the low (`max` false) or high end of the sorted set at `key`, which
 * exists and is not empty: fires zpopmin/zpopmax, and del when it empties the key (Redis's genericZpopCommand).
 * BZPOPMIN/BZPOPMAX/BZMPOP are to serve a woken client through this too.
 */
export function zpopFrom(c: Ctx, key: string, z: ZSetValue, max: boolean, count: number): ZPair[] {
  const n = Math.min(count, z.size);
  const out = max ? z.takeRange(z.size - n, n).reverse() : z.takeRange(0, n);
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
export function zpopReply(popped: readonly ZPair[], nested: boolean, key?: string, flatKey = false): Reply {
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
  if (c.args.has()) count = toIndex(rangeLong(c.args.next(), 0, LONG_MAX, E.NOT_POSITIVE));
  const nested = c.session.resp === 3 && count !== -1;
  const z = writeZ(c, key);
  if (z === undefined || count === 0) return [];
  return zpopReply(zpopFrom(c, key, z, max, count === -1 ? 1 : count), nested);
}

/** ZMPOP / BZMPOP arguments from the cursor on: `numkeys key [key ...] <MIN | MAX> [COUNT count]`. */
interface ZmpopArgs {
  keys: string[];
  max: boolean;
  count: number;
}

function parseZmpopArgs(c: Ctx): ZmpopArgs {
  const a = c.args;
  const numkeys = toIndex(rangeLong(a.next(), 1, LONG_MAX, 'ERR numkeys should be greater than 0'));
  const whereIdx = a.i + numkeys;
  if (whereIdx >= c.argv.length) throw new CommandError(E.SYNTAX);
  const keys = c.argv.slice(a.i, whereIdx);
  const where = c.argv[whereIdx].toUpperCase();
  if (where !== 'MIN' && where !== 'MAX') throw new CommandError(E.SYNTAX);
  let count = -1;
  a.i = whereIdx + 1;
  while (a.has()) {
    const opt = a.nextUpper();
    if (count === -1 && opt === 'COUNT' && a.has()) {
      count = toIndex(rangeLong(a.next(), 1, LONG_MAX, 'ERR count should be greater than 0'));
    } else {
      throw new CommandError(E.SYNTAX);
    }
  }
  return { keys, max: where === 'MAX', count: count === -1 ? 1 : count };
}

/** Pop from the first non-empty key: [key, [[member, score] …]], or undefined when every key is empty. */
function zmpopFrom(c: Ctx, m: ZmpopArgs, keys: readonly string[] = m.keys): Reply | undefined {
  for (const key of keys) {
    const z = writeZ(c, key);
    if (z === undefined) continue;
    return zpopReply(zpopFrom(c, key, z, m.max, m.count), true, key);
  }
  return undefined;
}

// ZMPOP numkeys key [key ...] <MIN | MAX> [COUNT count]
function zmpop(c: Ctx): Reply {
  return zmpopFrom(c, parseZmpopArgs(c)) ?? NULL_ARRAY;
}

// ---- blocking pops ------------------------------------------------------------------------------------------
// As the list family's: try at once, else block; the serve function repeats the same pop (see blocking.ts).

function bzpop(c: Ctx, max: boolean): Reply {
  const a = c.args;
  const keys = a.argv.slice(a.i, a.argv.length - 1);
  a.i = a.argv.length - 1;
  const timeout = a.nextTimeout();
  const pop = (c2: Ctx, ks: readonly string[]): Reply | undefined => {
    for (const key of ks) {
      const z = writeZ(c2, key);
      if (z !== undefined) return zpopReply(zpopFrom(c2, key, z, max, 1), false, key, true);
    }
    return undefined;
  };
  return pop(c, keys) ?? c.block(keys, timeout, (c2, key) => pop(c2, [key]));
}

// BZPOPMIN key [key ...] timeout
const bzpopmin = (c: Ctx) => bzpop(c, false);
// BZPOPMAX key [key ...] timeout
const bzpopmax = (c: Ctx) => bzpop(c, true);

// BZMPOP timeout numkeys key [key ...] <MIN | MAX> [COUNT count]
function bzmpop(c: Ctx): Reply {
  const timeout = c.args.nextTimeout();
  const m = parseZmpopArgs(c);
  return zmpopFrom(c, m) ?? c.block(m.keys, timeout, (c2, key) => zmpopFrom(c2, m, [key]));
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
    return z.dict.random(c.engine.random)!.key;
  }
  const l = rangeLong(a.next(), -LONG_MAX, LONG_MAX);
  let withscores = false;
  if (a.has()) {
    if (a.remaining > 1 || a.nextUpper() !== 'WITHSCORES') throw new CommandError(E.SYNTAX);
    withscores = true;
    // The reply has two entries per element in RESP2: Redis refuses counts whose double would overflow.
    if (l < -(LONG_MAX / 2n) || l > LONG_MAX / 2n) throw new CommandError('ERR value is out of range');
  }
  return zrandmemberWithCount(c, key, toIndex(l), withscores);
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
      const slot = z.dict.random(rnd)!;
      emit(out, slot.key, slot.score, withscores, resp3);
    }
    return out;
  }
  // Asking for at least the whole set: the whole set, from the highest member down (Redis's zuiNext order).
  if (count >= size) {
    z.forEach((e, s) => emit(out, e, s, withscores, resp3), true);
    return out;
  }
  if (count * 3 > size) {
    // Most of the set: drop random members until `count` remain.
    const picked = [...z.dict.values()];
    for (let left = size; left > count; left--) {
      const i = Math.floor(rnd() * left);
      picked[i] = picked[left - 1];
    }
    for (let i = 0; i < count; i++) emit(out, picked[i].key, picked[i].score, withscores, resp3);
  } else if (z.encoding === 'listpack') {
    // A listpack is sampled in one ordered pass (selection sampling), so the picks come out in set order.
    let need = count;
    let left = size;
    z.forEach((e, s) => {
      if (rnd() * left-- < need) {
        emit(out, e, s, withscores, resp3);
        if (--need === 0) return false;
      }
    });
  } else {
    const seen = new Set<ZSlot>();
    while (seen.size < count) {
      const slot = z.dict.random(rnd)!;
      if (seen.has(slot)) continue;
      seen.add(slot);
      emit(out, slot.key, slot.score, withscores, resp3);
    }
  }
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
    z.forEach((e, s) => void flat.push(e, listpackScore(s)));
    return scanAll(flat, opts, true);
  }
  return scanDict(z.dict, cursor, opts, (slot, out) => out.push(slot.key, formatDouble17(slot.score)));
}

// ---- the table ----------------------------------------------------------------------------------------------

const Z: Pick<CommandSpec, 'acl' | 'group'> = { acl: ['sortedset'], group: 'sorted-set' };
const K1: CommandSpec['keys'] = [1, 1, 1];

export const commands: CommandSpec[] = [
  {
    name: 'zadd', arity: -4, flags: ['write', 'denyoom', 'fast'], ...Z, keys: K1,
    summary: 'Add one or more members to a sorted set, or update its score if it already exists', since: '1.2.0',
    syntax: 'ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]',
    complexity: 'O(log(N)) for each item added, where N is the number of elements in the sorted set.',
    history: [
      ['2.4.0', 'Accepts multiple elements.'],
      ['3.0.2', 'Added the `XX`, `NX`, `CH` and `INCR` options.'],
      ['6.2.0', 'Added the `GT` and `LT` options.'],
    ],
    handler: zadd,
  },
  {
    name: 'zcard', arity: 2, flags: ['readonly', 'fast'], ...Z, keys: K1,
    summary: 'Get the number of members in a sorted set', since: '1.2.0',
    syntax: 'ZCARD key',
    complexity: 'O(1)',
    keySpecs: [{ flags: ['RO'], begin: { index: 1 }, find: { lastkey: 0, keystep: 1, limit: 0 } }],
    handler: zcard,
  },
  {
    name: 'zcount', arity: 4, flags: ['readonly', 'fast'], ...Z, keys: K1,
    summary: 'Count the members in a sorted set with scores within the given values', since: '2.0.0',
    syntax: 'ZCOUNT key min max',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    handler: zcount,
  },
  {
    name: 'zdiff', arity: -3, flags: ['readonly', 'movablekeys'], ...Z, keys: [0, 0, 0],
    summary: 'Subtract multiple sorted sets', since: '6.2.0',
    syntax: 'ZDIFF numkeys key [key ...] [WITHSCORES]',
    complexity: 'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.',
    keySpecs: [{ flags: ['RO', 'access'], begin: { index: 1 }, find: { keynumidx: 0, firstkey: 1, keystep: 1 } }],
    handler: zdiff,
  },
  {
    name: 'zdiffstore', arity: -4, flags: ['write', 'denyoom', 'movablekeys'], ...Z, keys: K1,
    summary: 'Subtract multiple sorted sets and store the resulting sorted set in a new key', since: '6.2.0',
    syntax: 'ZDIFFSTORE destination numkeys key [key ...]',
    complexity: 'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.',
    keySpecs: [
      { flags: ['OW', 'update'], begin: { index: 1 }, find: { lastkey: 0, keystep: 1, limit: 0 } },
      { flags: ['RO', 'access'], begin: { index: 2 }, find: { keynumidx: 0, firstkey: 1, keystep: 1 } },
    ],
    handler: zdiffstore,
  },
  {
    name: 'zincrby', arity: 4, flags: ['write', 'denyoom', 'fast'], ...Z, keys: K1,
    summary: 'Increment the score of a member in a sorted set', since: '1.2.0',
    syntax: 'ZINCRBY key increment member',
    complexity: 'O(log(N)) where N is the number of elements in the sorted set.',
    keySpecs: [{ flags: ['RW', 'access', 'update'], begin: { index: 1 }, find: { lastkey: 0, keystep: 1, limit: 0 } }],
    handler: zincrby,
  },
  {
    name: 'zinter', arity: -3, flags: ['readonly', 'movablekeys'], ...Z, keys: [0, 0, 0],
    summary: 'Intersect multiple sorted sets', since: '6.2.0',
    syntax: 'ZINTER numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>] [WITHSCORES]',
    complexity: 'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.',
    keySpecs: [{ flags: ['RO', 'access'], begin: { index: 1 }, find: { keynumidx: 0, firstkey: 1, keystep: 1 } }],
    handler: zinter,
  },
  {
    name: 'zintercard', arity: -3, flags: ['readonly', 'movablekeys'], ...Z, keys: [0, 0, 0],
    summary: 'Intersect multiple sorted sets and return the cardinality of the result', since: '7.0.0',
    syntax: 'ZINTERCARD numkeys key [key ...] [LIMIT limit]',
    complexity: 'O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.',
    keySpecs: [{ flags: ['RO', 'access'], begin: { index: 1 }, find: { keynumidx: 0, firstkey: 1, keystep: 1 } }],
    handler: zintercard,
  },
  {
    name: 'zinterstore', arity: -4, flags: ['write', 'denyoom', 'movablekeys'], ...Z, keys: K1,
    summary: 'Intersect multiple sorted sets and store the resulting sorted set in a new key', since: '2.0.0',
    syntax: 'ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>]',
    complexity: 'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.',
    keySpecs: [
      { flags: ['OW', 'update'], begin: { index: 1 }, find: { lastkey: 0, keystep: 1, limit: 0 } },
      { flags: ['RO', 'access'], begin: { index: 2 }, find: { keynumidx: 0, firstkey: 1, keystep: 1 } },
    ],
    handler: zinterstore,
  },
  {
    name: 'zlexcount', arity: 4, flags: ['readonly', 'fast'], ...Z, keys: K1,
    summary: 'Count the number of members in a sorted set between a given lexicographical range', since: '2.8.9',
    syntax: 'ZLEXCOUNT key min max',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    handler: zlexcount,
  },
  {
    name: 'bzpopmin', arity: -3, flags: ['write', 'noscript', 'blocking', 'fast'], ...Z, keys: [1, -2, 1],
    summary: 'Remove and return the member with the lowest score from one or more sorted sets, or block until one is available',
    since: '5.0.0', syntax: 'BZPOPMIN key [key ...] timeout', complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    keySpecs: [{ flags: ['RW', 'access', 'delete'], begin: { index: 1 }, find: { lastkey: -2, keystep: 1, limit: 0 } }],
    history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
    handler: bzpopmin,
  },
  {
    name: 'bzpopmax', arity: -3, flags: ['write', 'noscript', 'blocking', 'fast'], ...Z, keys: [1, -2, 1],
    summary: 'Remove and return the member with the highest score from one or more sorted sets, or block until one is available',
    since: '5.0.0', syntax: 'BZPOPMAX key [key ...] timeout', complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    keySpecs: [{ flags: ['RW', 'access', 'delete'], begin: { index: 1 }, find: { lastkey: -2, keystep: 1, limit: 0 } }],
    history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
    handler: bzpopmax,
  },
  {
    name: 'bzmpop', arity: -5, flags: ['write', 'blocking', 'movablekeys'], ...Z, keys: [0, 0, 0],
    summary: 'Remove and return members with scores in a sorted set or block until one is available', since: '7.0.0',
    syntax: 'BZMPOP timeout numkeys key [key ...] <MIN | MAX> [COUNT count]',
    complexity: 'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.',
    keySpecs: [
      { flags: ['RW', 'access', 'delete'], begin: { index: 2 }, find: { keynumidx: 0, firstkey: 1, keystep: 1 } },
    ],
    handler: bzmpop,
  },
  {
    name: 'zmpop', arity: -4, flags: ['write', 'movablekeys'], ...Z, keys: [0, 0, 0],
    summary: 'Remove and return members with scores in a sorted set', since: '7.0.0',
    syntax: 'ZMPOP numkeys key [key ...] <MIN | MAX> [COUNT count]',
    complexity: 'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.',
    keySpecs: [
      { flags: ['RW', 'access', 'delete'], begin: { index: 1 }, find: { keynumidx: 0, firstkey: 1, keystep: 1 } },
    ],
    handler: zmpop,
  },
  {
    name: 'zmscore', arity: -3, flags: ['readonly', 'fast'], ...Z, keys: K1,
    summary: 'Get the score associated with the given members in a sorted set', since: '6.2.0',
    syntax: 'ZMSCORE key member [member ...]',
    complexity: 'O(N) where N is the number of members being requested.',
    handler: zmscore,
  },
  {
    name: 'zpopmax', arity: -2, flags: ['write', 'fast'], ...Z, keys: K1,
    summary: 'Remove and return members with the highest scores in a sorted set', since: '5.0.0',
    syntax: 'ZPOPMAX key [count]',
    complexity: 'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.',
    keySpecs: [{ flags: ['RW', 'access', 'delete'], begin: { index: 1 }, find: { lastkey: 0, keystep: 1, limit: 0 } }],
    handler: zpopmax,
  },
  {
    name: 'zpopmin', arity: -2, flags: ['write', 'fast'], ...Z, keys: K1,
    summary: 'Remove and return members with the lowest scores in a sorted set', since: '5.0.0',
    syntax: 'ZPOPMIN key [count]',
    complexity: 'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.',
    keySpecs: [{ flags: ['RW', 'access', 'delete'], begin: { index: 1 }, find: { lastkey: 0, keystep: 1, limit: 0 } }],
    handler: zpopmin,
  },
  {
    name: 'zrandmember', arity: -2, flags: ['readonly'], ...Z, keys: K1, tips: ['nondeterministic_output'],
    summary: 'Get one or multiple random elements from a sorted set', since: '6.2.0',
    syntax: 'ZRANDMEMBER key [count [WITHSCORES]]',
    complexity: 'O(N) where N is the number of elements returned',
    handler: zrandmember,
  },
  {
    name: 'zrange', arity: -4, flags: ['readonly'], ...Z, keys: K1,
    summary: 'Return a range of members in a sorted set', since: '1.2.0',
    syntax: 'ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.',
    history: [
      ['6.2.0', 'Added the `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options.'],
    ],
    handler: zrange,
  },
  {
    name: 'zrangebylex', arity: -4, flags: ['readonly'], ...Z, keys: K1,
    summary: 'Return a range of members in a sorted set, by lexicographical range', since: '2.8.9',
    syntax: 'ZRANGEBYLEX key min max [LIMIT offset count]',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).',
    docFlags: ['deprecated'], deprecatedSince: '6.2.0',
    replacedBy: '`ZRANGE` with the `BYLEX` argument',
    handler: zrangebylex,
  },
  {
    name: 'zrangebyscore', arity: -4, flags: ['readonly'], ...Z, keys: K1,
    summary: 'Return a range of members in a sorted set, by score', since: '1.0.5',
    syntax: 'ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).',
    history: [
      ['2.0.0', 'Added the `WITHSCORES` modifier.'],
    ],
    docFlags: ['deprecated'], deprecatedSince: '6.2.0',
    replacedBy: '`ZRANGE` with the `BYSCORE` argument',
    handler: zrangebyscore,
  },
  {
    name: 'zrangestore', arity: -5, flags: ['write', 'denyoom'], ...Z, keys: [1, 2, 1],
    summary: 'Store a range of members from sorted set into another key', since: '6.2.0',
    syntax: 'ZRANGESTORE dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count]',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.',
    keySpecs: [
      { flags: ['OW', 'update'], begin: { index: 1 }, find: { lastkey: 0, keystep: 1, limit: 0 } },
      { flags: ['RO', 'access'], begin: { index: 2 }, find: { lastkey: 0, keystep: 1, limit: 0 } },
    ],
    handler: zrangestore,
  },
  {
    name: 'zrank', arity: 3, flags: ['readonly', 'fast'], ...Z, keys: K1,
    summary: 'Determine the index of a member in a sorted set', since: '2.0.0',
    syntax: 'ZRANK key member',
    complexity: 'O(log(N))',
    handler: zrank,
  },
  {
    name: 'zrem', arity: -3, flags: ['write', 'fast'], ...Z, keys: K1,
    summary: 'Remove one or more members from a sorted set', since: '1.2.0',
    syntax: 'ZREM key member [member ...]',
    complexity: 'O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.',
    keySpecs: [{ flags: ['RW', 'delete'], begin: { index: 1 }, find: { lastkey: 0, keystep: 1, limit: 0 } }],
    history: [
      ['2.4.0', 'Accepts multiple elements.'],
    ],
    handler: zrem,
  },
  {
    name: 'zremrangebylex', arity: 4, flags: ['write'], ...Z, keys: K1,
    summary: 'Remove all members in a sorted set between the given lexicographical range', since: '2.8.9',
    syntax: 'ZREMRANGEBYLEX key min max',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.',
    keySpecs: [{ flags: ['RW', 'delete'], begin: { index: 1 }, find: { lastkey: 0, keystep: 1, limit: 0 } }],
    handler: zremrangebylex,
  },
  {
    name: 'zremrangebyrank', arity: 4, flags: ['write'], ...Z, keys: K1,
    summary: 'Remove all members in a sorted set within the given indexes', since: '2.0.0',
    syntax: 'ZREMRANGEBYRANK key start stop',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.',
    keySpecs: [{ flags: ['RW', 'delete'], begin: { index: 1 }, find: { lastkey: 0, keystep: 1, limit: 0 } }],
    handler: zremrangebyrank,
  },
  {
    name: 'zremrangebyscore', arity: 4, flags: ['write'], ...Z, keys: K1,
    summary: 'Remove all members in a sorted set within the given scores', since: '1.2.0',
    syntax: 'ZREMRANGEBYSCORE key min max',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.',
    keySpecs: [{ flags: ['RW', 'delete'], begin: { index: 1 }, find: { lastkey: 0, keystep: 1, limit: 0 } }],
    handler: zremrangebyscore,
  },
  {
    name: 'zrevrange', arity: -4, flags: ['readonly'], ...Z, keys: K1,
    summary: 'Return a range of members in a sorted set, by index, with scores ordered from high to low',
    since: '1.2.0',
    syntax: 'ZREVRANGE key start stop [WITHSCORES]',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.',
    docFlags: ['deprecated'], deprecatedSince: '6.2.0',
    replacedBy: '`ZRANGE` with the `REV` argument',
    handler: zrevrange,
  },
  {
    name: 'zrevrangebylex', arity: -4, flags: ['readonly'], ...Z, keys: K1,
    summary: 'Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.',
    since: '2.8.9',
    syntax: 'ZREVRANGEBYLEX key max min [LIMIT offset count]',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).',
    docFlags: ['deprecated'], deprecatedSince: '6.2.0',
    replacedBy: '`ZRANGE` with the `REV` and `BYLEX` arguments',
    handler: zrevrangebylex,
  },
  {
    name: 'zrevrangebyscore', arity: -4, flags: ['readonly'], ...Z, keys: K1,
    summary: 'Return a range of members in a sorted set, by score, with scores ordered from high to low',
    since: '2.2.0',
    syntax: 'ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).',
    history: [
      ['2.1.6', '`min` and `max` can be exclusive.'],
    ],
    docFlags: ['deprecated'], deprecatedSince: '6.2.0',
    replacedBy: '`ZRANGE` with the `REV` and `BYSCORE` arguments',
    handler: zrevrangebyscore,
  },
  {
    name: 'zrevrank', arity: 3, flags: ['readonly', 'fast'], ...Z, keys: K1,
    summary: 'Determine the index of a member in a sorted set, with scores ordered from high to low', since: '2.0.0',
    syntax: 'ZREVRANK key member',
    complexity: 'O(log(N))',
    handler: zrevrank,
  },
  {
    name: 'zscan', arity: -3, flags: ['readonly'], ...Z, keys: K1, tips: ['nondeterministic_output'],
    summary: 'Incrementally iterate sorted sets elements and associated scores', since: '2.8.0',
    syntax: 'ZSCAN key cursor [MATCH pattern] [COUNT count]',
    complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
    handler: zscan,
  },
  {
    name: 'zscore', arity: 3, flags: ['readonly', 'fast'], ...Z, keys: K1,
    summary: 'Get the score associated with the given member in a sorted set', since: '1.2.0',
    syntax: 'ZSCORE key member',
    complexity: 'O(1)',
    handler: zscore,
  },
  {
    name: 'zunion', arity: -3, flags: ['readonly', 'movablekeys'], ...Z, keys: [0, 0, 0],
    summary: 'Add multiple sorted sets', since: '6.2.0',
    syntax: 'ZUNION numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>] [WITHSCORES]',
    complexity: 'O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.',
    keySpecs: [{ flags: ['RO', 'access'], begin: { index: 1 }, find: { keynumidx: 0, firstkey: 1, keystep: 1 } }],
    handler: zunion,
  },
  {
    name: 'zunionstore', arity: -4, flags: ['write', 'denyoom', 'movablekeys'], ...Z, keys: K1,
    summary: 'Add multiple sorted sets and store the resulting sorted set in a new key', since: '2.0.0',
    syntax: 'ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>]',
    complexity: 'O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.',
    keySpecs: [
      { flags: ['OW', 'update'], begin: { index: 1 }, find: { lastkey: 0, keystep: 1, limit: 0 } },
      { flags: ['RO', 'access'], begin: { index: 2 }, find: { keynumidx: 0, firstkey: 1, keystep: 1 } },
    ],
    handler: zunionstore,
  },

];
