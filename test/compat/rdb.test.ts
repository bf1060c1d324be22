/**
 * Data that moves between tabhive and redis-server 7.0 (src/engine/rdb.ts, commands/dump.ts), checked against
 * the real thing:
 * - DUMP payloads: for every type and encoding (small and large, integer and binary strings), tabhive's DUMP
 *   is byte for byte Redis's wherever Redis's bytes depend only on the contents (everything but hashtable sets
 *   and hashes, whose order follows Redis's hash function); each side's DUMP restores on the other with the
 *   same type, encoding and contents;
 * - RDB files: an exported file loads into a redis-server started on it with the same keys, types, encodings,
 *   values and TTLs in every database, and a file redis-server SAVEd imports into tabhive identically — for the
 *   engine, for `tabhive serve`, and for the page's `exportRdb()` / `importRdb()` through the worker host
 *   (whose files redis-check-rdb must also pass).
 * Contents are compared with commands (TYPE, OBJECT ENCODING, GET/LRANGE/HGETALL/SMEMBERS/ZRANGE, PTTL).
 */
import 'fake-indexeddb/auto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromUtf8 } from '../../src/engine/bytes.js';
import { exportRdb, importRdb } from '../../src/engine/rdb.js';
import { engineWithRdb } from '../../src/server/cli.js';
import { serve } from '../../src/server/serve.js';
import { createClient, ReplyError, type RedisReply, type TabhiveClient } from '../../src/client/index.js';
import { serve as serveWorker, type Endpoint } from '../../src/worker/host.js';
import { checkRdb, RespClient, show, startRedis, startServers, type RVal, type Servers } from './harness.js';

/** Deterministic pseudo-random bytes (xorshift), as a binary string. */
function noise(n: number, seed: number): string {
  let x = seed >>> 0 || 1;
  let out = '';
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out += String.fromCharCode((x >>> 0) & 0xff);
  }
  return out;
}

const range = (n: number, f: (i: number) => string): string[] => Array.from({ length: n }, (_, i) => f(i));

/** Commands in chunks so no single one is huge. */
function chunked(cmd: string[], items: string[], per = 500): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < items.length; i += per) out.push([...cmd, ...items.slice(i, i + per)]);
  return out;
}

interface Scenario {
  /** Key → whether DUMP bytes must equal Redis's (false where Redis's order follows its hash function). */
  keys: Record<string, boolean>;
  setup: string[][];
}

