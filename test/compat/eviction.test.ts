/**
 * Eviction, differentially, by property: the same workload runs on redis-server 7.0 and on `tabhive serve`, and
 * each side must show the policy's property on its own — which keys survive is sampled (approximate LRU/LFU,
 * random picks), so the sides are not compared key by key, but both must keep what the policy promises. Error
 * texts (OOM) must be identical.
 *
 * Each side's baseline used_memory differs, so the limit is set per side: used_memory + ROOM, read first.
 * Values are 1000 bytes and writes go in pipelined chunks (small query buffers on redis-server, which would
 * otherwise count against its limit).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RespClient, startServers, type RVal, type Servers } from './harness.js';

const ROOM = 2 * 1024 * 1024;
const VALUE = 'v'.repeat(1000);
/** How far over the limit a side may read after a command (the one write that crossed it, bookkeeping). */
const SLACK = 16 * 1024;

let servers: Servers;
beforeAll(async () => {
  servers = await startServers();
});
afterAll(async () => {
  await servers?.stop();
});

interface Side {
  name: 'redis' | 'tabhive';
  c: RespClient;
}

async function sides(): Promise<Side[]> {
  const [r, t] = await Promise.all([RespClient.connect(servers.redis.port), RespClient.connect(servers.tabhive.port)]);
  return [
    { name: 'redis', c: r },
    { name: 'tabhive', c: t },
  ];
}

/** Run commands pipelined in chunks; their replies in order. */
async function pipeline(c: RespClient, cmds: string[][], chunk = 64): Promise<RVal[]> {
  const out: RVal[] = [];
  for (let i = 0; i < cmds.length; i += chunk) {
    const part = cmds.slice(i, i + chunk);
    for (const cmd of part) c.send(cmd);
    for (let j = 0; j < part.length; j++) out.push(await c.frame(10_000));
  }
  return out;
}

async function call(c: RespClient, ...args: string[]): Promise<RVal> {
  return c.call(args, 10_000);
}

function text(r: RVal): string {
  if (r.t === 'bulk' || r.t === 'simple' || r.t === 'err' || r.t === 'int' || r.t === 'verbatim') return r.v;
  throw new Error(`expected a string reply, got ${JSON.stringify(r)}`);
}

async function infoField(c: RespClient, section: string, field: string): Promise<number> {
  const info = text(await call(c, 'INFO', section));
  const m = new RegExp(`^${field}:(\\d+)`, 'm').exec(info);
  if (m === null) throw new Error(`no ${field} in INFO ${section}`);
  return Number(m[1]);
}

/** Empty the server, set the policy, and a limit of used_memory + ROOM; returns the limit. */
async function prepare(c: RespClient, policy: string, extra: string[] = []): Promise<number> {
  await call(c, 'CONFIG', 'SET', 'maxmemory', '0');
  await call(c, 'FLUSHALL');
  await call(c, 'CONFIG', 'RESETSTAT');
  await call(c, 'CONFIG', 'SET', 'maxmemory-policy', policy, ...extra);
  const max = (await infoField(c, 'memory', 'used_memory')) + ROOM;
  expect(text(await call(c, 'CONFIG', 'SET', 'maxmemory', String(max)))).toBe('OK');
  return max;
}

/** After a command has run (evictions happen before each), used_memory must be at most the limit. */
async function expectUnder(c: RespClient, max: number, who: string, slack = SLACK): Promise<void> {
  await call(c, 'PING');
  const used = await infoField(c, 'memory', 'used_memory');
  expect(used, `${who}: used_memory ${used} vs maxmemory ${max}`).toBeLessThanOrEqual(max + slack);
}

/**
 * When nothing can be evicted, writes stop once over the limit: used memory ends just past it (the write that
 * crossed it, the pipelined error replies waiting in the output buffer), not beyond.
 */
const OOM_SLACK = 128 * 1024;

