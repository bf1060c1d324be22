import { describe, expect, it } from 'vitest';
import { captureEvents, captureModified } from '../../../test/events.js';
import { testEngine } from '../../../test/helpers.js';
import { Ctx } from '../ctx.js';
import { reviveValue, serializeValue, ObjType } from '../keyspace.js';
import { NULL_ARRAY } from '../reply.js';
import { ListValue, moveElement, popElements, pushElements, Where } from './list.js';

const err = (msg: string) => ({ k: 'err', msg });
const WRONGTYPE = err('WRONGTYPE Operation against a key holding the wrong kind of value');
const NOT_INT = err('ERR value is not an integer or out of range');
const NOT_POSITIVE = err('ERR value is out of range, must be positive');
const OK = { k: 'simple', s: 'OK' };

describe('LPUSH / RPUSH / LPUSHX / RPUSHX', () => {
  it('pushes at both ends and replies the length', () => {
    const { cmd } = testEngine();
    expect(cmd('LPUSH', 'l', 'a', 'b')).toBe(2);
    expect(cmd('RPUSH', 'l', 'c', 'd')).toBe(4);
    expect(cmd('LRANGE', 'l', 0, -1)).toEqual(['b', 'a', 'c', 'd']);
    expect(cmd('LPUSHX', 'nokey', 'a')).toBe(0);
    expect(cmd('RPUSHX', 'nokey', 'a')).toBe(0);
    expect(cmd('EXISTS', 'nokey')).toBe(0);
    expect(cmd('LPUSHX', 'l', 'x', 'y')).toBe(6);
    expect(cmd('RPUSHX', 'l', 'z')).toBe(7);
    expect(cmd('LRANGE', 'l', 0, -1)).toEqual(['y', 'x', 'b', 'a', 'c', 'd', 'z']);
    cmd('SET', 's', 'v');
    expect(cmd('LPUSH', 's', 'a')).toEqual(WRONGTYPE);
    expect(cmd('LPUSHX', 's', 'a')).toEqual(WRONGTYPE);
    expect(cmd('LPUSH', 'l')).toEqual(err("ERR wrong number of arguments for 'lpush' command"));
  });

  it('is binary-safe and keeps odd keys apart', () => {
    const { cmd, engine, session } = testEngine();
    // Binary strings straight to the engine (cmd() would UTF-8 encode them).
    const raw = (...a: string[]) => engine.execute(session, a);
    raw('RPUSH', '\xff', '\xfe');
    raw('RPUSH', '\xfe', '\xff');
    cmd('RPUSH', '__proto__', 'constructor');
    expect(raw('LRANGE', '\xff', '0', '-1')).toEqual(['\xfe']);
    expect(raw('LRANGE', '\xfe', '0', '-1')).toEqual(['\xff']);
    expect(cmd('LRANGE', '__proto__', 0, -1)).toEqual(['constructor']);
    expect(cmd('RPUSH', 'u', 'é')).toBe(1);
    expect(cmd('LINDEX', 'u', 0)).toBe('\xc3\xa9');
  });

  it('fires lpush/rpush and signals the key', () => {
    const t = testEngine();
    const ev = captureEvents(t.engine);
    const mod = captureModified(t.engine);
    t.cmd('LPUSH', 'l', 'a', 'b');
    t.cmd('RPUSHX', 'l', 'c');
    t.cmd('LPUSHX', 'nokey', 'c');
    expect(ev).toEqual(['lpush l', 'rpush l']);
    expect(mod).toEqual(['l', 'l']);
  });

  it('reports quicklist for every list, as 7.0 does', () => {
    const { cmd } = testEngine();
    cmd('RPUSH', 'l', 'a');
    expect(cmd('OBJECT', 'ENCODING', 'l')).toBe('quicklist');
  });
});

