/**
 * Strings (Redis's t_string.c). A string value is the binary string itself (Entry.value).
 *
 * Encoding (OBJECT ENCODING) is not stored: it follows from the value and two hints on the entry, as Redis's
 * tryObjectEncoding decides it — see stringEncoding().
 */
import type { CommandSpec, KeyFlag, KeySpec } from '../command.js';
import type { Ctx } from '../ctx.js';
import { CommandError, E, invalidExpire, wrongArity } from '../errors.js';
import { ObjType, type Entry } from '../keyspace.js';
import {
  addLongDouble,
  formatLongDoubleHuman,
  isFiniteLD,
  longDoubleFromInt,
  parseLongDouble,
  type LongDouble,
} from '../longdouble.js';
import { NotifyClass } from '../notify.js';
import { addI64, I64_MAX, I64_MIN, i64ToString, parseI64, toIndex, type Int64 } from '../numbers.js';
import { map, OK, type Reply } from '../reply.js';

// ---- the value and its encoding -------------------------------------------------------------------------

/** Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT. */
const EMBSTR_SIZE_LIMIT = 44;

/**
 * OBJECT ENCODING of a string entry, as Redis 7.0 reports it:
 * - "raw" once APPEND or SETRANGE rewrote it in place (Entry.raw), whatever its length;
 * - "int" when the text is a 64-bit integer as string2l reads it (≤ 20 chars) and it was stored through
 *   tryObjectEncoding (SET, MSET, GETSET, APPEND on a new key …) or by INCR/DECR;
 * - else "embstr" up to 44 bytes and "raw" beyond. INCRBYFLOAT stores its result as a plain string object,
 *   never int-encoded, even when it reads "11" (Entry.notInt).
 */
export function stringEncoding(e: Entry): 'int' | 'embstr' | 'raw' {
  if (e.raw) return 'raw';
  const v = e.value as string;
  if (!e.notInt && v.length <= 20 && parseI64(v) !== null) return 'int';
  return v.length <= EMBSTR_SIZE_LIMIT ? 'embstr' : 'raw';
}

/** Store a string value, dropping the TTL unless `keepTtl` (setKey in Redis). */
export function setString(c: Ctx, key: string, value: string, keepTtl = false): Entry {
  return c.db.setKey(key, ObjType.String, value, c.now, keepTtl);
}

/** Replace a present string's value in place, keeping its TTL (dbOverwrite of a new object). */
function overwrite(e: Entry, value: string, notInt: boolean): void {
  e.value = value;
  e.raw = false;
  e.notInt = notInt;
}

/** V8 cannot hold a string longer than this (2^29 − 24 one-byte chars). */
const MAX_JS_STRING = 2 ** 29 - 24;

/**
 * Redis's checkStringLength: a string of `size + append` bytes must fit proto-max-bulk-len. Checked before
 * building anything, so an oversized request allocates nothing. Beyond V8's own string limit (just under the
 * default 512MB) the same error is given, since such a string cannot exist here.
 */
function checkStringLength(c: Ctx, size: Int64, append: number): void {
  const total = Number(size) + append;
  if (total > c.engine.config.getInt('proto-max-bulk-len') || total > MAX_JS_STRING) {
    throw new CommandError(E.MAX_STRING);
  }
}

// ---- expire arguments ---------------------------------------------------------------------------------------

/** LLONG_MAX / 1000: the largest number of seconds whose milliseconds do not overflow. */
const MAX_EXPIRE_SECONDS = I64_MAX / 1000n;

/**
 * Redis's getExpireMillisecondsOrReply: an EX/PX/EXAT/PXAT argument (already read as an integer) as an
 * absolute time in ms. Not positive, seconds whose ms overflow, or a relative time whose sum with now
 * overflows 64 bits → "invalid expire time in '<cmd>' command". Times beyond 2^53 ms (year 287396 and later)
 * are kept to the nearest double, which no clock reaches.
 */