/** One scenario per type, covering each encoding Redis 7.0 writes and the edges between them. */
const SCENARIOS: Record<string, Scenario> = {
  strings: {
    keys: Object.fromEntries(
      ['s:empty', 's:short', 's:i0', 's:i-1', 's:i127', 's:i128', 's:i-129', 's:i32767', 's:i32768', 's:i2^31-1',
        's:i2^31', 's:i-2^31', 's:i-2^31-1', 's:imax', 's:imin', 's:007', 's:-0', 's:+1', 's:1.5', 's:bin',
        's:utf8', 's:21a', 's:20a', 's:44', 's:45', 's:long', 's:noise', 's:noise-big', 's:text', 's:12digits',
        's:incr', 's:append', 's:float']
        .map((k) => [k, true]),
    ),
    setup: [
      ['SET', 's:empty', ''],
      ['SET', 's:short', 'hello'],
      ['SET', 's:i0', '0'],
      ['SET', 's:i-1', '-1'],
      ['SET', 's:i127', '127'],
      ['SET', 's:i128', '128'],
      ['SET', 's:i-129', '-129'],
      ['SET', 's:i32767', '32767'],
      ['SET', 's:i32768', '32768'],
      ['SET', 's:i2^31-1', '2147483647'],
      ['SET', 's:i2^31', '2147483648'],
      ['SET', 's:i-2^31', '-2147483648'],
      ['SET', 's:i-2^31-1', '-2147483649'],
      ['SET', 's:imax', '9223372036854775807'],
      ['SET', 's:imin', '-9223372036854775808'],
      ['SET', 's:007', '007'],
      ['SET', 's:-0', '-0'],
      ['SET', 's:+1', '+1'],
      ['SET', 's:1.5', '1.5'],
      ['SET', 's:bin', '\x00\xff\xfe\r\n\x80'],
      ['SET', 's:utf8', fromUtf8('héllo wörld ✓')],
      ['SET', 's:21a', 'a'.repeat(21)],
      ['SET', 's:20a', 'a'.repeat(20)],
      ['SET', 's:44', 'x'.repeat(44)],
      ['SET', 's:45', 'x'.repeat(45)],
      ['SET', 's:long', 'abcdefghij'.repeat(5000)],
      ['SET', 's:noise', noise(300, 7)],
      ['SET', 's:noise-big', noise(100_000, 11)],
      ['SET', 's:text', range(400, (i) => `line ${i}: the quick brown fox ${i * 7}\n`).join('')],
      ['SET', 's:12digits', '123456789012'],
      ['SET', 's:incr', '10'],
      ['INCRBY', 's:incr', '5000000000'],
      ['SET', 's:append', 'ab'],
      ['APPEND', 's:append', 'cd'],
      ['SET', 's:float', '1'],
      ['INCRBYFLOAT', 's:float', '0.5'],
    ],
  },
  lists: {
    keys: { 'l:small': true, 'l:ints': true, 'l:big': true, 'l:wide': true, 'l:bin': true, 'l:mixed': true },
    setup: [
      ['RPUSH', 'l:small', 'a', 'b', 'c'],
      ['RPUSH', 'l:ints', '0', '1', '-1', '127', '128', '4095', '4096', '-4096', '-4097', '32767', '32768', '8388607',
        '8388608', '-8388609', '2147483647', '2147483648', '9223372036854775807', '-9223372036854775808', '007'],
      ...chunked(['RPUSH', 'l:big'], range(20_000, (i) => (i % 3 === 0 ? String(i) : `item-${i}`))),
      ...chunked(['RPUSH', 'l:wide'], range(40, (i) => String.fromCharCode(97 + (i % 26)).repeat(300 + i * 97))),
      ['RPUSH', 'l:bin', '\x00', '\xff', '', noise(70, 3), noise(5000, 4)],
      ['RPUSH', 'l:mixed', 'x'.repeat(64), 'y'.repeat(4096), 'z'.repeat(4095), 'w'.repeat(63)],
    ],
  },
  hashes: {
    keys: { 'h:lp': true, 'h:lp-ints': true, 'h:lp-64': true, 'h:ht-long': false, 'h:ht-many': false, 'h:bin': true },
    setup: [
      ['HSET', 'h:lp', 'f1', 'v1', 'f2', 'v2', 'name', 'tabhive'],
      ['HSET', 'h:lp-ints', '1', '2', '-3', '4000000000', 'x', '9223372036854775807'],
      ['HSET', 'h:lp-64', 'f', 'v'.repeat(64), 'g'.repeat(64), '1'],
      ['HSET', 'h:ht-long', 'f', 'v'.repeat(65), 'a', 'b'],
      ...chunked(['HSET', 'h:ht-many'], range(600, (i) => (i % 2 === 0 ? `field:${i >> 1}` : `value:${i}`))),
      ['HSET', 'h:bin', '\xff', '\x00', '__proto__', 'constructor', '', 'empty'],
    ],
  },
  sets: {
    keys: { 'st:i16': true, 'st:i32': true, 'st:i64': true, 'st:ht': false, 'st:ht-ints': false, 'st:one': true },
    setup: [
      ['SADD', 'st:i16', '3', '1', '2', '-32768', '32767'],
      ['SADD', 'st:i32', '1', '70000', '-2147483648'],
      ['SADD', 'st:i64', '1', '9223372036854775807', '-9223372036854775808', '4294967296'],
      ['SADD', 'st:ht', 'a', 'b', 'c', '1'],
      ...chunked(['SADD', 'st:ht-ints'], range(600, (i) => String(i * 3))),
      ['SADD', 'st:one', '42'],
    ],
  },
  zsets: {
    keys: { 'z:lp': true, 'z:lp-scores': true, 'z:sk-many': true, 'z:sk-long': true, 'z:lp-ints': true },
    setup: [
      ['ZADD', 'z:lp', '1', 'a', '2', 'b', '3', 'c'],
      ['ZADD', 'z:lp-scores', '1.5', 'x', '-0', 'negzero', 'inf', 'top', '-inf', 'bottom', '1e20', 'big',
        '4611686018427387904', 'edge', '4611686018427387905', 'over', '0.1', 'tenth', '-2.5e-300', 'tiny'],
      ...chunked(['ZADD', 'z:sk-many'], range(400, (i) => (i % 2 === 0 ? String((i * 37) % 101 / 7) : `m${i}`))),
      ['ZADD', 'z:sk-long', '1', 'm'.repeat(65), '-0', 'negzero', '2.25', 'b'],
      ['ZADD', 'z:lp-ints', '10', '1', '20', '-5', '30', '007'],
    ],
  },
};

