import { describe, expect, it } from 'vitest';
import { seeded, testEngine } from '../../../test/helpers.js';
import { ObjType, reviveValue, serializeValue } from '../keyspace.js';
import type { Reply } from '../reply.js';
import { ZSetValue } from './zset.js';

const d = (v: number) => ({ k: 'double', v });

/** Run a command whose arguments are already binary strings (no UTF-8 conversion), as an array. */
function raw(t: ReturnType<typeof testEngine>) {
  return (...a: (string | number)[]): Reply => t.engine.execute(t.session, a.map(String));
}
const errMsg = (msg: string) => ({ k: 'err', msg });

/** A testEngine that records keyspace events as "event key". */
function withEvents() {
  const t = testEngine();
  const events: string[] = [];
  t.engine.config.set('notify-keyspace-events', 'KEA');
  t.engine.publish = (ch, msg) => {
    if (ch.startsWith('__keyevent@')) events.push(`${ch.slice(ch.indexOf(':') + 1)} ${msg}`);
    return 0;
  };
  return { ...t, events };
}

/** Flatten a RESP2 WITHSCORES reply into [member, score] pairs. */
function pairs(r: Reply): [string, number][] {
  const a = r as Reply[];
  const out: [string, number][] = [];
  for (let i = 0; i < a.length; i += 2) out.push([a[i] as string, (a[i + 1] as { v: number }).v]);
  return out;
}

describe('ZADD and friends', () => {
  it('adds, updates and answers with Redis errors', () => {
    const { cmd } = testEngine();
    expect(cmd('ZADD', 'z', 1, 'a', 2, 'b')).toBe(2);
    expect(cmd('ZADD', 'z', 'CH', 3, 'a', 2, 'b', 1, 'c')).toBe(2);
    expect(cmd('ZADD', 'z', 'NX', 'XX', 1, 'a')).toEqual(errMsg('ERR XX and NX options at the same time are not compatible'));
    expect(cmd('ZADD', 'z', 'GT', 'LT', 1, 'a')).toEqual(
      errMsg('ERR GT, LT, and/or NX options at the same time are not compatible'),
    );
    expect(cmd('ZADD', 'z', 'INCR', 1, 'a', 2, 'b')).toEqual(
      errMsg('ERR INCR option supports a single increment-element pair'),
    );
    expect(cmd('ZADD', 'z', 1, 'a', 2)).toEqual(errMsg('ERR syntax error'));
    expect(cmd('ZADD', 'z', 'nan', 'a')).toEqual(errMsg('ERR value is not a valid float'));
    expect(cmd('ZADD', 'z', 'INCR', 'inf', 'a')).toEqual(d(Infinity));
    expect(cmd('ZADD', 'z', 'INCR', '-inf', 'a')).toEqual(errMsg('ERR resulting score is not a number (NaN)'));
    expect(cmd('ZSCORE', 'z', 'a')).toEqual(d(Infinity));
    expect(cmd('ZADD', 'z', 'GT', 'INCR', -1, 'b')).toBe(null);
    expect(cmd('ZADD', 'z', 'XX', 'INCR', 1, 'nope')).toBe(null);
    expect(cmd('ZINCRBY', 'z', '1.1', 'n')).toEqual(d(1.1));
    expect(cmd('SET', 's', 'v')).toEqual({ k: 'simple', s: 'OK' });
    expect(cmd('ZADD', 's', 1, 'a')).toEqual(errMsg('WRONGTYPE Operation against a key holding the wrong kind of value'));
  });

  it('fires the keyspace events Redis 7.0 fires', () => {
    const { cmd, events } = withEvents();
    const run: (string | number)[][] = [
      ['ZADD', 'z', 1, 'a', 2, 'b', 3, 'c'],
      ['ZADD', 'z', 1, 'a'],
      ['ZADD', 'z', 'INCR', 1, 'a'],
      ['ZINCRBY', 'z', 1, 'b'],
      ['ZADD', 'z', 'XX', 5, 'nope'],
      ['ZREM', 'z', 'a'],
      ['ZREM', 'z', 'nope'],
      ['ZREMRANGEBYSCORE', 'z', 0, 2],
      ['ZREMRANGEBYRANK', 'z', 0, 0],
      ['ZADD', 'l', 0, 'a', 0, 'b'],
      ['ZREMRANGEBYLEX', 'l', '-', '+'],
      ['ZADD', 'z', 1, 'a', 2, 'b'],
      ['ZUNIONSTORE', 'u', 1, 'z'],
      ['ZINTERSTORE', 'u', 1, 'z'],
      ['ZDIFFSTORE', 'u', 1, 'z'],
      ['ZUNIONSTORE', 'u', 1, 'nope'],
      ['ZUNIONSTORE', 'u', 1, 'nope'],
      ['ZRANGESTORE', 'r', 'z', 0, -1],
      ['ZRANGESTORE', 'r', 'z', 5, 6],
      ['ZPOPMIN', 'z'],
      ['ZPOPMAX', 'z', 5],
      ['ZADD', 'z', 1, 'a', 2, 'b'],
      ['ZMPOP', 1, 'z', 'MIN', 'COUNT', 10],
      ['ZADD', 'z', 1, 'a'],
      ['ZREM', 'z', 'a', 'b'],
    ];
    for (const a of run) cmd(...a);
    // Recorded from redis-server 7.0.15 running the same commands.
    expect(events).toEqual([
      'zadd z', 'zincr z', 'zincr z', 'zrem z', 'zremrangebyrank z', 'zadd l', 'zremrangebylex l', 'del l',
      'zadd z', 'zunionstore u', 'zinterstore u', 'zdiffstore u', 'del u', 'zrangestore r', 'del r',
      'zpopmin z', 'zpopmax z', 'del z', 'zadd z', 'zpopmin z', 'del z', 'zadd z', 'zrem z', 'del z',
    ]);
  });

  it('counts changes for the dirty counter as Redis (added + updated)', () => {
    const { cmd, engine } = testEngine();
    const before = engine.dirty;
    cmd('ZADD', 'z', 1, 'a', 2, 'b', 3, 'c');
    cmd('ZADD', 'z', 5, 'a', 2, 'b');
    expect(engine.dirty - before).toBe(4);
  });
});

