import { describe, expect, it } from 'vitest';
import { captureEvents } from '../../../test/events.js';
import { seeded, testEngine } from '../../../test/helpers.js';
import { ObjType, reviveValue, serializeValue } from '../keyspace.js';
import type { Reply } from '../reply.js';
import { HashValue } from './hash.js';

const err = (msg: string) => ({ k: 'err', msg });
const WRONGTYPE = err('WRONGTYPE Operation against a key holding the wrong kind of value');
const OK = { k: 'simple', s: 'OK' };
const map = (v: Reply[]) => ({ k: 'map', v });

function fields(n: number, p = 'f'): string[] {
  return Array.from({ length: n }, (_, i) => [`${p}${i}`, `v${i}`]).flat();
}

describe('HSET / HGET / HMSET / HSETNX', () => {
  it('sets, updates in place, and counts created fields', () => {
    const t = testEngine();
    const ev = captureEvents(t.engine);
    expect(t.cmd('HSET', 'h', 'a', '1', 'b', '2')).toBe(2);
    expect(t.cmd('HSET', 'h', 'a', '3', 'c', '4', 'c', '5')).toBe(1);
    expect(t.cmd('HGETALL', 'h')).toEqual(map(['a', '3', 'b', '2', 'c', '5']));
    expect(t.cmd('HMSET', 'h', 'd', '6')).toEqual(OK);
    expect(t.cmd('HSETNX', 'h', 'd', 'x')).toBe(0);
    expect(t.cmd('HSETNX', 'h', 'e', 'x')).toBe(1);
    expect(t.cmd('HGET', 'h', 'e')).toBe('x');
    expect(t.cmd('HGET', 'h', 'zz')).toBe(null);
    expect(t.cmd('HGET', 'nokey', 'a')).toBe(null);
    expect(ev).toEqual(['hset h', 'hset h', 'hset h', 'hset h']);
    expect(t.cmd('HSET', 'h', 'a', '1', 'b')).toEqual(err("ERR wrong number of arguments for 'hset' command"));
    expect(t.cmd('HMSET', 'h', 'a', '1', 'b')).toEqual(err("ERR wrong number of arguments for 'hmset' command"));
  });

  it('keeps __proto__ and binary fields as ordinary fields', () => {
    const { cmd, engine, session } = testEngine();
    const raw = (...a: string[]) => engine.execute(session, a);
    cmd('HSET', 'h', '__proto__', 'p', 'constructor', 'c', 'toString', 't');
    expect(cmd('HGETALL', 'h')).toEqual(map(['__proto__', 'p', 'constructor', 'c', 'toString', 't']));
    expect(cmd('HGET', 'h', 'valueOf')).toBe(null);
    expect(cmd('HEXISTS', 'h', 'hasOwnProperty')).toBe(0);
    raw('HSET', 'b', '\xff', '\xfe', '\xfe', '\xff');
    expect(raw('HGET', 'b', '\xff')).toBe('\xfe');
    expect(raw('HGET', 'b', '\xfe')).toBe('\xff');
    expect(raw('HSTRLEN', 'b', '\xff')).toBe(1);
    expect(cmd('HSET', 'u', 'f', 'é')).toBe(1);
    expect(cmd('HSTRLEN', 'u', 'f')).toBe(2);
  });

  it('answers WRONGTYPE for other types', () => {
    const { cmd } = testEngine();
    cmd('SET', 's', 'v');
    for (const c of [
      ['HSET', 's', 'f', 'v'], ['HGET', 's', 'f'], ['HMGET', 's', 'f'], ['HGETALL', 's'], ['HDEL', 's', 'f'],
      ['HLEN', 's'], ['HKEYS', 's'], ['HVALS', 's'], ['HEXISTS', 's', 'f'], ['HSTRLEN', 's', 'f'],
      ['HINCRBY', 's', 'f', '1'], ['HINCRBYFLOAT', 's', 'f', '1'], ['HSETNX', 's', 'f', 'v'], ['HRANDFIELD', 's'],
      ['HSCAN', 's', '0'],
    ]) {
      expect(cmd(...c)).toEqual(WRONGTYPE);
    }
  });
});

