/**
 * Lists (Redis's t_list.c).
 *
 * A list is a ListValue: a Deque (ring buffer) of binary strings, so pushes and pops at both ends are O(1)
 * and LINDEX / LSET are O(1) at any index. Redis 7.0 stores every list as a quicklist (listpack-encoded small
 * lists came with 7.2), so OBJECT ENCODING is always "quicklist".
 *
 * The pop and move logic lives in exported functions (popElements, moveElement, pushElements) that the
 * blocking commands (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP) reuse when they are served: each one does the
 * whole of Redis's bookkeeping — keyspace events, deleting an emptied key, signalling modified keys.
 */
import { type CommandSpec, rangeSpec as rng, keynumSpec as keynum } from '../command.js';
import type { Ctx } from '../ctx.js';
import { Deque } from '../ds/deque.js';
import { CommandError, E, wrongArity } from '../errors.js';
import { ObjType, registerCodec, type CollectionValue } from '../keyspace.js';
import { NotifyClass } from '../notify.js';
import { NULL_ARRAY, OK, type Reply } from '../reply.js';

// ---- the data structure -----------------------------------------------------------------------------------

/** Which end of a list: LEFT is the head, RIGHT the tail. */
export const enum Where {
  Head = 0,
  Tail = 1,
}

export class ListValue implements CollectionValue {
  constructor(readonly items: Deque = new Deque()) {}

  get encoding(): string {
    return 'quicklist';
  }

  get size(): number {
    return this.items.length;
  }

  push(v: string, where: Where): void {
    if (where === Where.Head) this.items.pushFront(v);
    else this.items.pushBack(v);
  }

  /** Pop one element (the list must not be empty). */
  pop(where: Where): string {
    return where === Where.Head ? this.items.popFront() : this.items.popBack();
  }

  clone(): ListValue {
    return new ListValue(this.items.clone());
  }

  /** The elements, head first. */
  serialize(): unknown {
    return this.items.toArray();
  }

  static revive(data: unknown): ListValue {
    return new ListValue(Deque.from(data as string[]));
  }
}

registerCodec(ObjType.List, (d) => ListValue.revive(d));

// ---- the logic shared with the blocking commands ---------------------------------------------------------

/** The list at `key` for writing, type-checked; undefined when absent. */
export function listForWrite(c: Ctx, key: string): ListValue | undefined {
  return c.write(key, ObjType.List)?.value as ListValue | undefined;
}

/**
 * Push `elements` one by one at `where` of the list at `key`, creating it when `list` is undefined (the
 * caller looked it up and type-checked it). Fires lpush/rpush. Returns the new length.
 */
export function pushElements(c: Ctx, key: string, list: ListValue | undefined, elements: readonly string[], where: Where): number {
  if (list === undefined) {
    list = new ListValue();
    c.db.add(key, ObjType.List, list, c.now);
  }
  for (const el of elements) list.push(el, where);
  c.modified(key, c.db, elements.length);
  c.notify(NotifyClass.List, where === Where.Head ? 'lpush' : 'rpush', key);
  return list.size;
}

/**
 * Pop up to `count` elements from `where` of the non-empty list at `key`, in pop order, as Redis's
 * listElementsRemoved: lpop/rpop, then the key deleted with "del" when emptied.
 */
export function popElements(c: Ctx, key: string, list: ListValue, where: Where, count: number): string[] {
  const n = Math.min(count, list.size);
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = list.pop(where);
  listElementsRemoved(c, key, list, where, n);
  return out;
}

function listElementsRemoved(c: Ctx, key: string, list: ListValue, where: Where, n: number): void {
  c.notify(NotifyClass.List, where === Where.Head ? 'lpop' : 'rpop', key);
  if (list.size === 0) {
    c.db.remove(key);
    c.notify(NotifyClass.Generic, 'del', key);
  }
  c.modified(key, c.db, n);
}

/**
 * LMOVE's core: pop from `from` of the non-empty list `src` at `srcKey`, push at `to` of the list at `dstKey`
 * (`dst`, already type-checked; created when undefined). Events in Redis's order: the push on the
 * destination, then the pop on the source, then "del" if the source emptied. Returns the element.
 */
