/**
 * Sets (Redis's t_set.c).
 *
 * A set is a SetValue in one of Redis 7.0's two encodings:
 * - "intset": a sorted array of 64-bit integers, while every member is the canonical text of one (Redis's
 *   string2ll: no '+', no leading zero, no "-0") and there are at most set-max-intset-entries members
 *   (capped at 2^30 as Redis does); iteration is in ascending order, as Redis's;
 * - "hashtable": an OrderedDict of member slots (insertion order; sequence numbers give SSCAN its cursor and
 *   SPOP / SRANDMEMBER their O(1) random picks).
 * The conversion is one-way: a hashtable set stays one when it shrinks. 7.0 has no listpack sets.
 */
import { type CommandSpec, rangeSpec as rng, keynumSpec as keynum } from '../command.js';
import type { Ctx } from '../ctx.js';
import { IntSet } from '../ds/intset.js';
import { pickDistinct, pickDistinctIndexes, RANDOM_REPLY_LIMIT } from '../ds/sample.js';
import { parseScanCursor, parseScanOptions, scanAll, scanDict, type ScanSlot } from '../ds/scan.js';
import { CommandError, E } from '../errors.js';
import { ObjType, OrderedDict, registerCodec, type CollectionValue, type Entry } from '../keyspace.js';
import { NotifyClass } from '../notify.js';
import { i64ToString, parseI64 } from '../numbers.js';
import { set as setReply, type Reply } from '../reply.js';

// ---- the data structure -----------------------------------------------------------------------------------

class MemberSlot implements ScanSlot {
  seq = 0;
  dead = false;
  constructor(readonly key: string) {}
}

/** Redis caps set-max-intset-entries at 2^30 because of the intset's own limits. */
const INTSET_HARD_LIMIT = 1 << 30;

export function intsetLimit(c: Ctx): number {
  return Math.min(c.engine.config.getInt('set-max-intset-entries'), INTSET_HARD_LIMIT);
}

export class SetValue implements CollectionValue {
  /** Non-null while intset-encoded. */
  ints: IntSet | null = new IntSet();
  /** Non-null once hashtable-encoded. */
  dict: OrderedDict<MemberSlot> | null = null;

  get encoding(): string {
    return this.ints !== null ? 'intset' : 'hashtable';
  }

  get size(): number {
    return this.ints !== null ? this.ints.size : this.dict!.size;
  }

  has(m: string): boolean {
    if (this.ints === null) return this.dict!.has(m);
    const v = parseI64(m);
    return v !== null && this.ints.has(v);
  }

  /** Add a member; false when it was there. `maxIntset`: see intsetLimit. */
  add(m: string, maxIntset: number): boolean {
    if (this.ints !== null) {
      const v = parseI64(m);
      if (v !== null) {
        if (!this.ints.add(v)) return false;
        if (this.ints.size > maxIntset) this.toHashtable();
        return true;
      }
      this.toHashtable();
    }
    const d = this.dict!;
    if (d.has(m)) return false;
    d.add(m, new MemberSlot(m));
    return true;
  }

  remove(m: string): boolean {
    if (this.ints === null) return this.dict!.delete(m) !== undefined;
    const v = parseI64(m);
    return v !== null && this.ints.remove(v);
  }

  /** A uniformly random member (the set must not be empty). */
  random(rnd: () => number): string {
    if (this.ints !== null) return i64ToString(this.ints.at(Math.floor(rnd() * this.ints.size)));
    return this.dict!.random(rnd)!.key;
  }

  /** The members in iteration order (ascending for an intset). */
  members(): string[] {
    if (this.ints !== null) return this.ints.values().map(i64ToString);
    const out: string[] = [];
    for (const s of this.dict!.values()) out.push(s.key);
    return out;
  }

  /** Iterate the members without building an array for hashtables. */
  forEach(f: (m: string) => boolean | void): void {
    if (this.ints !== null) {
      for (const v of this.ints.values()) if (f(i64ToString(v)) === false) return;
      return;
    }
    for (const s of this.dict!.values()) if (f(s.key) === false) return;
  }

  private toHashtable(): void {
    const d = new OrderedDict<MemberSlot>();
    for (const v of this.ints!.values()) {
      const m = i64ToString(v);
      d.add(m, new MemberSlot(m));
    }
    this.dict = d;
    this.ints = null;
  }