describe('HDEL / HLEN / HEXISTS / HSTRLEN / HMGET / HKEYS / HVALS', () => {
  it('deletes fields and then the key, with hdel then del', () => {
    const t = testEngine();
    const ev = captureEvents(t.engine);
    t.cmd('HSET', 'h', 'a', '1', 'b', '2');
    expect(t.cmd('HDEL', 'h', 'a', 'zz', 'a')).toBe(1);
    expect(t.cmd('HDEL', 'h', 'zz')).toBe(0);
    expect(t.cmd('HDEL', 'h', 'b', 'c')).toBe(1);
    expect(t.cmd('EXISTS', 'h')).toBe(0);
    expect(t.cmd('HDEL', 'h', 'b')).toBe(0);
    expect(ev).toEqual(['hset h', 'hdel h', 'hdel h', 'del h']);
  });

  it('reads', () => {
    const { cmd } = testEngine();
    cmd('HSET', 'h', 'a', 'hello', 'b', '');
    expect(cmd('HLEN', 'h')).toBe(2);
    expect(cmd('HLEN', 'nokey')).toBe(0);
    expect(cmd('HEXISTS', 'h', 'b')).toBe(1);
    expect(cmd('HEXISTS', 'nokey', 'b')).toBe(0);
    expect(cmd('HSTRLEN', 'h', 'a')).toBe(5);
    expect(cmd('HSTRLEN', 'h', 'zz')).toBe(0);
    expect(cmd('HMGET', 'h', 'a', 'zz', 'b')).toEqual(['hello', null, '']);
    expect(cmd('HMGET', 'nokey', 'a', 'b')).toEqual([null, null]);
    expect(cmd('HKEYS', 'h')).toEqual(['a', 'b']);
    expect(cmd('HVALS', 'h')).toEqual(['hello', '']);
    expect(cmd('HKEYS', 'nokey')).toEqual([]);
    expect(cmd('HGETALL', 'nokey')).toEqual(map([]));
  });
});

describe('HINCRBY / HINCRBYFLOAT', () => {
  it('HINCRBY with 64-bit overflow checks', () => {
    const t = testEngine();
    const ev = captureEvents(t.engine);
    expect(t.cmd('HINCRBY', 'h', 'n', 5)).toBe(5);
    expect(t.cmd('HINCRBY', 'h', 'n', -10)).toBe(-5);
    t.cmd('HSET', 'h', 'max', '9223372036854775807', 's', 'abc', 'big', '9007199254740993');
    expect(t.cmd('HINCRBY', 'h', 'max', 1)).toEqual(err('ERR increment or decrement would overflow'));
    expect(t.cmd('HINCRBY', 'h', 'max', -1)).toBe(9223372036854775806n);
    expect(t.cmd('HINCRBY', 'h', 'big', 1)).toBe(9007199254740994n);
    expect(t.cmd('HGET', 'h', 'big')).toBe('9007199254740994');
    expect(t.cmd('HINCRBY', 'h', 's', 1)).toEqual(err('ERR hash value is not an integer'));
    expect(t.cmd('HINCRBY', 'h', 'n', 'x')).toEqual(err('ERR value is not an integer or out of range'));
    expect(t.cmd('HINCRBY', 'new', 'n', 'x')).toEqual(err('ERR value is not an integer or out of range'));
    expect(t.cmd('EXISTS', 'new')).toBe(0);
    expect(ev.filter((e) => e.startsWith('hincrby'))).toHaveLength(4);
  });

  it('HINCRBYFLOAT adds in long double and prints as Redis', () => {
    const t = testEngine();
    const ev = captureEvents(t.engine);
    expect(t.cmd('HINCRBYFLOAT', 'h', 'f', '10.5')).toBe('10.5');
    expect(t.cmd('HINCRBYFLOAT', 'h', 'f', '0.1')).toBe('10.6');
    expect(t.cmd('HINCRBYFLOAT', 'h', 'f', '-5')).toBe('5.6');
    // strtold's 1e308 is not exact; Redis prints its exact expansion (checked against 7.0).
    expect((t.cmd('HINCRBYFLOAT', 'h', 'g', '1e308') as string).slice(0, 30)).toBe('999999999999999999966858796558');
    expect(t.cmd('HINCRBYFLOAT', 'h', 'x', '1e20')).toBe('100000000000000000000');
    t.cmd('HSET', 'h', 'i', '17', 's', 'abc');
    expect(t.cmd('HINCRBYFLOAT', 'h', 'i', '0.5')).toBe('17.5');
    expect(t.cmd('HINCRBYFLOAT', 'h', 's', '1')).toEqual(err('ERR hash value is not a float'));
    expect(t.cmd('HINCRBYFLOAT', 'h', 'f', 'inf')).toEqual(err('ERR value is NaN or Infinity'));
    expect(t.cmd('HINCRBYFLOAT', 'h', 'f', 'abc')).toEqual(err('ERR value is not a valid float'));
    expect(ev).toContain('hincrbyfloat h');
  });
});

