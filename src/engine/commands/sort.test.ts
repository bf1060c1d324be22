import { describe, expect, it } from 'vitest';
import { captureEvents, captureModified } from '../../../test/events.js';
import { seeded, testEngine } from '../../../test/helpers.js';
import type { Reply } from '../reply.js';
import { pqsort, sortWeight } from './sort.js';

const err = (msg: string) => ({ k: 'err', msg });
const WRONGTYPE = err('WRONGTYPE Operation against a key holding the wrong kind of value');
const SYNTAX = err('ERR syntax error');
const NOT_INT = err('ERR value is not an integer or out of range');
const SCORES = err("ERR One or more scores can't be converted into double");

/** An engine whose `raw` sends binary strings as they are (no UTF-8 encoding of the arguments). */
function binEngine() {
  const t = testEngine();
  const raw = (...a: string[]): Reply => t.engine.execute(t.session, a);
  return { ...t, raw };
}

/** The exact decimal text of m · 2^-e (a value below 1). */
function dyadic(m: bigint, e = 1076): string {
  const digits = (m * 5n ** BigInt(e)).toString().padStart(e + 1, '0');
  return `0.${digits.slice(1)}`;
}

describe('sortWeight: strtod as Redis reads weights', () => {
  it('accepts what strtod consumes whole', () => {
    const ok: [string, number][] = [
      ['1', 1], [' 1', 1], ['\t\n\v\f\r2', 2], ['', 0], ['0x10', 16], ['0X1a', 26], ['0x1p3', 8], ['0x.8', 0.5],
      ['0x1.', 1], ['+5', 5], ['.5', 0.5], ['5.', 5], ['1E1', 10], ['+.5e1', 5], ['INF', Infinity],
      ['-Infinity', -Infinity], ['+inFinItY', Infinity], ['1\x00abc', 1], ['\x00zz', 0], ['-0x8p-3', -1],
      ['1e308', 1e308], ['0e999999', 0], ['0x1p-1074', 5e-324], ['0x1.fffffffffffffp1023', Number.MAX_VALUE],
      ['2.2250738585072014e-308', 2 ** -1022], ['0x0p99999999999999999999', 0],
    ];
    for (const [text, v] of ok) expect([text, sortWeight(text)]).toEqual([text, v]);
    expect(Object.is(sortWeight('-0'), -0)).toBe(true);
    expect(Object.is(sortWeight('-0x0'), -0)).toBe(true);
  });

  it('refuses leftovers, NaN, overflow and inexact tiny values', () => {
    for (const text of [
      '1 ', '  ', '0x', '0x.', 'infinit', 'nan', '-nan', 'nan(1)', '1e', '-', '.', '\xa01', '1_0', 'abc', '0x1p',
      '1e309', '-1e309', '1e-400', '1e-310', '4.9e-324', '2.2250738585072011e-308', '0x1p1024', '0x1p-1075',
      '0x1.8p-1075', '0x1p-99999999999999999999', '0x1p99999999999999999999', '1e99999999999999999999',
      '1e-99999999999999999999', '0x1.fffffffffffffp-1023', '0x1.fffffffffffff7p-1023',
    ]) {
      expect([text, sortWeight(text)]).toEqual([text, null]);
    }
  });

  it('places the tininess limit where glibc does: (2^54 - 1) · 2^-1076, after rounding to 53 bits', () => {
    const limit = (1n << 54n) - 1n;
    expect(sortWeight(dyadic(limit))).toBe(2 ** -1022);
    expect(sortWeight(dyadic(limit * 2n + 1n, 1077))).toBe(2 ** -1022); // just above
    expect(sortWeight(dyadic(limit * 2n - 1n, 1077))).toBeNull(); // just below
    expect(sortWeight('0x1.fffffffffffff8p-1023')).toBe(2 ** -1022);
    expect(sortWeight('0x1.fffffffffffffcp-1023')).toBe(2 ** -1022);
    expect(sortWeight(dyadic(limit - 1n))).toBeNull();
    expect(sortWeight(dyadic(1n << 54n))).toBe(2 ** -1022); // exactly 2^-1022
    expect(sortWeight(dyadic(4n))).toBe(5e-324); // exactly the least subnormal
  });
});

