/**
 * Persistence failures in Chromium on an on-disk profile, each showing what the page sees and that nothing
 * else is lost: a real quota error (Chromium's quota forced down through the DevTools protocol), records
 * damaged on disk, and a newer version of the database opened while a connection is open.
 */
import { expect, test, type CDPSession } from '@playwright/test';
import { launch, tempProfile, type Browser, type TestWindow } from './persistence-kit.js';

const MISCONF =
  "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";

type Page = Browser['page'];
type Shared = TestWindow & { db: Awaited<ReturnType<TestWindow['tabhive']['createClient']>>; seen: { type: string; message: string }[] };

let browser: Browser;
let profile: Awaited<ReturnType<typeof tempProfile>>;

test.beforeAll(async ({ baseURL }) => {
  profile = await tempProfile();
  browser = await launch(profile.dir, baseURL!);
});

test.afterAll(async () => {
  await browser?.close();
  await profile?.remove();
});

/** Open a client of `name` in the page as `window.db`, recording its persistence events in `window.seen`. */
async function open(page: Page, name: string, durability: 'always' | 'everysec' = 'everysec'): Promise<void> {
  await page.evaluate(
    async ({ name, durability }) => {
      const w = window as unknown as Shared;
      w.db = await w.tabhive.createClient({ name, durability });
      w.seen = [];
      w.db.onPersistence((e) => w.seen.push(e));
    },
    { name, durability },
  );
}

const seen = (page: Page) => page.evaluate(() => (window as unknown as Shared).seen.map((e) => e.type));

test('quota exceeded: pending and further writes get MISCONF, reads go on, writes resume by themselves', async ({
  baseURL,
}) => {
  test.setTimeout(90_000);
  // Chromium takes an origin's quota when its storage is first opened in a browser session, so the data is
  // written in one session and the small quota set at the start of the next, before tabhive opens it.
  const own = await tempProfile();
  try {
    const first = await launch(own.dir, baseURL!);
    await open(first.page, 'quota', 'always');
    await first.page.evaluate(async () => {
      const { db } = window as unknown as Shared;
      await db.set('small', 'kept');
      await db.sendCommand(['RPUSH', 'list', 'a', 'b']);
      await db.quit();
    });
    await first.close();

    const b = await launch(own.dir, baseURL!);
    const cdp: CDPSession = await b.context.newCDPSession(b.page);
    const origin = new URL(baseURL!).origin;
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1 });
    await open(b.page, 'quota', 'always');
    const during = await b.page.evaluate(async () => {
      const { db, seen } = window as unknown as Shared;
      const err = (p: Promise<unknown>) => p.then(() => 'resolved', (e: Error) => `${e.name}: ${e.message}`);
      const started = performance.now();
      const big = await err(db.set('big', 'x'.repeat(1 << 20)));
      const took = performance.now() - started;
      return {
        big,
        took,
        small: await db.get('small'),
        list: await db.sendCommand(['LRANGE', 'list', '0', '-1']),
        next: await err(db.set('next', '1')),
        ping: await err(db.ping()),
        status: { ...db.persistence },
        info: String(await db.sendCommand(['INFO', 'persistence'])),
        events: seen.map((e) => [e.type, e.message]),
      };
    });
    expect(during.big).toBe(`ReplyError: ${MISCONF}`);
    expect(during.took).toBeLessThan(10_000);
    expect(during.small).toBe('kept');
    expect(during.list).toEqual(['a', 'b']);
    expect(during.next).toBe(`ReplyError: ${MISCONF}`);
    expect(during.ping).toBe(`ReplyError: ${MISCONF}`);
    expect(during.status.writeError).toMatch(/QuotaExceededError/);
    expect(during.info).toContain('rdb_last_bgsave_status:err\r\n');
    expect(during.events).toHaveLength(1);
    expect(during.events[0][0]).toBe('write-failed');
    expect(during.events[0][1]).toMatch(/QuotaExceededError/);

    // Quota back: a retry (within 5 s) stores what was pending, and writes are accepted again.
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
    await expect.poll(() => seen(b.page), { timeout: 15_000 }).toEqual(['write-failed', 'write-resumed']);
    const after = await b.page.evaluate(async () => {
      const { db } = window as unknown as Shared;
      const r = await db.set('after', '1');
      await db.quit();
      // A new worker loads what is stored.
      const again = await (window as unknown as Shared).tabhive.createClient({ name: 'quota' });
      const keys = ((await again.sendCommand(['KEYS', '*'])) as string[]).sort();
      const bigLen = await again.strLen('big');
      await again.quit();
      return { r, keys, bigLen };
    });
    expect(after.r).toBe('OK');
    // The write refused after it ran (big) was kept in memory and stored by the retry: nothing was lost.
    expect(after.keys).toEqual(['after', 'big', 'list', 'small']);
    expect(after.bigLen).toBe(1 << 20);
    await b.close();
  } finally {
    await own.remove();
  }
});

