import { describe, expect, it } from 'vitest';
import { testEngine } from '../../test/helpers.js';
import { dictSlots, jemallocSize, listpackEntryBytes, sdsAlloc, STARTUP_BYTES } from './memory.js';

const range = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i + 1));
const pairs = (n: number, f: (i: number) => [string, string]) => Array.from({ length: n }, (_, i) => f(i + 1)).flat();

describe('building blocks', () => {
  it('jemalloc size classes', () => {
    const cases: [number, number][] = [
      [1, 8], [8, 8], [9, 16], [20, 32], [128, 128], [129, 160], [257, 320], [513, 640], [2880, 3072],
      [8192, 8192], [8193, 10240], [14337, 16384], [16385, 20480], [100010, 114688],
    ];
    for (const [n, c] of cases) expect([n, jemallocSize(n)]).toEqual([n, c]);
  });

  it('sds allocations by header type', () => {
    expect(sdsAlloc(3)).toBe(8); // sdshdr5: 1 + 3 + 1
    expect(sdsAlloc(0)).toBe(8); // an empty sds is sdshdr8
    expect(sdsAlloc(41)).toBe(48); // sdshdr8: 3 + 41 + 1
    expect(sdsAlloc(300)).toBe(320); // sdshdr16
  });

  it('listpack entries: integers by range, strings by length', () => {
    expect(listpackEntryBytes('7')).toBe(2);
    expect(listpackEntryBytes('1000')).toBe(3);
    expect(listpackEntryBytes('-1')).toBe(3);
    expect(listpackEntryBytes('100000')).toBe(5);
    expect(listpackEntryBytes('9223372036854775807')).toBe(10);
    expect(listpackEntryBytes('007')).toBe(5); // not canonical: a string
    expect(listpackEntryBytes('abc')).toBe(5);
    expect(listpackEntryBytes('x'.repeat(64))).toBe(67);
  });

  it('dict buckets', () => {
    expect([0, 1, 4, 5, 8, 9, 1000].map(dictSlots)).toEqual([0, 4, 4, 8, 8, 16, 1024]);
  });
});

/** MEMORY USAGE figures measured on redis-server 7.0.15 (jemalloc 5.3.0, 64-bit). */
describe('MEMORY USAGE matches Redis 7.0 byte for byte', () => {
  it('strings: int, embstr, raw, appended', () => {
    const { cmd } = testEngine();
    cmd('SET', 'foo', 'bar');
    expect(cmd('MEMORY', 'USAGE', 'foo')).toBe(64);
    cmd('SET', 'foo', '12345');
    expect(cmd('MEMORY', 'USAGE', 'foo')).toBe(48);
    cmd('SET', 'foo', 'x'.repeat(44));
    expect(cmd('MEMORY', 'USAGE', 'foo')).toBe(96);
    cmd('SET', 'foo', 'x'.repeat(45));
    expect(cmd('MEMORY', 'USAGE', 'foo')).toBe(112);
    cmd('SET', 'k', '');
    expect(cmd('MEMORY', 'USAGE', 'k')).toBe(64);
    cmd('SET', 'r', 'x'.repeat(45));
    cmd('APPEND', 'r', 'y');
    expect(cmd('MEMORY', 'USAGE', 'r')).toBe(144);
    cmd('SET', 'r2', 'abc');
    cmd('APPEND', 'r2', 'y');
    expect(cmd('MEMORY', 'USAGE', 'r2')).toBe(64);
    cmd('SET', 'ex', '1', 'EX', '100');
    expect(cmd('MEMORY', 'USAGE', 'ex')).toBe(48);
  });

  it('lists: one node and several', () => {
    const { cmd } = testEngine();
    cmd('RPUSH', 'l', 'a', 'b', 'c');
    expect(cmd('MEMORY', 'USAGE', 'l')).toBe(144);
    cmd('RPUSH', 'big', ...range(1000, String));
    expect(cmd('MEMORY', 'USAGE', 'big')).toBe(3200);
    cmd('RPUSH', 'bigs', ...range(1000, (i) => `element-number-${i}`));
    expect(cmd('MEMORY', 'USAGE', 'bigs')).toBe(20176);
    expect(cmd('MEMORY', 'USAGE', 'bigs', 'SAMPLES', '0')).toBe(20176);
  });

  it('hashes, sets, sorted sets in their compact encodings', () => {
    const { cmd } = testEngine();
    cmd('HSET', 'h', 'f', 'v', 'f2', 'v2');
    expect(cmd('MEMORY', 'USAGE', 'h')).toBe(80);
    cmd('SADD', 's', '1', '2', '3');
    expect(cmd('MEMORY', 'USAGE', 's')).toBe(64);
    cmd('ZADD', 'z', '1', 'a', '2.5', 'b');
    expect(cmd('MEMORY', 'USAGE', 'z')).toBe(80);
  });

  it('hashtables, all samples', () => {
    const { cmd } = testEngine();
    cmd('SADD', 's2', 'a', 'b', 'c');
    expect(cmd('MEMORY', 'USAGE', 's2')).toBe(232);
    cmd('SADD', 'bs', ...range(1000, (i) => `m${i}`));
    expect(cmd('MEMORY', 'USAGE', 'bs', 'SAMPLES', '0')).toBe(40296);
    cmd('HSET', 'bh', ...pairs(600, (i) => [`field${i}`, `value${i}`]));
    expect(cmd('OBJECT', 'ENCODING', 'bh')).toBe('hashtable');
    expect(cmd('MEMORY', 'USAGE', 'bh', 'SAMPLES', '0')).toBe(41752);
    cmd('CONFIG', 'SET', 'hash-max-listpack-entries', '0');
    cmd('HSET', 'h2', 'f', 'v', 'f2', 'v2', 'f3', 'v'.repeat(41));
    expect(cmd('MEMORY', 'USAGE', 'h2', 'SAMPLES', '0')).toBe(296);
  });

  it('skiplists: close to Redis (node levels are random)', () => {
    const { cmd } = testEngine();
    cmd('ZADD', 'bz', ...pairs(200, (i) => [`${i}.5`, `member${i}`]));
    expect(cmd('OBJECT', 'ENCODING', 'bz')).toBe('skiplist');
    const n = cmd('MEMORY', 'USAGE', 'bz', 'SAMPLES', '0') as number;
    expect(Math.abs(n - 21288) / 21288).toBeLessThan(0.05);
  });

  it('samples: a sampled estimate scales the first elements to the whole', () => {
    const { cmd } = testEngine();
    // Five short members first, then long ones: 5 samples see only short ones.
    cmd('SADD', 's', 'a', 'b', 'c', 'd', 'e', ...range(95, (i) => 'x'.repeat(100) + i));
    const sampled = cmd('MEMORY', 'USAGE', 's') as number;
    const all = cmd('MEMORY', 'USAGE', 's', 'SAMPLES', '0') as number;
    expect(sampled).toBeLessThan(all);
    expect(cmd('MEMORY', 'USAGE', 's', 'SAMPLES', '1000')).toBe(all);
  });
});