describe('encodings', () => {
  it('converts listpack → skiplist one way, following the config', () => {
    const t = testEngine();
    t.engine.config.set('zset-max-listpack-entries', '3');
    t.engine.config.set('zset-max-listpack-value', '4');
    const enc = (k: string) => (t.engine.dbs[0].dict.get(k)!.value as ZSetValue).encoding;
    t.cmd('ZADD', 'z', 1, 'a', 2, 'b', 3, 'c');
    expect(enc('z')).toBe('listpack');
    t.cmd('ZADD', 'z', 4, 'd');
    expect(enc('z')).toBe('skiplist');
    t.cmd('ZREM', 'z', 'a', 'b', 'c');
    expect(enc('z')).toBe('skiplist');
    t.cmd('ZADD', 'v', 1, 'abcde');
    expect(enc('v')).toBe('skiplist');
    t.cmd('ZADD', 'w', 1, 'abcd');
    expect(enc('w')).toBe('listpack');
    // A computed destination converts back when small enough.
    t.cmd('ZUNIONSTORE', 'u', 1, 'z');
    expect(enc('u')).toBe('listpack');
    t.engine.config.set('zset-max-listpack-entries', '0');
    t.cmd('ZADD', 'e', 1, 'a');
    expect(enc('e')).toBe('skiplist');
  });

  it('keeps -0 in a skiplist and stores 0 in a listpack, as listpacks store integers', () => {
    const t = testEngine();
    t.cmd('ZADD', 'lp', '-0', 'a');
    expect(t.cmd('ZSCORE', 'lp', 'a')).toEqual(d(0));
    expect(Object.is((t.cmd('ZSCORE', 'lp', 'a') as { v: number }).v, 0)).toBe(true);
    // The INCR reply is the computed score even when the listpack stores 0.
    expect(Object.is((t.cmd('ZINCRBY', 'lp', '-0', 'b') as { v: number }).v, -0)).toBe(true);
    t.engine.config.set('zset-max-listpack-entries', '0');
    t.cmd('ZADD', 'sl', '-0', 'a');
    expect(Object.is((t.cmd('ZSCORE', 'sl', 'a') as { v: number }).v, -0)).toBe(true);
    t.engine.config.set('zset-max-listpack-entries', '128');
    t.cmd('ZUNIONSTORE', 'u', 1, 'sl');
    expect(Object.is((t.cmd('ZSCORE', 'u', 'a') as { v: number }).v, 0)).toBe(true);
    expect(t.cmd('ZSCAN', 'lp', 0)).toEqual(['0', ['a', '0', 'b', '0']]);
  });

  it('serializes and revives with encoding, order, -0 and infinities', () => {
    const t = testEngine();
    t.engine.config.set('zset-max-listpack-entries', '0');
    t.cmd('ZADD', 'z', '-inf', 'n', '-0', 'z', 'inf', 'p', '1.5', '\xff', '1.5', '');
    const e = t.engine.dbs[0].dict.get('z')!;
    const data = serializeValue(e);
    expect(structuredClone(data)).toEqual(data);
    const back = reviveValue(ObjType.ZSet, structuredClone(data)) as ZSetValue;
    expect(back.encoding).toBe('skiplist');
    const original = e.value as ZSetValue;
    expect([...back.pairs()].map((n) => [n.ele, n.score])).toEqual([...original.pairs()].map((n) => [n.ele, n.score]));
    expect(Object.is(back.score('z'), -0)).toBe(true);
    const c = original.clone();
    expect(c.encoding).toBe('skiplist');
    expect(c.serialize()).toEqual(data);
    c.delete('p');
    expect(original.size).toBe(5);
  });
});