test('damaged records: skipped, reported by an event and INFO, the rest loads', async () => {
  const { page } = browser;
  await open(page, 'damaged');
  await page.evaluate(async () => {
    const { db } = window as unknown as Shared;
    await db.set('good', 'v');
    await db.set('flipped', 'value');
    await db.set('truncated', 'a longer value');
    await db.sendCommand(['HSET', 'hash', 'f', 'v']);
    await db.quit();
    // Edit the stored records behind tabhive's back, as a damaged disk would.
    const idb = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('tabhive:damaged');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const tx = idb.transaction('keys', 'readwrite');
    const store = tx.objectStore('keys');
    store.get([0, 'flipped']).onsuccess = (ev) => {
      const rec = (ev.target as IDBRequest).result;
      store.put({ ...rec, value: 'valuE' });
    };
    store.get([0, 'truncated']).onsuccess = (ev) => {
      const rec = (ev.target as IDBRequest).result;
      store.put({ ...rec, value: 'a long' });
    };
    await new Promise((r) => (tx.oncomplete = r));
    idb.close();
  });
  await open(page, 'damaged');
  await expect.poll(() => seen(page)).toEqual(['corrupt']);
  const r = await page.evaluate(async () => {
    const { db, seen } = window as unknown as Shared;
    return {
      message: seen[0].message,
      status: { ...db.persistence },
      good: await db.get('good'),
      hash: await db.sendCommand(['HGET', 'hash', 'f']),
      damaged: await db.sendCommand(['EXISTS', 'flipped', 'truncated']),
      info: String(await db.sendCommand(['INFO', 'persistence'])),
    };
  });
  expect(r.message).toContain('db 0 key "flipped": checksum mismatch');
  expect(r.message).toContain('db 0 key "truncated": checksum mismatch');
  expect(r.status).toMatchObject({ loaded: 2, corrupt: 2, persistent: true });
  expect(r.good).toBe('v');
  expect(r.hash).toBe('v');
  expect(r.damaged).toBe(0);
  expect(r.info).toContain('tabhive_load_records_corrupt:2\r\n');
  await page.evaluate(() => (window as unknown as Shared).db.quit());
});

test('a newer version opened elsewhere: the connection steps aside at once, the page is told', async () => {
  const { page } = browser;
  await open(page, 'upgrade');
  const r = await page.evaluate(async () => {
    const { db, seen } = window as unknown as Shared;
    await db.set('k', 'v');
    await db.flush();
    let blocked = false;
    const started = performance.now();
    const newer = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('tabhive:upgrade', 99);
      req.onblocked = () => (blocked = true);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const took = performance.now() - started;
    const version = newer.version;
    newer.close();
    // The event comes from the worker; give it its turn.
    for (let i = 0; i < 50 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    return {
      blocked,
      took,
      version,
      events: seen.map((e) => [e.type, e.message]),
      persistent: db.persistence.persistent,
      set: await db.set('k2', 'v2'),
      get: await db.get('k'),
    };
  });
  expect(r.blocked).toBe(false);
  expect(r.took).toBeLessThan(5_000);
  expect(r.version).toBe(99);
  expect(r.events).toEqual([
    [
      'memory-only',
      'IndexedDB connection lost (another tab opened a newer version (99) of the database); data is kept in memory only from now on',
    ],
  ]);
  expect(r.persistent).toBe(false);
  expect(r.set).toBe('OK');
  expect(r.get).toBe('v');
});