export function moveElement(
  c: Ctx,
  srcKey: string,
  src: ListValue,
  dstKey: string,
  dst: ListValue | undefined,
  from: Where,
  to: Where,
): string {
  const v = src.pop(from);
  if (dst === undefined) {
    dst = new ListValue();
    c.db.add(dstKey, ObjType.List, dst, c.now);
  }
  c.modified(dstKey);
  dst.push(v, to);
  c.notify(NotifyClass.List, to === Where.Head ? 'lpush' : 'rpush', dstKey);
  c.notify(NotifyClass.List, from === Where.Head ? 'lpop' : 'rpop', srcKey);
  if (src.size === 0) {
    c.db.remove(srcKey);
    c.notify(NotifyClass.Generic, 'del', srcKey);
  }
  c.modified(srcKey);
  return v;
}

/** LEFT / RIGHT, any case; anything else is a syntax error. */
export function parseWhere(s: string): Where {
  const u = s.toUpperCase();
  if (u === 'LEFT') return Where.Head;
  if (u === 'RIGHT') return Where.Tail;
  throw new CommandError(E.SYNTAX);
}

/** LMPOP / BLMPOP arguments after the timeout: `numkeys key [key ...] LEFT|RIGHT [COUNT count]`. */
export interface MpopArgs {
  keys: string[];
  where: Where;
  count: number;
}

export function parseMpopArgs(c: Ctx): MpopArgs {
  const a = c.args;
  const numkeys = a.nextIndex('ERR numkeys should be greater than 0');
  if (numkeys < 1) throw new CommandError('ERR numkeys should be greater than 0');
  if (numkeys >= a.remaining) throw new CommandError(E.SYNTAX);
  const keys = a.argv.slice(a.i, a.i + numkeys);
  a.i += numkeys;
  const where = parseWhere(a.next());
  let count = -1;
  while (a.has()) {
    if (count === -1 && a.nextUpper() === 'COUNT' && a.has()) {
      count = a.nextIndex('ERR count should be greater than 0');
      if (count < 1) throw new CommandError('ERR count should be greater than 0');
    } else {
      throw new CommandError(E.SYNTAX);
    }
  }
  return { keys, where, count: count === -1 ? 1 : count };
}

/**
 * LMPOP's core: pop from the first non-empty list among `keys` (type-checking each key reached), replying
 * `[key, [elements]]`; null when every key is missing or empty.
 */
export function mpop(c: Ctx, m: MpopArgs): Reply {
  for (const key of m.keys) {
    const list = listForWrite(c, key);
    if (list === undefined || list.size === 0) continue;
    return [key, popElements(c, key, list, m.where, m.count)];
  }
  return null;
}

/** Redis's start/end normalisation for LRANGE and LTRIM: [start, end] clamped, or null when empty. */
function clampRange(start: number, end: number, len: number): [number, number] | null {
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (start > end || start >= len) return null;
  if (end >= len) end = len - 1;
  return [start, end];
}

// ---- commands ---------------------------------------------------------------------------------------------

// LPUSH key element [element ...]   /   RPUSH, LPUSHX, RPUSHX
function pushGeneric(c: Ctx, where: Where, onlyIfExists: boolean): Reply {
  const key = c.args.next();
  const list = listForWrite(c, key);
  if (list === undefined && onlyIfExists) return 0;
  return pushElements(c, key, list, c.args.rest(), where);
}

// LPUSH key element [element ...]
const lpush = (c: Ctx): Reply => pushGeneric(c, Where.Head, false);
// RPUSH key element [element ...]
const rpush = (c: Ctx): Reply => pushGeneric(c, Where.Tail, false);
// LPUSHX key element [element ...]
const lpushx = (c: Ctx): Reply => pushGeneric(c, Where.Head, true);
// RPUSHX key element [element ...]
const rpushx = (c: Ctx): Reply => pushGeneric(c, Where.Tail, true);