export function expireAt(c: Ctx, raw: Int64, unitMs: 1 | 1000, absolute: boolean, cmd: string): number {
  if (raw <= 0 || (unitMs === 1000 && raw > MAX_EXPIRE_SECONDS)) throw new CommandError(invalidExpire(cmd));
  if (typeof raw === 'number') {
    const ms = raw * unitMs + (absolute ? 0 : c.now);
    if (Number.isSafeInteger(ms)) return ms;
  }
  const ms = BigInt(raw) * BigInt(unitMs) + (absolute ? 0n : BigInt(c.now));
  if (ms > I64_MAX) throw new CommandError(invalidExpire(cmd));
  return Number(ms);
}

/** An expire argument's text → absolute ms; a non-integer is Redis's "not an integer" error. */
function expireArg(c: Ctx, text: string, flags: number, cmd: string): number {
  const v = parseI64(text);
  if (v === null) throw new CommandError(E.NOT_INT);
  return expireAt(c, v, flags & (Opt.EX | Opt.EXAT) ? 1000 : 1, !!(flags & (Opt.EXAT | Opt.PXAT)), cmd);
}

// ---- SET / GETEX options (parseExtendedStringArgumentsOrReply) -----------------------------------------------

/**
 * The next option keyword as Redis's C comparisons see it: case-folded, and ending at the first NUL byte
 * (Redis accepts "NX\0anything" as NX).
 */
function nextKeyword(c: Ctx): string {
  const s = c.args.nextUpper();
  const z = s.indexOf('\0');
  return z < 0 ? s : s.slice(0, z);
}

const enum Opt {
  NX = 1,
  XX = 2,
  EX = 4,
  PX = 8,
  KEEPTTL = 16,
  GET = 32,
  EXAT = 64,
  PXAT = 128,
  PERSIST = 256,
}
const EXPIRES = Opt.EX | Opt.PX | Opt.EXAT | Opt.PXAT;

interface Options {
  flags: number;
  /** The text of the last EX/PX/EXAT/PXAT argument, validated only when the command gets to use it. */
  expire: string | null;
}

/**
 * SET's (forSet) or GETEX's options, with Redis's compatibility rules: NX excludes XX; KEEPTTL, PERSIST and
 * the four expire forms exclude each other, but any option may repeat (the last expire wins); an expire
 * keyword with nothing after it, an option of the other command or anything else is a syntax error.
 */
function parseOptions(c: Ctx, forSet: boolean): Options {
  const a = c.args;
  let flags = 0;
  let expire: string | null = null;
  while (a.has()) {
    const opt = nextKeyword(c);
    const more = a.has();
    let f = 0;
    if (opt === 'NX' && forSet && !(flags & Opt.XX)) f = Opt.NX;
    else if (opt === 'XX' && forSet && !(flags & Opt.NX)) f = Opt.XX;
    else if (opt === 'GET' && forSet) f = Opt.GET;
    else if (opt === 'KEEPTTL' && forSet && !(flags & (Opt.PERSIST | EXPIRES))) f = Opt.KEEPTTL;
    else if (opt === 'PERSIST' && !forSet && !(flags & (Opt.KEEPTTL | EXPIRES))) f = Opt.PERSIST;
    else if (more) {
      if (opt === 'EX') f = Opt.EX;
      else if (opt === 'PX') f = Opt.PX;
      else if (opt === 'EXAT') f = Opt.EXAT;
      else if (opt === 'PXAT') f = Opt.PXAT;
      if (f !== 0 && flags & (Opt.KEEPTTL | Opt.PERSIST | (EXPIRES & ~f))) f = 0;
      if (f !== 0) expire = a.next();
    }
    if (f === 0) throw new CommandError(E.SYNTAX);
    flags |= f;
  }
  return { flags, expire };
}

// ---- GET family ----------------------------------------------------------------------------------------------

// GET key
function get(c: Ctx): Reply {
  const e = c.read(c.args.next(), ObjType.String);
  return e === undefined ? null : (e.value as string);
}

// GETDEL key
function getdel(c: Ctx): Reply {
  const key = c.args.next();
  const e = c.read(key, ObjType.String);
  if (e === undefined) return null;
  c.db.remove(key);
  c.modified(key);
  c.notify(NotifyClass.Generic, 'del', key);
  return e.value as string;
}

// GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST]
function getex(c: Ctx): Reply {
  const key = c.args.next();
  const { flags, expire } = parseOptions(c, false);
  const e = c.read(key, ObjType.String);
  if (e === undefined) return null;
  // The expire value is checked only once the key is known to be a string (a missing key answers nil).
  const when = expire === null ? 0 : expireArg(c, expire, flags, 'getex');
  const value = e.value as string;
  if (flags & (Opt.EXAT | Opt.PXAT) && when <= c.now && c.engine.expireDeletes) {
    // An absolute time already past deletes the key (a replica keeps it and waits for the leader's DEL).
    c.db.remove(key);
    c.modified(key);
    c.notify(NotifyClass.Generic, 'del', key);
  } else if (when !== 0) {
    c.db.setExpire(e, when);
    c.modified(key);
    c.notify(NotifyClass.Generic, 'expire', key);
  } else if (flags & Opt.PERSIST && e.expireAt !== 0) {
    c.db.setExpire(e, 0);
    c.modified(key);
    c.notify(NotifyClass.Generic, 'persist', key);
  }
  return value;
}

// GETSET key value
function getset(c: Ctx): Reply {
  const key = c.args.next();
  const value = c.args.next();
  const old = c.read(key, ObjType.String);
  const prev = old === undefined ? null : (old.value as string);
  setString(c, key, value);
  c.modified(key);
  c.notify(NotifyClass.String, 'set', key);
  return prev;
}

// MGET key [key ...]
function mget(c: Ctx): Reply {
  const out: Reply[] = new Array(c.args.remaining);
  for (let i = 0; c.args.has(); i++) {
    const e = c.read(c.args.next());
    out[i] = e === undefined || e.type !== ObjType.String ? null : (e.value as string);
  }
  return out;
}

// STRLEN key
function strlen(c: Ctx): Reply {
  const e = c.read(c.args.next(), ObjType.String);
  return e === undefined ? 0 : (e.value as string).length;
}

// GETRANGE key start end
function getrange(c: Ctx): Reply {
  const key = c.args.next();
  const start = c.args.nextInt();
  const end = c.args.nextInt();
  const e = c.read(key, ObjType.String);
  if (e === undefined) return '';
  const s = e.value as string;
  const len = s.length;
  if (start < 0 && end < 0 && start > end) return '';
  // Beyond ±2^53 an index is beyond any length: clamping keeps every comparison below unchanged.
  let from = toIndex(start);
  let to = toIndex(end);
  if (from < 0) from += len;
  if (to < 0) to += len;
  if (from < 0) from = 0;
  if (to < 0) to = 0;
  if (to >= len) to = len - 1;
  if (from > to || len === 0) return '';
  return s.slice(from, to + 1);
}

// ---- SET family ------------------------------------------------------------------------------------------------

/**
 * Redis's setGenericCommand: SET, SETNX, SETEX, PSETEX. `when` is the absolute expiry (0 = none), already
 * validated. With GET the old value is read first (a non-string is WRONGTYPE and nothing is set).
 */
function setGeneric(c: Ctx, key: string, value: string, flags: number, when: number, ok: Reply, abort: Reply): Reply {
  let prev: Reply = null;
  let found: boolean;
  if (flags & Opt.GET) {
    const old = c.read(key, ObjType.String);
    if (old !== undefined) prev = old.value as string;
    found = old !== undefined;
  } else {
    found = c.write(key) !== undefined;
  }
  if ((flags & Opt.NX && found) || (flags & Opt.XX && !found)) return flags & Opt.GET ? prev : abort;
  const e = setString(c, key, value, !!(flags & Opt.KEEPTTL));
  c.modified(key);
  c.notify(NotifyClass.String, 'set', key);
  if (when !== 0) {
    c.db.setExpire(e, when);
    c.notify(NotifyClass.Generic, 'expire', key);
  }
  return flags & Opt.GET ? prev : ok;
}

// SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]
function set(c: Ctx): Reply {
  const key = c.args.next();
  const value = c.args.next();
  if (!c.args.has()) return setGeneric(c, key, value, 0, 0, OK, null);
  const { flags, expire } = parseOptions(c, true);
  const when = expire === null ? 0 : expireArg(c, expire, flags, 'set');
  return setGeneric(c, key, value, flags, when, OK, null);
}

// SETNX key value
function setnx(c: Ctx): Reply {
  const key = c.args.next();
  return setGeneric(c, key, c.args.next(), Opt.NX, 0, 1, 0);
}

// SETEX key seconds value
function setex(c: Ctx): Reply {
  const key = c.args.next();
  const when = expireAt(c, c.args.nextInt(), 1000, false, 'setex');
  return setGeneric(c, key, c.args.next(), 0, when, OK, null);
}

// PSETEX key milliseconds value
function psetex(c: Ctx): Reply {
  const key = c.args.next();
  const when = expireAt(c, c.args.nextInt(), 1, false, 'psetex');
  return setGeneric(c, key, c.args.next(), 0, when, OK, null);
}

/** MSET and MSETNX: pairs, all set or (NX) none when any key exists. */
function msetGeneric(c: Ctx, nx: boolean): Reply {
  const argv = c.argv;
  // Arity only says "at least one pair": a dangling key is reported as Redis does, as an arity error.
  if (argv.length % 2 === 0) throw new CommandError(wrongArity(nx ? 'msetnx' : 'mset'));
  if (nx) {
    for (let j = 1; j < argv.length; j += 2) if (c.write(argv[j]) !== undefined) return 0;
  }
  for (let j = 1; j < argv.length; j += 2) {
    setString(c, argv[j], argv[j + 1]);
    c.modified(argv[j]);
    c.notify(NotifyClass.String, 'set', argv[j]);
  }
  return nx ? 1 : OK;
}

// MSET key value [key value ...]
function mset(c: Ctx): Reply {
  return msetGeneric(c, false);
}

// MSETNX key value [key value ...]
function msetnx(c: Ctx): Reply {
  return msetGeneric(c, true);
}

// APPEND key value
function append(c: Ctx): Reply {
  const key = c.args.next();
  const value = c.args.next();
  const e = c.write(key, ObjType.String);
  let len: number;
  if (e === undefined) {
    setString(c, key, value);
    len = value.length;
  } else {
    const old = e.value as string;
    checkStringLength(c, old.length, value.length);
    // Redis unshares the value into a raw sds and appends in place: it reports "raw" from now on.
    e.value = old + value;
    e.raw = true;
    e.notInt = false;
    len = old.length + value.length;
  }
  c.modified(key);
  c.notify(NotifyClass.String, 'append', key);
  return len;
}

// SETRANGE key offset value
function setrange(c: Ctx): Reply {
  const key = c.args.next();
  const offset = c.args.nextInt();
  const value = c.args.next();
  if (offset < 0) throw new CommandError(E.OFFSET_RANGE);
  const e = c.write(key, ObjType.String);
  const old = e === undefined ? '' : (e.value as string);
  // Setting nothing changes nothing, whatever the offset: the current length (0 for a missing key).
  if (value.length === 0) return old.length;
  checkStringLength(c, offset, value.length);
  const off = offset as number; // below proto-max-bulk-len, hence a number
  const head = off <= old.length ? old.slice(0, off) : old + '\0'.repeat(off - old.length);
  const next = head + value + old.slice(off + value.length);
  if (e === undefined) {
    setString(c, key, next).raw = true;
  } else {
    e.value = next;
    e.raw = true;
    e.notInt = false;
  }
  c.modified(key);
  c.notify(NotifyClass.String, 'setrange', key);
  return next.length;
}

// ---- counters ---------------------------------------------------------------------------------------------------

/** Redis's incrDecrCommand: the value must read as a 64-bit integer (missing = 0); the TTL is kept. */
function incrDecr(c: Ctx, key: string, by: Int64): Reply {
  const e = c.write(key, ObjType.String);
  const cur = e === undefined ? 0 : parseI64(e.value as string);
  if (cur === null) throw new CommandError(E.NOT_INT);
  const v = addI64(cur, by);
  if (v === null) throw new CommandError(E.OVERFLOW);
  const s = i64ToString(v);
  if (e === undefined) setString(c, key, s);
  else overwrite(e, s, false);
  c.modified(key);
  c.notify(NotifyClass.String, 'incrby', key);
  return v;
}