describe('MEMORY USAGE', () => {
  it('samples a skiplist in O(samples) and measures a listpack whole', () => {
    const n = 100_000;
    const eles = Array.from({ length: n }, (_, i) => `member:${String(i).padStart(6, '0')}`);
    const big = ZSetValue.fromSorted('skiplist', eles, eles.map((_, i) => i));
    const t0 = performance.now();
    const sampled = big.memoryUsage(5);
    expect(performance.now() - t0).toBeLessThan(50);
    // Members of one length: the sample's average is the whole's.
    expect(sampled).toBe(big.memoryUsage(Infinity));
    const small = ZSetValue.fromSorted('listpack', ['a', 'b'], [1, 2.5]);
    expect(small.memoryUsage(1)).toBe(small.memoryUsage(Infinity));
  });
});

describe('RESP3 shapes', () => {
  it('replies doubles and [member, score] pairs', () => {
    const t = testEngine();
    t.session.resp = 3;
    t.cmd('ZADD', 'z', '1.1', 'a', 2, 'b', 3, 'c');
    expect(t.cmd('ZSCORE', 'z', 'a')).toEqual(d(1.1));
    expect(t.cmd('ZRANGE', 'z', 0, 1, 'WITHSCORES')).toEqual([['a', d(1.1)], ['b', d(2)]]);
    expect(t.cmd('ZUNION', 1, 'z', 'WITHSCORES')).toEqual([['a', d(1.1)], ['b', d(2)], ['c', d(3)]]);
    expect(t.cmd('ZRANDMEMBER', 'z', 5, 'WITHSCORES')).toEqual([['c', d(3)], ['b', d(2)], ['a', d(1.1)]]);
    // ZPOPMIN without a count stays flat; with one, pairs.
    expect(t.cmd('ZPOPMIN', 'z')).toEqual(['a', d(1.1)]);
    expect(t.cmd('ZPOPMAX', 'z', 1)).toEqual([['c', d(3)]]);
    expect(t.cmd('ZMPOP', 1, 'z', 'MIN')).toEqual(['z', [['b', d(2)]]]);
    expect(t.cmd('ZMPOP', 1, 'z', 'MIN')).toEqual({ k: 'nullarr' });
  });

  it('keeps RESP2 flat', () => {
    const t = testEngine();
    t.cmd('ZADD', 'z', 1, 'a', 2, 'b');
    expect(t.cmd('ZRANGE', 'z', 0, -1, 'WITHSCORES')).toEqual(['a', d(1), 'b', d(2)]);
    expect(t.cmd('ZPOPMAX', 'z', 1)).toEqual(['b', d(2)]);
    expect(t.cmd('ZMPOP', 1, 'z', 'MIN')).toEqual(['z', [['a', d(1)]]]);
  });
});

