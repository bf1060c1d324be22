/**
 * RDB files between a page and redis-server, in Chromium on an on-disk profile:
 * - a page's `exportRdb()` passes redis-check-rdb and loads into redis-server 7.0 with the same values and TTLs;
 * - a file redis-server SAVEd, given to `importRdb()`, replaces the page's database and is still there after the
 *   page reloads (it was stored in IndexedDB).
 * Bytes cross between the page and Node as arrays of numbers (small files).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { checkRdb, RespClient, show, startRedis } from '../test/compat/harness.js';
import { launch, openPage, tempProfile, type TestWindow } from './persistence-kit.js';

test('exportRdb: redis-check-rdb passes the file, redis-server loads it', async ({ baseURL }) => {
  const profile = await tempProfile();
  const dir = mkdtempSync(join(tmpdir(), 'tabhive-rdb-e2e-'));
  const browser = await launch(profile.dir, baseURL!);
  try {
    const bytes = await browser.page.evaluate(async () => {
      const db = await (window as unknown as TestWindow).tabhive.createClient({ name: 'rdb-export' });
      await db.set('greeting', 'héllo', { EX: 1000 });
      await db.sendCommand(['HSET', 'h', '__proto__', 'p', 'field', 'v']);
      await db.rPush('list', ['a', 'b', 'c']);
      await db.sendCommand(['SET', new Uint8Array([0xff]), 'ff']);
      await db.sendCommand(['SET', new Uint8Array([0xfe]), 'fe']);
      await db.sendCommand(['ZADD', 'z', '1.5', 'm']);
      await db.sendCommand(['SELECT', '2']);
      await db.set('in-db-2', 'two');
      return Array.from(await db.exportRdb());
    });
    const file = join(dir, 'page.rdb');
    writeFileSync(file, Uint8Array.from(bytes));
    const check = checkRdb(file);
    expect(check.ok, check.output).toBe(true);
    expect(check.output).toContain('[info] 7 keys read');

    const redis = await startRedis(['--dir', dir, '--dbfilename', 'page.rdb']);
    const c = await RespClient.connect(redis.port);
    try {
      expect(show(await c.call(['GET', 'greeting']))).toBe(show({ t: 'bulk', v: Buffer.from('héllo').toString('latin1') }));
      const ttl = await c.call(['TTL', 'greeting']);
      expect(Number((ttl as { v: string }).v)).toBeGreaterThan(900);
      expect(show(await c.call(['HGET', 'h', '__proto__']))).toBe('"p"');
      expect(show(await c.call(['LRANGE', 'list', '0', '-1']))).toBe(
        show({ t: 'array', v: ['a', 'b', 'c'].map((v) => ({ t: 'bulk', v })) }),
      );
      expect(show(await c.call(['GET', '\xff']))).toBe('"ff"');
      expect(show(await c.call(['GET', '\xfe']))).toBe('"fe"');
      expect(show(await c.call(['ZSCORE', 'z', 'm']))).toBe('"1.5"');
      await c.call(['SELECT', '2']);
      expect(show(await c.call(['GET', 'in-db-2']))).toBe('"two"');
    } finally {
      c.close();
      await redis.stop();
    }
  } finally {
    await browser.close();
    await profile.remove();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("importRdb of redis-server's SAVE replaces the database, and is stored: it is there after a reload", async ({
  baseURL,
}) => {
  // redis-server writes the file.
  const redis = await startRedis();
  const c = await RespClient.connect(redis.port);
  let bytes: number[];
  try {
    for (const args of [
      ['SET', 'from-redis', 'yes'],
      ['SET', '\xff', 'ff'],
      ['HSET', 'h', '__proto__', 'p'],
      ['RPUSH', 'list', '1', '2', '3'],
      ['SADD', 'set', 'x', 'y'],
      ['SET', 'ttl', 'v', 'EX', '5000'],
      ['SELECT', '5'],
      ['SET', 'in-db-5', 'five'],
      ['SAVE'],
    ]) {
      expect((await c.call(args)).t).not.toBe('err');
    }
    const dirReply = await c.call(['CONFIG', 'GET', 'dir']);
    const redisDir = dirReply.t === 'array' && dirReply.v[1].t === 'bulk' ? dirReply.v[1].v : '';
    bytes = Array.from(readFileSync(join(redisDir, 'dump.rdb')));
  } finally {
    c.close();
    await redis.stop();
  }

  const profile = await tempProfile();
  const browser = await launch(profile.dir, baseURL!);
  try {
    const summary = await browser.page.evaluate(async (bytes) => {
      const db = await (window as unknown as TestWindow).tabhive.createClient({ name: 'rdb-import' });
      await db.set('before', 'gone after the import');
      return db.importRdb(Uint8Array.from(bytes));
    }, bytes);
    expect(summary).toEqual({ version: 10, loaded: 7, expired: 0, warnings: [] });

    await openPage(browser.context, baseURL!, browser.page);
    const back = await browser.page.evaluate(async () => {
      const db = await (window as unknown as TestWindow).tabhive.createClient({ name: 'rdb-import' });
      const ff = (await db.sendCommand(['GET', new Uint8Array([0xff])], { bytes: true })) as Uint8Array;
      const out = {
        loaded: db.persistence.loaded,
        fromRedis: await db.get('from-redis'),
        ff: Array.from(ff),
        proto: await db.hGet('h', '__proto__'),
        list: await db.lRange('list', 0, -1),
        set: (await db.sMembers('set')).sort(),
        ttl: await db.ttl('ttl'),
        before: await db.exists('before'),
        db5: '' as string | null,
      };
      await db.sendCommand(['SELECT', '5']);
      out.db5 = await db.get('in-db-5');
      return out;
    });
    expect(back).toMatchObject({
      loaded: 7,
      fromRedis: 'yes',
      ff: [0x66, 0x66],
      proto: 'p',
      list: ['1', '2', '3'],
      set: ['x', 'y'],
      before: 0,
      db5: 'five',
    });
    expect(back.ttl).toBeGreaterThan(4900);
  } finally {
    await browser.close();
    await profile.remove();
  }
});
