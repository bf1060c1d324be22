import { describe, expect, it } from 'vitest';
import { testEngine, type TestEngine } from '../../../test/helpers.js';
import { aclCategories, FLAG_ORDER, keySpecsOf } from '../command.js';
import { ObjType } from '../keyspace.js';
import { commands, stringEncoding } from './string.js';

const OK = { k: 'simple', s: 'OK' };
const e = (msg: string) => ({ k: 'err', msg });
const WRONGTYPE = e('WRONGTYPE Operation against a key holding the wrong kind of value');
const NOT_INT = e('ERR value is not an integer or out of range');
const NOT_FLOAT = e('ERR value is not a valid float');
const SYNTAX = e('ERR syntax error');
const arity = (n: string) => e(`ERR wrong number of arguments for '${n}' command`);

/** Capture keyspace events ("KEA") as `event key` lines. */
function events(t: TestEngine): string[] {
  const out: string[] = [];
  t.engine.config.set('notify-keyspace-events', 'KEA');
  t.engine.publish = (ch, msg) => {
    if (ch.startsWith('__keyevent@')) out.push(`${ch.slice(ch.indexOf(':') + 1)} ${msg}`);
    return 0;
  };
  return out;
}

/** Put a non-string key in place without depending on another family. */
function nonString(t: TestEngine, key: string): void {
  t.engine.dbs[0].add(key, ObjType.List, {}, t.clock.t);
}

const enc = (t: TestEngine, key: string) => stringEncoding(t.engine.dbs[0].dict.get(key)!);
const pttl = (t: TestEngine, key: string) => {
  const x = t.engine.dbs[0].dict.get(key)!;
  return x.expireAt === 0 ? -1 : x.expireAt - t.clock.t;
};

