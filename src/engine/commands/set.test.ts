import { describe, expect, it } from 'vitest';
import { captureEvents } from '../../../test/events.js';
import { seeded, testEngine } from '../../../test/helpers.js';
import { IntSet } from '../ds/intset.js';
import { ObjType, reviveValue, serializeValue } from '../keyspace.js';
import type { Reply } from '../reply.js';
import { SetValue } from './set.js';

const err = (msg: string) => ({ k: 'err', msg });
const WRONGTYPE = err('WRONGTYPE Operation against a key holding the wrong kind of value');
const setR = (v: Reply[]) => ({ k: 'set', v });
const ints = (n: number, from = 0) => Array.from({ length: n }, (_, i) => String(from + i));
const strs = (n: number, p = 'm') => Array.from({ length: n }, (_, i) => `${p}${i}`);
const sorted = (r: Reply) => [...((r as { v: string[] }).v ?? (r as string[]))].sort();

describe('IntSet', () => {
  it('stays sorted and exact beyond 2^53', () => {
    const s = new IntSet();
    for (const v of [5, -3, 9007199254740993n, 0, -9223372036854775808n, 5]) s.add(v);
    expect(s.values()).toEqual([-9223372036854775808n, -3, 0, 5, 9007199254740993n]);
    expect(s.has(9007199254740993n)).toBe(true);
    expect(s.has(9007199254740992)).toBe(false);
    expect(s.remove(-3)).toBe(true);
    expect(s.remove(-3)).toBe(false);
    expect(s.size).toBe(4);
  });
});

describe('SADD / SREM / SCARD / SISMEMBER / SMISMEMBER / SMEMBERS', () => {
  it('adds, removes, deletes the emptied key with srem then del', () => {
    const t = testEngine();
    const ev = captureEvents(t.engine);
    expect(t.cmd('SADD', 's', 'a', 'b', 'a')).toBe(2);
    expect(t.cmd('SADD', 's', 'a')).toBe(0);
    expect(t.cmd('SCARD', 's')).toBe(2);
    expect(t.cmd('SISMEMBER', 's', 'a')).toBe(1);
    expect(t.cmd('SMISMEMBER', 's', 'a', 'z', 'b')).toEqual([1, 0, 1]);
    expect(t.cmd('SMISMEMBER', 'nokey', 'a', 'b')).toEqual([0, 0]);
    expect(t.cmd('SREM', 's', 'a', 'z')).toBe(1);
    expect(t.cmd('SREM', 's', 'b')).toBe(1);
    expect(t.cmd('EXISTS', 's')).toBe(0);
    expect(ev).toEqual(['sadd s', 'srem s', 'srem s', 'del s']);
    expect(t.cmd('SMEMBERS', 'nokey')).toEqual(setR([]));
  });

  it('keeps odd and binary members apart', () => {
    const { cmd, engine, session } = testEngine();
    const raw = (...a: string[]) => engine.execute(session, a);
    raw('SADD', 's', '\xff', '\xfe', '__proto__', 'constructor');
    expect(raw('SISMEMBER', 's', '\xff')).toBe(1);
    expect(raw('SISMEMBER', 's', '\xfd')).toBe(0);
    expect(cmd('SISMEMBER', 's', 'toString')).toBe(0);
    expect(cmd('SCARD', 's')).toBe(4);
  });

  it('WRONGTYPE everywhere', () => {
    const { cmd } = testEngine();
    cmd('RPUSH', 'l', 'a');
    for (const c of [
      ['SADD', 'l', 'a'], ['SREM', 'l', 'a'], ['SCARD', 'l'], ['SISMEMBER', 'l', 'a'], ['SMISMEMBER', 'l', 'a'],
      ['SMEMBERS', 'l'], ['SPOP', 'l'], ['SPOP', 'l', '1'], ['SRANDMEMBER', 'l'], ['SRANDMEMBER', 'l', '2'],
      ['SINTER', 'l'], ['SUNION', 'l'], ['SDIFF', 'l'], ['SINTERCARD', '1', 'l'], ['SSCAN', 'l', '0'],
      ['SINTERSTORE', 'd', 'l'], ['SMOVE', 'l', 'd', 'a'],
    ]) {
      expect(cmd(...c)).toEqual(WRONGTYPE);
    }
  });
});

