import { describe, expect, it } from 'vitest';
import { testEngine, seeded } from '../../test/helpers.js';
import {
  f64, intset, len, listpack, payload, str, textDouble, ziplist, zipmap,
} from '../../test/compat/cases/dump.js';
import { fromBytes, toBytes } from './bytes.js';
import { Crc64, crc64 } from './crc64.js';
import { ObjType, type CollectionValue, type Entry } from './keyspace.js';
import { lzfCompress, lzfDecompress } from './lzf.js';
import {
  ByteWriter, createDumpPayload, exportRdb, importRdb, loadDumpPayload, lruIdleSeconds, RdbError, rdbSettings,
  verifyDumpPayload,
} from './rdb.js';

const bytes = (s: string) => toBytes(s);
const ascii = (s: string) => new TextEncoder().encode(s);

function randomBytes(n: number, seed: number): Uint8Array {
  const rnd = seeded(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(rnd() * 256);
  return out;
}

describe('CRC-64 (Jones, reflected, as Redis)', () => {
  it("gives Redis's check value", () => {
    expect(crc64(ascii('123456789'))).toBe(0xe9c6d914c4b8d9can);
    expect(crc64(new Uint8Array(0))).toBe(0n);
  });

  it('computes in pieces what it computes at once, and writes it little-endian', () => {
    const data = randomBytes(10_000, 3);
    const c = new Crc64();
    c.update(data, 0, 1234).update(data, 1234, 5000).update(data, 5000);
    expect(c.value).toBe(crc64(data));
    const le = new Crc64().update(ascii('123456789')).bytesLE();
    expect(Array.from(le)).toEqual([0xca, 0xd9, 0xb8, 0xc4, 0x14, 0xd9, 0xc6, 0xe9]);
  });
});

describe('LZF', () => {
  it("compresses as liblzf does (Redis's DUMP of 100 × 'a')", () => {
    const c = lzfCompress(ascii('a'.repeat(100)), 96)!;
    expect(Array.from(c)).toEqual([0x01, 0x61, 0x61, 0xe0, 0x57, 0x00, 0x01, 0x61, 0x61]);
  });

  it('round-trips text, runs, random data and every small length', () => {
    const inputs: Uint8Array[] = [
      ascii('abcdefghij'.repeat(5000)),
      ascii(Array.from({ length: 500 }, (_, i) => `line ${i} of the text ${i % 7}\n`).join('')),
      new Uint8Array(70_000),
      randomBytes(5000, 1),
    ];
    for (let n = 1; n < 300; n++) inputs.push(ascii('xyz'.repeat(n).slice(0, n)), randomBytes(n, n));
    for (const input of inputs) {
      // Incompressible data grows by one byte per 32 (the literal-run headers).
      const c = lzfCompress(input, input.length + (input.length >> 5) + 64);
      if (c === null) {
        expect(input.length).toBeLessThan(4);
        continue;
      }
      expect(Array.from(lzfDecompress(c, input.length)!)).toEqual(Array.from(input));
    }
  });

  it('says null when the output does not fit, as lzf_compress returns 0', () => {
    expect(lzfCompress(randomBytes(1000, 9), 996)).toBe(null);
    expect(lzfCompress(new Uint8Array(0), 10)).toBe(null);
    expect(lzfCompress(ascii('a'.repeat(100)), 8)).toBe(null);
  });

  it('refuses corrupt input and a wrong announced length', () => {
    const c = lzfCompress(ascii('hello hello hello hello hello'), 100)!;
    expect(lzfDecompress(c, 28)).toBe(null); // shorter than announced output
    expect(lzfDecompress(c, 30)).toBe(null); // longer
    expect(lzfDecompress(Uint8Array.from([0x05, 0x61]), 6)).toBe(null); // literal run past the end
    expect(lzfDecompress(Uint8Array.from([0x00, 0x61, 0x20, 0x05]), 5)).toBe(null); // reference before the start
    expect(lzfDecompress(Uint8Array.from([0x00, 0x61, 0xe0]), 12)).toBe(null); // truncated reference
  });
});

/** DUMP → payload → value, through the engine's own settings. */
function roundTrip(t: ReturnType<typeof testEngine>, key: string): { type: ObjType; value: unknown } {
  const e = t.engine.dbs[0].dict.get(key)!;
  const s = rdbSettings(t.engine);
  const p = createDumpPayload(e, s);
  expect(verifyDumpPayload(p)).toBe(true);
  return loadDumpPayload(p, s);
}

function expectSame(t: ReturnType<typeof testEngine>, key: string): void {
  const e = t.engine.dbs[0].dict.get(key) as Entry;
  const back = roundTrip(t, key);
  expect(back.type).toBe(e.type);
  if (e.type === ObjType.String) {
    expect(back.value).toBe(e.value);
    return;
  }
  const a = e.value as CollectionValue;
  const b = back.value as CollectionValue;
  expect(b.encoding, key).toBe(a.encoding);
  expect(b.serialize(), key).toEqual(a.serialize());
}

describe('DUMP payloads: every type and encoding round-trips with its encoding', () => {
  it('strings: integers of every width, text, binary, long and compressible', () => {
    const t = testEngine();
    const values = [
      '', 'a', '0', '-1', '127', '128', '-128', '-129', '32767', '32768', '-32768', '2147483647', '2147483648',
      '-2147483648', '-2147483649', '9223372036854775807', '-9223372036854775808', '007', '-0', '+1', '1e3',
      '\x00\xff', 'x'.repeat(20), 'x'.repeat(21), 'x'.repeat(100_000), fromBytes(randomBytes(3000, 5)),
    ];
    values.forEach((v, i) => t.cmd('SET', `k${i}`, ''));
    values.forEach((v, i) => (t.engine.dbs[0].dict.get(`k${i}`)!.value = v));
    values.forEach((_, i) => expectSame(t, `k${i}`));
  });

  it('lists: small, one node per 8 KiB, integer widths, entries needing long back-lengths', () => {
    const t = testEngine();
    t.cmd('RPUSH', 'small', 'a', '1', '-300', '70000', '-8388608', '2147483648', '9223372036854775807');
    for (let i = 0; i < 20; i++) t.cmd('RPUSH', 'big', ...Array.from({ length: 500 }, (_, j) => `e${i * 500 + j}`));
    t.cmd('RPUSH', 'wide', 'x'.repeat(63), 'x'.repeat(64), 'x'.repeat(4095), 'x'.repeat(4096), 'y'.repeat(20_000),
      'z'.repeat(3_000_000));
    for (const k of ['small', 'big', 'wide']) expectSame(t, k);
  });

  it('lists under list-compress-depth and a count fill', () => {
    const t = testEngine();
    t.cmd('CONFIG', 'SET', 'list-compress-depth', '2');
    t.cmd('CONFIG', 'SET', 'list-max-listpack-size', '7');
    t.cmd('RPUSH', 'l', ...Array.from({ length: 500 }, (_, i) => `element ${i} ${'pad'.repeat(i % 9)}`));
    expectSame(t, 'l');
  });

  it('hashes: listpack and hashtable', () => {
    const t = testEngine();
    t.cmd('HSET', 'lp', 'f', 'v', '1', '2', '__proto__', '-5');
    t.cmd('HSET', 'ht', 'f', 'v'.repeat(100), 'g', 'w');
    expectSame(t, 'lp');
    // A hashtable with short values comes back a listpack, as in Redis's loader.
    expect((roundTrip(t, 'ht').value as CollectionValue).encoding).toBe('hashtable');
    t.cmd('HSET', 'ht2', 'f', 'v'.repeat(100));
    t.cmd('HSET', 'ht2', 'f', 'short');
    expect((roundTrip(t, 'ht2').value as CollectionValue).encoding).toBe('listpack');
    for (let i = 0; i < 600; i++) t.cmd('HSET', 'many', `f${i}`, String(i));
    expectSame(t, 'many');
  });

  it('sets: intsets of each width, hashtables', () => {
    const t = testEngine();
    t.cmd('SADD', 'i16', '1', '-32768', '32767');
    t.cmd('SADD', 'i32', '1', '40000');
    t.cmd('SADD', 'i64', '-9223372036854775808', '9223372036854775807', '0');
    t.cmd('SADD', 'ht', 'a', '1', 'b');
    for (const k of ['i16', 'i32', 'i64', 'ht']) expectSame(t, k);
  });

  it('sorted sets: listpack (integer and text scores) and skiplist (binary doubles, -0 kept)', () => {
    const t = testEngine();
    t.cmd('ZADD', 'lp', '1', 'a', '1.5', 'b', 'inf', 'c', '-inf', 'd', '4611686018427387904', 'e', '1e300', 'f');
    t.cmd('ZADD', 'sk', '1', 'x'.repeat(100), '0.1', 'tenth', '-inf', 'low');
    expectSame(t, 'lp');
    expectSame(t, 'sk');
    // Only a payload can hold -0 (ZADD stores 0): a skiplist keeps it, through DUMP and back.
    // (engine.execute: the payload is a binary string, which cmd() would UTF-8 encode.)
    const p = payload('\x05' + len(2) + str('x'.repeat(100)) + f64(1) + str('n') + f64(-0));
    expect(t.engine.execute(t.session, ['RESTORE', 'neg', '0', p])).toEqual({ k: 'simple', s: 'OK' });
    expect(t.cmd('ZSCORE', 'neg', 'n')).toEqual({ k: 'double', v: -0 });
    const z = roundTrip(t, 'neg').value as CollectionValue;
    expect((z.serialize() as unknown[])[2]).toBe(-0);
  });
});

describe('DUMP payloads: checks and refusals', () => {
  const s = rdbSettings(testEngine().engine);
  const load = (p: string) => loadDumpPayload(bytes(p), s);

  it('verifies length, version and checksum', () => {
    const ok = payload('\x00' + str('hello'));
    expect(verifyDumpPayload(bytes(ok))).toBe(true);
    expect(verifyDumpPayload(bytes(ok.slice(0, 9)))).toBe(false);
    expect(verifyDumpPayload(bytes(ok.slice(0, -1) + '\x00'))).toBe(false);
    expect(verifyDumpPayload(bytes(payload('\x00' + str('hello'), 11)))).toBe(false);
    expect(verifyDumpPayload(bytes(payload('\x00' + str('hello'), 1)))).toBe(true);
  });

  it('reads the older encodings into the encodings Redis 7.0 gives them', () => {
    const enc = (p: string) => (load(payload(p)).value as CollectionValue).encoding;
    const items = (p: string) => (load(payload(p)).value as CollectionValue).serialize();
    expect(items('\x0a' + str(ziplist(['a', 1, -300, 9007199254740993n, 'x'.repeat(70)])))).toEqual(
      ['a', '1', '-300', '9007199254740993', 'x'.repeat(70)],
    );
    expect(enc('\x0a' + str(ziplist(['a'])))).toBe('quicklist');
    expect(items('\x0d' + str(ziplist(['f', 'v', 'n', 5])))).toEqual([0, 'f', 'v', 'n', '5']);
    expect(items('\x09' + str(zipmap(['f', 'v', 'g', 'w'])))).toEqual([0, 'f', 'v', 'g', 'w']);
    expect(enc('\x09' + str(zipmap(['f', 'v'.repeat(65)])))).toBe('hashtable');
    expect(items('\x0c' + str(ziplist(['a', 1, 'b', '2.5'])))).toEqual([0, 'a', 1, 'b', 2.5]);
    expect(items('\x03' + len(2) + str('a') + textDouble('inf') + str('b') + textDouble('0.5'))).toEqual(
      [0, 'b', 0.5, 'a', Infinity],
    );
    expect(items('\x0b' + str(intset(8, [-5n, 9223372036854775807n])))).toEqual([0, '-5', '9223372036854775807']);
    expect(items('\x0e' + len(2) + str(ziplist(['a'])) + str(ziplist([2])))).toEqual(['a', '2']);
    expect(items('\x12' + len(2) + len(1) + str('plain') + len(2) + str(listpack(['p'])))).toEqual(['plain', 'p']);
    expect(enc('\x02' + len(2) + str('1') + str('2'))).toBe('intset');
    expect(enc('\x02' + len(2) + str('1') + str('x'))).toBe('hashtable');
  });

  it('refuses what is malformed, empty or unsupported with an RdbError', () => {
    const bad = [
      '\x08' + str('x'), // type 8 does not exist
      '\x00\x7f\xff', // string longer than the payload
      '\x00\xc4', // unknown string encoding
      '\x00\xc3' + len(3) + len(10) + 'abc', // LZF that does not decompress to the announced length
      '\x01\x00', '\x02\x00', '\x04\x00', '\x05\x00', '\x12\x00', // empty collections
      '\x02' + len(2) + str('a') + str('a'), // duplicate members
      '\x04' + len(2) + str('f') + str('v') + str('f') + str('w'), // duplicate fields (refused, unlike Redis)
      '\x05' + len(1) + str('a') + f64(NaN), // NaN score
      '\x05' + len(2) + str('a') + f64(1) + str('a') + f64(1), // duplicate members
      '\x0b' + str(intset(2, [])), // empty intset
      '\x0b' + str(intset(2, [2, 1])), // out of order
      '\x0b' + str(intset(4, [1, 2]).slice(0, -1)), // size does not match
      '\x10' + str(listpack(['f', 'v', 'g'])), // odd number of entries
      '\x10' + str(listpack(['f']).slice(0, -2) + '\x02\xff'), // wrong back-length
      '\x10' + str('\x00' + listpack(['f', 'v']).slice(1)), // wrong total bytes
      '\x10' + str(listpack(['f', 'v']).slice(0, 4) + '\x05\x00' + listpack(['f', 'v']).slice(6)), // wrong count
      '\x0a' + str(ziplist(['a', 'b']).slice(0, 13) + '\x05' + ziplist(['a', 'b']).slice(14)), // bad prevlen
      '\x12' + len(1) + len(3) + str(listpack(['a'])), // bad container
      '\x12' + len(1) + len(2) + str(listpack([])), // only empty nodes
      '\x0f' + len(0), // a stream
      '\x07' + len(1), // a module value
    ];
    for (const p of bad) expect(() => load(payload(p)), JSON.stringify(p)).toThrow(RdbError);
  });
});

describe('RDB files', () => {
  function populated() {
    const t = testEngine();
    t.cmd('SET', 's', 'hello');
    t.cmd('SET', '123', 'int key');
    t.cmd('RPUSH', 'l', 'a', 'b', '3');
    t.cmd('HSET', 'h', 'f', 'v');
    t.cmd('SADD', 'st', '1', '2');
    t.cmd('SADD', 'sh', 'x', 'y');
    t.cmd('ZADD', 'z', '1', 'a', '-inf', 'b');
    t.cmd('SET', 'ttl', 'v', 'PX', '5000');
    t.cmd('SELECT', '3');
    t.cmd('SET', 'three', '3');
    t.cmd('SELECT', '15');
    t.cmd('HSET', 'h15', 'f', 'v'.repeat(100));
    t.cmd('SELECT', '0');
    return t;
  }

  function dataset(t: ReturnType<typeof testEngine>): unknown[] {
    return t.engine.dbs.flatMap((db) =>
      [...db.dict.values()].map((e) => [
        db.id, e.key, e.type, e.expireAt,
        e.type === ObjType.String ? e.value : (e.value as CollectionValue).serialize(),
        e.type === ObjType.String ? 'string' : (e.value as CollectionValue).encoding,
      ]).sort((a, b) => (String(a[1]) < String(b[1]) ? -1 : 1)),
    );
  }

  it('export then import gives back every db, key, value, encoding and TTL', () => {
    const a = populated();
    const file = exportRdb(a.engine);
    expect(fromBytes(file.slice(0, 9))).toBe('REDIS0010');
    const b = testEngine();
    b.cmd('SET', 'gone', 'replaced by the import');
    const res = importRdb(b.engine, file);
    expect(res).toMatchObject({ version: 10, loaded: 10, expired: 0, emptySkipped: 0, warnings: [] });
    expect(res.aux.get('redis-ver')).toBe('7.0.15');
    expect(res.aux.get('redis-bits')).toBe('64');
    expect(res.aux.get('ctime')).toBe(String(Math.floor(a.clock.t / 1000)));
    expect(dataset(b)).toEqual(dataset(a));
    expect(b.cmd('EXISTS', 'gone')).toBe(0);
    // Loading fires no "new" events and leaves every db to be rewritten by the persistence layer.
    expect(b.engine.dbs[0].rewrite).toBe(true);
  });

  it('leaves out keys already expired, on export and on import', () => {
    const a = populated();
    a.clock.t += 10_000;
    const b = testEngine(a.clock.t);
    expect(importRdb(b.engine, exportRdb(a.engine)).loaded).toBe(9);
    const c = populated();
    const file = exportRdb(c.engine);
    const d = testEngine(c.clock.t + 6000);
    const res = importRdb(d.engine, file);
    expect(res.expired).toBe(1);
    expect(res.loaded).toBe(9);
  });

  it('writes and reads LRU idle times and LFU counters under those policies', () => {
    const a = testEngine();
    a.cmd('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
    a.cmd('SET', 'k', 'v');
    a.clock.t += 42_000;
    const b = testEngine(a.clock.t);
    importRdb(b.engine, exportRdb(a.engine));
    expect(b.cmd('OBJECT', 'IDLETIME', 'k')).toBe(42);
    const c = testEngine();
    c.cmd('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu');
    c.cmd('SET', 'k', 'v');
    c.engine.dbs[0].dict.get('k')!.freq = 200;
    const d = testEngine(c.clock.t);
    d.cmd('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu');
    importRdb(d.engine, exportRdb(c.engine));
    expect(d.cmd('OBJECT', 'FREQ', 'k')).toBe(200);
  });

  /** A hand-made file: header, the given body, EOF and CRC-64. */
  function file(body: string, version = '0010', crc = true): Uint8Array {
    const head = `REDIS${version}` + body + '\xff';
    const w = new ByteWriter();
    w.binary(head);
    w.bytes(crc ? new Crc64().update(toBytes(head)).bytesLE() : new Uint8Array(8));
    return w.result();
  }

  it('reads what older Redis versions and other writers put in files', () => {
    const t = testEngine(1_700_000_000_000);
    const later = String.fromCharCode(...new Uint8Array(new Int32Array([1_800_000_000]).buffer));
    const res = importRdb(t.engine, file(
      '\xfa' + str('%custom') + str('info') // an info AUX field
      + '\xfe' + len(2) + '\xfb' + len(1) + len(1) // SELECTDB 2, RESIZEDB
      + '\xfd' + later + '\x00' + str('secs') + str('v') // EXPIRETIME in seconds
      + '\xf5' + str('#!lua name=lib\nredis.register_function("f", function() return 1 end)') // FUNCTION2
      + '\xf7' + len(12345) + len(2) + len(1) + len(2) + len(77) + len(5) + str('blob') + len(0) // module AUX
      + '\x02' + str('empty') + len(0) + '\x00' + str('plain') + str('value'), // an empty set (skipped), a key
    ));
    expect(res.loaded).toBe(2);
    expect(res.emptySkipped).toBe(1);
    expect(res.aux.get('%custom')).toBe('info');
    expect(res.warnings).toHaveLength(2);
    t.cmd('SELECT', '2');
    expect(t.cmd('GET', 'plain')).toBe('value');
    expect(t.cmd('PEXPIRETIME', 'secs')).toBe(1_800_000_000_000);
    // No checksum (0) is accepted; files before version 5 have none at all.
    expect(importRdb(t.engine, file('\x00' + str('a') + str('b'), '0010', false)).loaded).toBe(1);
    const v4 = toBytes('REDIS0004\x00' + str('a') + str('b') + '\xff');
    expect(importRdb(t.engine, v4).loaded).toBe(1);
  });

  it('refuses bad files whole, leaving the dataset as it was', () => {
    const t = testEngine();
    t.cmd('SET', 'keep', 'me');
    const good = file('\x00' + str('a') + str('b'));
    const corrupt = good.slice();
    corrupt[13] ^= 1; // the value's byte
    const cases: [Uint8Array, RegExp][] = [
      [corrupt, /checksum/],
      [toBytes('RADIS0010\xff'), /signature/],
      [file('', '0011'), /version 0011/],
      [file('\xfe' + len(16)), /more than 16 databases/],
      [file('\x00' + str('a') + str('b') + '\x00' + str('a') + str('c')), /duplicated key "a" in DB 0/],
      [file('\xf0'), /opcode or type 240/],
      [file('\x0f' + str('s') + len(0)), /stream values are not supported/],
      [good.slice(0, good.length - 3), /Unexpected EOF/],
      [toBytes('REDIS0010\x00' + str('a')), /Unexpected EOF/],
    ];
    for (const [f, msg] of cases) {
      expect(() => importRdb(t.engine, f)).toThrow(msg);
      expect(t.cmd('GET', 'keep')).toBe('me');
    }
  });
});

describe("Redis's LRU clock arithmetic", () => {
  it('gives back small idle times and wraps huge ones as Redis does', () => {
    const now = 1_700_000_000_000;
    expect(lruIdleSeconds(now, 0)).toBe(0);
    expect(lruIdleSeconds(now, 1000)).toBe(1000);
    expect(lruIdleSeconds(now, 16777214)).toBe(16777214);
    expect(lruIdleSeconds(now, 16777215)).toBe(0);
    expect(lruIdleSeconds(now, 9223372036854775807n)).toBeGreaterThanOrEqual(0);
  });
});