describe('GET / SET', () => {
  it('sets and gets, binary-safe', () => {
    const { cmd } = testEngine();
    expect(cmd('SET', 'a', 'é')).toEqual(OK);
    expect(cmd('GET', 'a')).toBe('\xc3\xa9');
    expect(cmd('GET', 'nope')).toBe(null);
    expect(cmd('SET', '__proto__', 'x')).toEqual(OK);
    expect(cmd('GET', '__proto__')).toBe('x');
    expect(cmd('SET', 'empty', '')).toEqual(OK);
    expect(cmd('GET', 'empty')).toBe('');
  });
  it('keeps \\xff and \\xfe apart', () => {
    const t = testEngine();
    t.engine.execute(t.session, ['SET', '\xff', '1']);
    t.engine.execute(t.session, ['SET', '\xfe', '2']);
    expect(t.engine.execute(t.session, ['GET', '\xff'])).toBe('1');
    expect(t.engine.execute(t.session, ['GET', '\xfe'])).toBe('2');
  });
  it('GET on a non-string is WRONGTYPE', () => {
    const t = testEngine();
    nonString(t, 'l');
    expect(t.cmd('GET', 'l')).toEqual(WRONGTYPE);
  });
  it('expires with PX / EX / PXAT / EXAT on fake time', () => {
    const t = testEngine();
    t.cmd('SET', 'a', '1', 'PX', 200);
    t.clock.t += 199;
    expect(t.cmd('GET', 'a')).toBe('1');
    t.clock.t += 1;
    expect(t.cmd('GET', 'a')).toBe(null);
    t.cmd('SET', 'b', '1', 'ex', 2);
    expect(pttl(t, 'b')).toBe(2000);
    t.cmd('SET', 'c', '1', 'PXAT', t.clock.t + 50);
    expect(pttl(t, 'c')).toBe(50);
    t.cmd('SET', 'd', '1', 'EXAT', Math.floor(t.clock.t / 1000) + 10);
    expect(t.cmd('GET', 'd')).toBe('1');
    // An absolute time in the past is accepted: the key is set, then gone.
    expect(t.cmd('SET', 'e', '1', 'PXAT', 1)).toEqual(OK);
    expect(t.cmd('GET', 'e')).toBe(null);
  });
  it('drops the TTL on overwrite unless KEEPTTL', () => {
    const t = testEngine();
    t.cmd('SET', 'a', '1', 'EX', 100);
    t.cmd('SET', 'a', '2', 'KEEPTTL');
    expect(pttl(t, 'a')).toBe(100000);
    t.cmd('SET', 'a', '3');
    expect(pttl(t, 'a')).toBe(-1);
  });
  it('NX / XX', () => {
    const { cmd } = testEngine();
    expect(cmd('SET', 'a', '1', 'XX')).toBe(null);
    expect(cmd('SET', 'a', '1', 'NX')).toEqual(OK);
    expect(cmd('SET', 'a', '2', 'NX')).toBe(null);
    expect(cmd('SET', 'a', '3', 'XX')).toEqual(OK);
    expect(cmd('GET', 'a')).toBe('3');
  });
  it('GET option, with NX allowed (7.0)', () => {
    const t = testEngine();
    expect(t.cmd('SET', 'a', '1', 'GET')).toBe(null);
    expect(t.cmd('SET', 'a', '2', 'GET')).toBe('1');
    expect(t.cmd('SET', 'a', '3', 'NX', 'GET')).toBe('2');
    expect(t.cmd('GET', 'a')).toBe('2');
    expect(t.cmd('SET', 'b', '1', 'XX', 'GET')).toBe(null);
    expect(t.cmd('GET', 'b')).toBe(null);
    expect(t.cmd('SET', 'c', '1', 'NX', 'GET')).toBe(null);
    expect(t.cmd('GET', 'c')).toBe('1');
    nonString(t, 'l');
    expect(t.cmd('SET', 'l', '1', 'GET')).toEqual(WRONGTYPE);
    expect(t.cmd('SET', 'l', '1')).toEqual(OK);
  });
  it('option conflicts and repeats as Redis', () => {
    const t = testEngine();
    expect(t.cmd('SET', 'a', '1', 'NX', 'XX')).toEqual(SYNTAX);
    expect(t.cmd('SET', 'a', '1', 'XX', 'NX')).toEqual(SYNTAX);
    expect(t.cmd('SET', 'a', '1', 'EX', 10, 'PX', 10)).toEqual(SYNTAX);
    expect(t.cmd('SET', 'a', '1', 'KEEPTTL', 'EX', 10)).toEqual(SYNTAX);
    expect(t.cmd('SET', 'a', '1', 'EX', 10, 'KEEPTTL')).toEqual(SYNTAX);
    expect(t.cmd('SET', 'a', '1', 'EXAT', 10, 'PXAT', 10)).toEqual(SYNTAX);
    expect(t.cmd('SET', 'a', '1', 'PERSIST')).toEqual(SYNTAX);
    expect(t.cmd('SET', 'a', '1', 'EX')).toEqual(SYNTAX);
    expect(t.cmd('SET', 'a', '1', 'FOO')).toEqual(SYNTAX);
    // Syntax is checked before the expire value.
    expect(t.cmd('SET', 'a', '1', 'EX', 'abc', 'FOO')).toEqual(SYNTAX);
    expect(t.cmd('SET', 'a', '1', 'NX', 'NX')).toEqual(OK);
    expect(t.cmd('SET', 'a', '1', 'GET', 'GET')).toBe('1');
    expect(t.cmd('SET', 'a', '1', 'KEEPTTL', 'KEEPTTL')).toEqual(OK);
    expect(t.cmd('SET', 'a', '1', 'EX', 10, 'ex', 20)).toEqual(OK);
    expect(pttl(t, 'a')).toBe(20000);
  });
  it('expire value errors and overflow checks', () => {
    const t = testEngine();
    const inv = e("ERR invalid expire time in 'set' command");
    expect(t.cmd('SET', 'a', '1', 'EX', 'abc')).toEqual(NOT_INT);
    expect(t.cmd('SET', 'a', '1', 'EX', ' 1')).toEqual(NOT_INT);
    expect(t.cmd('SET', 'a', '1', 'EX', 0)).toEqual(inv);
    expect(t.cmd('SET', 'a', '1', 'PX', -1)).toEqual(inv);
    expect(t.cmd('SET', 'a', '1', 'EX', '9223372036854775')).toEqual(inv);
    expect(t.cmd('SET', 'a', '1', 'PX', '9223372036854775807')).toEqual(inv);
    expect(t.cmd('SET', 'a', '1', 'EX', '9223372036854')).toEqual(OK);
    expect(t.cmd('SET', 'a', '1', 'EXAT', '9223372036854775')).toEqual(OK);
    expect(t.cmd('SET', 'a', '1', 'PXAT', '9223372036854775807')).toEqual(OK);
    expect(t.cmd('GET', 'a')).toBe('1');
    expect(t.cmd('SET', 'a', '1', 'EXAT', '9223372036854776')).toEqual(inv);
    nonString(t, 'l');
    // The expire value is checked before GET's type check.
    expect(t.cmd('SET', 'l', '1', 'GET', 'EX', 0)).toEqual(inv);
  });
  it('fires set and expire', () => {
    const t = testEngine();
    const ev = events(t);
    t.cmd('SET', 'a', '1', 'EX', 5);
    t.cmd('SET', 'a', '1', 'NX');
    t.cmd('SET', 'a', '2');
    expect(ev).toEqual(['set a', 'expire a', 'set a']);
  });
  it('counts keyspace hits and misses for GET and SET GET only', () => {
    const t = testEngine();
    t.cmd('SET', 'a', '1');
    t.cmd('GET', 'a');
    t.cmd('GET', 'b');
    t.cmd('SET', 'c', '1', 'GET');
    expect(t.engine.stats.keyspaceHits).toBe(1);
    expect(t.engine.stats.keyspaceMisses).toBe(2);
  });
  it('answers arity and unknown commands as Redis', () => {
    const { cmd } = testEngine();
    expect(cmd('GET')).toEqual(arity('get'));
    expect(cmd('SET', 'a')).toEqual(arity('set'));
    expect(cmd('FOO', 'a', 'b')).toEqual(e("ERR unknown command 'FOO', with args beginning with: 'a' 'b' "));
    expect(cmd('SET', 'a', 'b', 'EX', '0')).toEqual(e("ERR invalid expire time in 'set' command"));
  });
});

