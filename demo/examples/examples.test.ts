/**
 * The demo's three worked examples against the real client and worker code (test/client-worker.ts), on a
 * fake clock shared by the page side and the engine. The browser runs them in e2e/demo-examples.spec.ts.
 */
import { describe, expect, it } from 'vitest';
import { testClient } from '../../test/client-worker.js';
import { joinChat, type ChatMessage } from './chat.js';
import { createFetchCache, type CachedResponse } from './fetch-cache.js';
import { openSession } from './session.js';

async function fakeClockClient() {
  const clock = { t: 1_700_000_000_000 };
  const { db } = await testClient({}, { engine: { now: () => clock.t } });
  return { db, clock, now: () => clock.t };
}

/** A network that answers from `bodies` (one per call, the last one repeated), or fails while `down`. */
function network() {
  const n = { calls: 0, down: false, bodies: ['v1', 'v2', 'v3'] };
  const fetch = async (url: string) => {
    if (n.down) throw new TypeError('Failed to fetch');
    const body = n.bodies[Math.min(n.calls++, n.bodies.length - 1)];
    return new Response(body, { status: 200, headers: { 'content-type': 'text/plain' } });
  };
  return { n, fetch };
}

describe('fetch cache', () => {
  it('serves fresh entries without the network, and offline', async () => {
    const { db, now, clock } = await fakeClockClient();
    const { n, fetch } = network();
    const cache = createFetchCache(db, { ttl: 30_000, staleWhileRevalidate: 60_000, fetch, now });
    const first = await cache.get('/q');
    expect([first.source, first.body, first.type, n.calls]).toEqual(['network', 'v1', 'text/plain', 1]);
    expect(await db.pTTL(cache.keyOf('/q'))).toBe(90_000);
    clock.t += 29_000;
    n.down = true;
    const again = await cache.get('/q');
    expect([again.source, again.body, n.calls]).toEqual(['fresh', 'v1', 1]);
  });

  it('serves stale entries at once and revalidates them behind', async () => {
    const { db, now, clock } = await fakeClockClient();
    const { n, fetch } = network();
    const told: (CachedResponse | Error)[] = [];
    const cache = createFetchCache(db, { ttl: 1000, staleWhileRevalidate: 5000, fetch, now, onRevalidated: (_u, r) => told.push(r) });
    await cache.get('/q');
    clock.t += 2000;
    const stale = await cache.get('/q');
    expect([stale.source, stale.body]).toEqual(['stale', 'v1']);
    expect(cache.revalidating.size).toBe(1);
    await cache.revalidating.get('/q');
    expect((told[0] as CachedResponse).body).toBe('v2');
    const fresh = await cache.get('/q');
    expect([fresh.source, fresh.body, n.calls]).toEqual(['fresh', 'v2', 2]);
  });

  it('keeps the stale copy when revalidation fails; past the window the key is gone', async () => {
    const { db, now, clock } = await fakeClockClient();
    const { n, fetch } = network();
    const told: (CachedResponse | Error)[] = [];
    const cache = createFetchCache(db, { ttl: 1000, staleWhileRevalidate: 5000, fetch, now, onRevalidated: (_u, r) => told.push(r) });
    await cache.get('/q');
    clock.t += 3000;
    n.down = true;
    expect((await cache.get('/q')).source).toBe('stale');
    await cache.revalidating.get('/q');
    expect(told[0]).toBeInstanceOf(TypeError);
    expect((await cache.get('/q')).body).toBe('v1');
    clock.t += 3001; // past ttl + stale window: Redis expired the key
    expect(await db.exists(cache.keyOf('/q'))).toBe(0);
    await expect(cache.get('/q')).rejects.toThrow('Failed to fetch');
  });

  it('does not cache an HTTP error', async () => {
    const { db, now } = await fakeClockClient();
    const cache = createFetchCache(db, { ttl: 1000, staleWhileRevalidate: 0, now, fetch: async () => new Response('no', { status: 404 }) });
    await expect(cache.get('/missing')).rejects.toThrow('/missing: HTTP 404');
    expect(await db.exists(cache.keyOf('/missing'))).toBe(0);
  });
});

describe('chat', () => {
  it('delivers to every participant and keeps a capped history', async () => {
    const { db } = await testClient();
    const seenA: ChatMessage[] = [];
    const seenB: ChatMessage[] = [];
    const a = await joinChat(db, { room: 'r', name: 'Ada', onMessage: (m) => seenA.push(m), keep: 3 });
    const b = await joinChat(db, { room: 'r', name: 'Grace', onMessage: (m) => seenB.push(m), keep: 3 });
    expect(await a.send('hello')).toBe(2);
    expect(await b.send('hi Ada')).toBe(2);
    await expect.poll(() => seenA.length).toBe(2);
    await expect.poll(() => seenB.length).toBe(2);
    expect(seenB.map((m) => `${m.from}: ${m.text}`)).toEqual(['Ada: hello', 'Grace: hi Ada']);
    for (const t of ['3', '4']) await a.send(t);
    const c = await joinChat(db, { room: 'r', name: 'Linus', onMessage: () => {}, keep: 3 });
    expect(c.history.map((m) => m.text)).toEqual(['hi Ada', '3', '4']);
    await b.leave();
    expect(await a.send('bye')).toBe(2);
    await Promise.all([a.leave(), c.leave()]);
  });
});

describe('session', () => {
  it('counts visits, keeps fields and cart, and slides its expiry', async () => {
    const { db, now, clock } = await fakeClockClient();
    const s = openSession(db, { idleSeconds: 60, now });
    const first = await s.visit();
    expect([first.visits, first.startedAt, first.ttl]).toEqual([1, clock.t, 60]);
    await s.set('name', 'Ada');
    await s.addToCart('tea');
    await s.addToCart('milk');
    await s.addToCart('tea');
    await s.removeFromCart(2);
    clock.t += 50_000;
    const second = await openSession(db, { idleSeconds: 60, now }).visit();
    expect(second.visits).toBe(2);
    expect(second.startedAt).toBe(first.startedAt);
    expect(second.lastSeen).toBe(clock.t);
    expect(second.ttl).toBe(60);
    expect(second.fields).toEqual(new Map([['name', 'Ada']]));
    expect(second.cart).toEqual(['tea', 'milk']);
    expect(await db.ttl('session:demo:cart')).toBe(60);
    await expect(s.set('visits', '9')).rejects.toThrow(/kept by the session/);
    clock.t += 61_000;
    const gone = await s.read();
    expect([gone.visits, gone.cart]).toEqual([0, []]);
  });
});