describe('pqsort', () => {
  it('sorts the wanted range exactly as a full sort would (total orders)', () => {
    const rnd = seeded(7);
    for (let round = 0; round < 300; round++) {
      const n = Math.floor(rnd() * 120);
      const v = Array.from({ length: n }, () => Math.floor(rnd() * 50));
      const lo = Math.floor(rnd() * (n + 1));
      const hi = Math.min(n - 1, lo + Math.floor(rnd() * 40) - 1);
      const want = [...v].sort((a, b) => a - b);
      const got = [...v];
      pqsort(got, (a, b) => a - b, lo, hi);
      expect(got.slice(lo, hi + 1)).toEqual(want.slice(lo, hi + 1));
      expect([...got].sort((a, b) => a - b)).toEqual(want);
    }
  });

  it('leaves parts outside the range unsorted', () => {
    const v = Array.from({ length: 100 }, (_, i) => (i * 37) % 100);
    pqsort(v, (a, b) => a - b, 0, 0);
    expect(v[0]).toBe(0);
    expect(v.slice(1)).not.toEqual([...v.slice(1)].sort((a, b) => a - b));
  });
});

describe('SORT numeric', () => {
  it('sorts lists, sets and sorted sets; equal weights fall back to the bytes', () => {
    const { cmd } = testEngine();
    cmd('RPUSH', 'l', '3', '1', '2', '10', '-5', '1.5', '-inf', 'inf', '1', '01', '1.0');
    expect(cmd('SORT', 'l')).toEqual(['-inf', '-5', '01', '1', '1', '1.0', '1.5', '2', '3', '10', 'inf']);
    expect(cmd('SORT', 'l', 'DESC')).toEqual(['inf', '10', '3', '2', '1.5', '1.0', '1', '1', '01', '-5', '-inf']);
    expect(cmd('SORT_RO', 'l', 'LIMIT', '1', '3')).toEqual(['-5', '01', '1']);
    cmd('SADD', 's', '5', '-3', '100', '0', '7');
    expect(cmd('SORT', 's')).toEqual(['-3', '0', '5', '7', '100']);
    cmd('SADD', 'hs', '3.5', 'x'.repeat(0) + '2', '0x10', '-1');
    expect(cmd('SORT', 'hs')).toEqual(['-1', '2', '3.5', '0x10']);
    cmd('ZADD', 'z', '1', '30', '2', '20', '3', '10');
    expect(cmd('SORT', 'z')).toEqual(['10', '20', '30']);
    expect(cmd('SORT', 'z', 'DESC')).toEqual(['30', '20', '10']);
    cmd('RPUSH', 'eq', '-0', '0', '0.0', '-0.0', '');
    expect(cmd('SORT', 'eq')).toEqual(['', '-0', '-0.0', '0', '0.0']);
  });

  it('reports a bad weight after looking every weight up, even with an empty LIMIT', () => {
    const { cmd, engine } = testEngine();
    cmd('RPUSH', 'l', '3', 'abc', '4');
    expect(cmd('SORT', 'l')).toEqual(SCORES);
    expect(cmd('SORT', 'l', 'LIMIT', '0', '0')).toEqual(SCORES);
    expect(cmd('SORT', 'l', 'STORE', 'd')).toEqual(SCORES);
    expect(cmd('EXISTS', 'd')).toBe(0);
    expect(cmd('SORT', 'l', 'ALPHA')).toEqual(['3', '4', 'abc']);
    expect(cmd('SORT', 'l', 'BY', 'nosort')).toEqual(['3', 'abc', '4']);
    cmd('MSET', 'w_3', '1', 'w_abc', 'x', 'w_4', '2');
    const misses = engine.stats.keyspaceMisses;
    const hits = engine.stats.keyspaceHits;
    expect(cmd('SORT', 'l', 'BY', 'w_*', 'GET', 'nothing_*')).toEqual(SCORES);
    expect(engine.stats.keyspaceHits - hits).toBe(4); // l and the three weights; no GET lookups
    expect(engine.stats.keyspaceMisses - misses).toBe(0);
    cmd('DEL', 'w_abc');
    expect(cmd('SORT', 'l', 'BY', 'w_*')).toEqual(['abc', '3', '4']);
  });
});