// LPOP key [count]   /   RPOP key [count]
function popGeneric(c: Ctx, where: Where): Reply {
  const a = c.args;
  if (a.argv.length > 3) throw new CommandError(wrongArity(where === Where.Head ? 'lpop' : 'rpop'));
  const key = a.next();
  const hasCount = a.has();
  const count = hasCount ? a.nextIndex(E.NOT_POSITIVE) : 0;
  if (count < 0) throw new CommandError(E.NOT_POSITIVE);
  const list = listForWrite(c, key);
  if (list === undefined) return hasCount ? NULL_ARRAY : null;
  if (hasCount && count === 0) return [];
  if (!hasCount) return popElements(c, key, list, where, 1)[0];
  return popElements(c, key, list, where, count);
}

// LPOP key [count]
const lpop = (c: Ctx): Reply => popGeneric(c, Where.Head);
// RPOP key [count]
const rpop = (c: Ctx): Reply => popGeneric(c, Where.Tail);

// LMPOP numkeys key [key ...] <LEFT | RIGHT> [COUNT count]
function lmpop(c: Ctx): Reply {
  const r = mpop(c, parseMpopArgs(c));
  return r === null ? NULL_ARRAY : r;
}

// LLEN key
function llen(c: Ctx): Reply {
  return (c.read(c.args.next(), ObjType.List)?.value as ListValue | undefined)?.size ?? 0;
}

// LINDEX key index
function lindex(c: Ctx): Reply {
  const list = c.read(c.args.next(), ObjType.List)?.value as ListValue | undefined;
  if (list === undefined) return null;
  let i = c.args.nextIndex();
  if (i < 0) i += list.size;
  if (i < 0 || i >= list.size) return null;
  return list.items.at(i);
}

// LSET key index element
function lset(c: Ctx): Reply {
  const key = c.args.next();
  const list = listForWrite(c, key);
  if (list === undefined) throw new CommandError(E.NO_KEY);
  let i = c.args.nextIndex();
  const v = c.args.next();
  if (i < 0) i += list.size;
  if (i < 0 || i >= list.size) throw new CommandError('ERR index out of range');
  list.items.set(i, v);
  c.modified(key);
  c.notify(NotifyClass.List, 'lset', key);
  return OK;
}

// LRANGE key start stop
function lrange(c: Ctx): Reply {
  const key = c.args.next();
  const start = c.args.nextIndex();
  const end = c.args.nextIndex();
  const list = c.read(key, ObjType.List)?.value as ListValue | undefined;
  if (list === undefined) return [];
  const r = clampRange(start, end, list.size);
  return r === null ? [] : list.items.range(r[0], r[1]);
}

// LTRIM key start stop
function ltrim(c: Ctx): Reply {
  const key = c.args.next();
  const start = c.args.nextIndex();
  const end = c.args.nextIndex();
  const list = listForWrite(c, key);
  if (list === undefined) return OK;
  const len = list.size;
  const r = clampRange(start, end, len);
  const left = r === null ? len : r[0];
  const right = r === null ? 0 : len - r[1] - 1;
  list.items.dropFront(left);
  list.items.dropBack(right);
  c.notify(NotifyClass.List, 'ltrim', key);
  if (list.size === 0) {
    c.db.remove(key);
    c.notify(NotifyClass.Generic, 'del', key);
  }
  c.modified(key, c.db, left + right);
  return OK;
}

// LINSERT key <BEFORE | AFTER> pivot element
function linsert(c: Ctx): Reply {
  const key = c.args.next();
  const pos = c.args.nextUpper();
  let after: boolean;
  if (pos === 'AFTER') after = true;
  else if (pos === 'BEFORE') after = false;
  else throw new CommandError(E.SYNTAX);
  const pivot = c.args.next();
  const v = c.args.next();
  const list = listForWrite(c, key);
  if (list === undefined) return 0;
  const items = list.items;
  const n = items.length;
  let at = -1;
  for (let i = 0; i < n; i++) {
    if (items.at(i) === pivot) {
      at = i;
      break;
    }
  }
  if (at < 0) return -1;
  items.insert(after ? at + 1 : at, v);
  c.modified(key);
  c.notify(NotifyClass.List, 'linsert', key);
  return list.size;
}