describe('SETNX / SETEX / PSETEX', () => {
  it('SETNX replies 1 / 0', () => {
    const t = testEngine();
    expect(t.cmd('SETNX', 'a', '1')).toBe(1);
    expect(t.cmd('SETNX', 'a', '2')).toBe(0);
    expect(t.cmd('GET', 'a')).toBe('1');
    nonString(t, 'l');
    expect(t.cmd('SETNX', 'l', '1')).toBe(0);
  });
  it('SETEX / PSETEX set a TTL and overwrite any type', () => {
    const t = testEngine();
    const ev = events(t);
    expect(t.cmd('SETEX', 'a', 10, 'v')).toEqual(OK);
    expect(pttl(t, 'a')).toBe(10000);
    expect(t.cmd('PSETEX', 'b', 1500, 'v')).toEqual(OK);
    t.clock.t += 1500;
    expect(t.cmd('GET', 'b')).toBe(null);
    nonString(t, 'l');
    expect(t.cmd('SETEX', 'l', 1, 'v')).toEqual(OK);
    expect(t.cmd('GET', 'l')).toBe('v');
    expect(ev.slice(0, 4)).toEqual(['set a', 'expire a', 'set b', 'expire b']);
  });
  it('SETEX / PSETEX errors', () => {
    const t = testEngine();
    expect(t.cmd('SETEX', 'a', 0, 'v')).toEqual(e("ERR invalid expire time in 'setex' command"));
    expect(t.cmd('SETEX', 'a', -5, 'v')).toEqual(e("ERR invalid expire time in 'setex' command"));
    expect(t.cmd('PSETEX', 'a', 0, 'v')).toEqual(e("ERR invalid expire time in 'psetex' command"));
    expect(t.cmd('SETEX', 'a', 'x', 'v')).toEqual(NOT_INT);
    expect(t.cmd('SETEX', 'a', '9223372036854775', 'v')).toEqual(e("ERR invalid expire time in 'setex' command"));
    expect(t.cmd('SETEX', 'a', 1)).toEqual(arity('setex'));
    expect(t.cmd('PSETEX', 'a', 1)).toEqual(arity('psetex'));
  });
});

describe('GETEX / GETDEL / GETSET', () => {
  it('GETEX without options is GET', () => {
    const t = testEngine();
    t.cmd('SET', 'a', '1', 'EX', 10);
    expect(t.cmd('GETEX', 'a')).toBe('1');
    expect(pttl(t, 'a')).toBe(10000);
    expect(t.cmd('GETEX', 'nope')).toBe(null);
  });
  it('GETEX sets and removes the TTL, firing expire / persist', () => {
    const t = testEngine();
    const ev = events(t);
    t.cmd('SET', 'a', '1');
    expect(t.cmd('GETEX', 'a', 'EX', 10)).toBe('1');
    expect(pttl(t, 'a')).toBe(10000);
    expect(t.cmd('GETEX', 'a', 'PX', 500)).toBe('1');
    expect(pttl(t, 'a')).toBe(500);
    expect(t.cmd('GETEX', 'a', 'PXAT', t.clock.t + 700)).toBe('1');
    expect(pttl(t, 'a')).toBe(700);
    expect(t.cmd('GETEX', 'a', 'EXAT', Math.floor(t.clock.t / 1000) + 100)).toBe('1');
    expect(t.cmd('GETEX', 'a', 'PERSIST')).toBe('1');
    expect(pttl(t, 'a')).toBe(-1);
    // PERSIST on a key without TTL: no event.
    expect(t.cmd('GETEX', 'a', 'PERSIST')).toBe('1');
    expect(ev).toEqual(['set a', 'expire a', 'expire a', 'expire a', 'expire a', 'persist a']);
  });
  it('GETEX with a past EXAT/PXAT deletes the key and fires del', () => {
    const t = testEngine();
    const ev = events(t);
    t.cmd('SET', 'a', '1');
    expect(t.cmd('GETEX', 'a', 'PXAT', t.clock.t)).toBe('1');
    expect(t.engine.dbs[0].dict.has('a')).toBe(false);
    t.cmd('SET', 'b', '1');
    expect(t.cmd('GETEX', 'b', 'EXAT', 1)).toBe('1');
    expect(t.engine.dbs[0].dict.has('b')).toBe(false);
    expect(ev).toEqual(['set a', 'del a', 'set b', 'del b']);
  });
  it('GETEX on a replica keeps a past-time key, with its expiry set', () => {
    const t = testEngine();
    t.cmd('SET', 'a', '1');
    t.engine.expireDeletes = false;
    expect(t.cmd('GETEX', 'a', 'PXAT', 5)).toBe('1');
    expect(t.engine.dbs[0].dict.get('a')!.expireAt).toBe(5);
  });
  it('GETEX errors: syntax first, then type, then the expire value', () => {
    const t = testEngine();
    t.cmd('SET', 'a', '1');
    nonString(t, 'l');
    expect(t.cmd('GETEX', 'a', 'KEEPTTL')).toEqual(SYNTAX);
    expect(t.cmd('GETEX', 'a', 'NX')).toEqual(SYNTAX);
    expect(t.cmd('GETEX', 'a', 'GET')).toEqual(SYNTAX);
    expect(t.cmd('GETEX', 'a', 'PERSIST', 'EX', 1)).toEqual(SYNTAX);
    expect(t.cmd('GETEX', 'a', 'EX', 1, 'PERSIST')).toEqual(SYNTAX);
    expect(t.cmd('GETEX', 'a', 'EX', 1, 'PX', 1)).toEqual(SYNTAX);
    expect(t.cmd('GETEX', 'a', 'EX')).toEqual(SYNTAX);
    expect(t.cmd('GETEX', 'a', 'PERSIST', 'PERSIST')).toBe('1');
    expect(t.cmd('GETEX', 'nope', 'EX', 'abc')).toBe(null);
    expect(t.cmd('GETEX', 'nope', 'EX', 0)).toBe(null);
    expect(t.cmd('GETEX', 'l', 'EX', 'abc')).toEqual(WRONGTYPE);
    expect(t.cmd('GETEX', 'a', 'EX', 'abc')).toEqual(NOT_INT);
    expect(t.cmd('GETEX', 'a', 'EX', 0)).toEqual(e("ERR invalid expire time in 'getex' command"));
    expect(t.cmd('GETEX', 'a', 'PX', '9223372036854775807')).toEqual(e("ERR invalid expire time in 'getex' command"));
    expect(t.cmd('GETEX')).toEqual(arity('getex'));
  });
  it('GETDEL returns and deletes, firing del', () => {
    const t = testEngine();
    const ev = events(t);
    t.cmd('SET', 'a', 'v');
    expect(t.cmd('GETDEL', 'a')).toBe('v');
    expect(t.cmd('GET', 'a')).toBe(null);
    expect(t.cmd('GETDEL', 'a')).toBe(null);
    nonString(t, 'l');
    expect(t.cmd('GETDEL', 'l')).toEqual(WRONGTYPE);
    expect(ev).toEqual(['set a', 'del a']);
  });
  it('GETSET returns the old value and drops the TTL', () => {
    const t = testEngine();
    const ev = events(t);
    expect(t.cmd('GETSET', 'a', '1')).toBe(null);
    t.engine.dbs[0].setExpire(t.engine.dbs[0].dict.get('a')!, t.clock.t + 100000);
    expect(t.cmd('GETSET', 'a', '2')).toBe('1');
    expect(pttl(t, 'a')).toBe(-1);
    nonString(t, 'l');
    expect(t.cmd('GETSET', 'l', '2')).toEqual(WRONGTYPE);
    expect(ev).toEqual(['set a', 'set a']);
  });
});