describe('encodings', () => {
  it('listpack until too many fields or a long field/value, then hashtable for good', () => {
    const t = testEngine();
    t.engine.config.set('hash-max-listpack-entries', '4');
    t.engine.config.set('hash-max-listpack-value', '8');
    t.cmd('HSET', 'h', ...fields(4));
    expect(t.cmd('OBJECT', 'ENCODING', 'h')).toBe('listpack');
    t.cmd('HSET', 'h', 'f0', 'changed');
    expect(t.cmd('OBJECT', 'ENCODING', 'h')).toBe('listpack');
    t.cmd('HSET', 'h', 'f4', 'x');
    expect(t.cmd('OBJECT', 'ENCODING', 'h')).toBe('hashtable');
    t.cmd('HDEL', 'h', 'f1', 'f2', 'f3', 'f4');
    expect(t.cmd('OBJECT', 'ENCODING', 'h')).toBe('hashtable');
    t.cmd('HSET', 'v', 'f', '123456789');
    expect(t.cmd('OBJECT', 'ENCODING', 'v')).toBe('hashtable');
    // A long argument converts even when the write is then a no-op (hashTypeTryConversion).
    t.cmd('HSET', 'n', 'f', 'v');
    t.cmd('HSETNX', 'n', 'f', '123456789');
    expect(t.cmd('OBJECT', 'ENCODING', 'n')).toBe('listpack');
    t.cmd('HSET', 'n', 'f', '123456789', 'f', 'v');
    expect(t.cmd('OBJECT', 'ENCODING', 'n')).toBe('hashtable');
    t.cmd('HINCRBY', 'i', '123456789', 1);
    expect(t.cmd('OBJECT', 'ENCODING', 'i')).toBe('hashtable');
    t.engine.config.set('hash-max-listpack-entries', '0');
    t.cmd('HSET', 'z', 'a', 'b');
    expect(t.cmd('OBJECT', 'ENCODING', 'z')).toBe('hashtable');
  });

  it('defaults to Redis 7.0 limits (512 entries, 64 bytes)', () => {
    const { cmd } = testEngine();
    cmd('HSET', 'h', ...fields(512));
    expect(cmd('OBJECT', 'ENCODING', 'h')).toBe('listpack');
    cmd('HSET', 'h', 'x', 'y');
    expect(cmd('OBJECT', 'ENCODING', 'h')).toBe('hashtable');
    cmd('HSET', 'v', 'f', 'x'.repeat(64));
    expect(cmd('OBJECT', 'ENCODING', 'v')).toBe('listpack');
    cmd('HSET', 'v', 'f', 'x'.repeat(65));
    expect(cmd('OBJECT', 'ENCODING', 'v')).toBe('hashtable');
  });

  it('serialize / revive keep the encoding; clone is deep', () => {
    const t = testEngine();
    t.engine.config.set('hash-max-listpack-entries', '2');
    t.cmd('HSET', 'a', 'x', '1');
    t.cmd('HSET', 'b', ...fields(3));
    for (const [k, enc] of [['a', 'listpack'], ['b', 'hashtable']] as const) {
      const e = t.session.db.peek(k, t.clock.t)!;
      const back = reviveValue(ObjType.Hash, structuredClone(serializeValue(e))) as HashValue;
      expect(back.encoding).toBe(enc);
      expect(back.flat()).toEqual((e.value as HashValue).flat());
    }
    const c = (t.session.db.peek('a', t.clock.t)!.value as HashValue).clone();
    t.cmd('HSET', 'a', 'x', '2');
    expect(c.get('x')).toBe('1');
  });
});