const sets = (prefix: string, n: number, ...opts: string[]) =>
  Array.from({ length: n }, (_, i) => ['SET', `${prefix}${i}`, VALUE, ...opts]);

async function existing(c: RespClient, keys: string[]): Promise<boolean[]> {
  const r = await pipeline(c, keys.map((k) => ['EXISTS', k]));
  return r.map((x) => x.t === 'int' && x.v === '1');
}

/** Run `body` on both sides at once (their waits overlap); reports which side failed. */
async function both(body: (s: Side) => Promise<void>): Promise<void> {
  const all = await sides();
  try {
    const results = await Promise.allSettled(all.map(body));
    for (let i = 0; i < results.length; i++) {
      const r = results[i];
      if (r.status === 'rejected') {
        const e = r.reason as Error;
        e.message = `[${all[i].name}] ${e.message}`;
        throw e;
      }
    }
  } finally {
    for (const s of all) s.c.close();
  }
}

describe('eviction by policy, on redis-server and tabhive', () => {
  it('allkeys-lru keeps a hot set that is read repeatedly', async () => {
    await both(async ({ c, name }) => {
      const max = await prepare(c, 'allkeys-lru');
      const hot = Array.from({ length: 40 }, (_, i) => `hot:${i}`);
      await pipeline(c, hot.map((k) => ['SET', k, VALUE]));
      // Old keys fill most of the room; then time passes (Redis's LRU clock counts whole seconds).
      await pipeline(c, sets('old:', 1500));
      await new Promise((r) => setTimeout(r, 2200));
      // The hot set is read, then new keys overflow the limit: the old ones must go first.
      await pipeline(c, hot.map((k) => ['GET', k]));
      const fresh = sets('new:', 1200);
      for (let i = 0; i < fresh.length; i += 100) {
        await pipeline(c, fresh.slice(i, i + 100));
        await pipeline(c, hot.map((k) => ['GET', k]));
      }
      await expectUnder(c, max, name);
      expect(await infoField(c, 'stats', 'evicted_keys')).toBeGreaterThan(500);
      expect((await existing(c, hot)).filter((x) => !x)).toHaveLength(0);
    });
  });

  it('allkeys-lfu keeps the frequently used keys', async () => {
    await both(async ({ c, name }) => {
      const max = await prepare(c, 'allkeys-lfu');
      const hot = Array.from({ length: 40 }, (_, i) => `hot:${i}`);
      await pipeline(c, hot.map((k) => ['SET', k, VALUE]));
      // 150 reads each: the LFU counter (log factor 10) climbs well above a new key's 5.
      const reads: string[][] = [];
      for (let r = 0; r < 150; r++) for (const k of hot) reads.push(['GET', k]);
      await pipeline(c, reads, 500);
      await pipeline(c, sets('fill:', 4000));
      await expectUnder(c, max, name);
      expect(await infoField(c, 'stats', 'evicted_keys')).toBeGreaterThan(1500);
      expect((await existing(c, hot)).filter((x) => !x)).toHaveLength(0);
      const freq = await call(c, 'OBJECT', 'FREQ', 'hot:0');
      expect(Number(text(freq))).toBeGreaterThan(5);
    });
  });

  it('volatile-ttl never evicts keys without a TTL, and evicts the shortest TTLs first', async () => {
    await both(async ({ c, name }) => {
      const max = await prepare(c, 'volatile-ttl');
      const persistent = Array.from({ length: 300 }, (_, i) => `keep:${i}`);
      await pipeline(c, persistent.map((k) => ['SET', k, VALUE]));
      // TTLs 10,000 s … 13,000 s in a scrambled order.
      const n = 3000;
      const ttl = (i: number) => 10_000 + ((i * 7919) % n);
      await pipeline(c, Array.from({ length: n }, (_, i) => ['SET', `ttl:${i}`, VALUE, 'EX', String(ttl(i))]));
      await expectUnder(c, max, name);
      expect((await existing(c, persistent)).filter((x) => !x)).toHaveLength(0);
      const alive = await existing(c, Array.from({ length: n }, (_, i) => `ttl:${i}`));
      const evicted = alive.filter((x) => !x).length;
      expect(evicted).toBeGreaterThan(500);
      // Shortest TTLs first: nearly all of the shortest fifth went, nearly all of the longest fifth stayed.
      const band = (lo: number, hi: number) => {
        const idx = alive.map((_, i) => i).filter((i) => ttl(i) - 10_000 >= lo * n && ttl(i) - 10_000 < hi * n);
        return idx.filter((i) => !alive[i]).length / idx.length;
      };
      expect(band(0, 0.2), 'evicted share of the shortest fifth').toBeGreaterThan(0.8);
      expect(band(0.8, 1), 'evicted share of the longest fifth').toBeLessThan(0.2);
    });
  });

  for (const policy of ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl']) {
    it(`${policy} with no volatile keys: OOM, with the same text on both; nothing evicted`, async () => {
      const errors: string[] = [];
      await both(async ({ c, name }) => {
        const max = await prepare(c, policy);
        const r = await pipeline(c, sets('k:', 3000));
        const oom = r.filter((x) => x.t === 'err');
        expect(oom.length).toBeGreaterThan(500);
        errors.push(...new Set(oom.map(text)));
        expect(await infoField(c, 'stats', 'evicted_keys')).toBe(0);
        expect(text(await call(c, 'GET', 'k:0'))).toBe(VALUE);
        await expectUnder(c, max, name, OOM_SLACK);
      });
      expect(new Set(errors)).toEqual(new Set(["OOM command not allowed when used memory > 'maxmemory'."]));
    });
  }

  for (const policy of ['volatile-lru', 'volatile-lfu', 'volatile-random']) {
    it(`${policy} evicts only keys with a TTL`, async () => {
      await both(async ({ c, name }) => {
        const max = await prepare(c, policy);
        const persistent = Array.from({ length: 300 }, (_, i) => `keep:${i}`);
        await pipeline(c, persistent.map((k) => ['SET', k, VALUE]));
        await pipeline(c, sets('ttl:', 3000, 'EX', '100000'));
        await expectUnder(c, max, name);
        expect(await infoField(c, 'stats', 'evicted_keys')).toBeGreaterThan(500);
        expect((await existing(c, persistent)).filter((x) => !x)).toHaveLength(0);
      });
    });
  }

  it('noeviction: OOM on SET with the same text on both; GET and DEL work', async () => {
    const errors: string[] = [];
    await both(async ({ c, name }) => {
      const max = await prepare(c, 'noeviction');
      const r = await pipeline(c, sets('k:', 3000));
      const oom = r.filter((x) => x.t === 'err');
      expect(oom.length).toBeGreaterThan(500);
      errors.push(...new Set(oom.map(text)));
      expect(text(await call(c, 'GET', 'k:0'))).toBe(VALUE);
      expect(await infoField(c, 'stats', 'evicted_keys')).toBe(0);
      await expectUnder(c, max, name, OOM_SLACK);
      expect(text(await call(c, 'DEL', 'k:0', 'k:1', 'k:2'))).toBe('3');
    });
    expect(new Set(errors)).toEqual(new Set(["OOM command not allowed when used memory > 'maxmemory'."]));
  });

  it('allkeys-random evicts something and stays under the limit', async () => {
    await both(async ({ c, name }) => {
      const max = await prepare(c, 'allkeys-random');
      const r = await pipeline(c, sets('k:', 4000));
      expect(r.filter((x) => x.t === 'err')).toHaveLength(0);
      await expectUnder(c, max, name);
      const evicted = await infoField(c, 'stats', 'evicted_keys');
      expect(evicted).toBeGreaterThan(1500);
      expect(Number(text(await call(c, 'DBSIZE')))).toBe(4000 - evicted);
    });
  });
});