describe('LPOP / RPOP', () => {
  it('pops one or COUNT, deleting the emptied key', () => {
    const t = testEngine();
    const ev = captureEvents(t.engine);
    t.cmd('RPUSH', 'l', 'a', 'b', 'c', 'd');
    expect(t.cmd('LPOP', 'l')).toBe('a');
    expect(t.cmd('RPOP', 'l')).toBe('d');
    expect(t.cmd('LPOP', 'l', 0)).toEqual([]);
    expect(t.cmd('RPOP', 'l', 5)).toEqual(['c', 'b']);
    expect(t.cmd('EXISTS', 'l')).toBe(0);
    expect(ev).toEqual(['rpush l', 'lpop l', 'rpop l', 'rpop l', 'del l']);
  });

  it('answers a missing key by form, and errors as Redis', () => {
    const { cmd } = testEngine();
    expect(cmd('LPOP', 'nokey')).toBe(null);
    expect(cmd('LPOP', 'nokey', 1)).toEqual(NULL_ARRAY);
    expect(cmd('RPOP', 'nokey', 0)).toEqual(NULL_ARRAY);
    expect(cmd('LPOP', 'nokey', -1)).toEqual(NOT_POSITIVE);
    expect(cmd('LPOP', 'nokey', 'x')).toEqual(NOT_POSITIVE);
    expect(cmd('LPOP', 'nokey', 1, 2)).toEqual(err("ERR wrong number of arguments for 'lpop' command"));
    expect(cmd('RPOP', 'nokey', 1, 2)).toEqual(err("ERR wrong number of arguments for 'rpop' command"));
    cmd('SET', 's', 'v');
    expect(cmd('LPOP', 's')).toEqual(WRONGTYPE);
    expect(cmd('LPOP', 's', 0)).toEqual(WRONGTYPE);
    expect(cmd('LPOP', 's', -1)).toEqual(NOT_POSITIVE);
  });

  it('pops a million at both ends', () => {
    const { cmd } = testEngine();
    for (let i = 0; i < 1000; i++) cmd('RPUSH', 'l', ...Array.from({ length: 1000 }, (_, j) => String(i * 1000 + j)));
    expect(cmd('LLEN', 'l')).toBe(1_000_000);
    expect(cmd('LINDEX', 'l', 500_000)).toBe('500000');
    expect((cmd('LPOP', 'l', 400_000) as string[]).length).toBe(400_000);
    expect(cmd('RPOP', 'l')).toBe('999999');
    expect(cmd('LINDEX', 'l', 0)).toBe('400000');
  });
});

describe('LLEN / LINDEX / LSET / LRANGE', () => {
  it('reads by index from both ends', () => {
    const { cmd } = testEngine();
    cmd('RPUSH', 'l', 'a', 'b', 'c');
    expect(cmd('LLEN', 'l')).toBe(3);
    expect(cmd('LLEN', 'nokey')).toBe(0);
    expect(cmd('LINDEX', 'l', -1)).toBe('c');
    expect(cmd('LINDEX', 'l', 3)).toBe(null);
    expect(cmd('LINDEX', 'l', -4)).toBe(null);
    expect(cmd('LINDEX', 'l', '9223372036854775807')).toBe(null);
    expect(cmd('LINDEX', 'l', 'x')).toEqual(NOT_INT);
    // The key is looked up before the index is parsed.
    expect(cmd('LINDEX', 'nokey', 'x')).toBe(null);
  });

  it('LSET', () => {
    const t = testEngine();
    const ev = captureEvents(t.engine);
    expect(t.cmd('LSET', 'nokey', 'x', 'v')).toEqual(err('ERR no such key'));
    t.cmd('RPUSH', 'l', 'a', 'b');
    expect(t.cmd('LSET', 'l', -1, 'B')).toEqual(OK);
    expect(t.cmd('LSET', 'l', 2, 'x')).toEqual(err('ERR index out of range'));
    expect(t.cmd('LSET', 'l', 'x', 'x')).toEqual(NOT_INT);
    expect(t.cmd('LRANGE', 'l', 0, -1)).toEqual(['a', 'B']);
    expect(ev).toEqual(['rpush l', 'lset l']);
  });

  it('LRANGE clamps like Redis', () => {
    const { cmd } = testEngine();
    cmd('RPUSH', 'l', ...'0123456789'.split(''));
    expect(cmd('LRANGE', 'l', -3, -1)).toEqual(['7', '8', '9']);
    expect(cmd('LRANGE', 'l', -100, 1)).toEqual(['0', '1']);
    expect(cmd('LRANGE', 'l', 8, 100)).toEqual(['8', '9']);
    expect(cmd('LRANGE', 'l', 5, 4)).toEqual([]);
    expect(cmd('LRANGE', 'l', '-9223372036854775808', '9223372036854775807')).toHaveLength(10);
    expect(cmd('LRANGE', 'l', 0, '9223372036854775808')).toEqual(NOT_INT);
    expect(cmd('LRANGE', 'nokey', 0, -1)).toEqual([]);
    expect(cmd('LRANGE', 'nokey', 'x', -1)).toEqual(NOT_INT);
  });
});