/** Something that answers commands as replies: a RespClient, or a page's client (pageCaller). */
interface Caller {
  call(args: string[]): Promise<RVal>;
}

/** What a key holds, as comparable text: type, encoding, contents (unordered collections sorted). */
async function describeKey(c: Caller, key: string): Promise<string> {
  const type = await c.call(['TYPE', key]);
  const enc = await c.call(['OBJECT', 'ENCODING', key]);
  let content: RVal;
  const t = type.t === 'simple' ? type.v : '';
  const sorted = (r: RVal): RVal =>
    r.t === 'array' ? { t: 'array', v: [...r.v].sort((a, b) => (show(a) < show(b) ? -1 : 1)) } : r;
  switch (t) {
    case 'string':
      content = await c.call(['GET', key]);
      break;
    case 'list':
      content = await c.call(['LRANGE', key, '0', '-1']);
      break;
    case 'set':
      content = sorted(await c.call(['SMEMBERS', key]));
      break;
    case 'zset':
      content = await c.call(['ZRANGE', key, '0', '-1', 'WITHSCORES']);
      break;
    case 'hash': {
      const r = await c.call(['HGETALL', key]);
      const pairs: string[] = [];
      if (r.t === 'array') for (let i = 0; i + 1 < r.v.length; i += 2) pairs.push(show(r.v[i]) + ' => ' + show(r.v[i + 1]));
      content = { t: 'bulk', v: pairs.sort().join('\n') };
      break;
    }
    default:
      content = { t: 'nil' };
  }
  return `${show(type)} ${show(enc)}\n${show(content, 1e9)}`;
}

const bulk = (r: RVal): string => {
  if (r.t !== 'bulk') throw new Error(`expected a bulk reply, got ${show(r)}`);
  return r.v;
};

let servers: Servers;
let redis: RespClient;
let tab: RespClient;

beforeAll(async () => {
  servers = await startServers();
  redis = await RespClient.connect(servers.redis.port);
  tab = await RespClient.connect(servers.tabhive.port);
});

afterAll(async () => {
  redis?.close();
  tab?.close();
  await servers?.stop();
});

async function both(args: string[]): Promise<[RVal, RVal]> {
  return Promise.all([redis.call(args, 10_000), tab.call(args, 10_000)]);
}

async function setupBoth(setup: string[][]): Promise<void> {
  await both(['FLUSHALL']);
  for (const args of setup) {
    const [r, t] = await both(args);
    expect(show(t), `${args.slice(0, 3).join(' ')}`).toBe(show(r));
  }
}

