/**
 * onKeyChange (keychange.ts) and createClient's server settings (settings.ts) against the real worker code.
 */
import { describe, expect, it } from 'vitest';
import { batches, testClient } from '../../test/client-worker.js';
import { ClientClosedError, escapeGlob, ReplyError, type TabhiveClient } from './index.js';
import type { Op } from '../worker/protocol.js';

const flags = async (db: TabhiveClient) =>
  ((await db.sendCommand(['CONFIG', 'GET', 'notify-keyspace-events'])) as string[])[1];

function infoField(info: string, field: string): number {
  const m = new RegExp(`^${field}:(\\d+)`, 'm').exec(info);
  if (m === null) throw new Error(`no ${field} in INFO`);
  return Number(m[1]);
}

describe('onKeyChange', () => {
  it('calls (event, key) for changes of matching keys, in order; enables K and A', async () => {
    const { db } = await testClient();
    expect(await flags(db)).toBe('');
    const got: [string, string][] = [];
    const off = await db.onKeyChange('user:*', (event, key) => got.push([event, key]));
    expect(await flags(db)).toBe('AK');
    await db.set('user:1', 'ada');
    await db.set('other', 'x');
    await db.expire('user:1', 100);
    await db.sendCommand(['HSET', 'user:é', 'f', 'v']);
    await db.rename('user:1', 'user:2');
    await db.del('user:2');
    await expect.poll(() => got).toEqual([
      ['set', 'user:1'],
      ['expire', 'user:1'],
      ['hset', 'user:é'],
      ['rename_from', 'user:1'],
      ['rename_to', 'user:2'],
      ['del', 'user:2'],
    ]);
    await off();
    await db.set('user:3', 'x');
    await db.ping();
    expect(got).toHaveLength(6);
    // Flags stay: another listener may rely on them.
    expect(await flags(db)).toBe('AK');
  });

  it('widens the flags set by others, never narrows them; concurrent calls keep each other’s', async () => {
    const { db } = await testClient();
    await db.sendCommand(['CONFIG', 'SET', 'notify-keyspace-events', 'Elm']);
    const offs = await Promise.all([
      db.onKeyChange('a', () => {}, { events: 'g' }),
      db.onKeyChange('b', () => {}, { events: '$' }),
      db.onKeyChange('c', () => {}, { events: 'x' }),
    ]);
    expect(await flags(db)).toBe('g$lxKEm');
    await Promise.all(offs.map((off) => off()));
  });

  it('events: only the classes asked for', async () => {
    const clock = { t: 1_700_000_000_000 };
    const { db } = await testClient({}, { engine: { now: () => clock.t } });
    const got: [string, string][] = [];
    await db.onKeyChange('*', (event, key) => got.push([event, key]), { events: 'x' });
    expect(await flags(db)).toBe('xK');
    await db.set('s', 'v', { PX: 50 });
    await db.set('t', 'v');
    clock.t += 100;
    expect(await db.get('s')).toBe(null); // expired on access
    await expect.poll(() => got).toEqual([['expired', 's']]);
  });

  it('sees evicted keys under maxmemory', async () => {
    const { db } = await testClient({ maxmemoryPolicy: 'allkeys-lru' });
    const got: string[] = [];
    await db.onKeyChange('*', (event) => got.push(event), { events: 'e' });
    const used = infoField(await db.info('memory'), 'used_memory');
    await db.sendCommand(['CONFIG', 'SET', 'maxmemory', String(used + 50_000)]);
    for (let i = 0; i < 200; i++) await db.set(`k${i}`, 'x'.repeat(1000));
    await expect.poll(() => got.length).toBeGreaterThan(0);
    expect(new Set(got)).toEqual(new Set(['evicted']));
  });

  it('watches the client’s selected db, or options.db', async () => {
    const { db } = await testClient();
    await db.select(2);
    const inTwo: string[] = [];
    const inZero: string[] = [];
    await db.onKeyChange('*', (_e, key) => inTwo.push(key));
    await db.onKeyChange('*', (_e, key) => inZero.push(key), { db: 0 });
    await db.set('two', '1');
    await db.select(0);
    await db.set('zero', '1');
    await expect.poll(() => [inTwo, inZero]).toEqual([['two'], ['zero']]);
  });

  it('bytes: keys as Uint8Array', async () => {
    const { db } = await testClient();
    const got: [string, Uint8Array][] = [];
    await db.onKeyChange(new Uint8Array([0xff, 0x2a]), (event, key) => got.push([event, key]), { bytes: true });
    await db.set(new Uint8Array([0xff, 0x01]), 'v');
    await expect.poll(() => got).toEqual([['set', new Uint8Array([0xff, 0x01])]]);
  });

  it('escapeGlob watches one key whose name has glob characters', async () => {
    expect(escapeGlob('a*b?[c]\\')).toBe('a\\*b\\?\\[c\\]\\\\');
    const { db } = await testClient();
    const got: string[] = [];
    await db.onKeyChange(escapeGlob('a*b'), (_e, key) => got.push(key));
    await db.set('axb', '1');
    await db.set('a*b', '1');
    await expect.poll(() => got).toEqual(['a*b']);
  });

  it('runs on a private session: stopping it or quitting the client closes that session', async () => {
    const { db, w } = await testClient();
    const host = (await w.host)!;
    const off = await db.onKeyChange('*', () => {});
    await db.onKeyChange('*', () => {});
    expect(host.sessionCount).toBe(3);
    // The client's own session is not in subscribe mode.
    expect(await db.get('k')).toBe(null);
    await off();
    await off();
    expect(host.sessionCount).toBe(2);
    await db.quit();
    expect(host.sessionCount).toBe(0);
    await expect(db.onKeyChange('*', () => {})).rejects.toBeInstanceOf(ClientClosedError);
  });

  it('misuse rejects', async () => {
    const { db } = await testClient();
    await expect(db.onKeyChange('*', () => {}, { events: 'Q' })).rejects.toThrow(TypeError);
    await expect(db.onKeyChange([], () => {})).rejects.toThrow(TypeError);
    await expect(db.onKeyChange('*', null as unknown as () => void)).rejects.toThrow(TypeError);
    await expect(db.onKeyChange('*', () => {}, { db: -1 })).rejects.toThrow(TypeError);
  });
});