describe('encodings', () => {
  it('intset while all members are canonical 64-bit integers within the limit', () => {
    const t = testEngine();
    t.cmd('SADD', 'a', '3', '1', '-2', '9223372036854775807');
    expect(t.cmd('OBJECT', 'ENCODING', 'a')).toBe('intset');
    expect(t.cmd('SMEMBERS', 'a')).toEqual(setR(['-2', '1', '3', '9223372036854775807']));
    for (const m of ['01', '-0', '+1', '1.0', '9223372036854775808', ' 1', 'x']) {
      t.cmd('DEL', 'b');
      t.cmd('SADD', 'b', '1', m);
      expect(t.cmd('OBJECT', 'ENCODING', 'b')).toBe('hashtable');
    }
    t.cmd('SREM', 'b', 'x');
    expect(t.cmd('OBJECT', 'ENCODING', 'b')).toBe('hashtable');
    t.engine.config.set('set-max-intset-entries', '3');
    t.cmd('SADD', 'c', '1', '2', '3');
    expect(t.cmd('OBJECT', 'ENCODING', 'c')).toBe('intset');
    t.cmd('SADD', 'c', '4');
    expect(t.cmd('OBJECT', 'ENCODING', 'c')).toBe('hashtable');
    t.engine.config.set('set-max-intset-entries', '0');
    t.cmd('SADD', 'd', '1');
    expect(t.cmd('OBJECT', 'ENCODING', 'd')).toBe('hashtable');
  });

  it('store commands build their result with the same rules', () => {
    const { cmd } = testEngine();
    cmd('SADD', 'a', 'x', '1', '2');
    cmd('SADD', 'b', '2', '1');
    cmd('SINTERSTORE', 'd', 'a', 'b');
    expect(cmd('OBJECT', 'ENCODING', 'd')).toBe('intset');
    cmd('SUNIONSTORE', 'd', 'a', 'b');
    expect(cmd('OBJECT', 'ENCODING', 'd')).toBe('hashtable');
    cmd('SDIFFSTORE', 'd', 'a', 'b');
    expect(cmd('SMEMBERS', 'd')).toEqual(setR(['x']));
  });

  it('serialize / revive keep the encoding; clone is deep', () => {
    const t = testEngine();
    t.cmd('SADD', 'i', '3', '1', '9007199254740993');
    t.cmd('SADD', 'h', 'a', 'b');
    for (const [k, enc] of [['i', 'intset'], ['h', 'hashtable']] as const) {
      const e = t.session.db.peek(k, t.clock.t)!;
      const back = reviveValue(ObjType.Set, structuredClone(serializeValue(e))) as SetValue;
      expect(back.encoding).toBe(enc);
      expect(back.members()).toEqual((e.value as SetValue).members());
      const c = (e.value as SetValue).clone();
      t.cmd('SADD', k, '77');
      expect(c.has('77')).toBe(false);
    }
    expect((t.session.db.peek('i', t.clock.t)!.value as SetValue).has('9007199254740993')).toBe(true);
  });
});

describe('SMOVE', () => {
  it('moves with srem/del/sadd in Redis order', () => {
    const t = testEngine();
    const ev = captureEvents(t.engine);
    t.cmd('SADD', 'src', 'a');
    t.cmd('SADD', 'dst', 'a');
    expect(t.cmd('SMOVE', 'src', 'dst', 'a')).toBe(1);
    expect(t.cmd('EXISTS', 'src')).toBe(0);
    t.cmd('SADD', 'src', '1');
    expect(t.cmd('SMOVE', 'src', 'new', '1')).toBe(1);
    expect(t.cmd('OBJECT', 'ENCODING', 'new')).toBe('intset');
    expect(ev).toEqual([
      'sadd src', 'sadd dst', 'srem src', 'del src', 'sadd src', 'srem src', 'del src', 'sadd new',
    ]);
    expect(t.cmd('SMOVE', 'new', 'new', '1')).toBe(1);
    expect(t.cmd('SMOVE', 'new', 'new', '2')).toBe(0);
    expect(t.cmd('SMOVE', 'nokey', 'new', '1')).toBe(0);
    t.cmd('SET', 'str', 'v');
    expect(t.cmd('SMOVE', 'nokey', 'str', '1')).toBe(0);
    expect(t.cmd('SMOVE', 'new', 'str', '1')).toEqual(WRONGTYPE);
  });
});

