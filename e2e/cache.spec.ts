/**
 * tabhive as a cache in the browser: a page fills it past `maxmemory` (set through createClient) and it stays
 * under the limit, keeping the keys read recently (allkeys-lru); listeners in the page — `onKeyChange` and a raw
 * `pSubscribe` on keyspace channels — see the `evicted` and `expired` events.
 *
 * The page imports the library source through the dev server (/@fs/…), so this test needs nothing of the demo.
 */
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';

const CLIENT = `/@fs${resolve('src/client/index.ts')}`;

test('a cache past maxmemory stays under it, keeps the recent keys, and reports evicted and expired', async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto('/');
  const out = await page.evaluate(async (url: string) => {
    type Client = {
      set(k: string, v: string, o?: { PX?: number }): Promise<unknown>;
      mGet(keys: string[]): Promise<unknown>;
      exists(keys: string[]): Promise<number>;
      info(section?: string): Promise<string>;
      sendCommand(args: string[]): Promise<unknown>;
      pSubscribe(p: string, l: (m: string, c: string) => void): Promise<void>;
      onKeyChange(
        p: string,
        l: (e: string, k: string) => void,
        o?: { events?: string },
      ): Promise<() => Promise<void>>;
      quit(): Promise<unknown>;
    };
    const { createClient } = (await import(url)) as {
      createClient(o: Record<string, unknown>): Promise<Client>;
    };
    const field = (info: string, name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)![1]);
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

    const db = await createClient({
      name: `cache-e2e-${Date.now()}`,
      durability: 'memory',
      maxmemory: '4mb',
      maxmemoryPolicy: 'allkeys-lru',
    });
    const maxmemory = Number(((await db.sendCommand(['CONFIG', 'GET', 'maxmemory'])) as string[])[1]);

    const events: [string, string][] = [];
    const off = await db.onKeyChange('*', (event, key) => events.push([event, key]), { events: 'xe' });
    const raw: string[] = [];
    await db.pSubscribe('__keyspace@0__:session:*', (event, channel) => raw.push(`${event} ${channel}`));

    const value = 'x'.repeat(1000);
    const hot = Array.from({ length: 50 }, (_, i) => `hot:${i}`);
    for (const k of hot) await db.set(k, value);
    const n = 10_000;
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < n; i++) {
      writes.push(db.set(`fill:${i}`, value));
      if (i % 100 === 99) {
        writes.push(db.mGet(hot));
        await Promise.all(writes.splice(0));
      }
    }
    await Promise.all(writes);

    const mem = await db.info();
    const used = field(mem, 'used_memory');
    const evictedKeys = field(mem, 'evicted_keys');
    const hotAlive = await db.exists(hot);
    const recent = Array.from({ length: 200 }, (_, i) => `fill:${n - 1 - i}`);
    const recentAlive = await db.exists(recent);

    // A key that expires, removed by the active expiry cycle (nobody reads it).
    await db.set('session:1', 'token', { PX: 100 });
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && !events.some(([e]) => e === 'expired')) await sleep(20);
    while (Date.now() < deadline && events.filter(([e]) => e === 'evicted').length < evictedKeys) await sleep(20);

    await off();
    await db.quit();
    return {
      maxmemory,
      used,
      evictedKeys,
      hotAlive,
      recentAlive,
      evictedEvents: events.filter(([e]) => e === 'evicted').length,
      evictedOfHot: events.filter(([e, k]) => e === 'evicted' && k.startsWith('hot:')).length,
      expired: events.filter(([e]) => e === 'expired').map(([, k]) => k),
      raw,
    };
  }, CLIENT);

  expect(out.maxmemory).toBe(4 * 1024 * 1024);
  expect(out.used).toBeLessThanOrEqual(out.maxmemory);
  expect(out.evictedKeys).toBeGreaterThan(5000);
  expect(out.hotAlive).toBe(50);
  expect(out.recentAlive).toBe(200);
  expect(out.evictedEvents).toBe(out.evictedKeys);
  expect(out.evictedOfHot).toBe(0);
  expect(out.expired).toEqual(['session:1']);
  expect(out.raw).toEqual(['expired __keyspace@0__:session:1']);
});