// LREM key count element
function lrem(c: Ctx): Reply {
  const key = c.args.next();
  const count = c.args.nextIndex();
  const v = c.args.next();
  const list = listForWrite(c, key);
  if (list === undefined) return 0;
  const removed = list.items.removeEqual(v, Math.abs(count), count < 0);
  if (removed) {
    c.modified(key, c.db, removed);
    c.notify(NotifyClass.List, 'lrem', key);
  }
  if (list.size === 0) {
    c.db.remove(key);
    c.notify(NotifyClass.Generic, 'del', key);
  }
  return removed;
}

// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
function lpos(c: Ctx): Reply {
  const a = c.args;
  const key = a.next();
  const el = a.next();
  let rank = 1;
  let count = -1; // -1: no COUNT option
  let maxlen = 0;
  while (a.has()) {
    const opt = a.nextUpper();
    if (opt === 'RANK' && a.has()) {
      const r = a.nextInt();
      if (r === 0) {
        throw new CommandError(
          "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
        );
      }
      // -2^63 negates to itself in C, so Redis then takes the first match from the tail.
      rank = r === -(2n ** 63n) ? -1 : typeof r === 'bigint' ? (r < 0n ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER) : r;
    } else if (opt === 'COUNT' && a.has()) {
      count = a.nextIndex("ERR COUNT can't be negative");
      if (count < 0) throw new CommandError("ERR COUNT can't be negative");
    } else if (opt === 'MAXLEN' && a.has()) {
      maxlen = a.nextIndex("ERR MAXLEN can't be negative");
      if (maxlen < 0) throw new CommandError("ERR MAXLEN can't be negative");
    } else {
      throw new CommandError(E.SYNTAX);
    }
  }
  const fromTail = rank < 0;
  if (fromTail) rank = -rank;
  const list = c.read(key, ObjType.List)?.value as ListValue | undefined;
  if (list === undefined) return count !== -1 ? [] : null;
  const items = list.items;
  const len = items.length;
  const out: number[] = [];
  let matches = 0;
  for (let index = 0; index < len && (maxlen === 0 || index < maxlen); index++) {
    const i = fromTail ? len - index - 1 : index;
    if (items.at(i) !== el) continue;
    matches++;
    if (matches < rank) continue;
    if (count === -1) return i;
    out.push(i);
    if (count !== 0 && matches - rank + 1 >= count) break;
  }
  return count === -1 ? null : out;
}

// LMOVE source destination <LEFT | RIGHT> <LEFT | RIGHT>
function lmove(c: Ctx): Reply {
  const src = c.args.next();
  const dst = c.args.next();
  const from = parseWhere(c.args.next());
  const to = parseWhere(c.args.next());
  return lmoveGeneric(c, src, dst, from, to);
}

// RPOPLPUSH source destination
function rpoplpush(c: Ctx): Reply {
  const src = c.args.next();
  const dst = c.args.next();
  return lmoveGeneric(c, src, dst, Where.Tail, Where.Head);
}

function lmoveGeneric(c: Ctx, srcKey: string, dstKey: string, from: Where, to: Where): Reply {
  const src = listForWrite(c, srcKey);
  if (src === undefined || src.size === 0) return null;
  const dst = listForWrite(c, dstKey);
  return moveElement(c, srcKey, src, dstKey, dst, from, to);
}

// ---- the table ----------------------------------------------------------------------------------------------

// ---- blocking variants -----------------------------------------------------------------------------------
// Each first tries what its non-blocking twin does; only when every key is empty does it block (see
// blocking.ts). The serve function re-runs the same pop when a key becomes ready, so a served client gets
// exactly the reply, events and deletions the non-blocking command would have produced.

