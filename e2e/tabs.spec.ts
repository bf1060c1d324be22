/**
 * Many tabs, one database, in Chromium: pages of one on-disk profile, each with its own tabhive worker, sharing
 * through real Web Locks, BroadcastChannel and IndexedDB. What the Node tests (src/replication/) cannot show:
 * real workers, a leader's tab really closed (its worker terminated, its locks released by the browser).
 */
import { expect, test, type Page } from '@playwright/test';
import { launch, openPage, seeded, tempProfile, type Browser, type TestWindow } from './persistence-kit.js';

let profile: Awaited<ReturnType<typeof tempProfile>>;
let browser: Browser;

test.beforeEach(async ({ baseURL }) => {
  profile = await tempProfile();
  browser = await launch(profile.dir, baseURL!);
});

test.afterEach(async () => {
  await browser.close().catch(() => {});
  await profile.remove();
});

const NAME = 'tabs-e2e';

/** Open the database in `page` as `window.db` and wait until this tab knows its role. */
async function connect(page: Page): Promise<void> {
  await page.evaluate(async (name) => {
    const w = window as unknown as TestWindow & { db: unknown };
    const db = await w.tabhive.createClient({ name });
    w.db = db;
  }, NAME);
}

async function role(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const db = (window as unknown as { db: { workerStats(): Promise<{ replication?: { role: string } }> } }).db;
    return (await db.workerStats()).replication?.role ?? 'none';
  });
}

async function tabs(n: number, baseURL: string): Promise<Page[]> {
  const pages = [browser.page];
  for (let i = 1; i < n; i++) pages.push(await openPage(browser.context, baseURL));
  for (const p of pages) await connect(p);
  return pages;
}

type Db = { sendCommand(a: unknown[]): Promise<unknown> };
const cmd = (page: Page, args: (string | number)[]) =>
  page.evaluate((a) => (window as unknown as { db: Db }).db.sendCommand(a), args);

test('three tabs: one leader; 1,000 concurrent INCRs from each make 3,000 in all three', async ({ baseURL }) => {
  test.setTimeout(60_000);
  const pages = await tabs(3, baseURL!);
  const roles = await Promise.all(pages.map(role));
  expect(roles.sort()).toEqual(['leader', 'replica', 'replica']);
  await Promise.all(
    pages.map((p) =>
      p.evaluate(async () => {
        const db = (window as unknown as { db: { incr(k: string): Promise<number> } }).db;
        await Promise.all(Array.from({ length: 1000 }, () => db.incr('n')));
      }),
    ),
  );
  for (const p of pages) await expect.poll(() => cmd(p, ['GET', 'n'])).toBe('3000');
});

test('a MULTI/EXEC transfer loop from all tabs keeps the sum; BLPOP in A is woken by RPUSH in C', async ({ baseURL }) => {
  test.setTimeout(60_000);
  const [a, b, c] = await tabs(3, baseURL!);
  await cmd(a, ['MSET', 'x', '1000', 'y', '1000']);
  await Promise.all(
    [a, b, c].map((p, i) =>
      p.evaluate(async (i) => {
        type Multi = { decrBy(k: string, n: number): Multi; incrBy(k: string, n: number): Multi; exec(): Promise<unknown> };
        const db = (window as unknown as { db: { multi(): Multi } }).db;
        for (let n = 0; n < 100; n++) {
          const from = (n + i) % 2 === 0 ? 'x' : 'y';
          await db.multi().decrBy(from, 7).incrBy(from === 'x' ? 'y' : 'x', 7).exec();
        }
      }, i),
    ),
  );
  for (const p of [a, b, c]) {
    await expect
      .poll(async () => Number(await cmd(p, ['GET', 'x'])) + Number(await cmd(p, ['GET', 'y'])))
      .toBe(2000);
  }
  const popped = a.evaluate(() =>
    (window as unknown as { db: { duplicate(): Db } }).db.duplicate().sendCommand(['BLPOP', 'jobs', '0']),
  );
  await c.waitForTimeout(100);
  await cmd(c, ['RPUSH', 'jobs', 'from-c']);
  expect(await popped).toEqual(['jobs', 'from-c']);
});