describe('MGET / MSET / MSETNX', () => {
  it('MGET answers nil for missing and non-string keys', () => {
    const t = testEngine();
    t.cmd('MSET', 'a', '1', 'b', '2');
    nonString(t, 'l');
    expect(t.cmd('MGET', 'a', 'x', 'l', 'b')).toEqual(['1', null, null, '2']);
  });
  it('MSET overwrites any type and drops TTLs; odd args is an arity error', () => {
    const t = testEngine();
    const ev = events(t);
    t.cmd('SET', 'a', '0', 'EX', 100);
    nonString(t, 'l');
    expect(t.cmd('MSET', 'a', '1', 'l', '2', 'a', '3')).toEqual(OK);
    expect(t.cmd('MGET', 'a', 'l')).toEqual(['3', '2']);
    expect(pttl(t, 'a')).toBe(-1);
    expect(t.cmd('MSET', 'a', '1', 'b')).toEqual(arity('mset'));
    expect(t.cmd('MSET', 'a')).toEqual(arity('mset'));
    expect(ev).toEqual(['set a', 'expire a', 'set a', 'set l', 'set a']);
  });
  it('MSETNX sets all or none', () => {
    const t = testEngine();
    expect(t.cmd('MSETNX', 'a', '1', 'b', '2')).toBe(1);
    expect(t.cmd('MSETNX', 'c', '3', 'a', '9')).toBe(0);
    expect(t.cmd('GET', 'c')).toBe(null);
    expect(t.cmd('GET', 'a')).toBe('1');
    expect(t.cmd('MSETNX', 'c', '1', 'd')).toEqual(arity('msetnx'));
    // An expired key does not count as existing.
    t.cmd('SET', 'e', '1', 'PX', 10);
    t.clock.t += 10;
    expect(t.cmd('MSETNX', 'e', '2')).toBe(1);
  });
});

describe('INCR / DECR / INCRBY / DECRBY', () => {
  it('counts from missing, keeps the TTL, fires incrby', () => {
    const t = testEngine();
    const ev = events(t);
    expect(t.cmd('INCR', 'n')).toBe(1);
    expect(t.cmd('INCRBY', 'n', 10)).toBe(11);
    expect(t.cmd('DECR', 'n')).toBe(10);
    expect(t.cmd('DECRBY', 'n', 20)).toBe(-10);
    expect(t.cmd('DECRBY', 'm', -5)).toBe(5);
    t.engine.dbs[0].setExpire(t.engine.dbs[0].dict.get('n')!, t.clock.t + 5000);
    expect(t.cmd('INCR', 'n')).toBe(-9);
    expect(pttl(t, 'n')).toBe(5000);
    expect(ev).toEqual(['incrby n', 'incrby n', 'incrby n', 'incrby n', 'incrby m', 'incrby n']);
  });
  it('is exact beyond 2^53', () => {
    const t = testEngine();
    t.cmd('SET', 'n', '9007199254740993');
    expect(t.cmd('INCR', 'n')).toBe(9007199254740994n);
    expect(t.cmd('GET', 'n')).toBe('9007199254740994');
    t.cmd('SET', 'n', '9223372036854775806');
    expect(t.cmd('INCR', 'n')).toBe(9223372036854775807n);
    expect(t.cmd('INCRBY', 'n', '-9223372036854775807')).toBe(0);
    expect(t.cmd('DECRBY', 'n', '9223372036854775807')).toBe(-9223372036854775807n);
    expect(t.cmd('DECR', 'n')).toBe(-9223372036854775808n);
  });
  it('overflow and parse errors as Redis', () => {
    const t = testEngine();
    const OVER = e('ERR increment or decrement would overflow');
    t.cmd('SET', 'max', '9223372036854775807');
    t.cmd('SET', 'min', '-9223372036854775808');
    expect(t.cmd('INCR', 'max')).toEqual(OVER);
    expect(t.cmd('INCRBY', 'max', 1)).toEqual(OVER);
    expect(t.cmd('DECR', 'min')).toEqual(OVER);
    expect(t.cmd('INCRBY', 'min', -1)).toEqual(OVER);
    expect(t.cmd('DECRBY', 'x', '-9223372036854775808')).toEqual(e('ERR decrement would overflow'));
    expect(t.cmd('INCRBY', 'x', '-9223372036854775808')).toBe(-9223372036854775808n);
    expect(t.cmd('INCRBY', 'x', '9223372036854775808')).toEqual(NOT_INT);
    for (const bad of [' 1', '1 ', '+1', '01', '-0', '1.0', '', 'abc', '0x10', '1e3']) {
      t.cmd('SET', 'b', bad);
      expect(t.cmd('INCR', 'b')).toEqual(NOT_INT);
      expect(t.cmd('INCRBY', 'a', bad)).toEqual(NOT_INT);
    }
    t.cmd('SET', 'long', '123456789012345678901');
    expect(t.cmd('INCR', 'long')).toEqual(NOT_INT);
    nonString(t, 'l');
    expect(t.cmd('INCR', 'l')).toEqual(WRONGTYPE);
    // INCRBY parses its increment before looking at the key.
    expect(t.cmd('INCRBY', 'l', 'x')).toEqual(NOT_INT);
    expect(t.cmd('DECRBY', 'l', 'x')).toEqual(NOT_INT);
    expect(t.cmd('INCR')).toEqual(arity('incr'));
    expect(t.cmd('INCRBY', 'a')).toEqual(arity('incrby'));
  });
});