  clone(): SetValue {
    const s = new SetValue();
    if (this.ints !== null) {
      s.ints = this.ints.clone();
    } else {
      s.ints = null;
      s.dict = new OrderedDict<MemberSlot>();
      for (const x of this.dict!.values()) s.dict.add(x.key, new MemberSlot(x.key));
    }
    return s;
  }

  /** `[encoding (0 intset, 1 hashtable), member …]`. */
  serialize(): unknown {
    return [this.ints !== null ? 0 : 1, ...this.members()];
  }

  static revive(data: unknown): SetValue {
    const a = data as (string | number)[];
    const s = new SetValue();
    if (a[0] === 0) {
      const vals = a.slice(1).map((m) => parseI64(m as string)!);
      s.ints = new IntSet(vals);
    } else {
      s.ints = null;
      s.dict = new OrderedDict<MemberSlot>();
      for (let i = 1; i < a.length; i++) s.dict.add(a[i] as string, new MemberSlot(a[i] as string));
    }
    return s;
  }
}

registerCodec(ObjType.Set, (d) => SetValue.revive(d));

// ---- helpers shared by the family -------------------------------------------------------------------------

function readSet(c: Ctx, key: string): SetValue | undefined {
  return c.read(key, ObjType.Set)?.value as SetValue | undefined;
}

function asSet(e: Entry | undefined): SetValue | undefined {
  if (e !== undefined && e.type !== ObjType.Set) throw new CommandError(E.WRONGTYPE);
  return e?.value as SetValue | undefined;
}

/**
 * Store a computed set at `dst` as Redis's SINTERSTORE / SUNIONSTORE / SDIFFSTORE do: a non-empty result
 * replaces whatever was there (any type, TTL dropped) and fires `event`; an empty one deletes `dst`, firing
 * "del" only if it existed. Returns the reply (the result's size).
 */
function storeResult(c: Ctx, dst: string, result: SetValue, event: string): Reply {
  const old = c.write(dst);
  if (result.size > 0) {
    c.db.setKey(dst, ObjType.Set, result, c.now);
    c.modified(dst);
    c.notify(NotifyClass.Set, event, dst);
    return result.size;
  }
  if (old !== undefined) {
    c.db.remove(dst);
    c.modified(dst);
    c.notify(NotifyClass.Generic, 'del', dst);
  }
  return 0;
}

/** The sets at `keys` for reading (undefined for a missing key), type-checked all before any work. */
function readSets(c: Ctx, keys: readonly string[]): (SetValue | undefined)[] {
  return keys.map((k) => readSet(c, k));
}

/**
 * SINTER's core: the members of the smallest set found in every other one, in that set's order, at most
 * `limit` of them (0: all). Any missing key makes it empty.
 */
function intersect(sets: (SetValue | undefined)[], limit = 0): string[] {
  if (sets.some((s) => s === undefined)) return [];
  // Smallest first (a stable sort, as glibc's qsort is on small arrays).
  const sorted = (sets as SetValue[]).slice().sort((a, b) => a.size - b.size);
  const first = sorted[0];
  const out: string[] = [];
  first.forEach((m) => {
    for (let j = 1; j < sorted.length; j++) {
      if (sorted[j] !== first && !sorted[j].has(m)) return;
    }
    out.push(m);
    if (limit && out.length >= limit) return false;
  });
  return out;
}

const enum SetOp {
  Union,
  Diff,
}

/**
 * SUNION / SDIFF's core, as Redis's sunionDiffGenericCommand: the result is built as a set (starting as an
 * intset), so its members come out in the order that set iterates. SDIFF picks the cheaper of Redis's two
 * algorithms; the result is the same either way.
 */