test('pub/sub across tabs: every subscriber once, in publish order; NUMSUB counts all tabs', async ({ baseURL }) => {
  const [a, b, c] = await tabs(3, baseURL!);
  for (const p of [a, b]) {
    await p.evaluate(async () => {
      const w = window as unknown as { db: { subscribe(ch: string, l: (m: string) => void): Promise<void> }; got: string[] };
      w.got = [];
      await w.db.subscribe('chat', (m) => w.got.push(m));
    });
  }
  expect(await cmd(c, ['PUBSUB', 'NUMSUB', 'chat'])).toEqual(['chat', 2]);
  for (let i = 0; i < 10; i++) await cmd(c, ['PUBLISH', 'chat', `m${i}`]);
  const want = Array.from({ length: 10 }, (_, i) => `m${i}`);
  for (const p of [a, b]) {
    await expect.poll(() => p.evaluate(() => (window as unknown as { got: string[] }).got)).toEqual(want);
  }
});

test('the leader tab closed at random points of a write burst, 10 times: a new leader within 1 s, nothing lost or doubled', async ({
  baseURL,
}) => {
  test.setTimeout(180_000);
  const random = seeded(20261123);
  let pages = await tabs(3, baseURL!);
  const acked: string[] = [];
  for (let round = 0; round < 10; round++) {
    const roles = await Promise.all(pages.map(role));
    const li = roles.indexOf('leader');
    expect(li, `round ${round}: a leader`).toBeGreaterThanOrEqual(0);
    const leader = pages[li];
    const others = pages.filter((_, i) => i !== li);
    // Every surviving tab fires a burst; the leader is closed somewhere inside it.
    const bursts = others.map((p, i) =>
      p.evaluate(
        async ({ round, i }) => {
          const db = (window as unknown as { db: Db }).db;
          const results = await Promise.allSettled(
            Array.from({ length: 200 }, (_, n) => db.sendCommand(['RPUSH', 'log', `${round}:${i}:${n}`]).then(() => `${round}:${i}:${n}`)),
          );
          return {
            ok: results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])),
            failed: results.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error).message)] : [])),
          };
        },
        { round, i },
      ),
    );
    await leader.waitForTimeout(Math.floor(random() * 40));
    const closedAt = Date.now();
    await leader.close();
    // When a surviving tab first reports itself leader (watched while the bursts go on).
    const leaderSeenAt = (async () => {
      for (;;) {
        if ((await Promise.all(others.map(role))).includes('leader')) return Date.now();
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const outcomes = await Promise.race([
      Promise.all(bursts),
      new Promise<null>((r) => setTimeout(() => r(null), 15_000)),
    ]);
    expect(outcomes, `round ${round}: no call hangs`).not.toBeNull();
    for (const o of outcomes!) {
      acked.push(...o.ok);
      // A failure is only ever the retryable one.
      for (const f of o.failed) expect(f).toMatch(/TRYAGAIN/);
    }
    const took = (await leaderSeenAt) - closedAt;
    console.log(`round ${round}: a new leader seen ${took} ms after the leader's tab closed`);
    expect(took, `round ${round}: a new leader within 1 s`).toBeLessThan(1000);
    expect((await Promise.all(others.map(role))).filter((r) => r === 'leader').length, 'one leader').toBe(1);
    for (const p of others) {
      await expect
        .poll(async () => {
          const log = (await cmd(p, ['LRANGE', 'log', 0, -1])) as string[];
          const have = new Set(log);
          return { missing: acked.filter((x) => !have.has(x)).length, doubled: log.length - have.size };
        })
        .toEqual({ missing: 0, doubled: 0 });
    }
    // A new tab takes the closed one's place.
    const fresh = await openPage(browser.context, baseURL!);
    await connect(fresh);
    pages = [...others, fresh];
  }
});

test('data written from a replica tab survives closing every tab and a browser restart', async ({ baseURL }) => {
  const [a, b] = await tabs(2, baseURL!);
  const replica = (await role(a)) === 'replica' ? a : b;
  await cmd(replica, ['SET', 'kept', 'yes']);
  await replica.evaluate(() => (window as unknown as { db: { flush(): Promise<void> } }).db.flush());
  await browser.close();
  browser = await launch(profile.dir, baseURL!);
  await connect(browser.page);
  expect(await cmd(browser.page, ['GET', 'kept'])).toBe('yes');
});
