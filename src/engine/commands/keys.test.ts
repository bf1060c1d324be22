import { describe, expect, it } from 'vitest';
import { testEngine, type TestEngine } from '../../../test/helpers.js';
import type { Reply } from '../reply.js';

const ok = { k: 'simple', s: 'OK' };
const error = (msg: string) => ({ k: 'err', msg });

/** An engine with keyspace events on, recording every (channel, message) published. */
function withEvents(flags = 'KEA'): TestEngine & { events: string[][] } {
  const t = testEngine();
  const events: string[][] = [];
  t.engine.config.set('notify-keyspace-events', flags);
  t.engine.publish = (ch, msg) => {
    events.push([ch, msg]);
    return 0;
  };
  return Object.assign(t, { events });
}

/** Keyevent notifications only, as [event, key] (db 0 unless given). */
const keyevents = (events: string[][], db = 0): string[][] =>
  events
    .filter(([ch]) => ch.startsWith(`__keyevent@${db}__:`))
    .map(([ch, key]) => [ch.slice(`__keyevent@${db}__:`.length), key]);

const sorted = (r: Reply) => [...(r as string[])].sort();

describe('DEL / UNLINK / EXISTS / TOUCH / TYPE', () => {
  it('deletes and counts', () => {
    const { cmd } = testEngine();
    cmd('SET', 'a', '1');
    cmd('SET', 'b', '2');
    expect(cmd('DEL', 'a', 'b', 'c', 'a')).toBe(2);
    expect(cmd('EXISTS', 'a', 'b')).toBe(0);
    cmd('SET', 'a', '1');
    expect(cmd('UNLINK', 'a', 'a')).toBe(1);
    expect(cmd('DEL')).toEqual(error("ERR wrong number of arguments for 'del' command"));
  });

  it('exists counts repeated keys, touch counts existing ones', () => {
    const { cmd } = testEngine();
    cmd('SET', 'a', '1');
    expect(cmd('EXISTS', 'a', 'a', 'b')).toBe(2);
    expect(cmd('TOUCH', 'a', 'b', 'a')).toBe(2);
  });

  it('types', () => {
    const { cmd } = testEngine();
    cmd('SET', 's', 'x');
    cmd('RPUSH', 'l', 'x');
    cmd('SADD', 'st', 'x');
    cmd('HSET', 'h', 'f', 'v');
    expect(cmd('TYPE', 's')).toEqual({ k: 'simple', s: 'string' });
    expect(cmd('TYPE', 'l')).toEqual({ k: 'simple', s: 'list' });
    expect(cmd('TYPE', 'st')).toEqual({ k: 'simple', s: 'set' });
    expect(cmd('TYPE', 'h')).toEqual({ k: 'simple', s: 'hash' });
    expect(cmd('TYPE', 'nope')).toEqual({ k: 'simple', s: 'none' });
  });

  it('fires del events only for deleted keys', () => {
    const t = withEvents();
    t.cmd('SET', 'a', '1');
    t.events.length = 0;
    t.cmd('DEL', 'a', 'b');
    t.cmd('UNLINK', 'a');
    expect(keyevents(t.events)).toEqual([['del', 'a']]);
  });

  it('treats __proto__, constructor and binary keys as ordinary keys', () => {
    const t = testEngine();
    // Binary arguments go straight to the engine (testEngine's cmd would UTF-8-encode them).
    const cmd = (...args: (string | number)[]) => t.engine.execute(t.session, args.map(String));
    for (const k of ['__proto__', 'constructor', 'toString', '\xff', '\xfe', '']) cmd('SET', k, `v${k}`);
    expect(cmd('EXISTS', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf')).toBe(3);
    expect(cmd('DBSIZE')).toBe(6);
    expect(sorted(cmd('KEYS', '*'))).toEqual(['', '__proto__', 'constructor', 'toString', '\xfe', '\xff'].sort());
    expect(cmd('RENAME', '__proto__', 'constructor')).toEqual(ok);
    expect(cmd('GET', 'constructor')).toBe('v__proto__');
    expect(cmd('TYPE', '__proto__')).toEqual({ k: 'simple', s: 'none' });
    expect(cmd('COPY', 'constructor', '__proto__')).toBe(1);
    expect(cmd('MOVE', '__proto__', 1)).toBe(1);
    expect(cmd('DEL', 'constructor', '\xff')).toBe(2);
    expect(cmd('EXISTS', '\xfe')).toBe(1);
  });
});

describe('EXPIRE family and TTLs', () => {
  it('expires lazily on fake time', () => {
    const t = testEngine();
    t.cmd('SET', 'a', '1');
    expect(t.cmd('EXPIRE', 'a', 10)).toBe(1);
    expect(t.cmd('TTL', 'a')).toBe(10);
    expect(t.cmd('PTTL', 'a')).toBe(10_000);
    expect(t.cmd('EXPIRETIME', 'a')).toBe(Math.floor((t.clock.t + 10_000) / 1000));
    expect(t.cmd('PEXPIRETIME', 'a')).toBe(t.clock.t + 10_000);
    t.clock.t += 9_999;
    expect(t.cmd('GET', 'a')).toBe('1');
    expect(t.cmd('PTTL', 'a')).toBe(1);
    t.clock.t += 1;
    expect(t.cmd('GET', 'a')).toBe(null);
    expect(t.cmd('TTL', 'a')).toBe(-2);
    expect(t.cmd('DBSIZE')).toBe(0);
  });

  it('rounds TTL to the nearest second as Redis ((ms + 500) / 1000)', () => {
    const t = testEngine();
    t.cmd('SET', 'a', '1');
    t.cmd('PEXPIRE', 'a', 1499);
    expect(t.cmd('TTL', 'a')).toBe(1);
    t.cmd('PEXPIRE', 'a', 1500);
    expect(t.cmd('TTL', 'a')).toBe(2);
    t.cmd('PEXPIRE', 'a', 499);
    expect(t.cmd('TTL', 'a')).toBe(0);
  });

  it('answers -1 without a TTL and -2 without a key', () => {
    const { cmd } = testEngine();
    cmd('SET', 'a', '1');
    for (const c of ['TTL', 'PTTL', 'EXPIRETIME', 'PEXPIRETIME']) {
      expect(cmd(c, 'a')).toBe(-1);
      expect(cmd(c, 'b')).toBe(-2);
    }
  });

  it('deletes the key for a time in the past, with a del event', () => {
    const t = withEvents();
    for (const [c, v] of [['EXPIRE', -1], ['EXPIRE', 0], ['PEXPIRE', 0], ['EXPIREAT', 1], ['PEXPIREAT', t.clock.t]] as const) {
      t.cmd('SET', 'a', '1');
      t.events.length = 0;
      expect(t.cmd(c, 'a', v)).toBe(1);
      expect(t.cmd('EXISTS', 'a')).toBe(0);
      expect(keyevents(t.events)).toEqual([['del', 'a']]);
    }
    expect(t.cmd('EXPIRE', 'nokey', -1)).toBe(0);
  });

  it('fires expire, then expired when the key goes', () => {
    const t = withEvents();
    t.cmd('SET', 'a', '1');
    t.events.length = 0;
    t.cmd('PEXPIRE', 'a', 100);
    expect(keyevents(t.events)).toEqual([['expire', 'a']]);
    t.clock.t += 100;
    t.cmd('GET', 'a');
    expect(keyevents(t.events).slice(1)).toEqual([['expired', 'a']]);
    expect(t.engine.stats.expiredKeys).toBe(1);
  });

  it('checks NX XX GT LT', () => {
    const t = testEngine();
    t.cmd('SET', 'a', '1');
    expect(t.cmd('EXPIRE', 'a', 100, 'XX')).toBe(0);
    expect(t.cmd('EXPIRE', 'a', 100, 'GT')).toBe(0); // no TTL is an infinite one
    expect(t.cmd('EXPIRE', 'a', 100, 'NX')).toBe(1);
    expect(t.cmd('EXPIRE', 'a', 200, 'NX')).toBe(0);
    expect(t.cmd('EXPIRE', 'a', 200, 'XX')).toBe(1);
    expect(t.cmd('EXPIRE', 'a', 200, 'GT')).toBe(0);
    expect(t.cmd('EXPIRE', 'a', 300, 'gt')).toBe(1);
    expect(t.cmd('EXPIRE', 'a', 300, 'LT')).toBe(0);
    expect(t.cmd('EXPIRE', 'a', 50, 'LT', 'XX')).toBe(1);
    expect(t.cmd('TTL', 'a')).toBe(50);
    t.cmd('PERSIST', 'a');
    expect(t.cmd('EXPIRE', 'a', 50, 'LT')).toBe(1); // no TTL: LT sets one
    t.cmd('PERSIST', 'a');
    expect(t.cmd('EXPIRE', 'a', -1, 'GT')).toBe(0);
    expect(t.cmd('EXISTS', 'a')).toBe(1);
    expect(t.cmd('EXPIRE', 'a', -1, 'LT')).toBe(1);
    expect(t.cmd('EXISTS', 'a')).toBe(0);
  });

  it('answers option and time errors word for word, options first', () => {
    const { cmd } = testEngine();
    cmd('SET', 'a', '1');
    const nx = error('ERR NX and XX, GT or LT options at the same time are not compatible');
    expect(cmd('EXPIRE', 'a', 1, 'NX', 'XX')).toEqual(nx);
    expect(cmd('EXPIRE', 'a', 1, 'LT', 'NX')).toEqual(nx);
    expect(cmd('EXPIRE', 'a', 1, 'GT', 'LT')).toEqual(error('ERR GT and LT options at the same time are not compatible'));
    expect(cmd('EXPIRE', 'a', 'x', 'foo')).toEqual(error('ERR Unsupported option foo'));
    expect(cmd('EXPIRE', 'a', 1, 'a\r\nb')).toEqual(error('ERR Unsupported option a  b'));
    expect(cmd('EXPIRE', 'a', 'x')).toEqual(error('ERR value is not an integer or out of range'));
    expect(cmd('EXPIRE', 'a', '9223372036854776')).toEqual(error("ERR invalid expire time in 'expire' command"));
    expect(cmd('EXPIRE', 'a', '-9223372036854776')).toEqual(error("ERR invalid expire time in 'expire' command"));
    expect(cmd('EXPIREAT', 'a', '9223372036854776')).toEqual(error("ERR invalid expire time in 'expireat' command"));
    expect(cmd('PEXPIRE', 'a', '9223372036854775807')).toEqual(error("ERR invalid expire time in 'pexpire' command"));
    expect(cmd('EXPIRE', 'nokey', '9223372036854776')).toEqual(error("ERR invalid expire time in 'expire' command"));
    expect(cmd('TTL', 'a')).toBe(-1);
  });

  it('keeps expire times beyond 2^53 ms exactly', () => {
    const { cmd } = testEngine();
    cmd('SET', 'a', '1');
    expect(cmd('PEXPIREAT', 'a', '9223372036854770000')).toBe(1);
    expect(cmd('PEXPIRETIME', 'a')).toBe(9223372036854770000n);
    expect(cmd('EXPIRETIME', 'a')).toBe(9223372036854770n);
    expect(cmd('PEXPIREAT', 'a', '9007199254740993')).toBe(1);
    expect(cmd('PEXPIRETIME', 'a')).toBe(9007199254740993n);
    expect(cmd('PEXPIREAT', 'a', '9007199254740993', 'GT')).toBe(0);
    expect(cmd('PEXPIREAT', 'a', '9007199254740994', 'GT')).toBe(1);
    expect(cmd('RENAME', 'a', 'b')).toEqual(ok);
    expect(cmd('PEXPIRETIME', 'b')).toBe(9007199254740994n);
    // Another command changing the TTL makes the exact record stale.
    cmd('SET', 'b', '2', 'PX', 1000);
    expect(cmd('PTTL', 'b')).toBe(1000);
  });

  it('persist', () => {
    const t = withEvents();
    t.cmd('SET', 'a', '1');
    expect(t.cmd('PERSIST', 'a')).toBe(0);
    t.cmd('EXPIRE', 'a', 10);
    t.events.length = 0;
    expect(t.cmd('PERSIST', 'a')).toBe(1);
    expect(t.cmd('TTL', 'a')).toBe(-1);
    expect(t.cmd('PERSIST', 'nokey')).toBe(0);
    expect(keyevents(t.events)).toEqual([['persist', 'a']]);
    t.clock.t += 20_000;
    expect(t.cmd('GET', 'a')).toBe('1');
  });

  it('the active expiry cycle reclaims keys nobody touches', () => {
    const t = withEvents();
    for (let i = 0; i < 100; i++) t.cmd('SET', `k${i}`, 'v', 'PX', 100);
    for (let i = 0; i < 10; i++) t.cmd('SET', `keep${i}`, 'v');
    t.cmd('SELECT', 3);
    for (let i = 0; i < 30; i++) t.cmd('SET', `k${i}`, 'v', 'PX', 50);
    t.events.length = 0;
    t.clock.t += 100;
    let reclaimed = 0;
    for (let i = 0; i < 10 && reclaimed < 130; i++) reclaimed += t.engine.activeExpireCycle();
    expect(reclaimed).toBe(130);
    expect(t.engine.dbs[0].size).toBe(10);
    expect(t.engine.dbs[3].size).toBe(0);
    expect(keyevents(t.events).length).toBe(100);
    expect(keyevents(t.events, 3).length).toBe(30);
    expect(keyevents(t.events)[0][0]).toBe('expired');
  });
});

describe('KEYS / SCAN / RANDOMKEY / DBSIZE', () => {
  it('keys matches globs', () => {
    const { cmd } = testEngine();
    cmd('MSET', 'hello', '1', 'hallo', '1', 'hxllo', '1', 'hllo', '1', 'heeello', '1', '', '1');
    expect(sorted(cmd('KEYS', 'h?llo'))).toEqual(['hallo', 'hello', 'hxllo']);
    expect(sorted(cmd('KEYS', 'h[ae]llo'))).toEqual(['hallo', 'hello']);
    expect(sorted(cmd('KEYS', 'h[^e]llo'))).toEqual(['hallo', 'hxllo']);
    expect(sorted(cmd('KEYS', 'h*llo'))).toEqual(['heeello', 'hallo', 'hello', 'hllo', 'hxllo'].sort());
    // `*` alone is every key, the empty one too; `**` does not match the empty key (stringmatchlen).
    expect((cmd('KEYS', '*') as string[]).length).toBe(6);
    expect((cmd('KEYS', '**') as string[]).length).toBe(5);
    expect(cmd('KEYS', '')).toEqual(['']);
  });

  it('keys hides logically expired keys without reclaiming them', () => {
    const t = withEvents();
    t.cmd('SET', 'a', '1', 'PX', 10);
    t.cmd('SET', 'b', '1');
    t.clock.t += 10;
    t.events.length = 0;
    expect(t.cmd('KEYS', '*')).toEqual(['b']);
    expect(t.cmd('DBSIZE')).toBe(2);
    expect(t.events).toEqual([]);
  });

  it('returns at once on pathological patterns', () => {
    const { cmd } = testEngine();
    cmd('SET', 'a'.repeat(40), '1');
    const t0 = performance.now();
    expect(cmd('KEYS', 'a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b')).toEqual([]);
    expect(cmd('KEYS', '*?'.repeat(50_000))).toEqual([]);
    expect(cmd('SCAN', 0, 'MATCH', '*?'.repeat(50_000))).toEqual(['0', []]);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('scans everything, with MATCH, COUNT and TYPE', () => {
    const { cmd } = testEngine();
    for (let i = 0; i < 100; i++) cmd('SET', `k${i}`, 'v');
    cmd('RPUSH', 'list', 'x');
    cmd('HSET', 'hash', 'f', 'v');
    const all = (...opts: (string | number)[]) => {
      const seen: string[] = [];
      let cursor = '0';
      let calls = 0;
      do {
        const [next, items] = cmd('SCAN', cursor, ...opts) as [string, string[]];
        seen.push(...items);
        cursor = next;
        calls++;
      } while (cursor !== '0');
      return { keys: seen.sort(), calls };
    };
    expect(all().keys.length).toBe(102);
    expect(all('COUNT', 1000).calls).toBe(1);
    expect(all('COUNT', 1).calls).toBeGreaterThanOrEqual(102);
    expect(all('MATCH', 'k1?').keys).toEqual(Array.from({ length: 10 }, (_, i) => `k1${i}`).sort());
    expect(all('TYPE', 'LIST').keys).toEqual(['list']);
    expect(all('TYPE', 'hash', 'MATCH', 'h*').keys).toEqual(['hash']);
    expect(all('TYPE', 'stream').keys).toEqual([]);
  });

  it('scan reclaims expired keys it meets', () => {
    const t = withEvents();
    t.cmd('SET', 'a', '1', 'PX', 10);
    t.cmd('SET', 'b', '1');
    t.clock.t += 10;
    expect(t.cmd('SCAN', 0)).toEqual(['0', ['b']]);
    expect(t.cmd('DBSIZE')).toBe(1);
    expect(keyevents(t.events).pop()).toEqual(['expired', 'a']);
  });

  it('keeps the SCAN guarantee while keys come and go', () => {
    const t = testEngine(1_700_000_000_000, 7);
    const stable = new Set<string>();
    for (let i = 0; i < 300; i++) {
      t.cmd('SET', `s${i}`, 'v');
      stable.add(`s${i}`);
    }
    for (let i = 0; i < 300; i++) t.cmd('SET', `t${i}`, 'v');
    const seen = new Set<string>();
    let cursor = '0';
    let step = 0;
    do {
      const [next, items] = t.cmd('SCAN', cursor, 'COUNT', 7) as [string, string[]];
      for (const k of items) seen.add(k);
      cursor = next;
      // Churn between calls: delete transient keys, add new ones, delete and re-add transient ones.
      for (let j = 0; j < 5; j++) {
        const n = step * 5 + j;
        t.cmd('DEL', `t${n % 300}`);
        t.cmd('SET', `new${n}`, 'v');
        if (n % 3 === 0) t.cmd('SET', `t${(n * 7) % 300}`, 'v');
      }
      step++;
    } while (cursor !== '0' && step < 10_000);
    expect(cursor).toBe('0');
    for (const k of stable) expect(seen.has(k), k).toBe(true);
  });

  it('parses cursors as strtoul and options as Redis', () => {
    const { cmd } = testEngine();
    cmd('SET', 'a', '1');
    expect(cmd('SCAN', '')).toEqual(['0', ['a']]);
    expect(cmd('SCAN', '+0')).toEqual(['0', ['a']]);
    expect(cmd('SCAN', '-1')).toEqual(['0', []]);
    for (const c of ['x', ' 0', '0 ', '-', '18446744073709551616', '1.5']) {
      expect(cmd('SCAN', c)).toEqual(error('ERR invalid cursor'));
    }
    expect(cmd('SCAN', 'x', 'FOO')).toEqual(error('ERR invalid cursor'));
    expect(cmd('SCAN', 0, 'COUNT', 0)).toEqual(error('ERR syntax error'));
    expect(cmd('SCAN', 0, 'COUNT', 'x')).toEqual(error('ERR value is not an integer or out of range'));
    expect(cmd('SCAN', 0, 'TYPE')).toEqual(error('ERR syntax error'));
    expect(cmd('SCAN', 0, 'FOO', 'bar')).toEqual(error('ERR syntax error'));
  });

  it('randomkey: null when empty, reclaims expired keys it picks', () => {
    const t = testEngine();
    expect(t.cmd('RANDOMKEY')).toBe(null);
    t.cmd('SET', 'a', '1', 'PX', 10);
    t.cmd('SET', 'b', '1');
    expect(['a', 'b']).toContain(t.cmd('RANDOMKEY'));
    t.clock.t += 10;
    for (let i = 0; i < 20; i++) expect(t.cmd('RANDOMKEY')).toBe('b');
    t.cmd('DEL', 'b');
    expect(t.cmd('RANDOMKEY')).toBe(null);
  });
});

describe('RENAME / RENAMENX / MOVE / COPY', () => {
  it('renames with the TTL and events', () => {
    const t = withEvents();
    t.cmd('SET', 'a', '1');
    t.cmd('PEXPIRE', 'a', 5000);
    t.cmd('SET', 'b', '2');
    t.events.length = 0;
    expect(t.cmd('RENAME', 'a', 'b')).toEqual(ok);
    expect(t.cmd('GET', 'b')).toBe('1');
    expect(t.cmd('PTTL', 'b')).toBe(5000);
    expect(t.cmd('EXISTS', 'a')).toBe(0);
    expect(keyevents(t.events)).toEqual([['rename_from', 'a'], ['rename_to', 'b']]);
    expect(t.cmd('RENAME', 'a', 'c')).toEqual(error('ERR no such key'));
    expect(t.cmd('RENAME', 'b', 'b')).toEqual(ok);
    expect(t.cmd('RENAMENX', 'b', 'b')).toBe(0);
    expect(t.cmd('RENAMENX', 'x', 'x')).toEqual(error('ERR no such key'));
  });

  it('rename drops the destination TTL; its write lookup touches the key', () => {
    const t = testEngine();
    t.cmd('SET', 'a', '1');
    t.cmd('SET', 'b', '2', 'EX', 100);
    t.clock.t += 5000;
    expect(t.cmd('RENAME', 'a', 'b')).toEqual(ok);
    expect(t.cmd('TTL', 'b')).toBe(-1);
    expect(t.cmd('OBJECT', 'IDLETIME', 'b')).toBe(0);
  });

  it('rename and move keep the LFU counter; copy starts a fresh one', () => {
    const t = testEngine();
    t.engine.config.set('maxmemory-policy', 'allkeys-lfu');
    t.cmd('SET', 'a', 'x');
    for (let i = 0; i < 300; i++) t.cmd('GET', 'a');
    const f = t.cmd('OBJECT', 'FREQ', 'a') as number;
    expect(f).toBeGreaterThan(6);
    t.cmd('COPY', 'a', 'c');
    expect(t.cmd('OBJECT', 'FREQ', 'c')).toBe(5);
    t.cmd('RENAME', 'a', 'b');
    // RENAME's own lookup may add one.
    expect(t.cmd('OBJECT', 'FREQ', 'b')).toBeGreaterThanOrEqual(f);
    t.cmd('MOVE', 'b', 1);
    t.cmd('SELECT', 1);
    expect(t.cmd('OBJECT', 'FREQ', 'b')).toBeGreaterThanOrEqual(f);
  });

  it('renamenx', () => {
    const { cmd } = testEngine();
    cmd('SET', 'a', '1');
    cmd('SET', 'b', '2');
    expect(cmd('RENAMENX', 'a', 'b')).toBe(0);
    expect(cmd('RENAMENX', 'a', 'c')).toBe(1);
    expect(cmd('GET', 'c')).toBe('1');
  });

  it('moves between dbs with TTL and events', () => {
    const t = withEvents();
    t.cmd('SET', 'a', '1', 'PX', 5000);
    t.events.length = 0;
    expect(t.cmd('MOVE', 'a', 2)).toBe(1);
    expect(keyevents(t.events)).toEqual([['move_from', 'a']]);
    expect(keyevents(t.events, 2)).toEqual([['move_to', 'a']]);
    expect(t.cmd('EXISTS', 'a')).toBe(0);
    t.cmd('SELECT', 2);
    expect(t.cmd('PTTL', 'a')).toBe(5000);
    expect(t.cmd('MOVE', 'a', 2)).toEqual(error('ERR source and destination objects are the same'));
    t.cmd('SELECT', 0);
    t.cmd('SET', 'a', 'other');
    expect(t.cmd('MOVE', 'a', 2)).toBe(0);
    expect(t.cmd('MOVE', 'nokey', 2)).toBe(0);
    expect(t.cmd('MOVE', 'a', 16)).toEqual(error('ERR DB index is out of range'));
    expect(t.cmd('MOVE', 'a', 'x')).toEqual(error('ERR value is not an integer or out of range'));
    expect(t.cmd('MOVE', 'a', '2147483648')).toEqual(
      error('ERR value is out of range, value must between -2147483648 and 2147483647'),
    );
  });

  it('copies deeply, with TTL, REPLACE and DB', () => {
    const t = withEvents();
    t.cmd('RPUSH', 'l', 'a', 'b');
    t.cmd('PEXPIRE', 'l', 5000);
    t.events.length = 0;
    expect(t.cmd('COPY', 'l', 'l2')).toBe(1);
    expect(keyevents(t.events)).toEqual([['copy_to', 'l2']]);
    t.cmd('RPUSH', 'l2', 'c');
    expect(t.cmd('LRANGE', 'l', 0, -1)).toEqual(['a', 'b']);
    expect(t.cmd('LRANGE', 'l2', 0, -1)).toEqual(['a', 'b', 'c']);
    expect(t.cmd('PTTL', 'l2')).toBe(5000);
    expect(t.cmd('COPY', 'l', 'l2')).toBe(0);
    expect(t.cmd('COPY', 'l', 'l2', 'REPLACE')).toBe(1);
    expect(t.cmd('LLEN', 'l2')).toBe(2);
    expect(t.cmd('COPY', 'l', 'l', 'DB', 1)).toBe(1);
    t.cmd('SELECT', 1);
    expect(t.cmd('LRANGE', 'l', 0, -1)).toEqual(['a', 'b']);
    t.cmd('SELECT', 0);
    expect(t.cmd('COPY', 'l', 'l')).toEqual(error('ERR source and destination objects are the same'));
    expect(t.cmd('COPY', 'nokey', 'x')).toBe(0);
    expect(t.cmd('COPY', 'l', 'x', 'DB', 16)).toEqual(error('ERR DB index is out of range'));
    expect(t.cmd('COPY', 'l', 'x', 'FOO', 'DB', 'x')).toEqual(error('ERR syntax error'));
    expect(t.cmd('COPY', 'l', 'x', 'DB', 'x', 'FOO')).toEqual(error('ERR value is not an integer or out of range'));
  });

  it('copy keeps a string encoding', () => {
    const { cmd } = testEngine();
    cmd('SET', 'r', 'a');
    cmd('APPEND', 'r', 'b');
    cmd('COPY', 'r', 'r2');
    expect(cmd('OBJECT', 'ENCODING', 'r2')).toBe('raw');
  });
});

describe('OBJECT', () => {
  it('encodings, refcounts, null for a missing key', () => {
    const { cmd } = testEngine();
    cmd('SET', 'i', '123');
    cmd('SET', 'e', 'abc');
    cmd('SET', 'big', '12345');
    cmd('RPUSH', 'l', 'x');
    expect(cmd('OBJECT', 'ENCODING', 'i')).toBe('int');
    expect(cmd('OBJECT', 'ENCODING', 'e')).toBe('embstr');
    expect(cmd('OBJECT', 'ENCODING', 'l')).toBe('quicklist'); // every list is a quicklist in 7.0
    expect(cmd('OBJECT', 'REFCOUNT', 'i')).toBe(2147483647);
    expect(cmd('OBJECT', 'REFCOUNT', 'big')).toBe(1);
    expect(cmd('OBJECT', 'REFCOUNT', 'e')).toBe(1);
    expect(cmd('OBJECT', 'REFCOUNT', 'l')).toBe(1);
    for (const sub of ['ENCODING', 'REFCOUNT', 'IDLETIME', 'FREQ']) expect(cmd('OBJECT', sub, 'nokey')).toBe(null);
  });

  it('no shared integers under an LRU/LFU policy with a memory limit', () => {
    const t = testEngine();
    t.engine.config.set('maxmemory', '1000000');
    t.engine.config.set('maxmemory-policy', 'allkeys-lru');
    t.cmd('SET', 'i', '5');
    expect(t.cmd('OBJECT', 'REFCOUNT', 'i')).toBe(1);
  });

  it('idletime follows reads and writes but not OBJECT, TYPE, EXISTS or TTL', () => {
    const t = testEngine();
    t.cmd('SET', 'a', '1');
    t.cmd('RPUSH', 'l', 'x');
    t.clock.t += 10_000;
    for (const c of ['TYPE', 'EXISTS', 'TTL', 'PTTL']) t.cmd(c, 'a');
    t.cmd('OBJECT', 'ENCODING', 'a');
    expect(t.cmd('OBJECT', 'IDLETIME', 'a')).toBe(10);
    t.cmd('GET', 'a');
    expect(t.cmd('OBJECT', 'IDLETIME', 'a')).toBe(0);
    expect(t.cmd('OBJECT', 'IDLETIME', 'l')).toBe(10);
    t.cmd('RPUSH', 'l', 'y');
    expect(t.cmd('OBJECT', 'IDLETIME', 'l')).toBe(0);
    t.clock.t += 3000;
    t.cmd('TOUCH', 'l');
    expect(t.cmd('OBJECT', 'IDLETIME', 'l')).toBe(0);
    expect(t.cmd('OBJECT', 'IDLETIME', 'a')).toBe(3);
  });

  it('freq needs an LFU policy, counts accesses logarithmically and decays', () => {
    const t = testEngine();
    t.cmd('SET', 'x', 'abc');
    expect(t.cmd('OBJECT', 'FREQ', 'x')).toEqual(
      error(
        'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
      ),
    );
    t.engine.config.set('maxmemory-policy', 'allkeys-lfu');
    expect(t.cmd('OBJECT', 'IDLETIME', 'x')).toEqual(
      error(
        'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
      ),
    );
    t.cmd('SET', 'y', 'abc');
    expect(t.cmd('OBJECT', 'FREQ', 'y')).toBe(5);
    t.cmd('GET', 'y'); // from 5 the first increment is certain
    expect(t.cmd('OBJECT', 'FREQ', 'y')).toBe(6);
    for (let i = 0; i < 1000; i++) t.cmd('GET', 'y');
    const f = t.cmd('OBJECT', 'FREQ', 'y') as number;
    expect(f).toBeGreaterThan(6);
    expect(f).toBeLessThan(40); // logarithmic: p = 1/((c-5)*10+1)
    t.clock.t += 3 * 60_000; // lfu-decay-time 1: one per minute
    expect(t.cmd('OBJECT', 'FREQ', 'y')).toBe(f - 3);
    t.clock.t += 1000 * 60_000;
    expect(t.cmd('OBJECT', 'FREQ', 'y')).toBe(0);
  });

  it('help and errors', () => {
    const { cmd } = testEngine();
    const help = cmd('OBJECT', 'HELP') as { k: string; s: string }[];
    expect(help[0]).toEqual({ k: 'simple', s: 'OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:' });
    expect(help.length).toBe(15);
    expect(cmd('OBJECT', 'FOO')).toEqual(error("ERR unknown subcommand 'FOO'. Try OBJECT HELP."));
    expect(cmd('OBJECT')).toEqual(error("ERR wrong number of arguments for 'object' command"));
    expect(cmd('OBJECT', 'ENCODING')).toEqual(error("ERR wrong number of arguments for 'object|encoding' command"));
    expect(cmd('OBJECT', 'HELP', 'x')).toEqual(error("ERR wrong number of arguments for 'object|help' command"));
  });

  it('does not fire keymiss, while TYPE and EXISTS do', () => {
    const t = withEvents('KEm');
    t.cmd('OBJECT', 'ENCODING', 'nokey');
    expect(t.events).toEqual([]);
    t.cmd('TYPE', 'nokey');
    t.cmd('EXISTS', 'nokey');
    expect(keyevents(t.events)).toEqual([['keymiss', 'nokey'], ['keymiss', 'nokey']]);
  });
});

describe('SELECT / SWAPDB / FLUSHDB / FLUSHALL / DBSIZE', () => {
  it('selects dbs, with Redis errors', () => {
    const { cmd } = testEngine();
    cmd('SET', 'a', 'db0');
    expect(cmd('SELECT', 15)).toEqual(ok);
    expect(cmd('GET', 'a')).toBe(null);
    expect(cmd('SELECT', 16)).toEqual(error('ERR DB index is out of range'));
    expect(cmd('SELECT', -1)).toEqual(error('ERR DB index is out of range'));
    expect(cmd('SELECT', 'x')).toEqual(error('ERR value is not an integer or out of range'));
    expect(cmd('SELECT', '4294967296')).toEqual(
      error('ERR value is out of range, value must between -2147483648 and 2147483647'),
    );
    cmd('SELECT', 0);
    expect(cmd('GET', 'a')).toBe('db0');
  });

  it('swaps dbs under every session, and signals both', () => {
    const t = testEngine();
    const other = t.engine.createSession();
    const flushed: (number | null)[] = [];
    t.engine.onDbFlushed((db) => flushed.push(db === null ? null : db.id));
    t.cmd('SET', 'a', 'db0', 'PX', 5000);
    t.on(other, 'SELECT', 1);
    t.on(other, 'SET', 'b', 'db1');
    expect(t.cmd('SWAPDB', 0, 1)).toEqual(ok);
    expect(t.cmd('GET', 'b')).toBe('db1');
    expect(t.on(other, 'GET', 'a')).toBe('db0');
    expect(t.on(other, 'PTTL', 'a')).toBe(5000);
    expect(flushed).toEqual([0, 1]);
    expect(t.cmd('SWAPDB', 1, 1)).toEqual(ok);
    expect(t.cmd('SWAPDB', 'x', 1)).toEqual(error('ERR invalid first DB index'));
    expect(t.cmd('SWAPDB', 1, 'x')).toEqual(error('ERR invalid second DB index'));
    expect(t.cmd('SWAPDB', 0, '4294967296')).toEqual(error('ERR invalid second DB index'));
    expect(t.cmd('SWAPDB', 0, 16)).toEqual(error('ERR DB index is out of range'));
  });

  it('SWAPDB and FLUSH* break a WATCH on a key that exists on either side', () => {
    const t = testEngine();
    const other = t.engine.createSession();
    const watchThen = (key: string, ...cmd: (string | number)[]) => {
      t.cmd('WATCH', key);
      t.on(other, ...cmd);
      t.cmd('MULTI');
      t.cmd('PING');
      return t.cmd('EXEC');
    };
    t.on(other, 'SELECT', 1);
    t.on(other, 'SET', 'k', 'in-db1');
    expect(watchThen('k', 'SWAPDB', 0, 1)).toEqual({ k: 'nullarr' });
    expect(watchThen('nothere', 'SWAPDB', 0, 1)).toEqual([{ k: 'simple', s: 'PONG' }]);
    t.cmd('SET', 'k', 'v');
    t.on(other, 'SELECT', 0);
    expect(watchThen('nothere', 'FLUSHDB')).toEqual([{ k: 'simple', s: 'PONG' }]);
    t.cmd('SET', 'k', 'v');
    expect(watchThen('k', 'FLUSHALL')).toEqual({ k: 'nullarr' });
    t.cmd('SET', 'k', 'v');
    expect(watchThen('k', 'RENAME', 'k', 'k2')).toEqual({ k: 'nullarr' });
    expect(watchThen('k2', 'MOVE', 'k2', 5)).toEqual({ k: 'nullarr' });
  });

  it('expired keys of a swapped db still expire', () => {
    const t = testEngine();
    t.cmd('SET', 'a', '1', 'PX', 100);
    t.cmd('SWAPDB', 0, 1);
    t.clock.t += 100;
    expect(t.engine.activeExpireCycle()).toBe(1);
    expect(t.engine.dbs[1].size).toBe(0);
  });

  it('flushes one db or all, with the mode keyword', () => {
    const t = testEngine();
    const flushed: (number | null)[] = [];
    t.engine.onDbFlushed((db) => flushed.push(db === null ? null : db.id));
    t.cmd('MSET', 'a', '1', 'b', '2');
    t.cmd('SELECT', 1);
    t.cmd('SET', 'c', '3', 'PX', 100);
    const dirty = t.engine.dirty;
    expect(t.cmd('FLUSHDB')).toEqual(ok);
    expect(t.engine.dirty - dirty).toBe(1);
    expect(t.cmd('DBSIZE')).toBe(0);
    expect(t.engine.dbs[1].expires.size).toBe(0);
    t.cmd('SELECT', 0);
    expect(t.cmd('DBSIZE')).toBe(2);
    expect(t.cmd('FLUSHDB', 'FOO')).toEqual(error('ERR syntax error'));
    expect(t.cmd('FLUSHDB', 'ASYNC', 'SYNC')).toEqual(error('ERR syntax error'));
    expect(t.cmd('FLUSHALL', 'async')).toEqual(ok);
    expect(t.cmd('DBSIZE')).toBe(0);
    expect(t.cmd('FLUSHALL', 'SYNC')).toEqual(ok);
    expect(flushed).toEqual([1, null, null]);
  });
});