describe('used memory', () => {
  it('starts at the start-up figure and follows writes, deletes and flushes', () => {
    const { engine, cmd } = testEngine();
    const m = engine.memory;
    expect(m.usedMemory()).toBe(STARTUP_BYTES);
    cmd('SET', 'a', 'x'.repeat(100));
    const one = m.usedMemory();
    // key + value + the db's 4 buckets
    expect(one - STARTUP_BYTES).toBe((cmd('MEMORY', 'USAGE', 'a') as number) + 32);
    cmd('SET', 'a', 'x'.repeat(1000));
    expect(m.usedMemory()).toBeGreaterThan(one + 800);
    cmd('EXPIRE', 'a', '100');
    const withTtl = m.usedMemory();
    cmd('PERSIST', 'a');
    expect(withTtl - m.usedMemory()).toBe(24 + 32); // an expires entry and its buckets
    cmd('DEL', 'a');
    expect(m.usedMemory()).toBe(STARTUP_BYTES);
    for (let i = 0; i < 50; i++) cmd('SET', `k${i}`, 'v');
    expect(m.usedMemory()).toBeGreaterThan(STARTUP_BYTES);
    cmd('FLUSHALL');
    expect(m.usedMemory()).toBe(STARTUP_BYTES);
  });

  it('agrees with a full recount after many collection writes', () => {
    const { engine, cmd } = testEngine();
    engine.memory.usedMemory(); // start tracking
    for (let i = 0; i < 2000; i++) {
      cmd('RPUSH', 'l', `item-${i}`);
      cmd('HSET', 'h', `f${i % 700}`, 'v'.repeat(i % 50));
      cmd('SADD', 's', `m${i}`);
      if (i % 3 === 0) cmd('LPOP', 'l');
    }
    const tracked = engine.memory.usedMemory();
    // A fresh engine over the same data counts everything whole.
    let exact = STARTUP_BYTES + 8 * 4; // one db, 3 keys: 4 buckets
    for (const k of ['l', 'h', 's']) exact += cmd('MEMORY', 'USAGE', k, 'SAMPLES', '0') as number;
    expect(Math.abs(tracked - exact) / (exact - STARTUP_BYTES)).toBeLessThan(0.05);
  });

  it('follows SWAPDB and keys loaded without signals', () => {
    const { engine, cmd } = testEngine();
    cmd('SET', 'a', 'x'.repeat(200));
    const before = engine.memory.usedMemory();
    cmd('SWAPDB', '0', '1');
    expect(engine.memory.usedMemory()).toBe(before);
    expect(engine.memory.keyBytes(engine.dbs[1], 'a')).toBeGreaterThan(200);
    engine.dbs[2].add('loaded', 0, 'y'.repeat(300), 0);
    expect(engine.memory.usedMemory()).toBeGreaterThan(before + 300);
  });
});