describe('SPOP / SRANDMEMBER', () => {
  it('SPOP one and COUNT, on intsets and hashtables', () => {
    const t = testEngine(0, 5);
    const ev = captureEvents(t.engine);
    t.cmd('SADD', 'i', ...ints(100));
    t.cmd('SADD', 'h', ...strs(100));
    for (const k of ['i', 'h']) {
      const one = t.cmd('SPOP', k) as string;
      expect(t.cmd('SISMEMBER', k, one)).toBe(0);
      const some = (t.cmd('SPOP', k, 10) as { v: string[] }).v;
      expect(new Set(some).size).toBe(10);
      const most = (t.cmd('SPOP', k, 80) as { v: string[] }).v;
      expect(new Set([one, ...some, ...most]).size).toBe(91);
      expect(t.cmd('SCARD', k)).toBe(9);
      for (const m of most) expect(t.cmd('SISMEMBER', k, m)).toBe(0);
      expect((t.cmd('SPOP', k, 9) as { v: string[] }).v).toHaveLength(9);
      expect(t.cmd('EXISTS', k)).toBe(0);
    }
    expect(ev.filter((e) => e === 'del i' || e === 'del h')).toEqual(['del i', 'del h']);
    expect(ev.filter((e) => e === 'spop i')).toHaveLength(4);
  });

  it('SPOP edge cases and errors', () => {
    const t = testEngine();
    const ev = captureEvents(t.engine);
    expect(t.cmd('SPOP', 'nokey')).toBe(null);
    expect(t.cmd('SPOP', 'nokey', 3)).toEqual(setR([]));
    t.cmd('SADD', 's', '3', '1', '2');
    expect(t.cmd('SPOP', 's', 0)).toEqual(setR([]));
    expect(t.cmd('SPOP', 's', -1)).toEqual(err('ERR value is out of range, must be positive'));
    expect(t.cmd('SPOP', 's', 'x')).toEqual(err('ERR value is out of range, must be positive'));
    expect(t.cmd('SPOP', 's', 1, 2)).toEqual(err('ERR syntax error'));
    expect(t.cmd('SPOP', 's', '9223372036854775807')).toEqual(setR(['1', '2', '3']));
    expect(ev).toEqual(['sadd s', 'spop s', 'del s']);
  });

  it('SRANDMEMBER counts', () => {
    const t = testEngine();
    t.cmd('SADD', 's', '1', '2', '3');
    expect(['1', '2', '3']).toContain(t.cmd('SRANDMEMBER', 's'));
    expect(t.cmd('SRANDMEMBER', 'nokey')).toBe(null);
    expect(t.cmd('SRANDMEMBER', 'nokey', 2)).toEqual([]);
    expect(t.cmd('SRANDMEMBER', 's', 5)).toEqual(['1', '2', '3']);
    expect(t.cmd('SRANDMEMBER', 's', 0)).toEqual([]);
    expect(new Set(t.cmd('SRANDMEMBER', 's', 2) as string[]).size).toBe(2);
    expect(t.cmd('SRANDMEMBER', 's', -7)).toHaveLength(7);
    expect(t.cmd('SCARD', 's')).toBe(3);
    expect(t.cmd('SRANDMEMBER', 's', '-9223372036854775808')).toEqual(
      err('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807'),
    );
    expect(t.cmd('SRANDMEMBER', 's', 'x')).toEqual(err('ERR value is not an integer or out of range'));
    expect(t.cmd('SRANDMEMBER', 's', 1, 2)).toEqual(err('ERR syntax error'));
    expect(t.cmd('SRANDMEMBER', 's', '-100000000')).toEqual(err('ERR value is out of range'));
  });

  it('repeat picks cover the set (engine.random, seeded)', () => {
    const a = testEngine(0, 11);
    const b = testEngine(0, 11);
    for (const t of [a, b]) t.cmd('SADD', 's', ...strs(50));
    const ra = a.cmd('SRANDMEMBER', 's', -2000) as string[];
    expect(b.cmd('SRANDMEMBER', 's', -2000)).toEqual(ra);
    expect(new Set(ra).size).toBe(50);
  });
});