describe('SORT ALPHA', () => {
  it('compares bytes; without STORE the texts end at NUL and ties keep list order', () => {
    const { raw } = binEngine();
    raw('RPUSH', 'l', 'b', 'B', '\xff', '\xfe', '\xc3\xa9', 'a\x00y', 'a', 'a\x00x', '', '__proto__');
    expect(raw('SORT', 'l', 'ALPHA')).toEqual(['', 'B', '__proto__', 'a\x00y', 'a', 'a\x00x', 'b', '\xc3\xa9', '\xfe', '\xff']);
    expect(raw('SORT', 'l', 'ALPHA', 'DESC')).toEqual(['\xff', '\xfe', '\xc3\xa9', 'b', 'a\x00y', 'a', 'a\x00x', '__proto__', 'B', '']);
    expect(raw('SORT', 'l', 'ALPHA', 'STORE', 'd')).toBe(10);
    expect(raw('LRANGE', 'd', '0', '-1')).toEqual(['', 'B', '__proto__', 'a', 'a\x00x', 'a\x00y', 'b', '\xc3\xa9', '\xfe', '\xff']);
  });

  it('BY weights: missing ones first, compared as C strings unless STORE', () => {
    const { raw } = binEngine();
    raw('RPUSH', 'l', 'p', 'q', 'r', 's');
    raw('MSET', 'w_p', 'k\x00b', 'w_q', 'k\x00a', 'w_r', 'a');
    expect(raw('SORT', 'l', 'BY', 'w_*', 'ALPHA')).toEqual(['s', 'r', 'p', 'q']);
    expect(raw('SORT', 'l', 'BY', 'w_*', 'ALPHA', 'DESC')).toEqual(['p', 'q', 'r', 's']);
    raw('SORT', 'l', 'BY', 'w_*', 'ALPHA', 'STORE', 'd');
    expect(raw('LRANGE', 'd', '0', '-1')).toEqual(['s', 'r', 'q', 'p']);
  });
});

describe('SORT BY / GET patterns', () => {
  it('reads strings and hash fields; other types and missing keys are nil', () => {
    const { cmd } = testEngine();
    cmd('RPUSH', 'l', '2', '1', '3', '__proto__');
    cmd('MSET', 'o_1', 'one', 'o_2', 'two', 'o___proto__', 'proto');
    cmd('HSET', 'h_1', 'n', 'uno', '__proto__', 'p1');
    cmd('HSET', 'h_3', 'n', 'tres');
    cmd('RPUSH', 'o_3', 'list');
    expect(cmd('SORT', 'l', 'BY', 'nosort', 'GET', '#', 'GET', 'o_*', 'GET', 'h_*->n', 'GET', 'h_*->__proto__')).toEqual([
      '2', 'two', null, null, '1', 'one', 'uno', 'p1', '3', null, 'tres', null, '__proto__', 'proto', null, null,
    ]);
    expect(cmd('SORT', 'l', 'BY', 'nosort', 'GET', 'constant', 'GET', '#x', 'GET', 'o_*->')).toEqual(
      Array.from({ length: 4 }, () => [null, null, null]).flat(),
    );
    expect(cmd('SORT', 'l', 'BY', 'nosort', 'GET', 'o_*', 'STORE', 'd')).toBe(4);
    expect(cmd('LRANGE', 'd', '0', '-1')).toEqual(['two', 'one', '', 'proto']);
  });

  it('BY hash fields, `->` before the star, and the C-string end of a pattern', () => {
    const { cmd, raw } = binEngine();
    cmd('RPUSH', 'l', 'a', 'b', 'c');
    cmd('HSET', 'h_a', 'f', '30');
    cmd('HSET', 'h_b', 'f', '10');
    cmd('HSET', 'h_c', 'f', '20');
    expect(cmd('SORT', 'l', 'BY', 'h_*->f')).toEqual(['b', 'c', 'a']);
    expect(cmd('SORT', 'l', 'BY', 'h_*->f', 'DESC', 'GET', 'h_*->f')).toEqual(['30', '20', '10']);
    cmd('MSET', 'x->ya', '3', 'x->yb', '1', 'x->yc', '2');
    expect(cmd('SORT', 'l', 'BY', 'x->y*')).toEqual(['b', 'c', 'a']);
    // "w\0*" has no star as strchr sees it: no sorting at all.
    raw('MSET', 'w_a', '3', 'w_b', '2', 'w_c', '1');
    cmd('DEL', 'l');
    cmd('RPUSH', 'l', 'b', 'a', 'c');
    expect(raw('SORT', 'l', 'BY', 'w_\x00*')).toEqual(['b', 'a', 'c']);
    expect(raw('SORT', 'l', 'BY', 'w_*')).toEqual(['c', 'b', 'a']);
    expect(raw('SORT', 'l', 'BY', 'nosort', 'GET', '#\x00junk')).toEqual(['b', 'a', 'c']);
  });
});