describe('DUMP / RESTORE across redis-server and tabhive', () => {
  for (const [name, sc] of Object.entries(SCENARIOS)) {
    it(name, async () => {
      await setupBoth(sc.setup);
      for (const [key, exact] of Object.entries(sc.keys)) {
        const [r, t] = await both(['DUMP', key]);
        const fromRedis = bulk(r);
        const fromTab = bulk(t);
        if (exact) expect(Buffer.from(fromTab, 'latin1').toString('hex'), `DUMP ${key}`).toBe(
          Buffer.from(fromRedis, 'latin1').toString('hex'),
        );
        // Each side's payload restores on the other into the same thing as the original.
        const want = await describeKey(redis, key);
        expect(await describeKey(tab, key), `original ${key}`).toBe(want);
        expect(show(await redis.call(['RESTORE', `x:${key}`, '0', fromTab]))).toBe('+OK');
        expect(show(await tab.call(['RESTORE', `x:${key}`, '0', fromRedis]))).toBe('+OK');
        const inRedis = await describeKey(redis, `x:${key}`);
        const inTab = await describeKey(tab, `x:${key}`);
        expect(inTab, `tabhive RESTORE of Redis's DUMP of ${key}`).toBe(inRedis);
        expect(inRedis.slice(inRedis.indexOf('\n')), `Redis RESTORE of tabhive's DUMP of ${key}`).toBe(
          want.slice(want.indexOf('\n')),
        );
      }
    });
  }

  it('TTLs: a relative TTL, ABSTTL, and the restored PTTL', async () => {
    await setupBoth([['SET', 'k', 'v']]);
    const [r, t] = await both(['DUMP', 'k']);
    const at = String(Date.now() + 100_000);
    for (const [c, p] of [[redis, bulk(t)], [tab, bulk(r)]] as const) {
      expect(show(await c.call(['RESTORE', 'rel', '50000', p]))).toBe('+OK');
      expect(show(await c.call(['RESTORE', 'abs', at, p, 'ABSTTL']))).toBe('+OK');
    }
    const [rp, tp] = await both(['PTTL', 'rel']);
    expect(Math.abs(Number((rp as { v: string }).v) - Number((tp as { v: string }).v))).toBeLessThan(1000);
    const [ra, ta] = await both(['PEXPIRETIME', 'abs']);
    expect(show(ta)).toBe(show(ra));
  });

  it('list-compress-depth: interior quicklist nodes are written LZF-compressed, as Redis keeps them', async () => {
    await setupBoth([
      ['CONFIG', 'SET', 'list-compress-depth', '1'],
      ...chunked(['RPUSH', 'l'], range(5000, (i) => `element number ${i}`)),
      ['CONFIG', 'SET', 'list-compress-depth', '0'],
    ]);
    await both(['CONFIG', 'SET', 'list-compress-depth', '1']);
    try {
      const [r, t] = await both(['DUMP', 'l']);
      expect(Buffer.from(bulk(t), 'latin1').toString('hex')).toBe(Buffer.from(bulk(r), 'latin1').toString('hex'));
    } finally {
      await both(['CONFIG', 'SET', 'list-compress-depth', '0']);
    }
  });

  it('list-max-listpack-size: node boundaries follow the fill setting (count and size limits)', async () => {
    for (const fill of ['5', '128', '-1', '-5']) {
      await both(['CONFIG', 'SET', 'list-max-listpack-size', fill]);
      try {
        await setupBoth([...chunked(['RPUSH', 'l'], range(3000, (i) => `v${i}`.repeat(1 + (i % 5))))]);
        const [r, t] = await both(['DUMP', 'l']);
        expect(Buffer.from(bulk(t), 'latin1').toString('hex'), `fill ${fill}`).toBe(
          Buffer.from(bulk(r), 'latin1').toString('hex'),
        );
      } finally {
        await both(['CONFIG', 'SET', 'list-max-listpack-size', '-2']);
      }
    }
  });
});

/** Every key of every db on both sides: same names, same descriptions, PTTLs within `slackMs`. */
async function compareDatasets(a: Caller, b: Caller, slackMs = 2000): Promise<number> {
  let n = 0;
  for (let db = 0; db < 16; db++) {
    await a.call(['SELECT', String(db)]);
    await b.call(['SELECT', String(db)]);
    const ka = await a.call(['KEYS', '*']);
    const kb = await b.call(['KEYS', '*']);
    const names = (r: RVal) => (r.t === 'array' ? r.v.map(bulk).sort() : []);
    expect(names(kb), `keys of db ${db}`).toEqual(names(ka));
    for (const key of names(ka)) {
      expect(await describeKey(b, key), `db ${db} key ${key}`).toBe(await describeKey(a, key));
      const [pa, pb] = [await a.call(['PTTL', key]), await b.call(['PTTL', key])];
      const ta = Number((pa as { v: string }).v);
      const tb = Number((pb as { v: string }).v);
      if (ta < 0 || tb < 0) expect(tb, `PTTL of ${key}`).toBe(ta);
      else expect(Math.abs(ta - tb), `PTTL of ${key}`).toBeLessThan(slackMs);
      n++;
    }
  }
  await a.call(['SELECT', '0']);
  await b.call(['SELECT', '0']);
  return n;
}

/** A dataset over several databases, every scenario, with TTLs. */
const FILE_SETUP: string[][] = [
  ...Object.values(SCENARIOS).flatMap((s) => s.setup),
  ['PEXPIRE', 's:short', '500000'],
  ['EXPIRE', 'l:small', '100000'],
  ['PEXPIREAT', 'h:lp', String(Date.now() + 3_600_000)],
  ['SELECT', '1'],
  ['SET', 'db1', 'one'],
  ['HSET', 'h', 'a', '1'],
  ['SELECT', '15'],
  ['ZADD', 'z', '1', 'a'],
  ['SET', '12345', 'an integer key'],
  ['SET', 'ttl', 'x', 'PX', '800000'],
  ['SELECT', '0'],
];