describe('INCRBYFLOAT', () => {
  it('computes in long double as Redis', () => {
    const t = testEngine();
    t.cmd('SET', 'f', '10.5');
    expect(t.cmd('INCRBYFLOAT', 'f', '0.1')).toBe('10.6');
    expect(t.cmd('GET', 'f')).toBe('10.6');
    expect(t.cmd('INCRBYFLOAT', 'g', '5.0e3')).toBe('5000');
    expect(t.cmd('INCRBYFLOAT', 'g', '-5000')).toBe('0');
    expect(t.cmd('INCRBYFLOAT', 'h', '-1.5')).toBe('-1.5');
    expect(t.cmd('INCRBYFLOAT', 'i', '0.1')).toBe('0.1');
    expect(t.cmd('INCRBYFLOAT', 'i', '0.2')).toBe('0.3');
    expect(t.cmd('INCRBYFLOAT', 'j', '1e300')).toBe(
      '1000000000000000000008997324079559193870523944273290747938260082321265646596180935755849152083750497' +
        '1903503725086142748359035925561846729839130962605207486462873271356418436532940842551076060167897266' +
        '5293237003055138294762099454029477278188962060617926761162709741065056718738610569008942491510400614' +
        '4',
    );
    expect(t.cmd('INCRBYFLOAT', 'k', '0.000003814697265625')).toBe('0.00000381469726562');
    expect(t.cmd('INCRBYFLOAT', 'm', '0x10')).toBe('16');
    t.cmd('SET', 'n', '1');
    expect(t.cmd('INCRBYFLOAT', 'n', '1e-18')).toBe('1');
  });
  it('errors as Redis', () => {
    const t = testEngine();
    expect(t.cmd('INCRBYFLOAT', 'f', 'abc')).toEqual(NOT_FLOAT);
    expect(t.cmd('INCRBYFLOAT', 'f', ' 1')).toEqual(NOT_FLOAT);
    expect(t.cmd('INCRBYFLOAT', 'f', '1 ')).toEqual(NOT_FLOAT);
    expect(t.cmd('INCRBYFLOAT', 'f', 'nan')).toEqual(NOT_FLOAT);
    expect(t.cmd('INCRBYFLOAT', 'f', '1e5000')).toEqual(NOT_FLOAT);
    expect(t.cmd('INCRBYFLOAT', 'f', '1e-5000')).toEqual(NOT_FLOAT);
    expect(t.cmd('INCRBYFLOAT', 'f', '')).toEqual(NOT_FLOAT);
    expect(t.cmd('INCRBYFLOAT', 'f', 'inf')).toEqual(e('ERR increment would produce NaN or Infinity'));
    expect(t.cmd('INCRBYFLOAT', 'f', '-Infinity')).toEqual(e('ERR increment would produce NaN or Infinity'));
    t.cmd('SET', 'big', '1.18973149535723176502e4932');
    expect(t.cmd('INCRBYFLOAT', 'big', '1e4932')).toEqual(e('ERR increment would produce NaN or Infinity'));
    t.cmd('SET', 's', 'abc');
    expect(t.cmd('INCRBYFLOAT', 's', '1')).toEqual(NOT_FLOAT);
    nonString(t, 'l');
    expect(t.cmd('INCRBYFLOAT', 'l', 'abc')).toEqual(WRONGTYPE);
    expect(t.engine.dbs[0].dict.has('f')).toBe(false);
  });
  it('keeps the TTL, fires incrbyfloat, stores a non-int string', () => {
    const t = testEngine();
    const ev = events(t);
    t.cmd('SET', 'f', '10.5', 'EX', 100);
    expect(t.cmd('INCRBYFLOAT', 'f', '0.5')).toBe('11');
    expect(pttl(t, 'f')).toBe(100000);
    expect(enc(t, 'f')).toBe('embstr');
    expect(t.cmd('INCR', 'f')).toBe(12);
    expect(enc(t, 'f')).toBe('int');
    expect(ev).toEqual(['set f', 'expire f', 'incrbyfloat f', 'incrby f']);
  });
});