describe('SORT BY nosort', () => {
  it('keeps list and sorted-set order, DESC reverses, LIMIT takes the range', () => {
    const { cmd } = testEngine();
    cmd('RPUSH', 'l', 'c', 'a', 'b', 'e', 'd');
    expect(cmd('SORT', 'l', 'BY', 'nosort')).toEqual(['c', 'a', 'b', 'e', 'd']);
    expect(cmd('SORT', 'l', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '2')).toEqual(['e', 'b']);
    expect(cmd('SORT', 'l', 'BY', 'nosort', 'LIMIT', '5', '1')).toEqual([]);
    cmd('ZADD', 'z', '1', 'c', '2', 'b', '3', 'a', '4', 'd');
    expect(cmd('SORT', 'z', 'BY', 'nosort')).toEqual(['c', 'b', 'a', 'd']);
    expect(cmd('SORT', 'z', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '2')).toEqual(['a', 'b']);
    expect(cmd('SORT', 'z', 'BY', 'nosort', 'LIMIT', '-3', '2')).toEqual(['c', 'b']);
    // A later BY with a star does not bring sorting back.
    expect(cmd('SORT', 'l', 'BY', 'nosort', 'BY', 'w_*')).toEqual(['c', 'a', 'b', 'e', 'd']);
  });

  it('sets: iteration order and no DESC; with STORE sorted ALPHA by bytes', () => {
    const { cmd } = testEngine();
    cmd('SADD', 's', '5', '-3', '100');
    expect(cmd('SORT', 's', 'BY', 'nosort', 'DESC')).toEqual(['-3', '5', '100']);
    cmd('SADD', 'hs', 'b', 'c', 'a', '10', '9');
    expect(cmd('SORT', 'hs', 'BY', 'nosort', 'DESC', 'STORE', 'd')).toBe(5);
    expect(cmd('LRANGE', 'd', '0', '-1')).toEqual(['c', 'b', 'a', '9', '10']);
  });

  it('sorting a sorted set converts it to a skiplist', () => {
    const { cmd } = testEngine();
    cmd('ZADD', 'z', '1', 'a');
    expect(cmd('OBJECT', 'ENCODING', 'z')).toBe('listpack');
    cmd('SORT_RO', 'z', 'BY', 'nosort');
    expect(cmd('OBJECT', 'ENCODING', 'z')).toBe('skiplist');
  });
});