// ---- the page's API: TabhiveClient.exportRdb / importRdb through the worker host -------------------------------

/** A page's client of a worker host (host.ts over a MessageChannel, fake-indexeddb), as src/client tests do. */
async function pageClient(name: string): Promise<{ db: TabhiveClient; close(): Promise<void> }> {
  const { port1, port2 } = new MessageChannel();
  const server = serveWorker(port2 as unknown as Endpoint, { flushDelayMs: 3_600_000, replication: false });
  const db = await createClient({ name, worker: port1 as unknown as Worker });
  return {
    db,
    async close() {
      await db.quit().catch(() => {});
      await server.stop();
      port1.close();
      port2.close();
    },
  };
}

/** A page's client as a Caller: binary-string arguments as bytes, replies as the RESP2 tree RespClient gives. */
function pageCaller(db: TabhiveClient): Caller {
  const tree = (r: RedisReply): RVal => {
    if (r === null) return { t: 'nil' };
    if (typeof r === 'string') return { t: 'simple', v: r };
    if (typeof r === 'number' || typeof r === 'bigint') return { t: 'int', v: String(r) };
    if (r instanceof Uint8Array) return { t: 'bulk', v: Buffer.from(r.buffer, r.byteOffset, r.byteLength).toString('latin1') };
    if (Array.isArray(r)) return { t: 'array', v: r.map(tree) };
    throw new Error(`unexpected reply ${String(r)}`);
  };
  return {
    async call(args) {
      try {
        return tree(await db.sendCommand(args.map((a) => new Uint8Array(Buffer.from(a, 'latin1'))), { bytes: true }));
      } catch (e) {
        if (e instanceof ReplyError) return { t: 'err', v: e.message };
        throw e;
      }
    },
  };
}

