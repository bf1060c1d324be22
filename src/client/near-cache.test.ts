/**
 * The near-cache's staleness rules (near-cache.ts, worker/tracking.ts): the client against the real worker code
 * over a MessageChannel. Each rule is checked by what the page reads, and by the hit/miss counters in stats().
 */
import { describe, expect, it } from 'vitest';
import { batches, testClient, type TestWorker } from '../../test/client-worker.js';
import { Tracking } from '../worker/tracking.js';
import { keyId } from '../worker/protocol.js';
import { MISS, NearCache } from './near-cache.js';
import { createClient, type TabhiveClient } from './index.js';

const near = (db: TabhiveClient) => db.stats();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Another page's connection to the same worker (its own command port, its own near-cache): another tab. */
function otherTab(db: TabhiveClient, w: TestWorker): Promise<TabhiveClient> {
  return createClient({ name: db.name, durability: 'memory', worker: w.worker });
}

describe('near-cache: hits', () => {
  it('answers a repeated GET in the page, counted as a hit, without a message', async () => {
    const { db, w } = await testClient();
    await db.set('k', 'v');
    expect(await db.get('k')).toBe('v');
    const sent = batches(w).length;
    expect(await db.get('k')).toBe('v');
    expect(await db.get('k')).toBe('v');
    expect(batches(w).length).toBe(sent);
    expect(near(db)).toMatchObject({ nearCache: true, hits: 2, misses: 1, entries: 1 });
  });

  it('caches HGET, HEXISTS, STRLEN, EXISTS key, TYPE … and a missing key', async () => {
    const { db, w } = await testClient();
    await db.sendCommand(['HSET', 'h', 'f', 'v', 'g', 'w']);
    const reads = async () => [
      await db.sendCommand(['HGET', 'h', 'f']),
      await db.sendCommand(['hget', 'h', 'g']),
      await db.sendCommand(['HEXISTS', 'h', 'f']),
      await db.sendCommand(['HLEN', 'h']),
      await db.exists('h'),
      await db.type('h'),
      await db.get('nope'),
    ];
    const first = await reads();
    const sent = batches(w).length;
    expect(await reads()).toEqual(first);
    expect(first).toEqual(['v', 'w', 1, 2, 1, 'hash', null]);
    expect(batches(w).length).toBe(sent);
  });

  it('does not cache commands outside the list, or EXISTS of several keys', async () => {
    const { db } = await testClient();
    await db.set('k', 'v');
    await db.exists('k', 'k');
    await db.exists('k', 'k');
    await db.getRange('k', 0, -1);
    await db.getRange('k', 0, -1);
    expect(near(db)).toMatchObject({ hits: 0, misses: 0 });
  });

  it('bytes replies are cached apart and copied: changing one changes no later read', async () => {
    const { db } = await testClient();
    await db.set('k', new Uint8Array([0xff, 0xfe]));
    const b = db.withBytes();
    const first = (await b.get('k'))!;
    first[0] = 0;
    expect(await b.get('k')).toEqual(new Uint8Array([0xff, 0xfe]));
    const again = (await b.get('k'))!;
    again[1] = 0;
    expect(await b.get('k')).toEqual(new Uint8Array([0xff, 0xfe]));
    expect(await db.get('k')).toBe('\ufffd\ufffd');
  });

  it('binary keys that UTF-8 would merge stay apart', async () => {
    const { db } = await testClient();
    await db.set(new Uint8Array([0xff]), 'a');
    await db.set(new Uint8Array([0xfe]), 'b');
    expect(await db.get(new Uint8Array([0xff]))).toBe('a');
    expect(await db.get(new Uint8Array([0xfe]))).toBe('b');
    expect(await db.get(new Uint8Array([0xff]))).toBe('a');
    expect(await db.get(new Uint8Array([0xfe]))).toBe('b');
    await db.set(new Uint8Array([0xfe]), 'c');
    expect(await db.get(new Uint8Array([0xff]))).toBe('a');
    expect(await db.get(new Uint8Array([0xfe]))).toBe('c');
  });
});

