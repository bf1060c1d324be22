/**
 * SORT and SORT_RO (Redis's sort.c): the elements of a list, set or sorted set, sorted numerically or
 * alphabetically by themselves or by the values of other keys, optionally projected through GET patterns and
 * stored as a list.
 *
 * Rules kept from Redis 7.0, down to the order of equal elements:
 * - Numeric sort reads each weight as C's strtod does (leading blanks, hex floats, "inf" accepted; the text
 *   ends at its first NUL byte; an empty text is 0). Text left over, NaN, overflow or an inexact underflow
 *   is "One or more scores can't be converted into double" — after every weight was looked up. Equal
 *   weights fall back to the elements' bytes, so the order is total.
 * - ALPHA compares bytes. Without STORE Redis uses strcoll, which in the C / C.UTF-8 locale Debian runs it
 *   under is strcmp: the texts end at their first NUL byte ("a\0x" equals "a"). With STORE it compares the
 *   whole binary strings. A missing BY weight sorts first (ALPHA) or weighs 0 (numeric).
 * - Redis sorts with the C library's qsort, a stable merge sort in glibc: equal elements keep their input
 *   order, as Array.prototype.sort (stable) keeps it here. With BY and a LIMIT that does not cover every
 *   element Redis runs its own partial quicksort (pqsort.c); `pqsort` below is the same algorithm, so the
 *   elements within the range come out in the same places, ties included.
 * - BY with no `*` (say BY nosort) sorts nothing: a list or sorted set comes in its own order (reversed by
 *   DESC) with LIMIT applied to it; a set comes in iteration order (DESC ignored), except with STORE where
 *   it is sorted ALPHA so the stored result does not depend on the set's layout.
 * - Patterns: the first `*` takes the element; `->field` after it reads a hash field; `#` is the element
 *   itself; a pattern without `*` finds nothing. Patterns and option names end at a NUL byte as Redis's
 *   C string functions see them.
 * - Sorting a sorted set converts it to the skiplist encoding for good, as Redis does (zsetConvert).
 * - STORE writes a list (a GET that finds nothing stores ""), firing "sortstore"; an empty result deletes
 *   the destination ("del" if it existed).
 *
 * Not reproduced: the order in which Redis iterates a hashtable set or the dict of a sorted set (it depends on
 * a per-process random hash seed), which shows only with BY nosort on such a set or with ties; and Redis's
 * errno left over from an earlier strtod range error, which makes its later numeric sorts of non-integer
 * texts fail until some other command clears errno. There is no scripting, cluster or ACL key restriction
 * here, so the script rule for BY nosort on sets and the cluster/ACL refusals of BY and GET never apply.
 */
import type { CommandSpec, KeyFlag } from '../command.js';
import type { Ctx } from '../ctx.js';
import { Deque } from '../ds/deque.js';
import { CommandError, E } from '../errors.js';
import { ObjType } from '../keyspace.js';
import { NotifyClass } from '../notify.js';
import type { Reply } from '../reply.js';
import type { HashValue } from './hash.js';
import { ListValue } from './list.js';
import type { SetValue } from './set.js';
import type { ZSetValue } from './zset.js';

// ---- C string views ---------------------------------------------------------------------------------------

/** The text as a C string function sees it: up to its first NUL byte. */
function cstr(s: string): string {
  const z = s.indexOf('\0');
  return z < 0 ? s : s.slice(0, z);
}

/** An option name as strcasecmp compares it: ASCII case folded, ending at a NUL byte. */
function keyword(s: string): string {
  return cstr(s).replace(/[A-Z]+/g, (x) => x.toLowerCase());
}

// ---- weights: C's strtod ----------------------------------------------------------------------------------

const BLANKS = /^[ \t\n\v\f\r]+/;
const DECIMAL = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/;
const HEXFLOAT = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?[0-9]+))?$/;
const INFINITY = /^[+-]?(?:inf|infinity)$/i;

/** 2^-1022, the least normal double. */
const MIN_NORMAL = 2 ** -1022;
/** 2^54 - 1: below (2^54 - 1) · 2^-1076 a value still rounds below 2^-1022 with 53 bits (glibc's "tiny"). */
const TINY_LIMIT = (1n << 54n) - 1n;

/**
 * A weight as Redis reads it: strtod over the C string, refused (null) when text is left over, when it is
 * NaN, or when strtod reports ERANGE — an overflow, or a result that is tiny (below 2^-1022 even after
 * rounding to 53 bits, glibc's tininess after rounding) and inexact.
 */