describe('SORT LIMIT', () => {
  it('clamps as Redis does', () => {
    const { cmd } = testEngine();
    cmd('RPUSH', 'l', '5', '3', '1', '4', '2');
    const cases: [string, string, string[]][] = [
      ['0', '2', ['1', '2']], ['-1', '2', ['1', '2']], ['3', '-1', ['4', '5']], ['3', '-100', ['4', '5']],
      ['0', '0', []], ['4', '10', ['5']], ['5', '1', []], ['100', '-1', []],
      ['9223372036854775807', '9223372036854775807', []], ['2', '9223372036854775807', ['3', '4', '5']],
      ['-9223372036854775808', '1', ['1']],
    ];
    for (const [o, n, want] of cases) expect([o, n, cmd('SORT', 'l', 'LIMIT', o, n)]).toEqual([o, n, want]);
    expect(cmd('SORT', 'l', 'LIMIT', '1', '1', 'LIMIT', '3', '2')).toEqual(['4', '5']);
  });

  it('parse errors come first, in argument order', () => {
    const { cmd } = testEngine();
    cmd('SET', 'str', 'x');
    expect(cmd('SORT', 'str', 'LIMIT', 'x', '1')).toEqual(NOT_INT);
    expect(cmd('SORT', 'str', 'LIMIT', '1', '9223372036854775808')).toEqual(NOT_INT);
    expect(cmd('SORT', 'str', 'LIMIT', 'x', '1', 'BOGUS')).toEqual(NOT_INT);
    expect(cmd('SORT', 'str', 'BOGUS', 'LIMIT', 'x', '1')).toEqual(SYNTAX);
    expect(cmd('SORT', 'str', 'LIMIT', '1')).toEqual(SYNTAX);
    expect(cmd('SORT', 'str')).toEqual(WRONGTYPE);
  });
});

describe('SORT syntax and types', () => {
  it('option names end at NUL; SORT_RO has no STORE; WRONGTYPE for strings and hashes', () => {
    const { cmd, raw } = binEngine();
    cmd('RPUSH', 'l', '2', '1');
    expect(raw('SORT', 'l', 'desc\x00junk', 'LIMIT\x00', '0', '1')).toEqual(['2']);
    expect(cmd('SORT', 'l', 'BY')).toEqual(SYNTAX);
    expect(cmd('SORT', 'l', 'GET')).toEqual(SYNTAX);
    expect(cmd('SORT', 'l', 'STORE')).toEqual(SYNTAX);
    expect(cmd('SORT_RO', 'l', 'STORE', 'd')).toEqual(SYNTAX);
    expect(cmd('SORT')).toEqual(err("ERR wrong number of arguments for 'sort' command"));
    cmd('SET', 'str', 'x');
    cmd('HSET', 'h', 'f', 'v');
    expect(cmd('SORT', 'str')).toEqual(WRONGTYPE);
    expect(cmd('SORT_RO', 'h')).toEqual(WRONGTYPE);
    expect(cmd('SORT', 'nokey')).toEqual([]);
    expect(cmd('SORT', 'nokey', 'BY', 'w_*', 'GET', '#')).toEqual([]);
  });
});