describe('near-cache: never stale', () => {
  it('write then read: the write’s reply brings the invalidation', async () => {
    const { db } = await testClient();
    await db.set('k', 'v1');
    expect(await db.get('k')).toBe('v1');
    expect(await db.get('k')).toBe('v1');
    await db.set('k', 'v2');
    expect(await db.get('k')).toBe('v2');
    await db.append('k', '!');
    expect(await db.get('k')).toBe('v2!');
    await db.del('k');
    expect(await db.get('k')).toBe(null);
  });

  it('a write and a read in one tick: the read is not answered from the cache', async () => {
    const { db } = await testClient();
    await db.set('k', 'v1');
    await db.get('k');
    const [, got] = await Promise.all([db.set('k', 'v2'), db.get('k')]);
    expect(got).toBe('v2');
    // Any command may write (EVAL, a raw command): only near-cache reads let a read be cached meanwhile.
    const [, got2] = await Promise.all([db.sendCommand(['SETRANGE', 'k', '0', 'x']), db.get('k')]);
    expect(got2).toBe('x2');
  });

  it('a read and a write in one tick: the read’s reply is not kept', async () => {
    const { db } = await testClient();
    await db.set('k', 'v1');
    const [got] = await Promise.all([db.get('k'), db.set('k', 'v2')]);
    expect(got).toBe('v1');
    expect(await db.get('k')).toBe('v2');
  });

  it('another session of the page writes: invalidated before its reply', async () => {
    const { db } = await testClient();
    const other = db.duplicate();
    await db.set('k', 'v1');
    await db.get('k');
    await other.set('k', 'v2');
    expect(await db.get('k')).toBe('v2');
    await other.sendCommand(['HSET', 'h', 'f', '1']);
    expect(await db.sendCommand(['HGET', 'h', 'f'])).toBe('1');
    await other.sendCommand(['HINCRBY', 'h', 'f', '1']);
    expect(await db.sendCommand(['HGET', 'h', 'f'])).toBe('2');
  });

  it('another connection (another tab) writes: invalidated, before that write is answered', async () => {
    const { db, w } = await testClient();
    const tab = await otherTab(db, w);
    await db.set('k', 'v1');
    expect(await db.get('k')).toBe('v1');
    expect(await db.get('k')).toBe('v1');
    await tab.set('k', 'v2');
    // The invalidation left on the first connection's port before the writer's reply left on its own.
    await sleep(0);
    expect(await db.get('k')).toBe('v2');
    expect(near(db).invalidations).toBe(1);
  });

  it('FLUSHALL and FLUSHDB, from this or another connection, drop what they emptied', async () => {
    const { db, w } = await testClient();
    const tab = await otherTab(db, w);
    await db.set('k', 'v');
    await db.get('k');
    await db.flushAll();
    expect(await db.get('k')).toBe(null);
    await db.set('k', 'v');
    await db.get('k');
    await tab.flushDb();
    await sleep(0);
    expect(await db.get('k')).toBe(null);
    expect(near(db).entries).toBe(1);
  });

  it('SWAPDB: the swapped dbs are dropped', async () => {
    const { db } = await testClient();
    await db.set('k', 'in0');
    await db.get('k');
    await db.swapDb(0, 1);
    expect(await db.get('k')).toBe(null);
  });

  it('expiry: a key with a TTL is not served past it, even before the worker reclaims it', async () => {
    const { db } = await testClient();
    await db.set('k', 'v', { PX: 60 });
    expect(await db.get('k')).toBe('v');
    expect(await db.get('k')).toBe('v');
    expect(near(db).hits).toBe(1);
    await sleep(80);
    expect(await db.get('k')).toBe(null);
  });

  it('expiry: EXPIRE, PERSIST and the active cycle invalidate', async () => {
    const { db, w } = await testClient();
    await db.set('k', 'v');
    await db.get('k');
    await db.pExpire('k', 30);
    expect(await db.get('k')).toBe('v');
    // Reclaimed by the worker's active expiry cycle, not by a read: the invalidation comes on its own.
    const host = (await w.host)!;
    await sleep(50);
    host.engine.activeExpireCycle();
    await sleep(0);
    expect(await db.get('k')).toBe(null);
  });

  it('MULTI: EXEC’s writes invalidate; a read inside MULTI is QUEUED, never a cached value', async () => {
    const { db } = await testClient();
    await db.set('k', 'v1');
    await db.get('k');
    expect(await db.multi().set('k', 'v2').get('k').exec()).toEqual(['OK', 'v2']);
    expect(await db.get('k')).toBe('v2');
    expect(await db.sendCommand(['MULTI'])).toBe('OK');
    expect(await db.get('k')).toBe('QUEUED');
    expect(await db.sendCommand(['SET', 'k', 'v3'])).toBe('QUEUED');
    expect(await db.get('k')).toBe('QUEUED');
    expect(await db.sendCommand(['EXEC'])).toEqual(['v2', 'OK', 'v3']);
    expect(await db.get('k')).toBe('v3');
    expect(await db.get('k')).toBe('v3');
  });

  it('SELECT: a cached value of one db is never served in another', async () => {
    const { db } = await testClient();
    await db.set('k', 'in0');
    expect(await db.get('k')).toBe('in0');
    await db.select(1);
    expect(await db.get('k')).toBe(null);
    await db.set('k', 'in1');
    expect(await db.get('k')).toBe('in1');
    expect(await db.get('k')).toBe('in1');
    await db.select(0);
    expect(await db.get('k')).toBe('in0');
    // Another session in db 1 writes: db 0's entry stays, db 1's goes.
    const other = db.duplicate();
    await other.select(1);
    await other.set('k', 'again');
    expect(await db.get('k')).toBe('in0');
    await db.select(1);
    expect(await db.get('k')).toBe('again');
  });

  it('a blocked session reads from the worker; the write that serves it invalidates', async () => {
    const { db } = await testClient();
    const waiter = db.duplicate();
    await db.sendCommand(['RPUSH', 'other', 'x']);
    expect(await waiter.sendCommand(['LLEN', 'q'])).toBe(0);
    const popped = waiter.sendCommand(['BLPOP', 'q', '0']);
    const len = waiter.sendCommand(['LLEN', 'q']);
    await db.ping();
    await db.sendCommand(['RPUSH', 'q', 'a', 'b']);
    expect(await popped).toEqual(['q', 'a']);
    expect(await len).toBe(1);
    expect(await waiter.sendCommand(['LLEN', 'q'])).toBe(1);
  });

  it('keymiss events turned on later: what was cached goes', async () => {
    const { db } = await testClient();
    await db.get('none');
    await db.get('none');
    expect(near(db).hits).toBe(1);
    const misses: string[] = [];
    const off = await db.onKeyChange('*', (e, k) => misses.push(`${e}:${k}`), { events: 'm' });
    await db.get('none');
    await expect.poll(() => misses).toEqual(['keymiss:none']);
    expect(near(db).hits).toBe(1);
    await off();
  });

  it('keymiss events enabled: reads are not cached (a cached reply would fire none)', async () => {
    const { db } = await testClient({ notifyKeyspaceEvents: 'Em' });
    const misses: string[] = [];
    const off = await db.onKeyChange('*', (e, k) => misses.push(`${e}:${k}`), { events: 'm' });
    await db.get('none');
    await db.get('none');
    await expect.poll(() => misses).toEqual(['keymiss:none', 'keymiss:none']);
    await off();
  });
});