describe('SINTER / SINTERCARD / SINTERSTORE / SUNION / SDIFF', () => {
  it('computes, in intset order where Redis has one', () => {
    const { cmd } = testEngine();
    cmd('SADD', 'a', '5', '1', '2', '3', '4');
    cmd('SADD', 'b', '4', '2', '3', '9');
    cmd('SADD', 'c', '3', '4', 'x');
    expect(cmd('SINTER', 'a', 'b')).toEqual(setR(['2', '3', '4']));
    expect(sorted(cmd('SINTER', 'a', 'b', 'c'))).toEqual(['3', '4']);
    expect(cmd('SINTER', 'a', 'nokey')).toEqual(setR([]));
    expect(cmd('SINTERCARD', 2, 'a', 'b')).toBe(3);
    expect(cmd('SINTERCARD', 2, 'a', 'b', 'LIMIT', 2)).toBe(2);
    expect(cmd('SINTERCARD', 2, 'a', 'b', 'LIMIT', 0)).toBe(3);
    expect(cmd('SUNION', 'a', 'b')).toEqual(setR(['1', '2', '3', '4', '5', '9']));
    expect(cmd('SDIFF', 'a', 'b')).toEqual(setR(['1', '5']));
    expect(cmd('SDIFF', 'a', 'b', 'c')).toEqual(setR(['1', '5']));
    expect(cmd('SDIFF', 'a', 'a')).toEqual(setR([]));
    expect(cmd('SDIFF', 'nokey', 'a')).toEqual(setR([]));
    cmd('SADD', 'big', ...ints(300));
    expect(cmd('SDIFF', 'b', 'big')).toEqual(setR([]));
    expect(cmd('SDIFF', 'big', 'a', 'b', 'c')).toHaveProperty('v.length', 294);
  });

  it('errors', () => {
    const { cmd } = testEngine();
    cmd('SADD', 's', 'a');
    expect(cmd('SINTERCARD', 0, 's')).toEqual(err('ERR numkeys should be greater than 0'));
    expect(cmd('SINTERCARD', 'x', 's')).toEqual(err('ERR numkeys should be greater than 0'));
    expect(cmd('SINTERCARD', 2, 's')).toEqual(err("ERR Number of keys can't be greater than number of args"));
    expect(cmd('SINTERCARD', 1, 's', 'LIMIT', -1)).toEqual(err("ERR LIMIT can't be negative"));
    expect(cmd('SINTERCARD', 1, 's', 'LIMIT')).toEqual(err('ERR syntax error'));
    cmd('SET', 'str', 'v');
    // Every key is type-checked even after a missing one.
    expect(cmd('SINTER', 'nokey', 'str')).toEqual(WRONGTYPE);
  });

  it('stores: replace any type, drop TTL, del on empty result', () => {
    const t = testEngine();
    const ev = captureEvents(t.engine);
    t.cmd('SADD', 'a', '1', '2');
    t.cmd('SADD', 'b', '2', '3');
    t.cmd('SET', 'd', 'string');
    t.cmd('EXPIRE', 'd', 100);
    expect(t.cmd('SINTERSTORE', 'd', 'a', 'b')).toBe(1);
    expect(t.cmd('TYPE', 'd')).toEqual({ k: 'simple', s: 'set' });
    expect(t.cmd('TTL', 'd')).toBe(-1);
    expect(t.cmd('SUNIONSTORE', 'd', 'a', 'b')).toBe(3);
    expect(t.cmd('SDIFFSTORE', 'd', 'a', 'b')).toBe(1);
    expect(t.cmd('SMEMBERS', 'd')).toEqual(setR(['1']));
    expect(t.cmd('SINTERSTORE', 'd', 'a', 'nokey')).toBe(0);
    expect(t.cmd('EXISTS', 'd')).toBe(0);
    expect(t.cmd('SUNIONSTORE', 'd', 'nokey')).toBe(0);
    expect(t.cmd('SDIFFSTORE', 'a', 'a', 'b')).toBe(1);
    expect(ev.slice(2)).toEqual([
      'set d', 'expire d', 'sinterstore d', 'sunionstore d', 'sdiffstore d', 'del d', 'sdiffstore a',
    ]);
  });
});

describe('SSCAN', () => {
  it('returns an intset whole, ascending, cursor 0', () => {
    const { cmd } = testEngine();
    cmd('SADD', 's', '3', '1', '10', '2');
    expect(cmd('SSCAN', 's', 42, 'COUNT', 1)).toEqual(['0', ['1', '2', '3', '10']]);
    expect(cmd('SSCAN', 's', 0, 'MATCH', '1*')).toEqual(['0', ['1', '10']]);
    expect(cmd('SSCAN', 's', '')).toEqual(['0', ['1', '2', '3', '10']]);
    expect(cmd('SSCAN', 's', '18446744073709551616')).toEqual(err('ERR invalid cursor'));
    expect(cmd('SSCAN', 's', '-1')).toEqual(['0', ['1', '2', '3', '10']]);
  });

  it('walks a hashtable and keeps the SCAN guarantee under changes', () => {
    const t = testEngine(0, 8);
    const rnd = seeded(1234);
    t.cmd('SADD', 's', ...strs(3000, 'keep'), ...strs(3000, 'churn'));
    const seen = new Set<string>();
    let cursor = '0';
    let added = 0;
    let calls = 0;
    do {
      const [next, items] = t.cmd('SSCAN', 's', cursor, 'COUNT', 50) as [string, string[]];
      for (const m of items) seen.add(m);
      cursor = next;
      calls++;
      for (let k = 0; k < 10; k++) {
        const c = `churn${Math.floor(rnd() * 3000)}`;
        if (rnd() < 0.5) t.cmd('SREM', 's', c);
        else t.cmd('SADD', 's', c);
        t.cmd('SADD', 's', `late${added++}`);
        if (rnd() < 0.3) t.cmd('SPOP', 's');
      }
    } while (cursor !== '0');
    // SPOP may take a "keep" member out; everything that stayed for the whole scan was seen.
    const members = new Set((t.cmd('SMEMBERS', 's') as { v: string[] }).v);
    for (let i = 0; i < 3000; i++) if (members.has(`keep${i}`)) expect(seen.has(`keep${i}`)).toBe(true);
    expect(calls).toBeGreaterThan(100);
  });
});