function unionDiff(sets: (SetValue | undefined)[], op: SetOp, maxIntset: number): SetValue {
  const dst = new SetValue();
  const first = sets[0];
  if (op === SetOp.Union) {
    for (const s of sets) s?.forEach((m) => void dst.add(m, maxIntset));
    return dst;
  }
  if (first === undefined) return dst;
  for (let j = 1; j < sets.length; j++) if (sets[j] === first) return dst;
  let one = 0;
  let two = 0;
  for (const s of sets) {
    if (s === undefined) continue;
    one += first.size;
    two += s.size;
  }
  if (Math.floor(one / 2) <= two) {
    const others = sets.slice(1).filter((s): s is SetValue => s !== undefined);
    others.sort((a, b) => b.size - a.size);
    first.forEach((m) => {
      for (const s of others) if (s.has(m)) return;
      dst.add(m, maxIntset);
    });
  } else {
    first.forEach((m) => void dst.add(m, maxIntset));
    for (let j = 1; j < sets.length && dst.size > 0; j++) sets[j]?.forEach((m) => void dst.remove(m));
  }
  return dst;
}

/**
 * `count` distinct random members of `s` (0 < count < size), for SRANDMEMBER.
 */
function randomDistinct(s: SetValue, count: number, rnd: () => number): string[] {
  if (s.dict !== null) return pickDistinct(s.dict, s.size, count, rnd).map((x) => x.key);
  const all = s.ints!.values();
  return pickDistinctIndexes(all.length, count, rnd).map((i) => i64ToString(all[i]));
}

// ---- commands ---------------------------------------------------------------------------------------------

// SADD key member [member ...]
function sadd(c: Ctx): Reply {
  const key = c.args.next();
  const e = c.write(key, ObjType.Set);
  let s = e?.value as SetValue | undefined;
  if (s === undefined) {
    s = new SetValue();
    c.db.add(key, ObjType.Set, s, c.now);
  }
  const max = intsetLimit(c);
  let added = 0;
  while (c.args.has()) if (s.add(c.args.next(), max)) added++;
  if (added) {
    c.modified(key, c.db, added);
    c.notify(NotifyClass.Set, 'sadd', key);
  }
  return added;
}

// SREM key member [member ...]
function srem(c: Ctx): Reply {
  const key = c.args.next();
  const s = c.write(key, ObjType.Set)?.value as SetValue | undefined;
  if (s === undefined) return 0;
  let deleted = 0;
  let removed = false;
  while (c.args.has()) {
    if (s.remove(c.args.next())) {
      deleted++;
      if (s.size === 0) {
        c.db.remove(key);
        removed = true;
        break;
      }
    }
  }
  if (deleted) {
    c.modified(key, c.db, deleted);
    c.notify(NotifyClass.Set, 'srem', key);
    if (removed) c.notify(NotifyClass.Generic, 'del', key);
  }
  return deleted;
}

// SMOVE source destination member
function smove(c: Ctx): Reply {
  const srcKey = c.args.next();
  const dstKey = c.args.next();
  const m = c.args.next();
  const srcE = c.write(srcKey);
  const dstE = c.write(dstKey);
  if (srcE === undefined) return 0;
  const src = asSet(srcE)!;
  let dst = asSet(dstE);
  if (srcE === dstE) return src.has(m) ? 1 : 0;
  if (!src.remove(m)) return 0;
  c.notify(NotifyClass.Set, 'srem', srcKey);
  if (src.size === 0) {
    c.db.remove(srcKey);
    c.notify(NotifyClass.Generic, 'del', srcKey);
  }
  if (dst === undefined) {
    dst = new SetValue();
    c.db.add(dstKey, ObjType.Set, dst, c.now);
  }
  c.modified(srcKey);
  if (dst.add(m, intsetLimit(c))) {
    c.modified(dstKey);
    c.notify(NotifyClass.Set, 'sadd', dstKey);
  }
  return 1;
}

// SISMEMBER key member
function sismember(c: Ctx): Reply {
  const s = readSet(c, c.args.next());
  return s !== undefined && s.has(c.args.next()) ? 1 : 0;
}

// SMISMEMBER key member [member ...]
function smismember(c: Ctx): Reply {
  const s = readSet(c, c.args.next());
  const out: Reply[] = [];
  while (c.args.has()) {
    const m = c.args.next();
    out.push(s !== undefined && s.has(m) ? 1 : 0);
  }
  return out;
}

// SCARD key
function scard(c: Ctx): Reply {
  return readSet(c, c.args.next())?.size ?? 0;
}

// SMEMBERS key
function smembers(c: Ctx): Reply {
  const s = readSet(c, c.args.next());
  return setReply(s === undefined ? [] : s.members());
}

