/**
 * Pub/sub from the page (pubsub.ts) against the real worker code over a MessageChannel.
 */
import { describe, expect, it } from 'vitest';
import { testClient } from '../../test/client-worker.js';
import { ClientClosedError } from './index.js';

type Got = [string, string][];

const numsub = async (db: Awaited<ReturnType<typeof testClient>>['db'], ...chs: string[]) =>
  db.sendCommand(['PUBSUB', 'NUMSUB', ...chs]);

describe('subscribe', () => {
  it('delivers (message, channel) as strings decoded from UTF-8; PUBLISH counts the subscriber', async () => {
    const { db } = await testClient();
    const got: Got = [];
    await db.subscribe('news', (m, c) => got.push([m, c]));
    await db.subscribe(['é', 'b'], (m, c) => got.push([m, c]));
    expect(await db.publish('news', 'hello ☃')).toBe(1);
    expect(await db.publish('é', 'ü')).toBe(1);
    expect(await db.publish('nobody', 'x')).toBe(0);
    await expect.poll(() => got).toEqual([
      ['hello ☃', 'news'],
      ['ü', 'é'],
    ]);
  });

  it('a leading U+FEFF is data: kept in messages, channels and replies', async () => {
    const { db } = await testClient();
    const got: Got = [];
    await db.subscribe('\uFEFFc', (m, c) => got.push([m, c]));
    await db.publish('\uFEFFc', '\uFEFFbom');
    await expect.poll(() => got).toEqual([['\uFEFFbom', '\uFEFFc']]);
    await db.set('k', '\uFEFFv');
    expect(await db.get('k')).toBe('\uFEFFv');
  });

  it('the client keeps serving every command: subscriptions live on a session of their own', async () => {
    const { db } = await testClient();
    await db.subscribe('ch', () => {});
    expect(await db.set('k', 'v')).toBe('OK');
    expect(await db.get('k')).toBe('v');
    const clients = String(await db.sendCommand(['CLIENT', 'LIST']));
    expect(clients.split('\n').filter((l) => / flags=P /.test(l))).toHaveLength(1);
    expect(clients).toMatch(/ sub=1 /);
  });

  it('bufferMode: the exact bytes, \\xff and \\xfe apart', async () => {
    const { db } = await testClient();
    const got: [Uint8Array, Uint8Array][] = [];
    await db.subscribe(new Uint8Array([0xfe]), (m, c) => got.push([m, c]), true);
    await db.publish(new Uint8Array([0xfe]), new Uint8Array([0xff, 0x00, 0xfe]));
    await db.publish(new Uint8Array([0xff]), 'not mine');
    await expect.poll(() => got.length).toBe(1);
    expect(got[0][0]).toEqual(new Uint8Array([0xff, 0x00, 0xfe]));
    expect(got[0][1]).toEqual(new Uint8Array([0xfe]));
  });

  it('string and byte listeners share one subscription', async () => {
    const { db } = await testClient();
    const s: string[] = [];
    const b: Uint8Array[] = [];
    await db.subscribe('c', (m) => s.push(m));
    await db.subscribe('c', (m) => b.push(m), true);
    expect(await numsub(db, 'c')).toEqual(['c', 1]);
    expect(await db.publish('c', 'é')).toBe(1);
    await expect.poll(() => s).toEqual(['é']);
    expect(b).toEqual([new Uint8Array([0xc3, 0xa9])]);
  });

  it('a message published in the same tick as subscribe() reaches the listener', async () => {
    const { db } = await testClient();
    const got: string[] = [];
    const subscribed = db.subscribe('now', (m) => got.push(m));
    const n = db.publish('now', 'first');
    await subscribed;
    expect(await n).toBe(1);
    await expect.poll(() => got).toEqual(['first']);
  });

  it('keeps publish order, per publisher and across publishers', async () => {
    const { db } = await testClient();
    const a = db.duplicate();
    const b = db.duplicate();
    const got: string[] = [];
    await db.subscribe('q', (m) => got.push(m));
    const sent: string[] = [];
    const calls: Promise<number>[] = [];
    for (let i = 0; i < 500; i++) {
      calls.push(a.publish('q', `a${i}`));
      sent.push(`a${i}`);
      if (i % 3 === 0) {
        calls.push(b.publish('q', `b${i}`));
        sent.push(`b${i}`);
      }
      if (i % 100 === 99) await Promise.all(calls); // several batches
    }
    await Promise.all(calls);
    await expect.poll(() => got.length).toBe(sent.length);
    expect(got).toEqual(sent);
  });

  it('unsubscribe: one listener, one channel, or all', async () => {
    const { db } = await testClient();
    const got: string[] = [];
    const l1 = (m: string) => got.push(`1:${m}`);
    const l2 = (m: string) => got.push(`2:${m}`);
    await db.subscribe(['x', 'y'], l1);
    await db.subscribe('x', l2);
    await db.unsubscribe('x', l1);
    expect(await numsub(db, 'x', 'y')).toEqual(['x', 1, 'y', 1]);
    await db.publish('x', 'a');
    await db.unsubscribe('x');
    expect(await numsub(db, 'x')).toEqual(['x', 0]);
    await db.publish('x', 'b');
    await db.publish('y', 'c');
    await db.unsubscribe();
    expect(await numsub(db, 'y')).toEqual(['y', 0]);
    await db.publish('y', 'd');
    await db.ping();
    await expect.poll(() => got).toEqual(['2:a', '1:c']);
    // Nothing to undo: resolves without a command.
    await db.unsubscribe('never');
    await db.duplicate().unsubscribe();
  });

  it('a listener removed with bufferMode only leaves that set', async () => {
    const { db } = await testClient();
    const l = () => {};
    await db.subscribe('c', l, true);
    await db.unsubscribe('c', l); // the string set: not there, the subscription stays
    expect(await numsub(db, 'c')).toEqual(['c', 1]);
    await db.unsubscribe('c', l, true);
    expect(await numsub(db, 'c')).toEqual(['c', 0]);
  });

  it('resubscribing while an UNSUBSCRIBE is in flight ends subscribed', async () => {
    const { db } = await testClient();
    const got: string[] = [];
    await db.subscribe('c', () => {});
    const u = db.unsubscribe('c');
    const s = db.subscribe('c', (m) => got.push(m));
    await Promise.all([u, s]);
    expect(await numsub(db, 'c')).toEqual(['c', 1]);
    await db.publish('c', 'back');
    await expect.poll(() => got).toEqual(['back']);
  });

  it('misuse rejects', async () => {
    const { db } = await testClient();
    await expect(db.subscribe([], () => {})).rejects.toThrow(TypeError);
    await expect(db.subscribe('c', 'nope' as unknown as () => void)).rejects.toThrow(TypeError);
    await expect(db.subscribe(5 as unknown as string, () => {})).rejects.toThrow(TypeError);
    expect(await numsub(db, 'c')).toEqual(['c', 0]);
  });
});