export function sortWeight(text: string): number | null {
  const c = cstr(text);
  // No conversion at all leaves the end pointer at the start: fine only when that is the string's end.
  if (c === '') return 0;
  const s = c.replace(BLANKS, '');
  const dec = DECIMAL.exec(s);
  if (dec !== null && (dec[2] !== '' || (dec[3] ?? '') !== '')) return decimalWeight(s, dec);
  if (INFINITY.test(s)) return s[0] === '-' ? -Infinity : Infinity;
  const hex = HEXFLOAT.exec(s);
  if (hex !== null && (hex[2] !== '' || (hex[3] ?? '') !== '')) return hexWeight(hex);
  return null;
}

function decimalWeight(s: string, m: RegExpExecArray): number | null {
  const d = Number(s); // correctly rounded, as glibc's strtod
  if (!Number.isFinite(d)) return null;
  if (Math.abs(d) > MIN_NORMAL) return d;
  const digits = (m[2] + (m[3] ?? '')).replace(/^0+/, '');
  if (digits === '') return d; // an exact zero
  if (d === 0) return null;
  // |value| = N / 10^k with k > 0 (it is below 1).
  const n = BigInt(digits);
  const k = (m[3] ?? '').length - (m[4] === undefined ? 0 : parseInt(m[4], 10));
  const p10 = 10n ** BigInt(k);
  const tiny = n << 1076n < TINY_LIMIT * p10;
  const exact = n << 1074n === BigInt(Math.abs(d) * 2 ** 537 * 2 ** 537) * p10;
  return tiny && !exact ? null : d;
}

function hexWeight(m: RegExpExecArray): number | null {
  const frac = m[3] ?? '';
  const mant = BigInt('0x0' + m[2] + frac);
  const sign = m[1] === '-' ? -1 : 1;
  if (mant === 0n) return sign * 0;
  // |value| = mant · 2^exp exactly, in [2^(exp+bits-1), 2^(exp+bits)).
  const exp = (m[4] === undefined ? 0 : parseInt(m[4], 10)) - 4 * frac.length;
  const bits = mant.toString(2).length;
  if (exp + bits > 1025) return null; // overflow
  if (exp + bits < -1100) return null; // rounds to 0: tiny and inexact
  // The weight of the last bit kept: 53 significant bits, but never below the least subnormal.
  const ulp = Math.max(bits - 53 + exp, -1074);
  const { q, inexact } = roundShift(mant, ulp - exp);
  const half = Math.trunc(ulp / 2);
  const v = Number(q) * 2 ** half * 2 ** (ulp - half);
  if (!Number.isFinite(v)) return null;
  const shift = exp + 1076;
  const tiny = shift >= 0 ? mant << BigInt(shift) < TINY_LIMIT : mant < TINY_LIMIT << BigInt(-shift);
  return tiny && inexact ? null : sign * v;
}

/** mant / 2^s rounded to nearest, ties to even (s ≤ 0 multiplies), and whether bits were lost. */
function roundShift(mant: bigint, s: number): { q: bigint; inexact: boolean } {
  if (s <= 0) return { q: mant << BigInt(-s), inexact: false };
  const bs = BigInt(s);
  let q = mant >> bs;
  const rem = mant - (q << bs);
  const half = 1n << (bs - 1n);
  if (rem > half || (rem === half && (q & 1n) === 1n)) q++;
  return { q, inexact: rem !== 0n };
}

// ---- patterns --------------------------------------------------------------------------------------------

/**
 * Redis's lookupKeyByPattern: `#` is the element itself; else the first `*` of the pattern is replaced by the
 * element and the key read (a read lookup: stats, keymiss), giving a string's value or, with `->field` after
 * the `*`, a hash field's; anything else (no `*`, missing key or field, another type) is null.
 */
function lookupByPattern(c: Ctx, pattern: string, subst: string): string | null {
  const cpat = cstr(pattern);
  if (cpat === '#') return subst;
  const star = cpat.indexOf('*');
  if (star < 0) return null;
  const arrow = cpat.indexOf('->', star + 1);
  const hasField = arrow >= 0 && arrow + 2 < cpat.length;
  const key = pattern.slice(0, star) + subst + pattern.slice(star + 1, hasField ? arrow : pattern.length);
  const e = c.read(key);
  if (e === undefined) return null;
  if (hasField) return e.type === ObjType.Hash ? ((e.value as HashValue).get(pattern.slice(arrow + 2)) ?? null) : null;
  return e.type === ObjType.String ? (e.value as string) : null;
}