describe('against a naive sorted-array model', () => {
  interface El {
    ele: string;
    score: number;
  }
  const order = (a: El, b: El) =>
    a.score < b.score ? -1 : a.score > b.score ? 1 : a.ele < b.ele ? -1 : a.ele > b.ele ? 1 : 0;

  it('agrees over seeded random commands', () => {
    const t0 = testEngine();
    const t = { ...t0, cmd: raw(t0) };
    // Small limits so the run crosses the listpack → skiplist conversion.
    t.engine.config.set('zset-max-listpack-entries', '16');
    const rnd = seeded(7);
    const model = new Map<string, number>();
    const sorted = () => [...model].map(([ele, score]) => ({ ele, score })).sort(order);
    const member = () => ['', '\xff', '\xfe', 'a', 'b'][Math.floor(rnd() * 5)] + Math.floor(rnd() * 60);
    const score = () => Math.floor(rnd() * 21) - 10 + (rnd() < 0.2 ? 0.5 : 0);
    for (let step = 0; step < 6000; step++) {
      const op = Math.floor(rnd() * 12);
      const s = sorted();
      if (op <= 2) {
        const m = member();
        const sc = score();
        const added = model.has(m) ? 0 : 1;
        model.set(m, sc);
        expect(t.cmd('ZADD', 'z', sc, m)).toBe(added);
      } else if (op === 3) {
        const m = member();
        const sc = score();
        const next = (model.get(m) ?? 0) + sc;
        model.set(m, next);
        expect(t.cmd('ZINCRBY', 'z', sc, m)).toEqual(d(next));
      } else if (op === 4) {
        const m = member();
        expect(t.cmd('ZREM', 'z', m)).toBe(model.delete(m) ? 1 : 0);
      } else if (op === 5) {
        const m = member();
        const i = s.findIndex((x) => x.ele === m);
        expect(t.cmd('ZRANK', 'z', m)).toBe(i < 0 ? null : i);
        expect(t.cmd('ZREVRANK', 'z', m)).toBe(i < 0 ? null : s.length - 1 - i);
      } else if (op === 6) {
        const a = Math.floor(rnd() * 40) - 20;
        const b = Math.floor(rnd() * 40) - 20;
        const len = s.length;
        let lo = a < 0 ? len + a : a;
        let hi = b < 0 ? len + b : b;
        if (lo < 0) lo = 0;
        if (hi >= len) hi = len - 1;
        const want = lo > hi ? [] : s.slice(lo, hi + 1).map((x) => x.ele);
        expect(t.cmd('ZRANGE', 'z', a, b)).toEqual(want);
        expect(t.cmd('ZREVRANGE', 'z', a, b)).toEqual(lo > hi ? [] : [...s].reverse().slice(lo, hi + 1).map((x) => x.ele));
      } else if (op === 7) {
        const min = score();
        const max = min + Math.floor(rnd() * 8);
        const minex = rnd() < 0.5;
        const off = Math.floor(rnd() * 4);
        const cnt = Math.floor(rnd() * 6) - 1;
        const inR = s.filter((x) => (minex ? x.score > min : x.score >= min) && x.score <= max);
        const want = inR.slice(off, cnt < 0 ? undefined : off + cnt).map((x) => x.ele);
        expect(t.cmd('ZRANGEBYSCORE', 'z', (minex ? '(' : '') + min, max, 'LIMIT', off, cnt)).toEqual(want);
        const wantRev = [...inR].reverse().slice(off, cnt < 0 ? undefined : off + cnt).map((x) => x.ele);
        expect(t.cmd('ZREVRANGEBYSCORE', 'z', max, (minex ? '(' : '') + min, 'LIMIT', off, cnt)).toEqual(wantRev);
        expect(t.cmd('ZCOUNT', 'z', (minex ? '(' : '') + min, max)).toBe(inR.length);
      } else if (op === 8) {
        const min = score();
        const max = min + Math.floor(rnd() * 4);
        const gone = s.filter((x) => x.score >= min && x.score <= max);
        for (const g of gone) model.delete(g.ele);
        expect(t.cmd('ZREMRANGEBYSCORE', 'z', min, max)).toBe(gone.length);
      } else if (op === 9 && s.length > 0) {
        const a = Math.floor(rnd() * s.length);
        const b = a + Math.floor(rnd() * 3);
        const gone = s.slice(a, b + 1);
        for (const g of gone) model.delete(g.ele);
        expect(t.cmd('ZREMRANGEBYRANK', 'z', a, b)).toBe(gone.length);
      } else if (op === 10) {
        // Lex ranges over equal scores: a separate key with every score 0.
        const m = member();
        t.cmd('ZADD', 'lex', 0, m);
        const all = (t.cmd('ZRANGE', 'lex', 0, -1) as string[]).slice();
        expect(all).toEqual([...all].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
        const lo = member();
        const hi = member();
        const want = all.filter((x) => x >= lo && x < hi);
        expect(t.cmd('ZRANGEBYLEX', 'lex', '[' + lo, '(' + hi)).toEqual(want);
        expect(t.cmd('ZLEXCOUNT', 'lex', '[' + lo, '(' + hi)).toBe(want.length);
      } else if (op === 11) {
        const n = Math.floor(rnd() * 3) + 1;
        const popped = s.slice(0, n);
        for (const p of popped) model.delete(p.ele);
        expect(pairs(t.cmd('ZPOPMIN', 'z', n))).toEqual(popped.map((p) => [p.ele, p.score]));
      }
      if (step % 500 === 0) {
        const all = sorted();
        expect(pairs(t.cmd('ZRANGE', 'z', 0, -1, 'WITHSCORES'))).toEqual(all.map((x) => [x.ele, x.score]));
        expect(t.cmd('ZCARD', 'z')).toBe(all.length);
      }
    }
  });

  for (const size of [10_000, 100_000]) {
    it(`ranks, ranges and counts are right at ${size} elements`, () => {
      const t = testEngine();
      const rnd = seeded(size);
      const els: El[] = [];
      const args: (string | number)[] = ['ZADD', 'z'];
      for (let i = 0; i < size; i++) {
        const x = { ele: `m${i}`, score: Math.floor(rnd() * size) / 4 };
        els.push(x);
        args.push(x.score, x.ele);
      }
      expect(t.engine.execute(t.session, args.map(String))).toBe(size);
      els.sort(order);
      for (let k = 0; k < 300; k++) {
        const i = Math.floor(rnd() * size);
        expect(t.cmd('ZRANK', 'z', els[i].ele)).toBe(i);
        expect(t.cmd('ZREVRANK', 'z', els[i].ele)).toBe(size - 1 - i);
        expect(t.cmd('ZRANGE', 'z', i, i)).toEqual([els[i].ele]);
        const sc = els[i].score;
        let first = 0;
        for (let hi = size; first < hi; ) {
          const mid = (first + hi) >>> 1;
          if (els[mid].score < sc) first = mid + 1;
          else hi = mid;
        }
        expect(t.cmd('ZRANGEBYSCORE', 'z', sc, '+inf', 'LIMIT', 0, 3)).toEqual(els.slice(first, first + 3).map((x) => x.ele));
        expect(t.cmd('ZRANGEBYSCORE', 'z', '-inf', '+inf', 'LIMIT', i, 2)).toEqual(els.slice(i, i + 2).map((x) => x.ele));
      }
      const lo = els[Math.floor(size / 3)].score;
      const hi = els[Math.floor((2 * size) / 3)].score;
      expect(t.cmd('ZCOUNT', 'z', lo, `(${hi}`)).toBe(els.filter((x) => x.score >= lo && x.score < hi).length);
    });
  }
});

describe('ZSCAN', () => {
  it('returns a listpack whole with cursor 0', () => {
    const t = testEngine();
    t.cmd('ZADD', 'z', 1, 'a', '1e17', 'b', '1.5', 'c');
    expect(t.cmd('ZSCAN', 'z', 42)).toEqual(['0', ['a', '1', 'c', '1.5', 'b', '100000000000000000']]);
    expect(t.cmd('ZSCAN', 'z', 0, 'MATCH', '[ab]')).toEqual(['0', ['a', '1', 'b', '100000000000000000']]);
  });

  it('keeps the SCAN guarantee on a skiplist while the set changes', () => {
    const t = testEngine();
    const n = 2000;
    const args: (string | number)[] = ['ZADD', 'z'];
    for (let i = 0; i < n; i++) args.push(i, `m${i}`);
    raw(t)(...args);
    const seen = new Set<string>();
    let cursor = '0';
    let round = 0;
    do {
      const [next, items] = t.cmd('ZSCAN', 'z', cursor, 'COUNT', 37) as [string, string[]];
      for (let i = 0; i < items.length; i += 2) {
        seen.add(items[i]);
        expect(Number.isNaN(Number(items[i + 1]))).toBe(false);
      }
      // Churn: new members, removals of members not in the "stable" half, score changes of stable ones.
      t.cmd('ZADD', 'z', round, `new${round}`);
      t.cmd('ZREM', 'z', `m${n - 1 - round}`);
      t.cmd('ZINCRBY', 'z', 1000, `m${round}`);
      round++;
      cursor = next;
    } while (cursor !== '0');
    // Every member present for the whole scan (m0 .. m{n-1-round}) was returned.
    for (let i = 0; i < n - round; i++) expect(seen.has(`m${i}`)).toBe(true);
  });
});

describe('ZRANDMEMBER', () => {
  it('gives distinct members for a positive count, repeats for a negative one', () => {
    const t = testEngine();
    for (const size of [10, 200]) {
      const args: (string | number)[] = ['ZADD', `z${size}`];
      for (let i = 0; i < size; i++) args.push(i, `m${i}`);
      t.cmd(...args);
      for (const count of [1, 3, 5, 9, 60, 150]) {
        if (count >= size) continue;
        const r = t.cmd('ZRANDMEMBER', `z${size}`, count) as string[];
        expect(r.length).toBe(count);
        expect(new Set(r).size).toBe(count);
      }
      const rep = t.cmd('ZRANDMEMBER', `z${size}`, -500) as string[];
      expect(rep.length).toBe(500);
      expect(new Set(rep).size).toBeLessThan(500);
      const ws = pairs(t.cmd('ZRANDMEMBER', `z${size}`, -20, 'WITHSCORES'));
      for (const [m, s] of ws) expect(s).toBe(Number(m.slice(1)));
    }
    // The listpack sampler returns its picks in set order.
    const small = t.cmd('ZRANDMEMBER', 'z10', 3) as string[];
    expect(small).toEqual([...small].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))));
  });
});
