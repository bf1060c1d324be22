/**
 * The README's API examples, run in the browser as written there: if this passes, the README tells the truth.
 * The demo page lends its `createClient` (window.tabhiveDemo) so the examples use the page's own module.
 */
import { expect, test } from '@playwright/test';

test('the README examples do what the README says', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('console')).toHaveAttribute('data-ready', 'true');

  const out = await page.evaluate(async () => {
    const { createClient, ReplyError } = window.tabhiveDemo!;
    const seen: Record<string, unknown> = {};

    const db = await createClient({ name: 'readme' });
    seen.set = await db.set('greeting', 'hello');
    seen.get = await db.get('greeting');
    seen.missing = await db.get('nosuchkey');
    seen.setPx = await db.set('session', 'abc', { PX: 30_000 });
    seen.setNx = await db.set('greeting', 'hi', { NX: true });
    seen.setGet = await db.set('greeting', 'hey', { GET: true });
    seen.incr = await db.incr('visits');

    seen.rpush = await db.sendCommand(['RPUSH', 'queue', 'a', 'b', 'c']);
    seen.lrange = await db.sendCommand(['LRANGE', 'queue', '0', '-1']);
    seen.pttl = await db.sendCommand(['PTTL', 'session']);

    await db.set('blob', new Uint8Array([0xff, 0x00, 0xfe]));
    seen.bytes = Array.from((await db.withBytes().get('blob')) as Uint8Array);
    seen.bytesOpt = Array.from((await db.sendCommand(['GET', 'blob'], { bytes: true })) as Uint8Array);
    seen.strlen = await db.sendCommand(['STRLEN', 'blob']);
    await db.set('café', 'é');
    seen.utf8 = [await db.get('café'), await db.sendCommand(['STRLEN', 'café'])];

    try {
      await db.get('queue');
      seen.error = 'no error';
    } catch (e) {
      const r = e as InstanceType<typeof ReplyError>;
      seen.error = [r instanceof ReplyError, r.message, r.code];
    }

    await db.set('user:1', 'ada');
    await db.set('user:2', 'grace');
    const keys: string[] = [];
    for await (const key of db.scanIterator({ MATCH: 'user:*', COUNT: 100 })) keys.push(key);
    seen.scan = keys.sort();

    seen.rpushTodo = await db.rPush('todo', ['write', 'test']);
    seen.lrangeTodo = await db.lRange('todo', 0, -1);
    seen.hset = await db.hSet('person:1', { name: 'Ada', born: 1815 });
    const person = await db.hGetAll('person:1');
    seen.hgetall = [{ ...person }, Object.getPrototypeOf(person) === null];
    seen.hincrby = await db.hIncrBy('person:1', 'visits', 1);
    seen.sadd = await db.sAdd('tags', ['js', 'redis']);
    seen.smismember = await db.smIsMember('tags', ['js', 'go']);
    seen.zadd = await db.zAdd('board', [{ score: 10, value: 'ada' }, { score: 7, value: 'grace' }]);
    seen.zaddGt = await db.zAdd('board', { score: 12, value: 'grace' }, { GT: true, CH: true });
    seen.zrangeWithScores = await db.zRangeWithScores('board', 0, -1, { REV: true });
    seen.zrangeByScore = await db.zRange('board', '+inf', 11, { BY: 'SCORE', REV: true });

    const consumer = db.duplicate();
    let settled = false;
    const job = consumer.blPop('jobs', 0).then((r) => ((settled = true), r));
    seen.whileBlocked = [await db.get('greeting'), settled];
    seen.rpushJobs = await db.rPush('jobs', 'resize');
    seen.job = await job;
    const t0 = performance.now();
    seen.bzpopmin = await consumer.bzPopMin('none', 0.1);
    seen.bzpopminMs = performance.now() - t0;
    await consumer.quit();

    const other = db.duplicate();
    seen.select = await other.sendCommand(['SELECT', '1']);
    seen.otherGet = await other.get('greeting');
    seen.dbGet = await db.get('greeting');
    await other.quit();

    await db.flush();
    seen.quit = await db.quit();
    seen.afterQuit = await db.get('greeting').then(
      () => 'resolved',
      (e: Error) => e.name,
    );

    const mem = await createClient({ name: 'scratch', durability: 'memory' });
    seen.memory = await mem.set('k', 'v');
    await mem.quit();
    return seen;
  });

  expect(out.set).toBe('OK');
  expect(out.get).toBe('hello');
  expect(out.missing).toBeNull();
  expect(out.setPx).toBe('OK');
  expect(out.setNx).toBeNull();
  expect(out.setGet).toBe('hello');
  expect(out.incr).toBe(1);
  expect(out.rpush).toBe(3);
  expect(out.lrange).toEqual(['a', 'b', 'c']);
  expect(out.pttl).toBeGreaterThan(29_000);
  expect(out.pttl).toBeLessThanOrEqual(30_000);
  expect(out.bytes).toEqual([0xff, 0x00, 0xfe]);
  expect(out.bytesOpt).toEqual([0xff, 0x00, 0xfe]);
  expect(out.strlen).toBe(3);
  expect(out.utf8).toEqual(['é', 2]);
  expect(out.error).toEqual([true, 'WRONGTYPE Operation against a key holding the wrong kind of value', 'WRONGTYPE']);
  expect(out.scan).toEqual(['user:1', 'user:2']);
  expect(out.rpushTodo).toBe(2);
  expect(out.lrangeTodo).toEqual(['write', 'test']);
  expect(out.hset).toBe(2);
  expect(out.hgetall).toEqual([{ name: 'Ada', born: '1815' }, true]);
  expect(out.hincrby).toBe(1);
  expect(out.sadd).toBe(2);
  expect(out.smismember).toEqual([true, false]);
  expect(out.zadd).toBe(2);
  expect(out.zaddGt).toBe(1);
  expect(out.zrangeWithScores).toEqual([
    { value: 'grace', score: 12 },
    { value: 'ada', score: 10 },
  ]);
  expect(out.zrangeByScore).toEqual(['grace']);
  expect(out.whileBlocked).toEqual(['hey', false]);
  expect(out.rpushJobs).toBe(1);
  expect(out.job).toEqual({ key: 'jobs', element: 'resize' });
  expect(out.bzpopmin).toBeNull();
  expect(out.bzpopminMs).toBeGreaterThanOrEqual(90);
  expect(out.select).toBe('OK');
  expect(out.otherGet).toBeNull();
  expect(out.dbGet).toBe('hey');
  expect(out.quit).toBe('OK');
  expect(out.afterQuit).toBe('ClientClosedError');
  expect(out.memory).toBe('OK');
});