// ---- Redis's pqsort ---------------------------------------------------------------------------------------

/**
 * Bentley & McIlroy's quicksort as Redis's pqsort.c runs it: median-of-three (of nine above 40 elements)
 * pivot, three-way partition with the equal elements swapped to the ends and back, insertion sort below 7
 * elements — and parts lying wholly outside [lo, hi] left unsorted. The same swaps in the same order, so
 * equal elements end where Redis puts them.
 */
export function pqsort<T>(v: T[], cmp: (a: T, b: T) => number, lo: number, hi: number): void {
  const swap = (i: number, j: number): void => {
    const t = v[i];
    v[i] = v[j];
    v[j] = t;
  };
  const med3 = (a: number, b: number, c: number): number =>
    cmp(v[a], v[b]) < 0
      ? cmp(v[b], v[c]) < 0 ? b : cmp(v[a], v[c]) < 0 ? c : a
      : cmp(v[b], v[c]) > 0 ? b : cmp(v[a], v[c]) < 0 ? a : c;
  // Whether the part [from, from + n) holds any of the wanted range.
  const wanted = (from: number, n: number): boolean =>
    !((lo < from && hi < from) || (lo >= from + n && hi >= from + n));
  // Parts are independent, so a stack in place of Redis's recursion changes nothing but the stack depth.
  const todo: [number, number][] = [[0, v.length]];
  while (todo.length > 0) {
    let [a, n] = todo.pop()!;
    for (;;) {
      if (n < 7) {
        for (let m = a + 1; m < a + n; m++) for (let l = m; l > a && cmp(v[l - 1], v[l]) > 0; l--) swap(l, l - 1);
        break;
      }
      let pm = a + Math.floor(n / 2);
      if (n > 7) {
        let pl = a;
        let pn = a + n - 1;
        if (n > 40) {
          const d = Math.floor(n / 8);
          pl = med3(pl, pl + d, pl + 2 * d);
          pm = med3(pm - d, pm, pm + d);
          pn = med3(pn - 2 * d, pn - d, pn);
        }
        pm = med3(pl, pm, pn);
      }
      swap(a, pm);
      let pa = a + 1;
      let pb = pa;
      let pc = a + n - 1;
      let pd = pc;
      for (;;) {
        let r: number;
        while (pb <= pc && (r = cmp(v[pb], v[a])) <= 0) {
          if (r === 0) swap(pa++, pb);
          pb++;
        }
        while (pb <= pc && (r = cmp(v[pc], v[a])) >= 0) {
          if (r === 0) swap(pc, pd--);
          pc--;
        }
        if (pb > pc) break;
        swap(pb++, pc--);
      }
      const end = a + n;
      let r = Math.min(pa - a, pb - pa);
      for (let i = a, j = pb - r; r > 0; r--) swap(i++, j++);
      r = Math.min(pd - pc, end - pd - 1);
      for (let i = pb, j = end - r; r > 0; r--) swap(i++, j++);
      if ((r = pb - pa) > 1 && wanted(a, r)) todo.push([a, r]);
      if ((r = pd - pc) > 1 && wanted(end - r, r)) {
        a = end - r;
        n = r;
        continue;
      }
      break;
    }
  }
}

// ---- the command ------------------------------------------------------------------------------------------

/** One element being sorted: its numeric weight, or its ALPHA comparison text (null: no BY value). */
interface Item {
  ele: string;
  score: number;
  text: string | null;
}

/** Binary order, as memcmp then length (compareStringObjects). */
const bytesCmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const SCORE_ERROR = "ERR One or more scores can't be converted into double";

/** A value's elements in the order Redis loads them for sorting. */
function allElements(type: ObjType, value: unknown): string[] {
  if (type === ObjType.List) return (value as ListValue).items.toArray();
  if (type === ObjType.Set) return (value as SetValue).members();
  const out: string[] = [];
  (value as ZSetValue).forEach((ele) => void out.push(ele));
  return out;
}