describe('APPEND / SETRANGE / GETRANGE / STRLEN', () => {
  it('APPEND creates and extends, keeps the TTL, fires append', () => {
    const t = testEngine();
    const ev = events(t);
    expect(t.cmd('APPEND', 'a', 'foo')).toBe(3);
    t.engine.dbs[0].setExpire(t.engine.dbs[0].dict.get('a')!, t.clock.t + 1000);
    expect(t.cmd('APPEND', 'a', 'é')).toBe(5);
    expect(t.cmd('GET', 'a')).toBe('foo\xc3\xa9');
    expect(t.cmd('APPEND', 'a', '')).toBe(5);
    expect(pttl(t, 'a')).toBe(1000);
    nonString(t, 'l');
    expect(t.cmd('APPEND', 'l', 'x')).toEqual(WRONGTYPE);
    expect(ev).toEqual(['append a', 'append a', 'append a']);
  });
  it('SETRANGE pads with zero bytes and overwrites in place', () => {
    const t = testEngine();
    const ev = events(t);
    expect(t.cmd('SETRANGE', 'a', 5, 'xy')).toBe(7);
    expect(t.cmd('GET', 'a')).toBe('\0\0\0\0\0xy');
    expect(t.cmd('SETRANGE', 'a', 0, 'ab')).toBe(7);
    expect(t.cmd('GET', 'a')).toBe('ab\0\0\0xy');
    expect(t.cmd('SETRANGE', 'a', 6, 'ZZZ')).toBe(9);
    expect(t.cmd('GET', 'a')).toBe('ab\0\0\0xZZZ');
    expect(t.cmd('SETRANGE', 'a', 100, '')).toBe(9);
    expect(t.cmd('SETRANGE', 'new', 100, '')).toBe(0);
    expect(t.engine.dbs[0].dict.has('new')).toBe(false);
    expect(ev).toEqual(['setrange a', 'setrange a', 'setrange a']);
  });
  it('SETRANGE errors', () => {
    const t = testEngine();
    t.cmd('SET', 'a', 'x');
    nonString(t, 'l');
    expect(t.cmd('SETRANGE', 'a', -1, 'x')).toEqual(e('ERR offset is out of range'));
    expect(t.cmd('SETRANGE', 'l', -1, 'x')).toEqual(e('ERR offset is out of range'));
    expect(t.cmd('SETRANGE', 'a', 'x', 'x')).toEqual(NOT_INT);
    expect(t.cmd('SETRANGE', 'l', 0, 'x')).toEqual(WRONGTYPE);
    expect(t.cmd('SETRANGE', 'l', 0, '')).toEqual(WRONGTYPE);
    const big = e('ERR string exceeds maximum allowed size (proto-max-bulk-len)');
    expect(t.cmd('SETRANGE', 'a', 536870911, 'xy')).toEqual(big);
    expect(t.cmd('SETRANGE', 'b', '9223372036854775807', 'x')).toEqual(big);
    expect(t.cmd('SETRANGE', 'a', '9223372036854775807', '')).toBe(1);
    t.engine.config.set('proto-max-bulk-len', '1mb');
    expect(t.cmd('SETRANGE', 'a', 1048575, 'x')).toBe(1048576);
    expect(t.cmd('SETRANGE', 'a', 1048576, 'x')).toEqual(big);
    expect(t.cmd('APPEND', 'a', 'x')).toEqual(big);
  });
  it('GETRANGE / SUBSTR follow Redis index rules', () => {
    const t = testEngine();
    t.cmd('SET', 's', 'Hello World');
    const r = (a: number | string, b: number | string) => t.cmd('GETRANGE', 's', a, b);
    expect(r(0, 4)).toBe('Hello');
    expect(r(-5, -1)).toBe('World');
    expect(r(0, -1)).toBe('Hello World');
    expect(r(0, 100)).toBe('Hello World');
    expect(r(5, 3)).toBe('');
    expect(r(-1, -5)).toBe('');
    expect(r(-100, 2)).toBe('Hel');
    expect(r(20, 30)).toBe('');
    expect(r(-100, -50)).toBe('H');
    expect(r('-9223372036854775808', '-9223372036854775807')).toBe('H');
    expect(r('-9223372036854775807', '-9223372036854775808')).toBe('');
    expect(r('9223372036854775807', '9223372036854775807')).toBe('');
    expect(t.cmd('SUBSTR', 's', 0, 0)).toBe('H');
    expect(t.cmd('GETRANGE', 'nope', 0, -1)).toBe('');
    t.cmd('SET', 'e', '');
    expect(t.cmd('GETRANGE', 'e', 0, -1)).toBe('');
    t.cmd('SET', 'n', '12345');
    expect(t.cmd('GETRANGE', 'n', 1, 2)).toBe('23');
    nonString(t, 'l');
    expect(t.cmd('GETRANGE', 'l', 0, 1)).toEqual(WRONGTYPE);
    expect(t.cmd('GETRANGE', 'l', 'x', 1)).toEqual(NOT_INT);
    expect(t.cmd('GETRANGE', 'nope', 0, 'x')).toEqual(NOT_INT);
  });
  it('STRLEN', () => {
    const t = testEngine();
    t.cmd('SET', 'a', 'é');
    expect(t.cmd('STRLEN', 'a')).toBe(2);
    expect(t.cmd('STRLEN', 'nope')).toBe(0);
    t.cmd('SET', 'n', '-123');
    expect(t.cmd('STRLEN', 'n')).toBe(4);
    nonString(t, 'l');
    expect(t.cmd('STRLEN', 'l')).toEqual(WRONGTYPE);
  });
});