function bpop(c: Ctx, where: Where): Reply {
  const a = c.args;
  const keys = a.argv.slice(a.i, a.argv.length - 1);
  a.i = a.argv.length - 1;
  const timeout = a.nextTimeout();
  for (const key of keys) {
    const list = listForWrite(c, key);
    if (list !== undefined && list.size > 0) return [key, popElements(c, key, list, where, 1)[0]];
  }
  return c.block(keys, timeout, (c2, key) => {
    const list = listForWrite(c2, key);
    if (list === undefined || list.size === 0) return undefined;
    return [key, popElements(c2, key, list, where, 1)[0]];
  });
}

// BLPOP key [key ...] timeout
const blpop = (c: Ctx) => bpop(c, Where.Head);
// BRPOP key [key ...] timeout
const brpop = (c: Ctx) => bpop(c, Where.Tail);

function bmove(c: Ctx, srcKey: string, dstKey: string, from: Where, to: Where, timeout: number): Reply {
  const src = listForWrite(c, srcKey);
  if (src !== undefined && src.size > 0) return moveElement(c, srcKey, src, dstKey, listForWrite(c, dstKey), from, to);
  // Inside MULTI a BLMOVE on an empty list answers a null bulk string, not a null array.
  if (c.session.inExec) return null;
  return c.block([srcKey], timeout, (c2) => {
    const s2 = listForWrite(c2, srcKey);
    if (s2 === undefined || s2.size === 0) return undefined;
    return moveElement(c2, srcKey, s2, dstKey, listForWrite(c2, dstKey), from, to);
  });
}

// BLMOVE source destination <LEFT | RIGHT> <LEFT | RIGHT> timeout
function blmove(c: Ctx): Reply {
  const src = c.args.next();
  const dst = c.args.next();
  const from = parseWhere(c.args.next());
  const to = parseWhere(c.args.next());
  return bmove(c, src, dst, from, to, c.args.nextTimeout());
}

// BRPOPLPUSH source destination timeout
function brpoplpush(c: Ctx): Reply {
  const src = c.args.next();
  const dst = c.args.next();
  return bmove(c, src, dst, Where.Tail, Where.Head, c.args.nextTimeout());
}

// BLMPOP timeout numkeys key [key ...] <LEFT | RIGHT> [COUNT count]
function blmpop(c: Ctx): Reply {
  const timeout = c.args.nextTimeout();
  const m = parseMpopArgs(c);
  const now = mpop(c, m);
  if (now !== null) return now;
  return c.block(m.keys, timeout, (c2, key) => {
    const list = listForWrite(c2, key);
    if (list === undefined || list.size === 0) return undefined;
    return [key, popElements(c2, key, list, m.where, m.count)];
  });
}


const L = { acl: ['list'] as CommandSpec['acl'], group: 'list' };
const K1: [number, number, number] = [1, 1, 1];
const PUSH_COMPLEXITY =
  'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.';