describe('LTRIM / LREM / LINSERT / LPOS', () => {
  it('LTRIM fires ltrim always and del when emptied', () => {
    const t = testEngine();
    const ev = captureEvents(t.engine);
    expect(t.cmd('LTRIM', 'nokey', 0, 1)).toEqual(OK);
    t.cmd('RPUSH', 'l', 'a', 'b', 'c', 'd');
    expect(t.cmd('LTRIM', 'l', 1, -2)).toEqual(OK);
    expect(t.cmd('LRANGE', 'l', 0, -1)).toEqual(['b', 'c']);
    expect(t.cmd('LTRIM', 'l', 0, -1)).toEqual(OK);
    expect(t.cmd('LTRIM', 'l', 5, 10)).toEqual(OK);
    expect(t.cmd('EXISTS', 'l')).toBe(0);
    expect(ev).toEqual(['rpush l', 'ltrim l', 'ltrim l', 'ltrim l', 'del l']);
  });

  it('LREM from head, from tail, all', () => {
    const t = testEngine();
    const ev = captureEvents(t.engine);
    t.cmd('RPUSH', 'l', 'a', 'b', 'a', 'c', 'a');
    expect(t.cmd('LREM', 'l', 1, 'a')).toBe(1);
    expect(t.cmd('LRANGE', 'l', 0, -1)).toEqual(['b', 'a', 'c', 'a']);
    expect(t.cmd('LREM', 'l', -1, 'a')).toBe(1);
    expect(t.cmd('LRANGE', 'l', 0, -1)).toEqual(['b', 'a', 'c']);
    expect(t.cmd('LREM', 'l', 0, 'zz')).toBe(0);
    expect(t.cmd('LREM', 'l', 0, 'a')).toBe(1);
    expect(t.cmd('LREM', 'l', '-9223372036854775808', 'b')).toBe(1);
    expect(t.cmd('LREM', 'l', 0, 'c')).toBe(1);
    expect(t.cmd('EXISTS', 'l')).toBe(0);
    expect(ev).toEqual(['rpush l', 'lrem l', 'lrem l', 'lrem l', 'lrem l', 'lrem l', 'del l']);
  });

  it('LINSERT', () => {
    const t = testEngine();
    const ev = captureEvents(t.engine);
    expect(t.cmd('LINSERT', 'nokey', 'BEFORE', 'a', 'x')).toBe(0);
    expect(t.cmd('LINSERT', 'nokey', 'SIDEWAYS', 'a', 'x')).toEqual(err('ERR syntax error'));
    t.cmd('RPUSH', 'l', 'a', 'b', 'b');
    expect(t.cmd('LINSERT', 'l', 'before', 'b', 'x')).toBe(4);
    expect(t.cmd('LINSERT', 'l', 'AFTER', 'b', 'y')).toBe(5);
    expect(t.cmd('LINSERT', 'l', 'AFTER', 'zz', 'y')).toBe(-1);
    expect(t.cmd('LRANGE', 'l', 0, -1)).toEqual(['a', 'x', 'b', 'y', 'b']);
    expect(ev).toEqual(['rpush l', 'linsert l', 'linsert l']);
  });

  it('LPOS with RANK, COUNT, MAXLEN', () => {
    const { cmd } = testEngine();
    cmd('RPUSH', 'l', 'a', 'b', 'a', 'c', 'a');
    expect(cmd('LPOS', 'l', 'a')).toBe(0);
    expect(cmd('LPOS', 'l', 'a', 'RANK', -1)).toBe(4);
    expect(cmd('LPOS', 'l', 'a', 'RANK', 2, 'COUNT', 0)).toEqual([2, 4]);
    expect(cmd('LPOS', 'l', 'a', 'RANK', -2, 'COUNT', 5)).toEqual([2, 0]);
    expect(cmd('LPOS', 'l', 'a', 'MAXLEN', 2, 'COUNT', 0)).toEqual([0]);
    expect(cmd('LPOS', 'l', 'a', 'RANK', '-9223372036854775808')).toBe(4);
    expect(cmd('LPOS', 'l', 'z')).toBe(null);
    expect(cmd('LPOS', 'l', 'z', 'COUNT', 1)).toEqual([]);
    expect(cmd('LPOS', 'nokey', 'z', 'COUNT', 1)).toEqual([]);
    expect(cmd('LPOS', 'l', 'a', 'RANK', 0)).toEqual(
      err("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"),
    );
    expect(cmd('LPOS', 'l', 'a', 'COUNT', 'x')).toEqual(err("ERR COUNT can't be negative"));
    expect(cmd('LPOS', 'l', 'a', 'MAXLEN', -1)).toEqual(err("ERR MAXLEN can't be negative"));
    expect(cmd('LPOS', 'l', 'a', 'RANK')).toEqual(err('ERR syntax error'));
  });
});