// SPOP key [count]
function spop(c: Ctx): Reply {
  const a = c.args;
  const key = a.next();
  if (a.remaining > 1) throw new CommandError(E.SYNTAX);
  if (a.has()) return spopCount(c, key, a.nextIndex(E.NOT_POSITIVE));
  const e = c.write(key, ObjType.Set);
  if (e === undefined) return null;
  const s = e.value as SetValue;
  const m = s.random(c.engine.random);
  s.remove(m);
  c.notify(NotifyClass.Set, 'spop', key);
  if (s.size === 0) {
    c.db.remove(key);
    c.notify(NotifyClass.Generic, 'del', key);
  }
  c.modified(key);
  return m;
}

function spopCount(c: Ctx, key: string, count: number): Reply {
  if (count < 0) throw new CommandError(E.NOT_POSITIVE);
  const e = c.write(key, ObjType.Set);
  if (e === undefined || count === 0) return setReply([]);
  const s = e.value as SetValue;
  const size = s.size;
  c.notify(NotifyClass.Set, 'spop', key);
  if (count >= size) {
    const all = s.members();
    c.db.remove(key);
    c.notify(NotifyClass.Generic, 'del', key);
    c.modified(key, c.db, size);
    return setReply(all);
  }
  let picked: string[];
  if (s.ints !== null) {
    const all = s.ints.values();
    const idx = pickDistinctIndexes(size, count, c.engine.random);
    picked = idx.map((i) => i64ToString(all[i]));
    const gone = new Set(idx);
    s.ints.filter((_, i) => !gone.has(i));
  } else {
    picked = pickDistinct(s.dict!, size, count, c.engine.random).map((x) => x.key);
    for (const m of picked) s.remove(m);
  }
  c.modified(key, c.db, count);
  return setReply(picked);
}