// INCR key
function incr(c: Ctx): Reply {
  return incrDecr(c, c.args.next(), 1);
}

// DECR key
function decr(c: Ctx): Reply {
  return incrDecr(c, c.args.next(), -1);
}

// INCRBY key increment
function incrby(c: Ctx): Reply {
  const key = c.args.next();
  return incrDecr(c, key, c.args.nextInt());
}

// DECRBY key decrement
function decrby(c: Ctx): Reply {
  const key = c.args.next();
  const by = c.args.nextInt();
  // -(-2^63) does not exist in 64 bits.
  if (by === I64_MIN) throw new CommandError('ERR decrement would overflow');
  return incrDecr(c, key, -by);
}

const LD_ZERO = longDoubleFromInt(0);

// INCRBYFLOAT key increment
function incrbyfloat(c: Ctx): Reply {
  const key = c.args.next();
  const increment = c.args.next();
  const e = c.write(key, ObjType.String);
  // Both texts go through strtold as long double (80-bit x87): see longdouble.ts.
  const cur: LongDouble | null = e === undefined ? LD_ZERO : parseLongDouble(e.value as string);
  if (cur === null) throw new CommandError(E.NOT_FLOAT);
  const by = parseLongDouble(increment);
  if (by === null) throw new CommandError(E.NOT_FLOAT);
  const sum = addLongDouble(cur, by);
  if (!isFiniteLD(sum)) throw new CommandError(E.NAN_INF);
  // Stored as a plain string object, never int-encoded (see stringEncoding); the TTL is kept.
  const s = formatLongDoubleHuman(sum);
  if (e === undefined) setString(c, key, s).notInt = true;
  else overwrite(e, s, true);
  c.modified(key);
  c.notify(NotifyClass.String, 'incrbyfloat', key);
  return s;
}

// ---- LCS -------------------------------------------------------------------------------------------------------

// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]
function lcs(c: Ctx): Reply {
  const ea = c.read(c.args.next());
  const eb = c.read(c.args.next());
  if ((ea !== undefined && ea.type !== ObjType.String) || (eb !== undefined && eb.type !== ObjType.String)) {
    throw new CommandError('ERR The specified keys must contain string values');
  }
  const a = ea === undefined ? '' : (ea.value as string);
  const b = eb === undefined ? '' : (eb.value as string);
  let getLen = false;
  let getIdx = false;
  let withMatchLen = false;
  let minMatchLen = 0;
  while (c.args.has()) {
    const opt = nextKeyword(c);
    if (opt === 'IDX') getIdx = true;
    else if (opt === 'LEN') getLen = true;
    else if (opt === 'WITHMATCHLEN') withMatchLen = true;
    else if (opt === 'MINMATCHLEN' && c.args.has()) {
      const v = c.args.nextInt();
      minMatchLen = v < 0 ? 0 : typeof v === 'number' ? v : Number.MAX_SAFE_INTEGER;
    } else throw new CommandError(E.SYNTAX);
  }
  if (getLen && getIdx) throw new CommandError('ERR If you want both the length and indexes, please just use IDX.');

  const alen = a.length;
  const blen = b.length;
  const w = blen + 1;
  // Redis refuses a table of uint32 cells larger than proto-max-bulk-len; the same limit holds here, though a
  // narrower cell is used when the LCS length (≤ the shorter string) fits it.
  if ((alen + 1) * w * 4 > c.engine.config.getInt('proto-max-bulk-len')) {
    throw new CommandError('ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len');
  }
  const cells = (alen + 1) * w;
  const t = Math.min(alen, blen) < 0xffff ? new Uint16Array(cells) : new Uint32Array(cells);
  // t[i*w + j] = LCS length of a[0..i) and b[0..j); row 0 and column 0 stay 0.
  for (let i = 1; i <= alen; i++) {
    const ai = a.charCodeAt(i - 1);
    const row = i * w;
    const up = row - w;
    for (let j = 1; j <= blen; j++) {
      if (ai === b.charCodeAt(j - 1)) t[row + j] = t[up + j - 1] + 1;
      else {
        const l1 = t[up + j];
        const l2 = t[row + j - 1];
        t[row + j] = l1 > l2 ? l1 : l2;
      }
    }
  }
  const total = t[alen * w + blen];
  if (getLen) return total;

  // Walk back from the end, as Redis does, collecting the LCS bytes and (IDX) the matching ranges, last first.
  const chars: number[] = new Array(total);
  const matches: Reply[] = [];
  let idx = total;
  let i = alen;
  let j = blen;
  let aStart = alen; // alen = no range open
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  while (i > 0 && j > 0) {
    let emit = false;
    if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
      chars[idx - 1] = a.charCodeAt(i - 1);
      if (aStart === alen) {
        aStart = aEnd = i - 1;
        bStart = bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--;
        bStart--;
      } else {
        emit = true;
      }
      // A range that reached the first byte of either string ends here.
      if (aStart === 0 || bStart === 0) emit = true;
      idx--;
      i--;
      j--;
    } else {
      if (t[(i - 1) * w + j] > t[i * w + j - 1]) i--;
      else j--;
      if (aStart !== alen) emit = true;
    }
    if (emit) {
      const matchLen = aEnd - aStart + 1;
      if (getIdx && (minMatchLen === 0 || matchLen >= minMatchLen)) {
        const m: Reply[] = [[aStart, aEnd], [bStart, bEnd]];
        if (withMatchLen) m.push(matchLen);
        matches.push(m);
      }
      aStart = alen;
    }
  }
  if (getIdx) return map(['matches', matches, 'len', total]);
  let out = '';
  for (let k = 0; k < chars.length; k += 0x2000) {
    out += String.fromCharCode.apply(null, chars.slice(k, k + 0x2000));
  }
  return out;
}

// ---- the table ----------------------------------------------------------------------------------------------

/** One key spec: keys from argument 1 to `lastkey` (0 = just that one; -1 = to the end) every `keystep`. */
function ks(flags: KeyFlag[], lastkey = 0, keystep = 1, notes?: string): KeySpec[] {
  const spec: KeySpec = { flags, begin: { index: 1 }, find: { lastkey, keystep, limit: 0 } };
  return [notes === undefined ? spec : { notes, ...spec }];
}
const RW_UPDATE = ks(['RW', 'access', 'update']);
const OW_UPDATE = ks(['OW', 'update']);

const RANGE_COMPLEXITY =
  'O(N) where N is the length of the returned string. The complexity is ultimately determined by the ' +
  'returned length, but because creating a substring from an existing string is very cheap, it can be ' +
  'considered O(1) for small strings.';