describe('LMOVE / RPOPLPUSH / LMPOP', () => {
  it('moves between lists with Redis events, deleting the emptied source', () => {
    const t = testEngine();
    const ev = captureEvents(t.engine);
    t.cmd('RPUSH', 'src', 'a', 'b');
    expect(t.cmd('LMOVE', 'src', 'dst', 'LEFT', 'RIGHT')).toBe('a');
    expect(t.cmd('RPOPLPUSH', 'src', 'dst')).toBe('b');
    expect(t.cmd('LRANGE', 'dst', 0, -1)).toEqual(['b', 'a']);
    expect(t.cmd('EXISTS', 'src')).toBe(0);
    expect(t.cmd('LMOVE', 'nokey', 'dst', 'LEFT', 'LEFT')).toBe(null);
    expect(ev).toEqual(['rpush src', 'rpush dst', 'lpop src', 'lpush dst', 'rpop src', 'del src']);
  });

  it('rotates a list onto itself, even with one element', () => {
    const { cmd } = testEngine();
    cmd('RPUSH', 'l', 'a', 'b', 'c');
    expect(cmd('RPOPLPUSH', 'l', 'l')).toBe('c');
    expect(cmd('LRANGE', 'l', 0, -1)).toEqual(['c', 'a', 'b']);
    cmd('RPUSH', 'one', 'x');
    expect(cmd('LMOVE', 'one', 'one', 'LEFT', 'RIGHT')).toBe('x');
    expect(cmd('LRANGE', 'one', 0, -1)).toEqual(['x']);
  });

  it('checks types and directions in Redis order', () => {
    const { cmd } = testEngine();
    cmd('SET', 's', 'v');
    expect(cmd('LMOVE', 'a', 'b', 'UP', 'LEFT')).toEqual(err('ERR syntax error'));
    expect(cmd('LMOVE', 'nokey', 's', 'LEFT', 'LEFT')).toBe(null);
    cmd('RPUSH', 'l', 'a');
    expect(cmd('LMOVE', 'l', 's', 'LEFT', 'LEFT')).toEqual(WRONGTYPE);
    expect(cmd('LRANGE', 'l', 0, -1)).toEqual(['a']);
    expect(cmd('RPOPLPUSH', 's', 'l')).toEqual(WRONGTYPE);
  });

  it('LMPOP pops from the first non-empty list', () => {
    const t = testEngine();
    const ev = captureEvents(t.engine);
    t.cmd('RPUSH', 'b', '1', '2', '3');
    expect(t.cmd('LMPOP', 2, 'a', 'b', 'LEFT')).toEqual(['b', ['1']]);
    expect(t.cmd('LMPOP', 2, 'a', 'b', 'RIGHT', 'COUNT', 5)).toEqual(['b', ['3', '2']]);
    expect(t.cmd('LMPOP', 2, 'a', 'b', 'RIGHT')).toEqual(NULL_ARRAY);
    expect(ev).toEqual(['rpush b', 'lpop b', 'rpop b', 'del b']);
    t.cmd('SET', 's', 'v');
    t.cmd('RPUSH', 'l', 'x');
    expect(t.cmd('LMPOP', 2, 'l', 's', 'LEFT')).toEqual(['l', ['x']]);
    expect(t.cmd('LMPOP', 2, 'l', 's', 'LEFT')).toEqual(WRONGTYPE);
    expect(t.cmd('LMPOP', 0, 'a', 'LEFT')).toEqual(err('ERR numkeys should be greater than 0'));
    expect(t.cmd('LMPOP', 2, 'a', 'LEFT')).toEqual(err('ERR syntax error'));
    expect(t.cmd('LMPOP', '9223372036854775807', 'a', 'LEFT')).toEqual(err('ERR syntax error'));
    expect(t.cmd('LMPOP', 1, 'a', 'LEFT', 'COUNT', 0)).toEqual(err('ERR count should be greater than 0'));
    expect(t.cmd('LMPOP', 1, 'a', 'LEFT', 'COUNT', 1, 'COUNT', 1)).toEqual(err('ERR syntax error'));
  });

  it('RESP3 null for a missing LPOP COUNT / LMPOP is the null array', () => {
    const t = testEngine();
    t.session.resp = 3;
    expect(t.cmd('LPOP', 'nokey', 2)).toEqual(NULL_ARRAY);
    expect(t.cmd('LMPOP', 1, 'nokey', 'LEFT')).toEqual(NULL_ARRAY);
  });
});