describe('LCS', () => {
  it('string, LEN, IDX, MINMATCHLEN, WITHMATCHLEN', () => {
    const t = testEngine();
    t.cmd('MSET', 'key1', 'ohmytext', 'key2', 'mynewtext');
    expect(t.cmd('LCS', 'key1', 'key2')).toBe('mytext');
    expect(t.cmd('LCS', 'key1', 'key2', 'LEN')).toBe(6);
    expect(t.cmd('LCS', 'key1', 'key2', 'IDX')).toEqual({
      k: 'map',
      v: ['matches', [[[4, 7], [5, 8]], [[2, 3], [0, 1]]], 'len', 6],
    });
    expect(t.cmd('LCS', 'key1', 'key2', 'IDX', 'MINMATCHLEN', 4)).toEqual({
      k: 'map',
      v: ['matches', [[[4, 7], [5, 8]]], 'len', 6],
    });
    expect(t.cmd('LCS', 'key1', 'key2', 'IDX', 'MINMATCHLEN', 4, 'WITHMATCHLEN')).toEqual({
      k: 'map',
      v: ['matches', [[[4, 7], [5, 8], 4]], 'len', 6],
    });
    expect(t.cmd('LCS', 'key1', 'key2', 'IDX', 'MINMATCHLEN', -3, 'WITHMATCHLEN')).toEqual({
      k: 'map',
      v: ['matches', [[[4, 7], [5, 8], 4], [[2, 3], [0, 1], 2]], 'len', 6],
    });
    expect(t.cmd('LCS', 'key1', 'nope')).toBe('');
    expect(t.cmd('LCS', 'nope', 'nope2', 'IDX')).toEqual({ k: 'map', v: ['matches', [], 'len', 0] });
    // MINMATCHLEN and WITHMATCHLEN without IDX change nothing.
    expect(t.cmd('LCS', 'key1', 'key2', 'MINMATCHLEN', 10, 'WITHMATCHLEN')).toBe('mytext');
  });
  it('errors', () => {
    const t = testEngine();
    t.cmd('MSET', 'a', 'x', 'b', 'y');
    nonString(t, 'l');
    expect(t.cmd('LCS', 'a', 'l')).toEqual(e('ERR The specified keys must contain string values'));
    expect(t.cmd('LCS', 'l', 'a', 'FOO')).toEqual(e('ERR The specified keys must contain string values'));
    expect(t.cmd('LCS', 'a', 'b', 'FOO')).toEqual(SYNTAX);
    expect(t.cmd('LCS', 'a', 'b', 'MINMATCHLEN')).toEqual(SYNTAX);
    expect(t.cmd('LCS', 'a', 'b', 'MINMATCHLEN', 'x')).toEqual(NOT_INT);
    expect(t.cmd('LCS', 'a', 'b', 'LEN', 'IDX')).toEqual(
      e('ERR If you want both the length and indexes, please just use IDX.'),
    );
    expect(t.cmd('LCS', 'a')).toEqual(arity('lcs'));
    t.engine.config.set('proto-max-bulk-len', '1mb');
    t.cmd('MSET', 'x', 'a'.repeat(600), 'y', 'b'.repeat(600));
    expect(t.cmd('LCS', 'x', 'y')).toEqual(
      e('ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len'),
    );
  });
  it('agrees with a brute-force LCS length on random strings', () => {
    const t = testEngine();
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const rs = (n: number) => Array.from({ length: n }, () => 'abc'[Math.floor(rnd() * 3)]).join('');
    for (let k = 0; k < 30; k++) {
      const a = rs(Math.floor(rnd() * 12));
      const b = rs(Math.floor(rnd() * 12));
      t.cmd('MSET', 'a', a, 'b', b);
      const s = t.cmd('LCS', 'a', 'b') as string;
      const n = t.cmd('LCS', 'a', 'b', 'LEN') as number;
      expect(s.length).toBe(n);
      // s is a subsequence of both.
      const sub = (x: string, y: string) => {
        let i = 0;
        for (const ch of y) if (ch === x[i]) i++;
        return i === x.length;
      };
      expect(sub(s, a) && sub(s, b)).toBe(true);
    }
  });
});

describe('OBJECT ENCODING of strings', () => {
  it('int / embstr / raw as Redis decides them', () => {
    const t = testEngine();
    const cases: [string, string][] = [
      ['123', 'int'],
      ['-9223372036854775808', 'int'],
      ['9223372036854775808', 'embstr'],
      ['12345678901234567890', 'embstr'],
      ['-0', 'embstr'],
      [' 1', 'embstr'],
      ['01', 'embstr'],
      ['x'.repeat(44), 'embstr'],
      ['x'.repeat(45), 'raw'],
      ['', 'embstr'],
    ];
    for (const [v, want] of cases) {
      t.cmd('SET', 'k', v);
      expect([v, enc(t, 'k')]).toEqual([v, want]);
    }
    t.cmd('SET', 'a', '1');
    t.cmd('APPEND', 'a', '2');
    expect(enc(t, 'a')).toBe('raw');
    t.cmd('APPEND', 'new', '12');
    expect(enc(t, 'new')).toBe('int');
    t.cmd('SETRANGE', 'r', 0, '5');
    expect(enc(t, 'r')).toBe('raw');
    t.cmd('SET', 'r', '5');
    expect(enc(t, 'r')).toBe('int');
    t.cmd('SET', 's', 'abc');
    t.cmd('SETRANGE', 's', 1, 'x');
    expect(enc(t, 's')).toBe('raw');
    t.cmd('INCR', 's2');
    expect(enc(t, 's2')).toBe('int');
    t.cmd('INCRBYFLOAT', 'f', '1.5');
    expect(enc(t, 'f')).toBe('embstr');
    t.cmd('INCRBYFLOAT', 'f', '1e60');
    expect(enc(t, 'f')).toBe('raw');
    t.cmd('GETSET', 'f', '7');
    expect(enc(t, 'f')).toBe('int');
  });
});