describe('SORT STORE', () => {
  it('replaces any type and drops the TTL; events new + sortstore, then del when empty', () => {
    const t = testEngine();
    const ev = captureEvents(t.engine);
    t.engine.config.set('notify-keyspace-events', 'KEAn');
    const mod = captureModified(t.engine);
    t.cmd('RPUSH', 'l', '3', '1', '2');
    t.cmd('SET', 'd', 'old', 'EX', '100');
    ev.length = 0;
    mod.length = 0;
    const dirty = t.engine.dirty;
    expect(t.cmd('SORT', 'l', 'STORE', 'd')).toBe(3);
    expect(t.engine.dirty - dirty).toBe(3);
    expect(t.cmd('TYPE', 'd')).toEqual({ k: 'simple', s: 'list' });
    expect(t.cmd('TTL', 'd')).toBe(-1);
    expect(t.cmd('LRANGE', 'd', '0', '-1')).toEqual(['1', '2', '3']);
    expect(t.cmd('SORT', 'l', 'STORE', 'fresh')).toBe(3);
    expect(t.cmd('SORT', 'l', 'LIMIT', '0', '0', 'STORE', 'd')).toBe(0);
    expect(t.cmd('EXISTS', 'd')).toBe(0);
    expect(t.cmd('SORT', 'nokey', 'STORE', 'd')).toBe(0);
    expect(ev).toEqual(['sortstore d', 'new fresh', 'sortstore fresh', 'del d']);
    expect(mod).toEqual(['d', 'fresh', 'd']);
  });

  it('an expired destination is reclaimed first when storing, deleted with del when the result is empty', () => {
    const t = testEngine();
    const ev = captureEvents(t.engine);
    t.cmd('RPUSH', 'l', '1');
    t.cmd('SET', 'd', 'x', 'PX', '10');
    t.cmd('SET', 'e', 'x', 'PX', '10');
    t.clock.t += 20;
    ev.length = 0;
    expect(t.cmd('SORT', 'l', 'STORE', 'd')).toBe(1);
    expect(t.cmd('SORT', 'l', 'LIMIT', '0', '0', 'STORE', 'e')).toBe(0);
    expect(ev).toEqual(['expired d', 'sortstore d', 'del e']);
  });

  it('stores under odd names; GET of a missing key stores an empty string', () => {
    const { cmd } = testEngine();
    cmd('RPUSH', '__proto__', 'constructor', 'toString');
    cmd('SET', 'constructor', 'c');
    expect(cmd('SORT', '__proto__', 'ALPHA', 'GET', '*', 'STORE', 'constructor')).toBe(2);
    expect(cmd('LRANGE', 'constructor', '0', '-1')).toEqual(['c', '']);
  });
});

describe('SORT ties with BY and LIMIT follow pqsort', () => {
  it('matches the order redis-server 7.0.15 gives', () => {
    const { cmd } = testEngine();
    const many = Array.from({ length: 60 }, (_, i) => `e${i}`);
    cmd('RPUSH', 'l', ...many);
    cmd('MSET', ...many.flatMap((e, i) => [`w_${e}`, ['b', 'a', 'c', 'b'][(i * 7) % 4]]));
    // Replies recorded from redis-server 7.0.15.
    expect(cmd('SORT', 'l', 'BY', 'w_*', 'ALPHA', 'LIMIT', '0', '1')).toEqual(['e31']);
    expect(cmd('SORT', 'l', 'BY', 'w_*', 'ALPHA', 'LIMIT', '59', '1')).toEqual(['e2']);
    expect(cmd('SORT', 'l', 'BY', 'w_*', 'ALPHA', 'LIMIT', '5', '20')).toEqual([
      'e11', 'e39', 'e23', 'e55', 'e7', 'e35', 'e27', 'e47', 'e15', 'e59', 'e29', 'e52', 'e1', 'e4', 'e5', 'e8', 'e9',
      'e12', 'e13', 'e16',
    ]);
  });
});

describe('COMMAND metadata', () => {
  it('GETKEYS follows sortGetKeys', () => {
    const { cmd } = testEngine();
    const flags = (r: Reply) => r;
    expect(cmd('COMMAND', 'GETKEYS', 'SORT', 'l')).toEqual(['l']);
    expect(flags(cmd('COMMAND', 'GETKEYSANDFLAGS', 'SORT', 'l', 'LIMIT', '0', '1', 'STORE', 'b', 'GET', 'c', 'store', 'd'))).toEqual([
      ['l', { k: 'set', v: [{ k: 'simple', s: 'RO' }, { k: 'simple', s: 'access' }] }],
      ['d', { k: 'set', v: [{ k: 'simple', s: 'OW' }, { k: 'simple', s: 'update' }] }],
    ]);
    expect(cmd('COMMAND', 'GETKEYS', 'SORT', 'l', 'STORE', 'store', 'x')).toEqual(['l', 'x']);
    expect(cmd('COMMAND', 'GETKEYS', 'SORT', 'l', 'GET', 'store', 'x')).toEqual(['l']);
    expect(cmd('COMMAND', 'GETKEYS', 'SORT', 'l', 'STORE')).toEqual(['l']);
    expect(cmd('COMMAND', 'GETKEYS', 'SORT_RO', 'l', 'STORE', 'd')).toEqual(['l']);
  });
});