describe('RDB files across redis-server and tabhive', () => {
  // The reference: a redis-server started on Redis's own SAVE of the dataset, so encodings are compared with
  // what loading gives (a loaded string is re-encoded, a small hashtable may come back as a listpack…).
  let dir: string;
  let reference: Awaited<ReturnType<typeof startRedis>>;
  let ref: RespClient;
  let setUpAt: number;
  beforeAll(async () => {
    setUpAt = Date.now();
    await setupBoth(FILE_SETUP);
    expect(show(await redis.call(['SAVE']))).toBe('+OK');
    const dirReply = await redis.call(['CONFIG', 'GET', 'dir']);
    const redisDir = dirReply.t === 'array' ? bulk(dirReply.v[1]) : '';
    dir = mkdtempSync(join(tmpdir(), 'tabhive-rdb-'));
    writeFileSync(join(dir, 'redis.rdb'), readFileSync(join(redisDir, 'dump.rdb')));
    reference = await startRedis(['--dir', dir, '--dbfilename', 'redis.rdb']);
    ref = await RespClient.connect(reference.port);
  });
  afterAll(async () => {
    ref?.close();
    await reference?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an exported file loads into redis-server with the same keys, types, encodings, values and TTLs', async () => {
    writeFileSync(join(dir, 'tabhive.rdb'), exportRdb(servers.tabhive.engine));
    const check = checkRdb(join(dir, 'tabhive.rdb'));
    expect(check.ok, check.output).toBe(true);
    const loaded = await startRedis(['--dir', dir, '--dbfilename', 'tabhive.rdb']);
    const c = await RespClient.connect(loaded.port);
    try {
      expect(await compareDatasets(ref, c)).toBeGreaterThan(60);
    } finally {
      c.close();
      await loaded.stop();
    }
  });

  it('a file redis-server SAVEd imports into tabhive identically', async () => {
    await tab.call(['FLUSHALL']);
    const res = importRdb(servers.tabhive.engine, readFileSync(join(dir, 'redis.rdb')));
    expect(res.version).toBe(10);
    expect(res.aux.get('redis-ver')).toBe('7.0.15');
    expect(res.warnings).toEqual([]);
    expect(await compareDatasets(ref, tab)).toBe(res.loaded);
  });

  it('tabhive serve: SAVE writes --dir/--dbfilename for redis-server, and --rdb loads what redis-server saved', async () => {
    const quiet = { out: () => undefined, err: () => undefined };
    // Redis's file, loaded by `tabhive serve --rdb`, saved by SAVE to another file, loaded by redis-server.
    const engine = engineWithRdb({ port: 0, host: '', rdb: join(dir, 'redis.rdb'), dir, dbfilename: 'saved.rdb' }, quiet)!;
    const h = await serve({ port: 0, engine });
    const c = await RespClient.connect(h.port);
    try {
      expect(await compareDatasets(ref, c)).toBeGreaterThan(60);
      expect(show(await c.call(['SAVE']))).toBe('+OK');
    } finally {
      c.close();
      await h.close();
    }
    const loaded = await startRedis(['--dir', dir, '--dbfilename', 'saved.rdb']);
    const r = await RespClient.connect(loaded.port);
    try {
      expect(await compareDatasets(ref, r)).toBeGreaterThan(60);
    } finally {
      r.close();
      await loaded.stop();
    }
  });

  it('a dataset written through the worker, exported: redis-check-rdb passes it, redis-server loads it identically', async () => {
    const page = await pageClient(`rdb-compat-export-${process.pid}`);
    try {
      const c = pageCaller(page.db);
      for (const args of FILE_SETUP) {
        const r = await c.call(args);
        expect(r.t, `${args.slice(0, 3).join(' ')}: ${show(r)}`).not.toBe('err');
      }
      writeFileSync(join(dir, 'page.rdb'), await page.db.exportRdb());
    } finally {
      await page.close();
    }
    const check = checkRdb(join(dir, 'page.rdb'));
    expect(check.ok, check.output).toBe(true);
    const loaded = await startRedis(['--dir', dir, '--dbfilename', 'page.rdb']);
    const r = await RespClient.connect(loaded.port);
    try {
      // Relative TTLs were set here later than in the reference, by up to the time since then.
      expect(await compareDatasets(ref, r, Date.now() - setUpAt + 2000)).toBeGreaterThan(60);
    } finally {
      r.close();
      await loaded.stop();
    }
  });

  it('a file redis-server SAVEd, imported through the worker, holds the same keys, types, encodings, values, TTLs', async () => {
    const name = `rdb-compat-import-${process.pid}`;
    const page = await pageClient(name);
    let loaded: number;
    try {
      await page.db.set('not in the file', 'x');
      const res = await page.db.importRdb(readFileSync(join(dir, 'redis.rdb')));
      expect(res).toMatchObject({ version: 10, expired: 0, warnings: [] });
      loaded = res.loaded;
      expect(await compareDatasets(ref, pageCaller(page.db))).toBe(loaded);
    } finally {
      await page.close();
    }
    // Stored: the database opened again holds the same.
    const again = await pageClient(name);
    try {
      expect(await compareDatasets(ref, pageCaller(again.db))).toBe(loaded);
    } finally {
      await again.close();
    }
  });
});

describe('access information in RDB files', () => {
  it('access information: LRU idle times and LFU counters go with the file', async () => {
    for (const policy of ['allkeys-lru', 'allkeys-lfu']) {
      await setupBoth([['CONFIG', 'SET', 'maxmemory-policy', policy], ['SET', 'a', '1'], ['SET', 'b', '2']]);
      const [rd] = await both(['DUMP', 'a']);
      const opt = policy === 'allkeys-lru' ? ['IDLETIME', '5000'] : ['FREQ', '77'];
      await both(['RESTORE', 'c', '0', bulk(rd), ...opt]);
      await both(['CONFIG', 'SET', 'maxmemory-policy', 'noeviction']);
      const dir = mkdtempSync(join(tmpdir(), 'tabhive-rdb-'));
      try {
        servers.tabhive.engine.config.set('maxmemory-policy', policy);
        writeFileSync(join(dir, 'a.rdb'), exportRdb(servers.tabhive.engine));
        servers.tabhive.engine.config.set('maxmemory-policy', 'noeviction');
        const loaded = await startRedis(['--dir', dir, '--dbfilename', 'a.rdb', '--maxmemory-policy', policy]);
        const c = await RespClient.connect(loaded.port);
        try {
          const sub = policy === 'allkeys-lru' ? 'IDLETIME' : 'FREQ';
          const got = await c.call(['OBJECT', sub, 'c']);
          const n = Number((got as { v: string }).v);
          if (sub === 'FREQ') expect(n).toBe(77);
          else expect(Math.abs(n - 5000)).toBeLessThanOrEqual(2);
        } finally {
          c.close();
          await loaded.stop();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});