describe('command table', () => {
  // From redis-server 7.0.15's COMMAND INFO: name, arity, flags, key positions, ACL categories, tips.
  const REDIS: [string, number, string, [number, number, number], string, string][] = [
    ['append', 3, 'write denyoom fast', [1, 1, 1], '@write @string @fast', ''],
    ['decr', 2, 'write denyoom fast', [1, 1, 1], '@write @string @fast', ''],
    ['decrby', 3, 'write denyoom fast', [1, 1, 1], '@write @string @fast', ''],
    ['get', 2, 'readonly fast', [1, 1, 1], '@read @string @fast', ''],
    ['getdel', 2, 'write fast', [1, 1, 1], '@write @string @fast', ''],
    ['getex', -2, 'write fast', [1, 1, 1], '@write @string @fast', ''],
    ['getrange', 4, 'readonly', [1, 1, 1], '@read @string @slow', ''],
    ['getset', 3, 'write denyoom fast', [1, 1, 1], '@write @string @fast', ''],
    ['incr', 2, 'write denyoom fast', [1, 1, 1], '@write @string @fast', ''],
    ['incrby', 3, 'write denyoom fast', [1, 1, 1], '@write @string @fast', ''],
    ['incrbyfloat', 3, 'write denyoom fast', [1, 1, 1], '@write @string @fast', ''],
    ['lcs', -3, 'readonly', [1, 2, 1], '@read @string @slow', ''],
    ['mget', -2, 'readonly fast', [1, -1, 1], '@read @string @fast', 'request_policy:multi_shard'],
    [
      'mset', -3, 'write denyoom', [1, -1, 2], '@write @string @slow',
      'request_policy:multi_shard response_policy:all_succeeded',
    ],
    [
      'msetnx', -3, 'write denyoom', [1, -1, 2], '@write @string @slow',
      'request_policy:multi_shard response_policy:agg_min',
    ],
    ['psetex', 4, 'write denyoom', [1, 1, 1], '@write @string @slow', ''],
    ['set', -3, 'write denyoom', [1, 1, 1], '@write @string @slow', ''],
    ['setex', 4, 'write denyoom', [1, 1, 1], '@write @string @slow', ''],
    ['setnx', 3, 'write denyoom fast', [1, 1, 1], '@write @string @fast', ''],
    ['setrange', 4, 'write denyoom', [1, 1, 1], '@write @string @slow', ''],
    ['strlen', 2, 'readonly fast', [1, 1, 1], '@read @string @fast', ''],
    ['substr', 4, 'readonly', [1, 1, 1], '@read @string @slow', ''],
  ];
  it('matches COMMAND INFO of redis-server 7.0', () => {
    const byName = new Map(commands.map((s) => [s.name, s]));
    expect([...byName.keys()].sort()).toEqual(REDIS.map((r) => r[0]).sort());
    for (const [name, arity, flags, keys, acl, tips] of REDIS) {
      const s = byName.get(name)!;
      const got = [
        name,
        s.arity,
        FLAG_ORDER.filter((f) => s.flags.includes(f)).join(' '),
        s.keys,
        aclCategories(s).map((c) => '@' + c).join(' '),
        (s.tips ?? []).join(' '),
      ];
      expect(got).toEqual([name, arity, flags, keys, acl, tips]);
    }
  });
  // Key specs from Redis 7.0.15's command JSON: flags|begin index|lastkey,keystep,limit|notes.
  const KEY_SPECS: Record<string, string> = {
    append: 'RW insert|1|0,1,0|',
    decr: 'RW access update|1|0,1,0|',
    decrby: 'RW access update|1|0,1,0|',
    get: 'RO access|1|0,1,0|',
    getdel: 'RW access delete|1|0,1,0|',
    getex: 'RW access update|1|0,1,0|RW and UPDATE because it changes the TTL',
    getrange: 'RO access|1|0,1,0|',
    getset: 'RW access update|1|0,1,0|',
    incr: 'RW access update|1|0,1,0|',
    incrby: 'RW access update|1|0,1,0|',
    incrbyfloat: 'RW access update|1|0,1,0|',
    lcs: 'RO access|1|1,1,0|',
    mget: 'RO access|1|-1,1,0|',
    mset: 'OW update|1|-1,2,0|',
    msetnx: 'OW insert|1|-1,2,0|',
    psetex: 'OW update|1|0,1,0|',
    set: 'RW access update variable_flags|1|0,1,0|RW and ACCESS due to the optional `GET` argument',
    setex: 'OW update|1|0,1,0|',
    setnx: 'OW insert|1|0,1,0|',
    setrange: 'RW update|1|0,1,0|',
    strlen: 'RO|1|0,1,0|',
    substr: 'RO access|1|0,1,0|',
  };
  it('declares Redis 7.0 key specs', () => {
    for (const s of commands) {
      const specs = keySpecsOf(s);
      expect(specs.length).toBe(1);
      const k = specs[0];
      if (!('index' in k.begin) || !('lastkey' in k.find)) throw new Error(`${s.name}: unexpected key spec`);
      const range = `${k.find.lastkey},${k.find.keystep},${k.find.limit}`;
      const got = `${k.flags.join(' ')}|${k.begin.index}|${range}|${k.notes ?? ''}`;
      expect([s.name, got]).toEqual([s.name, KEY_SPECS[s.name]]);
    }
  });
});