describe('near-cache: options and bounds', () => {
  it('nearCache: false turns it off for that client', async () => {
    const { db, w } = await testClient({ nearCache: false });
    await db.set('k', 'v');
    await db.get('k');
    const sent = batches(w).length;
    await db.get('k');
    expect(batches(w).length).toBe(sent + 1);
    expect(near(db)).toMatchObject({ nearCache: false, hits: 0, misses: 0, capacity: 0 });
    expect(near(db.duplicate()).nearCache).toBe(false);
  });

  it('a number bounds it: the least recently used keys go first', async () => {
    const { db } = await testClient({ nearCache: 3 });
    for (const k of ['a', 'b', 'c']) await db.set(k, k);
    for (const k of ['a', 'b', 'c']) await db.get(k);
    await db.get('a');
    await db.set('d', 'd');
    await db.get('d');
    expect(near(db)).toMatchObject({ entries: 3, capacity: 3 });
    const hits = near(db).hits;
    expect(await db.get('a')).toBe('a');
    expect(near(db).hits).toBe(hits + 1);
    expect(await db.get('b')).toBe('b');
    expect(near(db).hits).toBe(hits + 1);
  });

  it('rejects a bad size', async () => {
    await expect(testClient({ nearCache: -1 })).rejects.toThrow(TypeError);
  });

  it('the worker reports the keys it tracks and the invalidations it sent (control API)', async () => {
    const { db } = await testClient();
    await db.set('k', 'v');
    await db.get('k');
    expect(await db.workerStats()).toMatchObject({ connections: 1, sessions: 1, keys: 1, trackedKeys: 1, invalidations: 0 });
    await db.set('k', 'w');
    expect(await db.workerStats()).toMatchObject({ trackedKeys: 0, invalidations: 1 });
  });
});