describe('MEMORY subcommands', () => {
  it('USAGE: options, errors, missing keys', () => {
    const { cmd } = testEngine();
    cmd('SET', 'k', 'v');
    const err = (msg: string) => ({ k: 'err', msg });
    expect(cmd('MEMORY', 'USAGE', 'nokey')).toBe(null);
    expect(cmd('MEMORY', 'USAGE', 'k', 'SAMPLES', '-1')).toEqual(err('ERR syntax error'));
    expect(cmd('MEMORY', 'USAGE', 'nokey', 'SAMPLES', 'x')).toEqual(err('ERR value is not an integer or out of range'));
    expect(cmd('MEMORY', 'USAGE', 'k', 'SAMPLES')).toEqual(err('ERR syntax error'));
    expect(cmd('MEMORY', 'USAGE', 'k', 'bar')).toEqual(err('ERR syntax error'));
    expect(cmd('MEMORY', 'USAGE', 'k', 'samples', '0', 'SAMPLES', '3')).toBe(64);
    expect(cmd('MEMORY', 'USAGE')).toEqual(err("ERR wrong number of arguments for 'memory|usage' command"));
    expect(cmd('MEMORY')).toEqual(err("ERR wrong number of arguments for 'memory' command"));
    expect(cmd('MEMORY', 'foo')).toEqual(err("ERR unknown subcommand 'foo'. Try MEMORY HELP."));
    expect(cmd('MEMORY', 'DOCTOR', 'x')).toEqual(err("ERR wrong number of arguments for 'memory|doctor' command"));
  });

  it('USAGE reports a logically expired key still in the dict, as Redis does', () => {
    const { cmd, clock } = testEngine();
    cmd('SET', 'k', 'v', 'PX', '10');
    clock.t += 100;
    expect(cmd('MEMORY', 'USAGE', 'k')).toBe(64);
  });

  it('STATS: Redis fields and per-db overheads', () => {
    const { cmd } = testEngine();
    cmd('SET', 'foo', 'bar');
    cmd('SET', 'k', '');
    cmd('SET', 'a', '1', 'EX', '100');
    cmd('SELECT', '3');
    cmd('SET', 'b', '2');
    const r = cmd('MEMORY', 'STATS') as { k: 'map'; v: unknown[] };
    expect(r.k).toBe('map');
    const m = new Map<unknown, unknown>();
    for (let i = 0; i < r.v.length; i += 2) m.set(r.v[i], r.v[i + 1]);
    expect(m.size).toBe(27 + 2);
    expect(m.get('db.0')).toEqual({
      k: 'map', v: ['overhead.hashtable.main', 152, 'overhead.hashtable.expires', 56, 'overhead.hashtable.slot-to-keys', 0],
    });
    expect(m.get('db.3')).toEqual({
      k: 'map', v: ['overhead.hashtable.main', 72, 'overhead.hashtable.expires', 0, 'overhead.hashtable.slot-to-keys', 0],
    });
    expect(m.get('keys.count')).toBe(4);
    expect(m.get('startup.allocated')).toBe(STARTUP_BYTES);
    expect(m.get('overhead.total')).toBe(STARTUP_BYTES + 152 + 56 + 72);
    expect((m.get('total.allocated') as number) - (m.get('overhead.total') as number)).toBe(m.get('dataset.bytes'));
    expect([...m.keys()].slice(0, 10)).toEqual([
      'peak.allocated', 'total.allocated', 'startup.allocated', 'replication.backlog', 'clients.slaves',
      'clients.normal', 'cluster.links', 'aof.buffer', 'lua.caches', 'functions.caches',
    ]);
    expect([...m.keys()].at(-1)).toBe('fragmentation.bytes');
  });

  it('DOCTOR, MALLOC-STATS, PURGE, HELP', () => {
    const { cmd } = testEngine();
    expect(cmd('MEMORY', 'DOCTOR')).toEqual({
      k: 'verbatim', fmt: 'txt', s: expect.stringContaining('this instance is empty') as unknown,
    });
    const fill = (n: number) => {
      for (let i = 0; i < n; i += 10000) cmd('RPUSH', 'l', ...range(10000, (j) => `some element ${i + j}`));
    };
    fill(500000);
    expect((cmd('MEMORY', 'DOCTOR') as { s: string }).s).toBe(
      "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n",
    );
    cmd('DEL', 'l');
    fill(230000);
    expect((cmd('MEMORY', 'DOCTOR') as { s: string }).s).toMatch(/^Sam, I detected a few issues[^]* \* Peak memory:/);
    expect(cmd('MEMORY', 'MALLOC-STATS')).toBe('Stats not supported for the current allocator');
    expect(cmd('MEMORY', 'PURGE')).toEqual({ k: 'simple', s: 'OK' });
    const help = cmd('MEMORY', 'HELP') as { s: string }[];
    expect(help[0].s).toBe('MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
    expect(help.length).toBe(14);
  });
});