export const commands: CommandSpec[] = [
  {
    name: 'append', arity: 3, flags: ['write', 'denyoom', 'fast'], acl: ['string'], keys: [1, 1, 1],
    group: 'string', summary: 'Append a value to a key', since: '2.0.0', syntax: 'APPEND key value',
    complexity:
      'O(1). The amortized time complexity is O(1) assuming the appended value is small and the already ' +
      'present value is of any size, since the dynamic string library used by Redis will double the free ' +
      'space available on every reallocation.',
    handler: append,
    keySpecs: ks(['RW', 'insert']),
  },
  {
    name: 'decr', arity: 2, flags: ['write', 'denyoom', 'fast'], acl: ['string'], keys: [1, 1, 1],
    group: 'string', summary: 'Decrement the integer value of a key by one', since: '1.0.0',
    syntax: 'DECR key', complexity: 'O(1)', handler: decr,
    keySpecs: RW_UPDATE,
  },
  {
    name: 'decrby', arity: 3, flags: ['write', 'denyoom', 'fast'], acl: ['string'], keys: [1, 1, 1],
    group: 'string', summary: 'Decrement the integer value of a key by the given number', since: '1.0.0',
    syntax: 'DECRBY key decrement', complexity: 'O(1)', handler: decrby,
    keySpecs: RW_UPDATE,
  },
  {
    name: 'get', arity: 2, flags: ['readonly', 'fast'], acl: ['string'], keys: [1, 1, 1], group: 'string',
    summary: 'Get the value of a key', since: '1.0.0', syntax: 'GET key', complexity: 'O(1)', handler: get,
  },
  {
    name: 'getdel', arity: 2, flags: ['write', 'fast'], acl: ['string'], keys: [1, 1, 1], group: 'string',
    summary: 'Get the value of a key and delete the key', since: '6.2.0', syntax: 'GETDEL key',
    complexity: 'O(1)', handler: getdel,
    keySpecs: ks(['RW', 'access', 'delete']),
  },
  {
    name: 'getex', arity: -2, flags: ['write', 'fast'], acl: ['string'], keys: [1, 1, 1], group: 'string',
    summary: 'Get the value of a key and optionally set its expiration', since: '6.2.0',
    syntax: 'GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST]',
    complexity: 'O(1)', handler: getex,
    keySpecs: ks(['RW', 'access', 'update'], 0, 1, 'RW and UPDATE because it changes the TTL'),
  },
  {
    name: 'getrange', arity: 4, flags: ['readonly'], acl: ['string'], keys: [1, 1, 1], group: 'string',
    summary: 'Get a substring of the string stored at a key', since: '2.4.0', syntax: 'GETRANGE key start end',
    complexity: RANGE_COMPLEXITY, handler: getrange,
  },
  {
    name: 'getset', arity: 3, flags: ['write', 'denyoom', 'fast'], acl: ['string'], keys: [1, 1, 1],
    group: 'string', summary: 'Set the string value of a key and return its old value', since: '1.0.0',
    syntax: 'GETSET key value', complexity: 'O(1)', handler: getset,
    keySpecs: RW_UPDATE, docFlags: ['deprecated'], deprecatedSince: '6.2.0',
    replacedBy: '`SET` with the `!GET` argument',
  },
  {
    name: 'incr', arity: 2, flags: ['write', 'denyoom', 'fast'], acl: ['string'], keys: [1, 1, 1],
    group: 'string', summary: 'Increment the integer value of a key by one', since: '1.0.0',
    syntax: 'INCR key', complexity: 'O(1)', handler: incr,
    keySpecs: RW_UPDATE,
  },
  {
    name: 'incrby', arity: 3, flags: ['write', 'denyoom', 'fast'], acl: ['string'], keys: [1, 1, 1],
    group: 'string', summary: 'Increment the integer value of a key by the given amount', since: '1.0.0',
    syntax: 'INCRBY key increment', complexity: 'O(1)', handler: incrby,
    keySpecs: RW_UPDATE,
  },
  {
    name: 'incrbyfloat', arity: 3, flags: ['write', 'denyoom', 'fast'], acl: ['string'], keys: [1, 1, 1],
    group: 'string', summary: 'Increment the float value of a key by the given amount', since: '2.6.0',
    syntax: 'INCRBYFLOAT key increment', complexity: 'O(1)', handler: incrbyfloat,
    keySpecs: RW_UPDATE,
  },
  {
    name: 'lcs', arity: -3, flags: ['readonly'], acl: ['string'], keys: [1, 2, 1], group: 'string',
    summary: 'Find longest common substring', since: '7.0.0',
    syntax: 'LCS key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]',
    complexity: 'O(N*M) where N and M are the lengths of s1 and s2, respectively', handler: lcs,
  },
  {
    name: 'mget', arity: -2, flags: ['readonly', 'fast'], acl: ['string'], keys: [1, -1, 1], group: 'string',
    summary: 'Get the values of all the given keys', since: '1.0.0', syntax: 'MGET key [key ...]',
    complexity: 'O(N) where N is the number of keys to retrieve.', handler: mget,
    tips: ['request_policy:multi_shard'],
  },
  {
    name: 'mset', arity: -3, flags: ['write', 'denyoom'], acl: ['string'], keys: [1, -1, 2], group: 'string',
    summary: 'Set multiple keys to multiple values', since: '1.0.1', syntax: 'MSET key value [key value ...]',
    complexity: 'O(N) where N is the number of keys to set.', handler: mset,
    tips: ['request_policy:multi_shard', 'response_policy:all_succeeded'],
    keySpecs: ks(['OW', 'update'], -1, 2),
  },
  {
    name: 'msetnx', arity: -3, flags: ['write', 'denyoom'], acl: ['string'], keys: [1, -1, 2], group: 'string',
    summary: 'Set multiple keys to multiple values, only if none of the keys exist', since: '1.0.1',
    syntax: 'MSETNX key value [key value ...]', complexity: 'O(N) where N is the number of keys to set.',
    handler: msetnx, tips: ['request_policy:multi_shard', 'response_policy:agg_min'],
    keySpecs: ks(['OW', 'insert'], -1, 2),
  },
  {
    name: 'psetex', arity: 4, flags: ['write', 'denyoom'], acl: ['string'], keys: [1, 1, 1], group: 'string',
    summary: 'Set the value and expiration in milliseconds of a key', since: '2.6.0',
    syntax: 'PSETEX key milliseconds value', complexity: 'O(1)', handler: psetex,
    keySpecs: OW_UPDATE,
  },
  {
    name: 'set', arity: -3, flags: ['write', 'denyoom'], acl: ['string'], keys: [1, 1, 1], group: 'string',
    summary: 'Set the string value of a key', since: '1.0.0',
    syntax: 'SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]',
    complexity: 'O(1)', handler: set,
    keySpecs: ks(
      ['RW', 'access', 'update', 'variable_flags'], 0, 1, 'RW and ACCESS due to the optional `GET` argument',
    ),
    history: [
      ['2.6.12', 'Added the `EX`, `PX`, `NX` and `XX` options.'],
      ['6.0.0', 'Added the `KEEPTTL` option.'],
      ['6.2.0', 'Added the `GET`, `EXAT` and `PXAT` option.'],
      ['7.0.0', 'Allowed the `NX` and `GET` options to be used together.'],
    ],
  },
  {
    name: 'setex', arity: 4, flags: ['write', 'denyoom'], acl: ['string'], keys: [1, 1, 1], group: 'string',
    summary: 'Set the value and expiration of a key', since: '2.0.0', syntax: 'SETEX key seconds value',
    complexity: 'O(1)', handler: setex,
    keySpecs: OW_UPDATE,
  },
  {
    name: 'setnx', arity: 3, flags: ['write', 'denyoom', 'fast'], acl: ['string'], keys: [1, 1, 1],
    group: 'string', summary: 'Set the value of a key, only if the key does not exist', since: '1.0.0',
    syntax: 'SETNX key value', complexity: 'O(1)', handler: setnx,
    keySpecs: ks(['OW', 'insert']),
  },
  {
    name: 'setrange', arity: 4, flags: ['write', 'denyoom'], acl: ['string'], keys: [1, 1, 1], group: 'string',
    summary: 'Overwrite part of a string at key starting at the specified offset', since: '2.2.0',
    syntax: 'SETRANGE key offset value',
    complexity:
      'O(1), not counting the time taken to copy the new string in place. Usually, this string is very small ' +
      'so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the ' +
      'value argument.',
    handler: setrange,
  },
  {
    name: 'strlen', arity: 2, flags: ['readonly', 'fast'], acl: ['string'], keys: [1, 1, 1], group: 'string',
    summary: 'Get the length of the value stored in a key', since: '2.2.0', syntax: 'STRLEN key',
    complexity: 'O(1)', handler: strlen,
    keySpecs: ks(['RO']),
  },
  {
    name: 'substr', arity: 4, flags: ['readonly'], acl: ['string'], keys: [1, 1, 1], group: 'string',
    summary: 'Get a substring of the string stored at a key', since: '1.0.0', syntax: 'SUBSTR key start end',
    complexity: RANGE_COMPLEXITY, handler: getrange,
    docFlags: ['deprecated'], deprecatedSince: '2.0.0', replacedBy: '`GETRANGE`',
  },
];