/** Redis's sortCommandGeneric: SORT, and SORT_RO (`readonly`: no STORE option). */
function sortGeneric(c: Ctx, readonly: boolean): Reply {
  const a = c.args;
  const key = a.next();
  let desc = false;
  let alpha = false;
  let limitStart = 0;
  let limitCount = -1;
  let by: string | null = null;
  let store: string | null = null;
  let dontsort = false;
  const gets: string[] = [];
  while (a.has()) {
    const left = a.remaining - 1;
    const opt = keyword(a.next());
    if (opt === 'asc') desc = false;
    else if (opt === 'desc') desc = true;
    else if (opt === 'alpha') alpha = true;
    else if (opt === 'limit' && left >= 2) {
      limitStart = a.nextIndex();
      limitCount = a.nextIndex();
    } else if (!readonly && opt === 'store' && left >= 1) store = a.next();
    else if (opt === 'by' && left >= 1) {
      by = a.next();
      // A constant BY (no `*`) means no sorting, and stays so whatever BY follows.
      if (!cstr(by).includes('*')) dontsort = true;
    } else if (opt === 'get' && left >= 1) gets.push(a.next());
    else throw new CommandError(E.SYNTAX);
  }

  const e = c.read(key);
  const type = e?.type ?? ObjType.List;
  if (type !== ObjType.List && type !== ObjType.Set && type !== ObjType.ZSet) throw new CommandError(E.WRONGTYPE);
  // Stored results must not depend on a set's layout: sort them ALPHA instead.
  if (dontsort && type === ObjType.Set && store !== null) {
    dontsort = false;
    alpha = true;
    by = null;
  }
  if (e !== undefined && type === ObjType.ZSet) (e.value as ZSetValue).encoding = 'skiplist';

  const len = e === undefined ? 0 : (e.value as { size: number }).size;
  let start = Math.min(Math.max(limitStart, 0), len);
  const count = Math.min(Math.max(limitCount, -1), len);
  let end = count < 0 ? len - 1 : start + count - 1;
  if (start >= len) {
    start = len - 1;
    end = len - 2;
  }
  if (end >= len) end = len - 1;

  // Unsorted lists and sorted sets load just the range; anything sorted is weighed whole, whatever LIMIT says.
  let out: string[];
  if (e === undefined) {
    out = [];
  } else if (dontsort && type !== ObjType.Set) {
    if (end < start) out = [];
    else if (type === ObjType.List) {
      const items = (e.value as ListValue).items;
      out = desc ? items.range(len - 1 - end, len - 1 - start, true) : items.range(start, end);
    } else {
      const z = e.value as ZSetValue;
      out = z.slice(desc ? len - 1 - start : start, end - start + 1, desc).map((p) => p.ele);
    }
  } else if (dontsort) {
    out = (e.value as SetValue).members().slice(start, end + 1);
  } else {
    out = sorted(c, allElements(type, e.value), { desc, alpha, by, store: store !== null }, start, end);
  }

  const outputlen = gets.length > 0 ? gets.length * out.length : out.length;
  if (store === null) {
    if (gets.length === 0) return out;
    const reply: Reply[] = [];
    for (const ele of out) for (const g of gets) reply.push(lookupByPattern(c, g, ele));
    return reply;
  }

  const result: string[] = [];
  for (const ele of out) {
    if (gets.length === 0) result.push(ele);
    else for (const g of gets) result.push(lookupByPattern(c, g, ele) ?? '');
  }
  if (outputlen > 0) {
    c.write(store); // lazy expiry first, as setKey's lookupKeyWrite
    c.db.setKey(store, ObjType.List, new ListValue(Deque.from(result)), c.now);
    c.modified(store, c.db, outputlen);
    c.notify(NotifyClass.List, 'sortstore', store);
  } else if (c.db.remove(store)) {
    // dbDelete: no expiry check, a present key is deleted with "del" even past its time.
    c.modified(store);
    c.notify(NotifyClass.Generic, 'del', store);
  }
  return outputlen;
}

interface SortOptions {
  desc: boolean;
  alpha: boolean;
  by: string | null;
  store: boolean;
}

/**
 * Weigh every element (all BY lookups happen, in load order, before a conversion error is reported), sort,
 * and return the elements at [start, end].
 */