describe('pSubscribe', () => {
  it('gets the channel that matched; pUnsubscribe stops it', async () => {
    const { db } = await testClient();
    const got: Got = [];
    await db.pSubscribe('user:*', (m, c) => got.push([m, c]));
    await db.pSubscribe(['h?llo', 'x[ab]'], (m, c) => got.push([m, c]));
    expect(await db.sendCommand(['PUBSUB', 'NUMPAT'])).toBe(3);
    expect(await db.publish('user:1', 'in')).toBe(1);
    await db.publish('hello', 'h');
    await db.publish('xb', 'x');
    await db.publish('xc', 'no');
    await db.pUnsubscribe('user:*');
    await db.publish('user:2', 'no');
    await db.ping();
    await expect.poll(() => got).toEqual([
      ['in', 'user:1'],
      ['h', 'hello'],
      ['x', 'xb'],
    ]);
    await db.pUnsubscribe();
    expect(await db.sendCommand(['PUBSUB', 'NUMPAT'])).toBe(0);
  });

  it('a channel and a pattern both matching: each listener once', async () => {
    const { db } = await testClient();
    const got: string[] = [];
    await db.subscribe('a.b', (m) => got.push(`ch:${m}`));
    await db.pSubscribe('a.*', (m, c) => got.push(`pat:${m}:${c}`));
    expect(await db.publish('a.b', 'm')).toBe(2);
    await expect.poll(() => got).toEqual(['ch:m', 'pat:m:a.b']);
  });

  it('bufferMode patterns give the channel’s bytes', async () => {
    const { db } = await testClient();
    const got: Uint8Array[] = [];
    await db.pSubscribe('b*', (_m, c) => got.push(c), true);
    await db.publish(new Uint8Array([0x62, 0xff]), 'x');
    await expect.poll(() => got).toEqual([new Uint8Array([0x62, 0xff])]);
  });
});

describe('sSubscribe', () => {
  it('shard channels get SPUBLISH messages only', async () => {
    const { db } = await testClient();
    const got: Got = [];
    await db.sSubscribe('shard', (m, c) => got.push([m, c]));
    expect(await db.sPublish('shard', 's1')).toBe(1);
    expect(await db.publish('shard', 'plain')).toBe(0);
    expect(await db.sendCommand(['PUBSUB', 'SHARDNUMSUB', 'shard'])).toEqual(['shard', 1]);
    await db.sUnsubscribe('shard');
    expect(await db.sPublish('shard', 's2')).toBe(0);
    await expect.poll(() => got).toEqual([['s1', 'shard']]);
    await db.sSubscribe(['p', 'q'], () => {});
    await db.sUnsubscribe();
    expect(await db.sendCommand(['PUBSUB', 'SHARDCHANNELS'])).toEqual([]);
  });
});

describe('lifetime', () => {
  it('quit() and disconnect() close the subscriber session with the client', async () => {
    const { db } = await testClient();
    const a = db.duplicate();
    const b = db.duplicate();
    await a.subscribe('c', () => {});
    await b.pSubscribe('c*', () => {});
    expect(await numsub(db, 'c')).toEqual(['c', 1]);
    await a.quit();
    expect(await numsub(db, 'c')).toEqual(['c', 0]);
    await b.disconnect();
    await db.ping();
    expect(await db.sendCommand(['PUBSUB', 'NUMPAT'])).toBe(0);
    await expect(a.subscribe('c', () => {})).rejects.toBeInstanceOf(ClientClosedError);
    await expect(a.unsubscribe('c')).resolves.toBeUndefined();
  });

  it('views of one client share its subscriber; duplicate() has its own', async () => {
    const { db } = await testClient();
    await db.subscribe('c', () => {});
    await db.withBytes().subscribe('c', () => {}, true);
    expect(await numsub(db, 'c')).toEqual(['c', 1]);
    await db.duplicate().subscribe('c', () => {});
    expect(await numsub(db, 'c')).toEqual(['c', 2]);
  });

  it('the worker stops once the last client quit, subscribers included', async () => {
    const { db, w } = await testClient();
    await db.subscribe('c', () => {});
    const host = (await w.host)!;
    expect(host.sessionCount).toBe(2);
    await db.quit();
    expect(host.sessionCount).toBe(0);
  });
});