describe('HRANDFIELD', () => {
  it('single, distinct COUNT, repeating negative COUNT, WITHVALUES in RESP2 and RESP3', () => {
    const t = testEngine();
    t.cmd('HSET', 'h', 'a', '1', 'b', '2', 'c', '3');
    expect(['a', 'b', 'c']).toContain(t.cmd('HRANDFIELD', 'h'));
    expect(t.cmd('HRANDFIELD', 'nokey')).toBe(null);
    expect(t.cmd('HRANDFIELD', 'nokey', 3)).toEqual([]);
    const two = t.cmd('HRANDFIELD', 'h', 2) as string[];
    expect(new Set(two).size).toBe(2);
    expect((t.cmd('HRANDFIELD', 'h', 10) as string[]).sort()).toEqual(['a', 'b', 'c']);
    const rep = t.cmd('HRANDFIELD', 'h', -10) as string[];
    expect(rep).toHaveLength(10);
    const flat = t.cmd('HRANDFIELD', 'h', -4, 'WITHVALUES') as string[];
    expect(flat).toHaveLength(8);
    for (let i = 0; i < 8; i += 2) expect(t.cmd('HGET', 'h', flat[i])).toBe(flat[i + 1]);
    t.session.resp = 3;
    const nested = t.cmd('HRANDFIELD', 'h', 2, 'WITHVALUES') as string[][];
    expect(nested).toHaveLength(2);
    for (const [f, v] of nested) expect(t.cmd('HGET', 'h', f)).toBe(v);
    expect(t.cmd('HRANDFIELD', 'h', 0)).toEqual([]);
  });

  it('errors as Redis', () => {
    const { cmd } = testEngine();
    cmd('HSET', 'h', 'a', '1');
    expect(cmd('HRANDFIELD', 'h', 'x')).toEqual(err('ERR value is not an integer or out of range'));
    expect(cmd('HRANDFIELD', 'h', '-9223372036854775808')).toEqual(
      err('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807'),
    );
    expect(cmd('HRANDFIELD', 'h', 1, 'WITH')).toEqual(err('ERR syntax error'));
    expect(cmd('HRANDFIELD', 'h', 1, 'WITHVALUES', 'x')).toEqual(err('ERR syntax error'));
    expect(cmd('HRANDFIELD', 'h', '-4611686018427387904', 'WITHVALUES')).toEqual(err('ERR value is out of range'));
    // Beyond what a tab can hold: refused rather than built.
    expect(cmd('HRANDFIELD', 'h', '-100000000')).toEqual(err('ERR value is out of range'));
  });

  it('distinct picks are uniform-ish on a hashtable', () => {
    const t = testEngine(0, 42);
    t.cmd('HSET', 'h', ...fields(1000));
    const seen = new Map<string, number>();
    for (let i = 0; i < 200; i++) {
      const r = t.cmd('HRANDFIELD', 'h', 50) as string[];
      expect(new Set(r).size).toBe(50);
      for (const f of r) seen.set(f, (seen.get(f) ?? 0) + 1);
    }
    expect(seen.size).toBeGreaterThan(990);
  });
});

describe('HSCAN', () => {
  it('returns a listpack whole with cursor 0, whatever the cursor', () => {
    const { cmd } = testEngine();
    cmd('HSET', 'h', 'a', '1', 'b', '2', 'ab', '3');
    expect(cmd('HSCAN', 'h', 0)).toEqual(['0', ['a', '1', 'b', '2', 'ab', '3']]);
    expect(cmd('HSCAN', 'h', 777, 'COUNT', 1)).toEqual(['0', ['a', '1', 'b', '2', 'ab', '3']]);
    expect(cmd('HSCAN', 'h', 0, 'MATCH', 'a*')).toEqual(['0', ['a', '1', 'ab', '3']]);
    expect(cmd('HSCAN', 'nokey', 0, 'COUNT', 'x')).toEqual(['0', []]);
    expect(cmd('HSCAN', 'h', 'x')).toEqual(err('ERR invalid cursor'));
    expect(cmd('HSCAN', 'h', 0, 'COUNT', 0)).toEqual(err('ERR syntax error'));
    expect(cmd('HSCAN', 'h', 0, 'TYPE', 'hash')).toEqual(err('ERR syntax error'));
  });

  it('iterates a hashtable in COUNT-sized steps', () => {
    const { cmd } = testEngine();
    cmd('HSET', 'h', ...fields(1000));
    let cursor = '0';
    const got = new Map<string, string>();
    let calls = 0;
    do {
      const [next, items] = cmd('HSCAN', 'h', cursor, 'COUNT', 100) as [string, string[]];
      expect(items.length).toBeLessThanOrEqual(200);
      for (let i = 0; i < items.length; i += 2) got.set(items[i], items[i + 1]);
      cursor = next;
      calls++;
    } while (cursor !== '0');
    expect(got.size).toBe(1000);
    expect(got.get('f7')).toBe('v7');
    expect(calls).toBe(10);
  });

  it('keeps the SCAN guarantee while the hash changes', () => {
    const t = testEngine(0, 3);
    const rnd = seeded(99);
    t.cmd('HSET', 'h', ...fields(2000));
    // Fields f0..f999 stay for the whole scan; the others come and go, and new ones are added.
    let cursor = '0';
    const seen = new Set<string>();
    let n = 0;
    do {
      const [next, items] = t.cmd('HSCAN', 'h', cursor, 'COUNT', 37) as [string, string[]];
      for (let i = 0; i < items.length; i += 2) seen.add(items[i]);
      cursor = next;
      // Fewer additions per call than COUNT, so that the scan ends.
      for (let k = 0; k < 8; k++) {
        const i = 1000 + Math.floor(rnd() * 1000);
        if (rnd() < 0.5) t.cmd('HDEL', 'h', `f${i}`);
        else t.cmd('HSET', 'h', `f${i}`, 'again');
        t.cmd('HSET', 'h', `new${n++}`, 'x');
        t.cmd('HSET', 'h', `f${Math.floor(rnd() * 1000)}`, 'updated');
      }
    } while (cursor !== '0');
    for (let i = 0; i < 1000; i++) expect(seen.has(`f${i}`)).toBe(true);
  });
});
