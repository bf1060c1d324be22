import { describe, expect, it } from 'vitest';
import { testEngine, type TestEngine } from '../../../test/helpers.js';
import { payload, str } from '../../../test/compat/cases/dump.js';
import { toBytes } from '../bytes.js';
import type { Reply } from '../reply.js';
import { verifyDumpPayload } from '../rdb.js';

const ok = { k: 'simple', s: 'OK' };
const error = (msg: string) => ({ k: 'err', msg });

/** A test engine whose `raw` runs a command with binary-string arguments as they are (payloads). */
function engine(): TestEngine & { raw: (...args: string[]) => Reply; events: string[][] } {
  const t = testEngine();
  const events: string[][] = [];
  t.engine.publish = (ch, msg) => {
    if (ch.startsWith('__keyevent@0__:')) events.push([ch.slice('__keyevent@0__:'.length), msg]);
    return 0;
  };
  const raw = (...args: string[]) => t.engine.execute(t.session, args);
  return Object.assign(t, { raw, events });
}

const HELLO = payload('\x00' + str('hello'));

describe('DUMP', () => {
  it('serializes a present key, nil for a missing one', () => {
    const t = engine();
    t.cmd('SET', 'k', 'hello');
    const p = t.cmd('DUMP', 'k') as string;
    expect(p).toBe(HELLO);
    expect(verifyDumpPayload(toBytes(p))).toBe(true);
    expect(t.cmd('DUMP', 'nope')).toBe(null);
    expect(t.cmd('DUMP')).toEqual(error("ERR wrong number of arguments for 'dump' command"));
  });

  it('does not serve a logically expired key', () => {
    const t = engine();
    t.cmd('SET', 'k', 'v', 'PX', '100');
    t.clock.t += 100;
    expect(t.cmd('DUMP', 'k')).toBe(null);
  });
});