describe('NearCache', () => {
  it('an invalidation that overtakes a read’s reply wins', () => {
    const c = new NearCache(10);
    const slot = c.reserve('k', 0);
    c.invalidate('k');
    c.fill(slot, 'get', 'old', 0);
    expect(c.get('k', 'get')).toBe(MISS);
    expect(c.size).toBe(0);
  });

  it('flush of one db keeps the others', () => {
    const c = new NearCache(10);
    c.fill(c.reserve(keyId(0, 'k'), 0), 'get', 'a', 0);
    c.fill(c.reserve(keyId(1, 'k'), 1), 'get', 'b', 0);
    c.flush(1);
    expect(c.get(keyId(0, 'k'), 'get')).toBe('a');
    expect(c.get(keyId(1, 'k'), 'get')).toBe(MISS);
    c.flush(-1);
    expect(c.get(keyId(0, 'k'), 'get')).toBe(MISS);
    expect(c.size).toBe(0);
  });

  it('counts every reply of a key against the bound', () => {
    const c = new NearCache(2);
    const h = c.reserve('h', 0);
    c.fill(h, 'hget\0a', 1, 0);
    c.fill(h, 'hget\0b', 2, 0);
    expect(c.size).toBe(2);
    c.fill(c.reserve('k', 0), 'get', 'v', 0);
    expect(c.size).toBeLessThanOrEqual(2);
  });
});

describe('Tracking', () => {
  it('past its bound, the key tracked longest ago is invalidated', () => {
    const counters = { invalidations: 0 };
    const t = new Tracking(2, () => {}, counters);
    t.track(0, 'a');
    t.track(0, 'b');
    t.track(0, 'a');
    t.track(3, 'c');
    expect(t.count).toBe(2);
    expect(t.attach({ t: 'inv' })).toEqual({ t: 'inv', inv: ['a'] });
    t.modified(0, 'b');
    t.modified(0, 'b');
    expect(t.attach({ t: 'inv' })).toEqual({ t: 'inv', inv: ['b'] });
    t.flushedDb(null);
    expect(t.attach({ t: 'inv' })).toEqual({ t: 'inv', flushed: [-1] });
    expect(counters.invalidations).toBe(3);
  });
});