describe('list values', () => {
  it('expire like any key', () => {
    const t = testEngine();
    t.cmd('RPUSH', 'l', 'a');
    t.cmd('PEXPIRE', 'l', 100);
    t.clock.t += 100;
    expect(t.cmd('LLEN', 'l')).toBe(0);
    expect(t.cmd('LPUSHX', 'l', 'a')).toBe(0);
  });

  it('serialize, revive and clone', () => {
    const t = testEngine();
    t.engine.execute(t.session, ['RPUSH', 'l', 'a', '\xff', '']);
    const e = t.session.db.peek('l', t.clock.t)!;
    const data = serializeValue(e);
    expect(data).toEqual(['a', '\xff', '']);
    const back = reviveValue(ObjType.List, structuredClone(data)) as ListValue;
    expect(back.encoding).toBe('quicklist');
    expect(back.items.toArray()).toEqual(['a', '\xff', '']);
    const c = (e.value as ListValue).clone();
    t.cmd('RPUSH', 'l', 'more');
    expect(c.size).toBe(3);
  });

  it('exports pop/move/push for the blocking commands', () => {
    const t = testEngine();
    const ev = captureEvents(t.engine);
    const c = new Ctx(t.engine, t.session, ['blpop']);
    expect(pushElements(c, 'a', undefined, ['1', '2', '3'], Where.Tail)).toBe(3);
    const a = t.session.db.peek('a', c.now)!.value as ListValue;
    expect(popElements(c, 'a', a, Where.Head, 1)).toEqual(['1']);
    expect(moveElement(c, 'a', a, 'b', undefined, Where.Tail, Where.Head)).toBe('3');
    expect(popElements(c, 'a', a, Where.Tail, 10)).toEqual(['2']);
    expect(t.cmd('EXISTS', 'a')).toBe(0);
    expect(t.cmd('LRANGE', 'b', 0, -1)).toEqual(['3']);
    expect(ev).toEqual(['rpush a', 'lpop a', 'lpush b', 'rpop a', 'rpop a', 'del a']);
  });
});