// SRANDMEMBER key [count]
function srandmember(c: Ctx): Reply {
  const a = c.args;
  const key = a.next();
  if (a.remaining > 1) throw new CommandError(E.SYNTAX);
  if (!a.has()) {
    const s = readSet(c, key);
    return s === undefined ? null : s.random(c.engine.random);
  }
  const l = a.nextInt();
  if (l === -(2n ** 63n)) {
    throw new CommandError('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
  }
  const s = readSet(c, key);
  if (s === undefined) return [];
  const unique = l >= 0;
  const count = typeof l === 'bigint' ? (unique ? Infinity : RANDOM_REPLY_LIMIT + 1) : Math.abs(l);
  if (count === 0) return [];
  const rnd = c.engine.random;
  if (!unique || count === 1) {
    if (count > RANDOM_REPLY_LIMIT) throw new CommandError('ERR value is out of range');
    const out: Reply[] = new Array(count);
    for (let i = 0; i < count; i++) out[i] = s.random(rnd);
    return out;
  }
  if (count >= s.size) return s.members();
  return randomDistinct(s, count, rnd);
}

// SINTER key [key ...]
function sinter(c: Ctx): Reply {
  return setReply(intersect(readSets(c, c.args.rest())));
}

// SINTERCARD numkeys key [key ...] [LIMIT limit]
function sintercard(c: Ctx): Reply {
  const a = c.args;
  const numkeys = a.nextIndex('ERR numkeys should be greater than 0');
  if (numkeys < 1) throw new CommandError('ERR numkeys should be greater than 0');
  if (numkeys > a.remaining) throw new CommandError("ERR Number of keys can't be greater than number of args");
  const keys = a.argv.slice(a.i, a.i + numkeys);
  a.i += numkeys;
  let limit = 0;
  while (a.has()) {
    if (a.nextUpper() === 'LIMIT' && a.has()) {
      limit = a.nextIndex("ERR LIMIT can't be negative");
      if (limit < 0) throw new CommandError("ERR LIMIT can't be negative");
    } else {
      throw new CommandError(E.SYNTAX);
    }
  }
  return intersect(readSets(c, keys), limit).length;
}

// SINTERSTORE destination key [key ...]
function sinterstore(c: Ctx): Reply {
  const dst = c.args.next();
  const members = intersect(readSets(c, c.args.rest()));
  const result = new SetValue();
  const max = intsetLimit(c);
  for (const m of members) result.add(m, max);
  return storeResult(c, dst, result, 'sinterstore');
}

// SUNION key [key ...]
function sunion(c: Ctx): Reply {
  return setReply(unionDiff(readSets(c, c.args.rest()), SetOp.Union, intsetLimit(c)).members());
}

// SUNIONSTORE destination key [key ...]
function sunionstore(c: Ctx): Reply {
  const dst = c.args.next();
  return storeResult(c, dst, unionDiff(readSets(c, c.args.rest()), SetOp.Union, intsetLimit(c)), 'sunionstore');
}

// SDIFF key [key ...]
function sdiff(c: Ctx): Reply {
  return setReply(unionDiff(readSets(c, c.args.rest()), SetOp.Diff, intsetLimit(c)).members());
}

// SDIFFSTORE destination key [key ...]
function sdiffstore(c: Ctx): Reply {
  const dst = c.args.next();
  return storeResult(c, dst, unionDiff(readSets(c, c.args.rest()), SetOp.Diff, intsetLimit(c)), 'sdiffstore');
}

// SSCAN key cursor [MATCH pattern] [COUNT count]
function sscan(c: Ctx): Reply {
  const key = c.args.next();
  const cursor = parseScanCursor(c.args.next());
  const s = readSet(c, key);
  if (s === undefined) return ['0', []];
  const opts = parseScanOptions(c.args);
  if (s.ints !== null) return scanAll(s.members(), opts, false);
  return scanDict(s.dict!, cursor, opts, (slot, out) => out.push(slot.key));
}

// ---- the table ----------------------------------------------------------------------------------------------


const S = { acl: ['set'] as CommandSpec['acl'], group: 'set' };
const K1: [number, number, number] = [1, 1, 1];
const KALL: [number, number, number] = [1, -1, 1];
const UNORDERED = ['nondeterministic_output_order'];
const RANDOM = ['nondeterministic_output'];

export const commands: CommandSpec[] = [
  {
    name: 'sadd', arity: -3, flags: ['write', 'denyoom', 'fast'], ...S, keys: K1,
    summary: 'Add one or more members to a set', since: '1.0.0', syntax: 'SADD key member [member ...]',
    complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
    keySpecs: [rng(['RW', 'insert'])], history: [['2.4.0', 'Accepts multiple `member` arguments.']],
    handler: sadd,
  },
  {
    name: 'scard', arity: 2, flags: ['readonly', 'fast'], ...S, keys: K1, summary: 'Get the number of members in a set',
    since: '1.0.0', syntax: 'SCARD key', complexity: 'O(1)', keySpecs: [rng(['RO'])],
    handler: scard,
  },
  {
    name: 'sdiff', arity: -2, flags: ['readonly'], ...S, keys: KALL, tips: UNORDERED, summary: 'Subtract multiple sets',
    since: '1.0.0', syntax: 'SDIFF key [key ...]',
    complexity: 'O(N) where N is the total number of elements in all given sets.', handler: sdiff,
  },
  {
    name: 'sdiffstore', arity: -3, flags: ['write', 'denyoom'], ...S, keys: KALL,
    summary: 'Subtract multiple sets and store the resulting set in a key', since: '1.0.0',
    syntax: 'SDIFFSTORE destination key [key ...]',
    complexity: 'O(N) where N is the total number of elements in all given sets.', keySpecs: [rng(['OW', 'update']), rng(['RO', 'access'], 2, -1)],
    handler: sdiffstore,
  },
  {
    name: 'sinter', arity: -2, flags: ['readonly'], ...S, keys: KALL, tips: UNORDERED, summary: 'Intersect multiple sets',
    since: '1.0.0', syntax: 'SINTER key [key ...]',
    complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
    handler: sinter,
  },
  {
    name: 'sintercard', arity: -3, flags: ['readonly', 'movablekeys'], ...S, keys: [0, 0, 0],
    summary: 'Intersect multiple sets and return the cardinality of the result', since: '7.0.0',
    syntax: 'SINTERCARD numkeys key [key ...] [LIMIT limit]',
    complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
    keySpecs: [keynum(['RO', 'access'])],
    handler: sintercard,
  },
  {
    name: 'sinterstore', arity: -3, flags: ['write', 'denyoom'], ...S, keys: KALL,
    summary: 'Intersect multiple sets and store the resulting set in a key', since: '1.0.0',
    syntax: 'SINTERSTORE destination key [key ...]',
    complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
    keySpecs: [rng(['RW', 'update']), rng(['RO', 'access'], 2, -1)],
    handler: sinterstore,
  },
  {
    name: 'sismember', arity: 3, flags: ['readonly', 'fast'], ...S, keys: K1,
    summary: 'Determine if a given value is a member of a set', since: '1.0.0', syntax: 'SISMEMBER key member',
    complexity: 'O(1)', keySpecs: [rng(['RO'])],
    handler: sismember,
  },
  {
    name: 'smembers', arity: 2, flags: ['readonly'], ...S, keys: K1, tips: UNORDERED,
    summary: 'Get all the members in a set', since: '1.0.0', syntax: 'SMEMBERS key',
    complexity: 'O(N) where N is the set cardinality.', handler: smembers,
  },
  {
    name: 'smismember', arity: -3, flags: ['readonly', 'fast'], ...S, keys: K1,
    summary: 'Returns the membership associated with the given elements for a set', since: '6.2.0',
    syntax: 'SMISMEMBER key member [member ...]',
    complexity: 'O(N) where N is the number of elements being checked for membership', handler: smismember,
  },
  {
    name: 'smove', arity: 4, flags: ['write', 'fast'], ...S, keys: [1, 2, 1],
    summary: 'Move a member from one set to another', since: '1.0.0', syntax: 'SMOVE source destination member',
    complexity: 'O(1)', keySpecs: [rng(['RW', 'access', 'delete']), rng(['RW', 'insert'], 2)],
    handler: smove,
  },
  {
    name: 'spop', arity: -2, flags: ['write', 'fast'], ...S, keys: K1, tips: RANDOM,
    summary: 'Remove and return one or multiple random members from a set', since: '1.0.0', syntax: 'SPOP key [count]',
    complexity: 'Without the count argument O(1), otherwise O(N) where N is the value of the passed count.',
    keySpecs: [rng(['RW', 'access', 'delete'])], history: [['3.2.0', 'Added the `count` argument.']],
    handler: spop,
  },
  {
    name: 'srandmember', arity: -2, flags: ['readonly'], ...S, keys: K1, tips: RANDOM,
    summary: 'Get one or multiple random members from a set', since: '1.0.0', syntax: 'SRANDMEMBER key [count]',
    complexity:
      'Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.',
    history: [['2.6.0', 'Added the optional `count` argument.']],
    handler: srandmember,
  },
  {
    name: 'srem', arity: -3, flags: ['write', 'fast'], ...S, keys: K1, summary: 'Remove one or more members from a set',
    since: '1.0.0', syntax: 'SREM key member [member ...]',
    complexity: 'O(N) where N is the number of members to be removed.', keySpecs: [rng(['RW', 'delete'])], history: [['2.4.0', 'Accepts multiple `member` arguments.']],
    handler: srem,
  },
  {
    name: 'sscan', arity: -3, flags: ['readonly'], ...S, keys: K1, tips: RANDOM, summary: 'Incrementally iterate Set elements',
    since: '2.8.0', syntax: 'SSCAN key cursor [MATCH pattern] [COUNT count]',
    complexity:
      'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
    handler: sscan,
  },
  {
    name: 'sunion', arity: -2, flags: ['readonly'], ...S, keys: KALL, tips: UNORDERED, summary: 'Add multiple sets',
    since: '1.0.0', syntax: 'SUNION key [key ...]',
    complexity: 'O(N) where N is the total number of elements in all given sets.', handler: sunion,
  },
  {
    name: 'sunionstore', arity: -3, flags: ['write', 'denyoom'], ...S, keys: KALL,
    summary: 'Add multiple sets and store the resulting set in a key', since: '1.0.0',
    syntax: 'SUNIONSTORE destination key [key ...]',
    complexity: 'O(N) where N is the total number of elements in all given sets.', keySpecs: [rng(['OW', 'update']), rng(['RO', 'access'], 2, -1)],
    handler: sunionstore,
  },
];