describe('RESTORE', () => {
  it('creates the key with the value and encoding the payload gives', () => {
    const t = engine();
    t.cmd('HSET', 'h', 'f', 'v');
    t.cmd('ZADD', 'z', '1', 'a', '2', 'b');
    for (const k of ['h', 'z']) {
      expect(t.raw('RESTORE', `${k}2`, '0', t.cmd('DUMP', k) as string)).toEqual(ok);
      expect(t.cmd('OBJECT', 'ENCODING', `${k}2`)).toEqual(t.cmd('OBJECT', 'ENCODING', k));
    }
    expect(t.cmd('HGETALL', 'h2')).toEqual({ k: 'map', v: ['f', 'v'] });
    expect(t.cmd('ZRANGE', 'z2', '0', '-1')).toEqual(['a', 'b']);
    expect(t.raw('RESTORE', 's', '0', payload('\x00\xc0\x07'))).toEqual(ok);
    expect(t.cmd('OBJECT', 'ENCODING', 's')).toEqual('int');
    expect(t.cmd('TTL', 's')).toBe(-1);
  });

  it('refuses an existing key unless REPLACE, which drops the old TTL', () => {
    const t = engine();
    t.cmd('SET', 'k', 'old', 'EX', '100');
    expect(t.raw('RESTORE', 'k', '0', HELLO)).toEqual(error('BUSYKEY Target key name already exists.'));
    expect(t.raw('RESTORE', 'k', '0', HELLO, 'REPLACE')).toEqual(ok);
    expect(t.cmd('GET', 'k')).toBe('hello');
    expect(t.cmd('TTL', 'k')).toBe(-1);
    // A key past its TTL is not in the way.
    t.cmd('SET', 'e', 'v', 'PX', '10');
    t.clock.t += 10;
    expect(t.raw('RESTORE', 'e', '0', HELLO)).toEqual(ok);
  });

  it('sets relative and absolute TTLs; one already past creates nothing', () => {
    const t = engine();
    expect(t.raw('RESTORE', 'rel', '1500', HELLO)).toEqual(ok);
    expect(t.cmd('PTTL', 'rel')).toBe(1500);
    expect(t.raw('RESTORE', 'abs', String(t.clock.t + 700), HELLO, 'ABSTTL')).toEqual(ok);
    expect(t.cmd('PTTL', 'abs')).toBe(700);
    expect(t.raw('RESTORE', 'past', String(t.clock.t), HELLO, 'ABSTTL')).toEqual(ok);
    expect(t.cmd('EXISTS', 'past')).toBe(0);
    expect(t.raw('RESTORE', 'wrap', '9223372036854775807', HELLO)).toEqual(ok);
    expect(t.cmd('EXISTS', 'wrap')).toBe(0);
    t.clock.t += 1500;
    expect(t.cmd('EXISTS', 'rel', 'abs')).toBe(0);
  });

  it('fires new and restore; REPLACE meeting a past TTL deletes with del', () => {
    const t = engine();
    t.cmd('CONFIG', 'SET', 'notify-keyspace-events', 'KEAn');
    t.raw('RESTORE', 'k', '0', HELLO);
    t.raw('RESTORE', 'k', '0', HELLO, 'REPLACE');
    t.raw('RESTORE', 'k', '1', HELLO, 'ABSTTL', 'REPLACE');
    t.raw('RESTORE', 'k', '1', HELLO, 'ABSTTL', 'REPLACE');
    expect(t.events).toEqual([
      ['new', 'k'], ['restore', 'k'], ['new', 'k'], ['restore', 'k'], ['del', 'k'],
    ]);
  });

  it('signals the key (WATCH) and counts a change', () => {
    const t = engine();
    const other = t.engine.createSession();
    t.cmd('WATCH', 'k');
    const dirty = t.engine.dirty;
    t.engine.execute(other, ['RESTORE', 'k', '0', HELLO]);
    expect(t.engine.dirty).toBe(dirty + 1);
    t.cmd('MULTI');
    t.cmd('GET', 'k');
    expect(t.cmd('EXEC')).toEqual({ k: 'nullarr' });
  });

  it('IDLETIME sets the idle time, FREQ the LFU counter under an LFU policy only', () => {
    const t = engine();
    t.raw('RESTORE', 'a', '0', HELLO, 'IDLETIME', '100');
    expect(t.cmd('OBJECT', 'IDLETIME', 'a')).toBe(100);
    t.clock.t += 5000;
    expect(t.cmd('OBJECT', 'IDLETIME', 'a')).toBe(105);
    t.raw('RESTORE', 'b', '0', HELLO, 'FREQ', '100');
    expect(t.cmd('OBJECT', 'IDLETIME', 'b')).toBe(0);
    t.cmd('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu');
    t.raw('RESTORE', 'c', '0', HELLO, 'FREQ', '100');
    expect(t.cmd('OBJECT', 'FREQ', 'c')).toBe(100);
    t.raw('RESTORE', 'd', '0', HELLO, 'IDLETIME', '100');
    expect(t.cmd('OBJECT', 'FREQ', 'd')).toBe(5);
  });

  it("errors, in Redis's order: options, target key, TTL, version and checksum, contents", () => {
    const t = engine();
    t.cmd('SET', 'busy', 'v');
    const cases: [string[], string][] = [
      [['RESTORE', 'k', '0'], "ERR wrong number of arguments for 'restore' command"],
      [['RESTORE', 'busy', 'x', 'junk', 'NOPE'], 'ERR syntax error'],
      [['RESTORE', 'busy', 'x', 'junk', 'IDLETIME', '-1'], 'ERR Invalid IDLETIME value, must be >= 0'],
      [['RESTORE', 'busy', 'x', 'junk', 'FREQ', '256'], 'ERR Invalid FREQ value, must be >= 0 and <= 255'],
      [['RESTORE', 'busy', 'x', 'junk', 'FREQ', 'x'], 'ERR value is not an integer or out of range'],
      [['RESTORE', 'busy', 'x', 'junk', 'IDLETIME', '1', 'FREQ', '1'], 'ERR syntax error'],
      [['RESTORE', 'busy', 'x', 'junk', 'FREQ', '1', 'IDLETIME', '1'], 'ERR syntax error'],
      [['RESTORE', 'busy', 'x', 'junk', 'IDLETIME'], 'ERR syntax error'],
      [['RESTORE', 'busy', 'x', 'junk'], 'BUSYKEY Target key name already exists.'],
      [['RESTORE', 'k', 'x', 'junk'], 'ERR value is not an integer or out of range'],
      [['RESTORE', 'k', '-1', 'junk'], 'ERR Invalid TTL value, must be >= 0'],
      [['RESTORE', 'k', '0', 'junk'], 'ERR DUMP payload version or checksum are wrong'],
      [['RESTORE', 'k', '0', payload('\x00' + str('x'), 11)], 'ERR DUMP payload version or checksum are wrong'],
      [['RESTORE', 'k', '0', payload('\x08')], 'ERR Bad data format'],
      [['RESTORE', 'k', '0', payload('\x0f' + '\x00')], 'ERR Bad data format'],
    ];
    for (const [args, msg] of cases) expect(t.raw(...args), args.join(' ')).toEqual(error(msg));
    expect(t.cmd('EXISTS', 'k')).toBe(0);
  });

  it('runs inside MULTI', () => {
    const t = engine();
    t.cmd('MULTI');
    t.raw('RESTORE', 'k', '0', HELLO);
    t.cmd('GET', 'k');
    expect(t.cmd('EXEC')).toEqual([ok, 'hello']);
  });
});