export const commands: CommandSpec[] = [
  {
    name: 'lindex', arity: 3, flags: ['readonly'], ...L, keys: K1, summary: 'Get an element from a list by its index',
    since: '1.0.0', syntax: 'LINDEX key index',
    complexity:
      'O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).',
    handler: lindex,
  },
  {
    name: 'linsert', arity: 5, flags: ['write', 'denyoom'], ...L, keys: K1,
    summary: 'Insert an element before or after another element in a list', since: '2.2.0',
    syntax: 'LINSERT key <BEFORE | AFTER> pivot element',
    complexity:
      'O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).',
    keySpecs: [rng(['RW', 'insert'])],
    handler: linsert,
  },
  {
    name: 'llen', arity: 2, flags: ['readonly', 'fast'], ...L, keys: K1, summary: 'Get the length of a list',
    since: '1.0.0', syntax: 'LLEN key', complexity: 'O(1)', keySpecs: [rng(['RO'])],
    handler: llen,
  },
  {
    name: 'lmove', arity: 5, flags: ['write', 'denyoom'], ...L, keys: [1, 2, 1],
    summary: 'Pop an element from a list, push it to another list and return it', since: '6.2.0',
    syntax: 'LMOVE source destination <LEFT | RIGHT> <LEFT | RIGHT>', complexity: 'O(1)', keySpecs: [rng(['RW', 'access', 'delete']), rng(['RW', 'insert'], 2)],
    handler: lmove,
  },
  {
    name: 'lmpop', arity: -4, flags: ['write', 'movablekeys'], ...L, keys: [0, 0, 0],
    summary: 'Pop elements from a list', since: '7.0.0',
    syntax: 'LMPOP numkeys key [key ...] <LEFT | RIGHT> [COUNT count]',
    complexity: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.',
    keySpecs: [keynum(['RW', 'access', 'delete'])],
    handler: lmpop,
  },
  {
    name: 'lpop', arity: -2, flags: ['write', 'fast'], ...L, keys: K1, summary: 'Remove and get the first elements in a list',
    since: '1.0.0', syntax: 'LPOP key [count]', complexity: 'O(N) where N is the number of elements returned',
    keySpecs: [rng(['RW', 'access', 'delete'])], history: [['6.2.0', 'Added the `count` argument.']],
    handler: lpop,
  },
  {
    name: 'lpos', arity: -3, flags: ['readonly'], ...L, keys: K1, summary: 'Return the index of matching elements on a list',
    since: '6.0.6', syntax: 'LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]',
    complexity:
      'O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.',
    handler: lpos,
  },
  {
    name: 'lpush', arity: -3, flags: ['write', 'denyoom', 'fast'], ...L, keys: K1,
    summary: 'Prepend one or multiple elements to a list', since: '1.0.0', syntax: 'LPUSH key element [element ...]',
    complexity: PUSH_COMPLEXITY, keySpecs: [rng(['RW', 'insert'])], history: [['2.4.0', 'Accepts multiple `element` arguments.']],
    handler: lpush,
  },
  {
    name: 'lpushx', arity: -3, flags: ['write', 'denyoom', 'fast'], ...L, keys: K1,
    summary: 'Prepend an element to a list, only if the list exists', since: '2.2.0',
    syntax: 'LPUSHX key element [element ...]', complexity: PUSH_COMPLEXITY, keySpecs: [rng(['RW', 'insert'])], history: [['4.0.0', 'Accepts multiple `element` arguments.']],
    handler: lpushx,
  },
  {
    name: 'lrange', arity: 4, flags: ['readonly'], ...L, keys: K1, summary: 'Get a range of elements from a list',
    since: '1.0.0', syntax: 'LRANGE key start stop',
    complexity:
      'O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.',
    handler: lrange,
  },
  {
    name: 'lrem', arity: 4, flags: ['write'], ...L, keys: K1, summary: 'Remove elements from a list', since: '1.0.0',
    syntax: 'LREM key count element',
    complexity: 'O(N+M) where N is the length of the list and M is the number of elements removed.', keySpecs: [rng(['RW', 'delete'])],
    handler: lrem,
  },
  {
    name: 'lset', arity: 4, flags: ['write', 'denyoom'], ...L, keys: K1,
    summary: 'Set the value of an element in a list by its index', since: '1.0.0', syntax: 'LSET key index element',
    complexity: 'O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).',
    handler: lset,
  },
  {
    name: 'ltrim', arity: 4, flags: ['write'], ...L, keys: K1, summary: 'Trim a list to the specified range',
    since: '1.0.0', syntax: 'LTRIM key start stop',
    complexity: 'O(N) where N is the number of elements to be removed by the operation.', keySpecs: [rng(['RW', 'delete'])],
    handler: ltrim,
  },
  {
    name: 'rpop', arity: -2, flags: ['write', 'fast'], ...L, keys: K1, summary: 'Remove and get the last elements in a list',
    since: '1.0.0', syntax: 'RPOP key [count]', complexity: 'O(N) where N is the number of elements returned',
    keySpecs: [rng(['RW', 'access', 'delete'])], history: [['6.2.0', 'Added the `count` argument.']],
    handler: rpop,
  },
  {
    name: 'rpoplpush', arity: 3, flags: ['write', 'denyoom'], ...L, keys: [1, 2, 1],
    summary: 'Remove the last element in a list, prepend it to another list and return it', since: '1.2.0',
    syntax: 'RPOPLPUSH source destination', complexity: 'O(1)', keySpecs: [rng(['RW', 'access', 'delete']), rng(['RW', 'insert'], 2)], docFlags: ['deprecated'], deprecatedSince: '6.2.0', replacedBy: '`LMOVE` with the `RIGHT` and `LEFT` arguments',
    handler: rpoplpush,
  },
  {
    name: 'rpush', arity: -3, flags: ['write', 'denyoom', 'fast'], ...L, keys: K1,
    summary: 'Append one or multiple elements to a list', since: '1.0.0', syntax: 'RPUSH key element [element ...]',
    complexity: PUSH_COMPLEXITY, keySpecs: [rng(['RW', 'insert'])], history: [['2.4.0', 'Accepts multiple `element` arguments.']],
    handler: rpush,
  },
  {
    name: 'rpushx', arity: -3, flags: ['write', 'denyoom', 'fast'], ...L, keys: K1,
    summary: 'Append an element to a list, only if the list exists', since: '2.2.0',
    syntax: 'RPUSHX key element [element ...]', complexity: PUSH_COMPLEXITY, keySpecs: [rng(['RW', 'insert'])], history: [['4.0.0', 'Accepts multiple `element` arguments.']],
    handler: rpushx,
  },
  {
    name: 'blpop', arity: -3, flags: ['write', 'noscript', 'blocking'], ...L, keys: [1, -2, 1],
    summary: 'Remove and get the first element in a list, or block until one is available', since: '2.0.0',
    syntax: 'BLPOP key [key ...] timeout', complexity: 'O(N) where N is the number of provided keys.',
    keySpecs: [rng(['RW', 'access', 'delete'], 1, -2)], history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
    handler: blpop,
  },
  {
    name: 'brpop', arity: -3, flags: ['write', 'noscript', 'blocking'], ...L, keys: [1, -2, 1],
    summary: 'Remove and get the last element in a list, or block until one is available', since: '2.0.0',
    syntax: 'BRPOP key [key ...] timeout', complexity: 'O(N) where N is the number of provided keys.',
    keySpecs: [rng(['RW', 'access', 'delete'], 1, -2)], history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
    handler: brpop,
  },
  {
    name: 'blmove', arity: 6, flags: ['write', 'denyoom', 'noscript', 'blocking'], ...L, keys: [1, 2, 1],
    summary: 'Pop an element from a list, push it to another list and return it; or block until one is available',
    since: '6.2.0', syntax: 'BLMOVE source destination <LEFT | RIGHT> <LEFT | RIGHT> timeout', complexity: 'O(1)',
    keySpecs: [rng(['RW', 'access', 'delete']), rng(['RW', 'insert'], 2)],
    handler: blmove,
  },
  {
    name: 'brpoplpush', arity: 4, flags: ['write', 'denyoom', 'noscript', 'blocking'], ...L, keys: [1, 2, 1],
    summary: 'Pop an element from a list, push it to another list and return it; or block until one is available',
    since: '2.2.0', syntax: 'BRPOPLPUSH source destination timeout', complexity: 'O(1)',
    keySpecs: [rng(['RW', 'access', 'delete']), rng(['RW', 'insert'], 2)],
    history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
    docFlags: ['deprecated'], deprecatedSince: '6.2.0', replacedBy: '`BLMOVE` with the `RIGHT` and `LEFT` arguments',
    handler: brpoplpush,
  },
  {
    name: 'blmpop', arity: -5, flags: ['write', 'blocking', 'movablekeys'], ...L, keys: [0, 0, 0],
    summary: 'Pop elements from a list, or block until one is available', since: '7.0.0',
    syntax: 'BLMPOP timeout numkeys key [key ...] <LEFT | RIGHT> [COUNT count]',
    complexity: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.',
    keySpecs: [{ flags: ['RW', 'access', 'delete'], begin: { index: 2 }, find: { keynumidx: 0, firstkey: 1, keystep: 1 } }],
    handler: blmpop,
  },
];