describe('createClient settings', () => {
  it('applies maxmemory and maxmemory-policy in the batch that opens the session', async () => {
    const { db, w } = await testClient({ maxmemory: '50mb', maxmemoryPolicy: 'allkeys-lru' });
    const first = batches(w)[0].ops as Op[];
    expect(first[0][0]).toBe('open');
    expect(first[1]).toEqual(['cmd', first[0][1], ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru', 'maxmemory', '50mb'], false]);
    expect(await db.sendCommand(['CONFIG', 'GET', 'maxmemory*'])).toEqual(
      expect.arrayContaining(['maxmemory', '52428800', 'maxmemory-policy', 'allkeys-lru']),
    );
  });

  it('a number of bytes; notifyKeyspaceEvents widens the flags', async () => {
    const { db } = await testClient({ maxmemory: 1_000_000, notifyKeyspaceEvents: 'Ex' });
    expect(await db.sendCommand(['CONFIG', 'GET', 'maxmemory'])).toEqual(['maxmemory', '1000000']);
    expect(await flags(db)).toBe('xE');
  });

  it('a value Redis refuses rejects createClient with Redis’s error', async () => {
    const p = testClient({ maxmemory: 'lots' });
    await expect(p).rejects.toBeInstanceOf(ReplyError);
    await expect(testClient({ maxmemory: 'lots' })).rejects.toThrow(
      "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value",
    );
    await expect(testClient({ maxmemoryPolicy: 'lru' as 'allkeys-lru' })).rejects.toThrow(
      "ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction",
    );
    await expect(testClient({ notifyKeyspaceEvents: 'Q' })).rejects.toThrow(TypeError);
  });

  it('a cache filled past maxmemory stays under it and keeps the keys read recently', async () => {
    const { db } = await testClient({ maxmemory: '2mb', maxmemoryPolicy: 'allkeys-lru' });
    const max = 2 * 1024 * 1024;
    const value = 'v'.repeat(1000);
    for (let i = 0; i < 20; i++) await db.set(`hot:${i}`, value);
    for (let i = 0; i < 6000; i++) {
      await db.set(`cold:${i}`, value);
      if (i % 50 === 0) await db.mGet(Array.from({ length: 20 }, (_, j) => `hot:${j}`));
    }
    const info = await db.info();
    expect(infoField(info, 'used_memory')).toBeLessThanOrEqual(max);
    expect(infoField(info, 'evicted_keys')).toBeGreaterThan(3000);
    expect(await db.exists(Array.from({ length: 20 }, (_, j) => `hot:${j}`))).toBe(20);
  });
});
