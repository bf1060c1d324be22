/**
 * DUMP and RESTORE (cluster.c): payload bytes, every RESTORE option and error in Redis's order, TTL rules,
 * keyspace events, access information (IDLETIME, FREQ), and the older encodings a payload may carry (ziplists,
 * zipmaps, intsets of each width, text-score ZSETs, QUICKLIST of ziplists) — built by hand here, so Redis 7.0
 * itself says what each one restores as.
 *
 * Payloads are written as binary strings: an object (type byte + body), the RDB version (2 bytes LE) and the
 * CRC-64 (8 bytes LE). Only well-formed or plainly truncated payloads are sent: Redis, without
 * sanitize-dump-payload, trusts the inside of a listpack and may crash on a corrupt one.
 */
import { Crc64 } from '../../../src/engine/crc64.js';
import { eventSteps, step, type Case } from '../case.js';

const ttl = (...args: string[]) => step('ttl', ...args);
const set = (...args: string[]) => step('set', ...args);

// ---- payload builders (exported for the unit tests of rdb.ts) ------------------------------------------------

const bytesOf = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const chr = (...b: number[]): string => String.fromCharCode(...b);
const le = (v: number | bigint, n: number): string => {
  let x = BigInt.asUintN(n * 8, BigInt(v));
  let out = '';
  for (let i = 0; i < n; i++) {
    out += chr(Number(x & 0xffn));
    x >>= 8n;
  }
  return out;
};
const be32 = (v: number): string => chr((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);

/** A DUMP payload around `object` (type byte + body). */
export function payload(object: string, version = 10): string {
  const body = object + le(version, 2);
  const crc = new Crc64().update(bytesOf(body)).bytesLE();
  return body + String.fromCharCode(...crc);
}

/** An RDB length. */
export function len(n: number): string {
  if (n < 64) return chr(n);
  if (n < 16384) return chr(0x40 | (n >> 8), n & 0xff);
  return chr(0x80) + be32(n);
}

/** An RDB string, verbatim. */
export const str = (s: string): string => len(s.length) + s;

/** A ziplist (Redis < 7) of strings and integers, each in the encoding Redis would have chosen. */
export function ziplist(entries: (string | number | bigint)[]): string {
  let body = '';
  let prev = 0;
  let tail = 10;
  for (const e of entries) {
    let enc: string;
    if (typeof e === 'string') {
      enc = e.length < 64 ? chr(e.length) + e : e.length < 16384 ? chr(0x40 | (e.length >> 8), e.length & 0xff) + e
        : chr(0x80) + be32(e.length) + e;
    } else {
      const v = BigInt(e);
      if (v >= 0n && v <= 12n) enc = chr(0xf1 + Number(v));
      else if (v >= -128n && v <= 127n) enc = chr(0xfe) + le(v, 1);
      else if (v >= -32768n && v <= 32767n) enc = chr(0xc0) + le(v, 2);
      else if (v >= -8388608n && v <= 8388607n) enc = chr(0xf0) + le(v, 3);
      else if (v >= -2147483648n && v <= 2147483647n) enc = chr(0xd0) + le(v, 4);
      else enc = chr(0xe0) + le(v, 8);
    }
    const prevlen = prev < 254 ? chr(prev) : chr(254) + le(prev, 4);
    tail = 10 + body.length;
    const entry = prevlen + enc;
    body += entry;
    prev = entry.length;
  }
  const total = 10 + body.length + 1;
  return le(total, 4) + le(entries.length === 0 ? 10 : tail, 4) + le(entries.length, 2) + body + chr(0xff);
}

/** A listpack of short strings (under 64 bytes each), as Redis 7 lays one out. */
export function listpack(entries: string[]): string {
  const body = entries.map((e) => chr(0x80 | e.length) + e + chr(1 + e.length)).join('');
  return le(6 + body.length + 1, 4) + le(entries.length, 2) + body + chr(0xff);
}

/** A zipmap (Redis < 2.6 hashes): count, then key, value (with no free bytes), then 0xff. */
export function zipmap(pairs: string[]): string {
  const l = (n: number) => (n < 254 ? chr(n) : chr(254) + le(n, 4));
  let body = chr(pairs.length / 2);
  for (let i = 0; i < pairs.length; i += 2) body += l(pairs[i].length) + pairs[i] + l(pairs[i + 1].length) + chr(0) + pairs[i + 1];
  return body + chr(0xff);
}

/** An intset blob of `width` bytes per member (members ascending). */
export const intset = (width: 2 | 4 | 8, members: (number | bigint)[]): string =>
  le(width, 4) + le(members.length, 4) + members.map((m) => le(m, width)).join('');

/** Binary double, little-endian. */
export function f64(v: number): string {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, v, true);
  return String.fromCharCode(...b);
}