function sorted(c: Ctx, elements: string[], o: SortOptions, start: number, end: number): string[] {
  const items: Item[] = new Array(elements.length);
  let bad = false;
  for (let j = 0; j < elements.length; j++) {
    const ele = elements[j];
    const it: Item = { ele, score: 0, text: null };
    items[j] = it;
    const w = o.by === null ? ele : lookupByPattern(c, o.by, ele);
    if (w === null) continue;
    if (o.alpha) {
      // strcoll in the C locale stops at NUL; with STORE Redis compares the whole binary strings.
      it.text = o.store ? w : cstr(w);
    } else {
      const s = sortWeight(w);
      if (s === null) bad = true;
      else it.score = s;
    }
  }
  if (bad) throw new CommandError(SCORE_ERROR);

  let cmp: (x: Item, y: Item) => number;
  if (!o.alpha) {
    cmp = (x, y) => (x.score > y.score ? 1 : x.score < y.score ? -1 : bytesCmp(x.ele, y.ele));
  } else if (o.by !== null) {
    cmp = (x, y) => {
      if (x.text !== null && y.text !== null) return bytesCmp(x.text, y.text);
      return x.text === y.text ? 0 : x.text === null ? -1 : 1;
    };
  } else {
    cmp = (x, y) => bytesCmp(x.text!, y.text!);
  }
  const ordered = o.desc ? (x: Item, y: Item) => -cmp(x, y) : cmp;
  if (o.by !== null && (start !== 0 || end !== items.length - 1)) pqsort(items, ordered, start, end);
  else items.sort(ordered);
  const out: string[] = [];
  for (let j = start; j <= end; j++) out.push(items[j].ele);
  return out;
}

// SORT key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC] [ALPHA] [STORE destination]
function sort(c: Ctx): Reply {
  return sortGeneric(c, false);
}

// SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC] [ALPHA]
function sortRo(c: Ctx): Reply {
  return sortGeneric(c, true);
}

// ---- key positions ----------------------------------------------------------------------------------------

const RO: KeyFlag[] = ['RO', 'access'];
const OW: KeyFlag[] = ['OW', 'update'];

/**
 * Redis's sortGetKeys: the sorted key, and the argument after the last STORE. Options are skipped by their
 * argument counts (LIMIT 2, GET 1, BY 1); STORE skips nothing, so in `STORE store x` the second "store" is
 * read as an option again.
 */
function sortKeys(argv: readonly string[]): { pos: number; flags: KeyFlag[] }[] {
  const keys = [{ pos: 1, flags: RO }];
  let dest = 0;
  for (let i = 2; i < argv.length; i++) {
    const opt = keyword(argv[i]);
    if (opt === 'limit') i += 2;
    else if (opt === 'get' || opt === 'by') i += 1;
    else if (opt === 'store' && i + 1 < argv.length) dest = i + 1;
  }
  if (dest > 0) keys.push({ pos: dest, flags: OW });
  return keys;
}

const SORT_COMPLEXITY =
  'O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).';
const BY_GET_NOTES =
  "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort";
const STORE_NOTES =
  "For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array";
const sortedKey = { flags: RO, begin: { index: 1 }, find: { lastkey: 0, keystep: 1, limit: 0 } };
const patternKeys = { notes: BY_GET_NOTES, flags: RO, begin: { unknown: true as const }, find: { unknown: true as const } };

export const commands: CommandSpec[] = [
  {
    name: 'sort', arity: -2, flags: ['write', 'denyoom', 'movablekeys'], acl: ['set', 'sortedset', 'list', 'dangerous'],
    keys: [1, 1, 1], group: 'generic', summary: 'Sort the elements in a list, set or sorted set', since: '1.0.0',
    syntax: 'SORT key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC] [ALPHA] [STORE destination]',
    complexity: SORT_COMPLEXITY,
    keySpecs: [
      sortedKey,
      patternKeys,
      { notes: STORE_NOTES, flags: OW, begin: { unknown: true }, find: { unknown: true } },
    ],
    getKeys: sortKeys,
    handler: sort,
  },
  {
    name: 'sort_ro', arity: -2, flags: ['readonly', 'movablekeys'], acl: ['set', 'sortedset', 'list', 'dangerous'],
    keys: [1, 1, 1], group: 'generic', summary: 'Sort the elements in a list, set or sorted set. Read-only variant of SORT.',
    since: '7.0.0', syntax: 'SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC] [ALPHA]',
    complexity: SORT_COMPLEXITY,
    keySpecs: [sortedKey, patternKeys],
    getKeys: () => [1],
    handler: sortRo,
  },
];