/** A text double as old ZSETs hold it (253 NaN, 254 inf, 255 -inf). */
export const textDouble = (v: string): string => (v === 'inf' ? chr(254) : v === '-inf' ? chr(255) : chr(v.length) + v);

const HELLO = payload('\x00' + str('hello'));
const restoreAndShow = (key: string, p: string): string[][] => [
  ['RESTORE', key, '0', p], ['TYPE', key], ['OBJECT', 'ENCODING', key],
];

/** Far in the future (year 2286) in ms: an exact PEXPIRETIME whatever the clock. */
const FUTURE_MS = '9999999999000';

const range = (n: number, f: (i: number) => string): string[] => Array.from({ length: n }, (_, i) => f(i));

export const cases: Case[] = [
  {
    name: 'DUMP: bytes of every type in its small encodings, missing keys, arity',
    steps: [
      ['SET', 'str', 'hello'], ['SET', 'int', '12345'], ['SET', 'big', '12345678901234567890'], ['SET', 'neg', '-7'],
      ['SET', 'empty', ''], ['SET', 'bin', '\x00\xff\xfe'], ['SET', 'long', 'ab'.repeat(40)],
      ['RPUSH', 'list', 'a', '1', '-300', 'x'.repeat(70)], ['HSET', 'hash', 'f', 'v', '1', '2'],
      ['SADD', 'intset', '5', '-70000', '3'], ['ZADD', 'zset', '1', 'a', '1.5', 'b', '-inf', 'c'],
      ['DUMP', 'str'], ['DUMP', 'int'], ['DUMP', 'big'], ['DUMP', 'neg'], ['DUMP', 'empty'], ['DUMP', 'bin'],
      ['DUMP', 'long'], ['DUMP', 'list'], ['DUMP', 'hash'], ['DUMP', 'intset'], ['DUMP', 'zset'],
      ['DUMP', 'missing'], ['DUMP'], ['DUMP', 'a', 'b'],
      ['SET', '__proto__', 'p'], ['DUMP', '__proto__'], ['SET', '\xff', '\xfe'], ['DUMP', '\xff'],
    ],
  },
  {
    name: 'RESTORE: a new key, BUSYKEY, REPLACE, and the restored value',
    steps: [
      ...restoreAndShow('k', HELLO), ['GET', 'k'], ['TTL', 'k'],
      ['RESTORE', 'k', '0', HELLO],
      ['RESTORE', 'k', '0', payload('\x00\xc0\x07'), 'REPLACE'], ['GET', 'k'], ['OBJECT', 'ENCODING', 'k'],
      ['RESTORE', 'k', '0', HELLO, 'replace', 'replace'], ['GET', 'k'],
      ['RPUSH', 'l', 'x'], ['RESTORE', 'l', '0', HELLO], ['RESTORE', 'l', '0', HELLO, 'REPLACE'], ['TYPE', 'l'],
      ['RESTORE', '__proto__', '0', HELLO], ['GET', '__proto__'], ['RESTORE', '\xff', '0', HELLO], ['EXISTS', '\xfe'],
      ['RESTORE', '', '0', HELLO], ['GET', ''],
    ],
  },
  {
    name: 'RESTORE: errors, in the order Redis checks them',
    steps: [
      ['RESTORE'], ['RESTORE', 'k'], ['RESTORE', 'k', '0'],
      ['RESTORE', 'k', 'abc', HELLO], ['RESTORE', 'k', '1.5', HELLO], ['RESTORE', 'k', '-1', HELLO],
      ['RESTORE', 'k', '99999999999999999999', HELLO],
      ['RESTORE', 'k', '0', 'garbage'], ['RESTORE', 'k', '0', ''], ['RESTORE', 'k', '0', '123456789'],
      ['RESTORE', 'k', '-1', 'garbage'], ['RESTORE', 'k', 'x', 'garbage', 'BOGUS'],
      ['SET', 'busy', 'v'],
      ['RESTORE', 'busy', 'abc', 'garbage'], ['RESTORE', 'busy', '-1', HELLO], ['RESTORE', 'busy', '0', HELLO, 'BOGUS'],
      ['RESTORE', 'busy', '0', HELLO, 'IDLETIME', '-1'], ['RESTORE', 'busy', '0', HELLO, 'FREQ', '256'],
      // The checksum covers the version; a version past 10 is refused, an older one accepted.
      ['RESTORE', 'k', '0', HELLO.slice(0, -1) + chr(HELLO.charCodeAt(HELLO.length - 1) ^ 1)],
      ['RESTORE', 'k', '0', chr(1) + HELLO.slice(1)],
      ['RESTORE', 'k', '0', payload('\x00' + str('hello'), 11)],
      ['RESTORE', 'k', '0', payload('\x00' + str('hello'), 9)], ['GET', 'k'],
      ['RESTORE', 'k2', '0', payload('\x00' + str('hello'), 1)], ['GET', 'k2'],
      // Checksum right, contents wrong.
      ['RESTORE', 'k3', '0', payload('\x08' + str('hello'))],
      ['RESTORE', 'k3', '0', payload('\xff')],
      ['RESTORE', 'k3', '0', payload('\x00\x7f\xff')],
      ['RESTORE', 'k3', '0', payload('\x00\xc4')],
      ['RESTORE', 'k3', '0', payload('\x02\x00')], ['RESTORE', 'k3', '0', payload('\x01\x00')],
      ['RESTORE', 'k3', '0', payload('\x04\x00')], ['RESTORE', 'k3', '0', payload('\x05\x00')],
      ['RESTORE', 'k3', '0', payload('\x12\x00')],
      ['RESTORE', 'k3', '0', payload('\x02' + len(2) + str('a') + str('a'))],
      ['RESTORE', 'k3', '0', payload('\x05' + len(1) + str('a') + f64(NaN))],
      ['RESTORE', 'k3', '0', payload('\x0b' + str(intset(2, [])))],
      ['RESTORE', 'k3', '0', payload('\x0b' + str(intset(4, [1, 2]).slice(0, -1)))],
      ['EXISTS', 'k3'],
    ],
  },
  {
    name: 'RESTORE: option parsing (IDLETIME and FREQ exclude each other; values checked)',
    steps: [
      ['RESTORE', 'k', '0', HELLO, 'IDLETIME'], ['RESTORE', 'k', '0', HELLO, 'FREQ'],
      ['RESTORE', 'k', '0', HELLO, 'IDLETIME', 'abc'], ['RESTORE', 'k', '0', HELLO, 'IDLETIME', '-1'],
      ['RESTORE', 'k', '0', HELLO, 'FREQ', 'x'], ['RESTORE', 'k', '0', HELLO, 'FREQ', '-1'],
      ['RESTORE', 'k', '0', HELLO, 'FREQ', '256'], ['RESTORE', 'k', '0', HELLO, 'FREQ', '1.0'],
      ['RESTORE', 'k', '0', HELLO, 'IDLETIME', '1', 'FREQ', '1'],
      ['RESTORE', 'k', '0', HELLO, 'FREQ', '1', 'IDLETIME', '1'],
      ['RESTORE', 'k', '0', HELLO, 'ABSTTL', 'NOPE'],
      ['EXISTS', 'k'],
      ['RESTORE', 'k', '0', HELLO, 'FREQ', '0', 'FREQ', '255', 'absttl', 'Replace'], ['GET', 'k'],
      ['RESTORE', 'k2', '0', HELLO, 'idletime', '0', 'IdleTime', '10'], ['GET', 'k2'],
    ],
  },
  {
    name: 'RESTORE: TTLs — relative, ABSTTL, already past, 0 for none',
    steps: [
      ['RESTORE', 'rel', '100000', HELLO], ttl('PTTL', 'rel'),
      ['RESTORE', 'abs', FUTURE_MS, HELLO, 'ABSTTL'], ['PEXPIRETIME', 'abs'], ['EXPIRETIME', 'abs'],
      ['RESTORE', 'none', '0', HELLO, 'ABSTTL'], ['TTL', 'none'],
      ['RESTORE', 'past', '1', HELLO, 'ABSTTL'], ['EXISTS', 'past'],
      ['SET', 'old', 'v'], ['RESTORE', 'old', '1', HELLO, 'ABSTTL', 'REPLACE'], ['EXISTS', 'old'],
      ['RESTORE', 'old', '1', HELLO, 'ABSTTL', 'REPLACE'], ['EXISTS', 'old'],
      // A relative TTL that overflows 64 bits wraps to the past, as in C.
      ['RESTORE', 'wrap', '9223372036854775807', HELLO], ['EXISTS', 'wrap'],
      ['SET', 'ttl', 'v', 'EX', '100'], ['RESTORE', 'ttl', '0', HELLO, 'REPLACE'], ['TTL', 'ttl'],
    ],
  },
  {
    name: 'RESTORE: keyspace events (new, restore; del when REPLACE meets a past TTL)',
    steps: eventSteps([
      ['CONFIG', 'SET', 'notify-keyspace-events', 'KEAn'],
      ['PSUBSCRIBE', '__key*__:*'],
      ['RESTORE', 'k', '0', HELLO], ['RESTORE', 'k', '0', HELLO, 'REPLACE'], ['RESTORE', 'k', '0', HELLO],
      ['RESTORE', 'k', '1', HELLO, 'ABSTTL', 'REPLACE'], ['RESTORE', 'k', '1', HELLO, 'ABSTTL', 'REPLACE'],
      ['RESTORE', 't', '100000', HELLO],
      ['CONFIG', 'SET', 'notify-keyspace-events', ''],
    ]),
  },
  {
    name: 'RESTORE: IDLETIME sets the idle time unless the policy is LFU; FREQ only under LFU',
    steps: [
      ['RESTORE', 'a', '0', HELLO, 'IDLETIME', '1000'], ttl('OBJECT', 'IDLETIME', 'a'),
      ['RESTORE', 'b', '0', HELLO, 'IDLETIME', '100000000'], ttl('OBJECT', 'IDLETIME', 'b'),
      ['RESTORE', 'c', '0', HELLO, 'IDLETIME', '16777215'], ttl('OBJECT', 'IDLETIME', 'c'),
      ['RESTORE', 'd', '0', HELLO, 'IDLETIME', '9223372036854775807'], ttl('OBJECT', 'IDLETIME', 'd'),
      ['RESTORE', 'e', '0', HELLO, 'FREQ', '100'], ['OBJECT', 'FREQ', 'e'], ttl('OBJECT', 'IDLETIME', 'e'),
      ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu'],
      ['RESTORE', 'f', '0', HELLO, 'FREQ', '100'], ['OBJECT', 'FREQ', 'f'],
      ['RESTORE', 'g', '0', HELLO, 'IDLETIME', '1000'], ['OBJECT', 'FREQ', 'g'], ['OBJECT', 'IDLETIME', 'g'],
      ['RESTORE', 'h', '0', HELLO, 'FREQ', '0'], ['OBJECT', 'FREQ', 'h'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'],
    ],
  },
  {
    name: 'RESTORE of current encodings: what each becomes under the configuration',
    steps: [
      // HASH (type 4) small → listpack; with a long value or too many fields → hashtable.
      ...restoreAndShow('h1', payload('\x04' + len(2) + str('f') + str('v') + str('n') + str('1'))),
      ['HGETALL', 'h1'],
      ...restoreAndShow('h2', payload('\x04' + len(1) + str('f') + str('v'.repeat(65)))),
      ...restoreAndShow('h3', payload('\x04' + len(600) + range(600, (i) => str(`f${i}`) + str('v')).join(''))),
      ['HLEN', 'h3'],
      // SET (type 2): integers → intset; a non-integer member or too many → hashtable.
      ...restoreAndShow('s1', payload('\x02' + len(3) + str('3') + str('1') + str('2'))), ['SMEMBERS', 's1'],
      ...restoreAndShow('s2', payload('\x02' + len(2) + str('1') + str('a'))), set('SMEMBERS', 's2'),
      ...restoreAndShow('s3', payload('\x02' + len(2) + str('1') + str('01'))), set('SMEMBERS', 's3'),
      ...restoreAndShow('s4', payload('\x02' + len(513) + range(513, (i) => str(String(i))).join(''))),
      ['SCARD', 's4'],
      // ZSET_2 (type 5): small → listpack (-0 becomes 0 there); long member or too many → skiplist.
      ...restoreAndShow('z1', payload('\x05' + len(3) + str('b') + f64(2) + str('a') + f64(-0) + str('c') + f64(Infinity))),
      ['ZRANGE', 'z1', '0', '-1', 'WITHSCORES'],
      ...restoreAndShow('z2', payload('\x05' + len(2) + str('m'.repeat(65)) + f64(1) + str('x') + f64(-0))),
      ['ZSCORE', 'z2', 'x'], ['ZRANGE', 'z2', '0', '-1'],
      // LIST (type 1): any list is a quicklist.
      ...restoreAndShow('l1', payload('\x01' + len(3) + str('a') + chr(0xc0, 5) + str('c'))), ['LRANGE', 'l1', '0', '-1'],
      // SET_INTSET above set-max-intset-entries → hashtable.
      ['CONFIG', 'SET', 'set-max-intset-entries', '2'],
      ...restoreAndShow('i1', payload('\x0b' + str(intset(2, [1, 2, 3])))), set('SMEMBERS', 'i1'),
      ['CONFIG', 'SET', 'set-max-intset-entries', '512'],
      ['CONFIG', 'SET', 'zset-max-listpack-entries', '1'],
      ...restoreAndShow('z3', payload('\x05' + len(2) + str('a') + f64(1) + str('b') + f64(2))),
      ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
      // QUICKLIST_2 (18): packed and PLAIN nodes; empty nodes skipped; all empty is no list at all.
      ...restoreAndShow('q1', payload('\x12' + len(3) + len(2) + str(listpack(['a', 'b'])) + len(1) + str('plain')
        + len(2) + str(listpack([])))),
      ['LRANGE', 'q1', '0', '-1'],
      ['RESTORE', 'q2', '0', payload('\x12' + len(1) + len(2) + str(listpack([])))], ['EXISTS', 'q2'],
      ['RESTORE', 'q3', '0', payload('\x12' + len(1) + len(3) + str(listpack(['a'])))], ['EXISTS', 'q3'],
      // HASH_LISTPACK (16) / ZSET_LISTPACK (17) past their entry limits convert.
      ['CONFIG', 'SET', 'hash-max-listpack-entries', '1'],
      ...restoreAndShow('hl', payload('\x10' + str(listpack(['f', 'v', 'g', 'w'])))), set('HGETALL', 'hl'),
      ['CONFIG', 'SET', 'hash-max-listpack-entries', '512'],
      ...restoreAndShow('hl2', payload('\x10' + str(listpack(['f', 'v'.repeat(63)])))),
      ['CONFIG', 'SET', 'zset-max-listpack-entries', '1'],
      ...restoreAndShow('zl2', payload('\x11' + str(listpack(['a', '1.5', 'b', '2'])))),
      ['ZRANGE', 'zl2', '0', '-1', 'WITHSCORES'],
      ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
      // Duplicates Redis always detects.
      ['RESTORE', 'd1', '0', payload('\x0d' + str(ziplist(['f', 'v', 'f', 'w'])))],
      ['RESTORE', 'd2', '0', payload('\x05' + len(2) + str('a') + f64(1) + str('a') + f64(2))],
      ['RESTORE', 'd3', '0', payload('\x02' + len(2) + str('7') + str('7'))],
      ['RESTORE', 'd4', '0', payload('\x0c' + str(ziplist(['a', 1, 'a', 2])))],
      ['RESTORE', 'd5', '0', payload('\x09' + str(zipmap(['f', 'v', 'f', 'w'])))],
      ['EXISTS', 'd1', 'd2', 'd3', 'd4', 'd5'],
    ],
  },
  {
    name: 'RESTORE of older encodings: ziplists, zipmaps, intsets, text-score ZSETs, QUICKLIST v1',
    steps: [
      // LIST_ZIPLIST (10): strings and every integer width.
      ...restoreAndShow('zl', payload('\x0a' + str(ziplist(['a', 0, 12, 13, -1, 127, 300, -300, 70000, -8388608,
        2147483647, -2147483648, 9007199254740993n, -9223372036854775808n, 'x'.repeat(100), ''])))),
      ['LRANGE', 'zl', '0', '-1'],
      // LIST_QUICKLIST (14): ziplist nodes.
      ...restoreAndShow('ql', payload('\x0e' + len(2) + str(ziplist(['a', 'b'])) + str(ziplist([1, 2, 3])))),
      ['LRANGE', 'ql', '0', '-1'],
      // HASH_ZIPLIST (13): stays a listpack even with a long value (only the count is checked).
      ...restoreAndShow('hz', payload('\x0d' + str(ziplist(['f', 'v', 'n', 5, 'long', 'v'.repeat(100)])))),
      ['HGETALL', 'hz'],
      ...restoreAndShow('hz2', payload('\x0d' + str(ziplist(range(1100, (i) => `e${i}`))))), ['HLEN', 'hz2'],
      // HASH_ZIPMAP (9): a long value converts it.
      ...restoreAndShow('zm', payload('\x09' + str(zipmap(['f', 'v', 'g', 'w'])))), ['HGETALL', 'zm'],
      ...restoreAndShow('zm2', payload('\x09' + str(zipmap(['f', 'v'.repeat(300)])))), ['HSTRLEN', 'zm2', 'f'],
      // ZSET_ZIPLIST (12): integer and text scores, in order (Redis keeps a listpack's order as it is).
      ...restoreAndShow('zz', payload('\x0c' + str(ziplist(['d', '-inf', 'a', 1, 'b', '2.5', 'c', 'inf'])))),
      ['ZRANGE', 'zz', '0', '-1', 'WITHSCORES'],
      // ZSET (3): text scores, inf spelled as 254/255.
      ...restoreAndShow('zt', payload('\x03' + len(3) + str('a') + textDouble('1.5') + str('b') + textDouble('inf')
        + str('c') + textDouble('-inf'))),
      ['ZRANGE', 'zt', '0', '-1', 'WITHSCORES'],
      // SET_INTSET (11) of each width.
      ...restoreAndShow('i2', payload('\x0b' + str(intset(2, [-5, 0, 7])))), ['SMEMBERS', 'i2'],
      ...restoreAndShow('i4', payload('\x0b' + str(intset(4, [-70000, 1, 70000])))), ['SMEMBERS', 'i4'],
      ...restoreAndShow('i8', payload('\x0b' + str(intset(8, [-9223372036854775808n, 1, 9223372036854775807n])))),
      ['SMEMBERS', 'i8'], ['SISMEMBER', 'i8', '9223372036854775807'],
      // An RDB 6 payload (Redis 3.2 era) is accepted.
      ...restoreAndShow('v6', payload('\x0a' + str(ziplist(['x', 1])), 6)), ['LRANGE', 'v6', '0', '-1'],
      // A long compressible string: its DUMP is LZF-compressed, the same bytes on both.
      ['SET', 'lz', 'abc'.repeat(100)], ['DUMP', 'lz'],
    ],
  },
];
