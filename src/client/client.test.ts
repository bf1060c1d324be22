/**
 * The client against the real worker code (host.ts) over a Node MessageChannel — the same structured-clone
 * wire as a Worker — with fake-indexeddb for persistence. The browser itself is covered by e2e/.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Store } from '../persist/store.js';
import { Ctx } from '../engine/ctx.js';
import { NULL_ARRAY } from '../engine/reply.js';
import { serve, type Endpoint, type Host, type HostOptions } from '../worker/host.js';
import type { BatchView, ToWorker } from '../worker/protocol.js';
import type { WorkerLike } from './connection.js';
import { ClientClosedError, createClient, ReplyError, WorkerError, type TabhiveClient } from './index.js';

interface Harness {
  port: MessagePort;
  /** Page → worker messages posted so far: control calls, and batches as operations (the tap). */
  sent: (ToWorker | BatchView)[];
  /** While true, messages to the worker wait (a busy worker); `release()` delivers them. */
  hold: boolean;
  release: () => void;
  worker: WorkerLike;
  /** The worker's engine host, once started. */
  host: Promise<Host | null>;
  stop: () => Promise<void>;
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
});

let seq = 0;
function freshName(): string {
  return `client-test-${process.pid}-${++seq}`;
}

/** A worker: host.ts serving one end of a MessageChannel; the other end, wrapped to watch it, for the client. */
function harness(opts: HostOptions = {}): Harness {
  const { port1, port2 } = new MessageChannel();
  const server = serve(port2 as unknown as Endpoint, { flushDelayMs: 3_600_000, ...opts });
  const held: ToWorker[] = [];
  const h: Harness = {
    port: port1,
    sent: [],
    hold: false,
    release: () => {
      h.hold = false;
      for (const m of held.splice(0)) port1.postMessage(m);
    },
    worker: {
      postMessage(m: ToWorker) {
        // Batches ride this port too (OpenRequest.direct): recorded as operations, by the tap.
        if (m.t !== 'batch') h.sent.push(m);
        if (h.hold) held.push(m);
        else port1.postMessage(m);
      },
      addEventListener: (type, l) => port1.addEventListener(type, l as (ev: Event) => void),
      removeEventListener: (type, l) => port1.removeEventListener(type, l as (ev: Event) => void),
      start: () => port1.start(),
      close: () => port1.close(),
      tap: (m: BatchView) => h.sent.push(m),
    } as WorkerLike & { close(): void },
    host: server.host,
    stop: async () => {
      await server.stop();
      port1.close();
      port2.close();
    },
  };
  stops.push(h.stop);
  return h;
}

async function client(name = freshName(), opts: HostOptions = {}): Promise<{ db: TabhiveClient; h: Harness }> {
  const h = harness(opts);
  const db = await createClient({ name, worker: h.worker });
  return { db, h };
}

const batches = (h: Harness) => h.sent.filter((m) => m.t === 'batch' && 'ops' in m);

/** Whether the engine has these commands yet (families land separately); tests needing them wait for them. */

describe('commands', () => {
  it('sendCommand reaches any command; replies are plain JS values', async () => {
    const { db } = await client();
    expect(await db.sendCommand(['SET', 'a', '1'])).toBe('OK');
    expect(await db.sendCommand(['GET', 'a'])).toBe('1');
    expect(await db.sendCommand(['INCR', 'a'])).toBe(2);
    expect(await db.sendCommand(['GET', 'nope'])).toBe(null);
    expect(await db.sendCommand(['RPUSH', 'l', 'x', 'y'])).toBe(2);
    expect(await db.sendCommand(['LRANGE', 'l', 0, -1])).toEqual(['x', 'y']);
    expect(await db.sendCommand(['PING'])).toBe('PONG');
  });

  it('a JS string means its UTF-8 bytes; bulk replies decode from UTF-8', async () => {
    const { db } = await client();
    await db.set('clé', 'été ☃ 𝄞');
    expect(await db.strLen('clé')).toBe(Buffer.byteLength('été ☃ 𝄞'));
    expect(await db.get('clé')).toBe('été ☃ 𝄞');
    expect(await db.keys('*')).toEqual(['clé']);
  });

  it('bytes: Uint8Array in, Uint8Array out with withBytes() or { bytes: true }; \\xff and \\xfe stay apart', async () => {
    const { db } = await client();
    await db.set(new Uint8Array([0xff]), new Uint8Array([1, 0, 255]));
    await db.set(new Uint8Array([0xfe]), 'fe');
    expect(await db.dbSize()).toBe(2);
    const b = db.withBytes();
    expect(await b.get(new Uint8Array([0xff]))).toEqual(new Uint8Array([1, 0, 255]));
    expect(await db.sendCommand(['GET', new Uint8Array([0xfe])], { bytes: true })).toEqual(new Uint8Array([0x66, 0x65]));
    const keys = (await b.keys('*')).map((k) => [...k]).sort();
    expect(keys).toEqual([[0xfe], [0xff]]);
    // The string view of the same session is unaffected.
    expect(await db.get(new Uint8Array([0xfe]))).toBe('fe');
    // Simple strings and integers are not bulk strings.
    expect(await b.set('x', '1')).toBe('OK');
    expect(await b.incr('x')).toBe(2);
  });

  it('an error reply rejects with ReplyError carrying Redis’s text', async () => {
    const { db } = await client();
    await db.sendCommand(['RPUSH', 'l', 'a']);
    const e = await db.get('l').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ReplyError);
    expect((e as ReplyError).name).toBe('ReplyError');
    expect((e as ReplyError).message).toBe('WRONGTYPE Operation against a key holding the wrong kind of value');
    expect((e as ReplyError).code).toBe('WRONGTYPE');
    await expect(db.sendCommand(['NOSUCH', 'x'])).rejects.toThrow(
      "ERR unknown command 'NOSUCH', with args beginning with: 'x' ",
    );
    await expect(db.sendCommand(['GET'])).rejects.toThrow("ERR wrong number of arguments for 'get' command");
  });

  it('integers beyond 2^53 come back as bigint', async () => {
    const { db } = await client();
    await db.set('n', '9007199254740993');
    expect(await db.incr('n')).toBe(9007199254740994n);
    expect(await db.incrBy('m', 2n ** 60n)).toBe(2n ** 60n);
  });
});

describe('auto-pipelining', () => {
  it('sends a tick’s commands in one message and resolves them in order', async () => {
    const { db, h } = await client();
    const before = batches(h).length;
    const order: number[] = [];
    const calls = Array.from({ length: 500 }, (_, i) =>
      db.set(`k${i}`, String(i)).then(() => db.get(`k${i}`)).then((v) => {
        order.push(Number(v));
      }),
    );
    const sets = batches(h).length;
    expect(sets).toBe(before); // nothing sent synchronously
    await Promise.all(calls);
    // One batch for the 500 SETs, one for the 500 GETs issued as they resolved (same tick).
    expect(batches(h).length - before).toBe(2);
    expect(order).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });

  it('a SET and a PTTL issued together run back to back', async () => {
    const { db } = await client();
    const [, ttl] = await Promise.all([db.set('e', 'v', { PX: 200 }), db.sendCommand(['PTTL', 'e'])]);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(200);
  });

  it('answers batches in order even when one waits for IndexedDB', async () => {
    const { db } = await client();
    const seen: string[] = [];
    await db.set('a', '1');
    const f = db.flush().then(() => seen.push('flush'));
    await Promise.resolve();
    await Promise.resolve();
    const g = db.get('a').then(() => seen.push('get'));
    await Promise.all([f, g]);
    expect(seen).toEqual(['flush', 'get']);
  });

  it('commands ride the worker’s own port beside Comlink’s calls; a second connection gets a port of its own', async () => {
    const name = freshName();
    const { db, h } = await client(name);
    const comlinkSeen: unknown[] = [];
    // Page side: what reaches a listener added after the connection's is only Comlink's traffic.
    const later = (ev: Event) => comlinkSeen.push((ev as MessageEvent).data);
    h.port.addEventListener('message', later);
    const raw: unknown[] = [];
    const post = h.worker.postMessage.bind(h.worker);
    h.worker.postMessage = (m: unknown, t?: Transferable[]) => {
      raw.push(m);
      post(m, t);
    };
    expect(await db.set('a', '1')).toBe('OK');
    expect(await db.workerStats()).toMatchObject({ connections: 1 });
    expect(raw.some((m) => (m as { t?: unknown }).t === 'batch')).toBe(true);
    expect(comlinkSeen.length).toBeGreaterThan(0);
    expect(comlinkSeen.every((m) => (m as { t?: unknown }).t === undefined)).toBe(true);
    h.port.removeEventListener('message', later);

    // The same worker opened again (createClient given it twice): the endpoint's stream is taken.
    // (Closing either would stop the worker both share: the test's end does.)
    const other = await createClient({ name, worker: h.worker });
    expect(await other.get('a')).toBe('1');
    expect(await other.set('b', '2')).toBe('OK');
    expect(await db.workerStats()).toMatchObject({ connections: 2 });
    expect(await db.get('b')).toBe('2');
  });
});

describe('typed methods', () => {
  it('string family with node-redis shapes', async () => {
    const { db } = await client();
    expect(await db.set('k', 'v', { NX: true })).toBe('OK');
    expect(await db.set('k', 'w', { NX: true })).toBe(null);
    expect(await db.set('k', 'w', { GET: true })).toBe('v');
    expect(await db.set('k', 'x', { XX: true, KEEPTTL: true })).toBe('OK');
    await expect(db.set('k', 'x', { EX: 1, PX: 1 })).rejects.toThrow('ERR syntax error');
    expect(await db.setNX('k', 'y')).toBe(false);
    expect(await db.setNX('k2', 'y')).toBe(true);
    expect(await db.setEx('t', 100, 'v')).toBe('OK');
    expect(await db.ttl('t')).toBe(100);
    expect(await db.pSetEx('pt', 5000, 'v')).toBe('OK');
    expect(await db.pTTL('pt')).toBeGreaterThan(4900);
    expect(await db.getEx('pt', { PERSIST: true })).toBe('v');
    expect(await db.pTTL('pt')).toBe(-1);
    expect(await db.getEx('pt', { EX: 7 })).toBe('v');
    expect(await db.ttl('pt')).toBe(7);
    expect(await db.getSet('k', 'z')).toBe('x');
    expect(await db.getDel('k')).toBe('z');
    expect(await db.exists('k')).toBe(0);
    expect(await db.append('s', 'Hello')).toBe(5);
    expect(await db.setRange('s', 5, ' World')).toBe(11);
    expect(await db.getRange('s', 0, 4)).toBe('Hello');
    expect(await db.strLen('s')).toBe(11);
    expect(await db.incr('n')).toBe(1);
    expect(await db.incrBy('n', 10)).toBe(11);
    expect(await db.decr('n')).toBe(10);
    expect(await db.decrBy('n', 4)).toBe(6);
    expect(await db.incrByFloat('f', 1.5)).toBe('1.5');
    expect(await db.mSet({ a: '1', b: '2' })).toBe('OK');
    expect(await db.mSet([['c', '3'], ['d', '4']])).toBe('OK');
    expect(await db.mSet(['e', '5', 'f2', 6])).toBe('OK');
    expect(await db.mGet(['a', 'b', 'c', 'd', 'e', 'f2', 'none'])).toEqual(['1', '2', '3', '4', '5', '6', null]);
    expect(await db.mSetNX({ a: 'x', zz: 'y' })).toBe(false);
    expect(await db.mSetNX({ y1: 'x', y2: 'y' })).toBe(true);
  });

  it('LCS in its forms', async () => {
    const { db } = await client();
    await db.mSet({ key1: 'ohmytext', key2: 'mynewtext' });
    expect(await db.lcs('key1', 'key2')).toBe('mytext');
    expect(await db.lcsLen('key1', 'key2')).toBe(6);
    expect(await db.lcsIdx('key1', 'key2')).toEqual({
      matches: [
        { key1: { start: 4, end: 7 }, key2: { start: 5, end: 8 } },
        { key1: { start: 2, end: 3 }, key2: { start: 0, end: 1 } },
      ],
      length: 6,
    });
    expect(await db.lcsIdxWithMatchLen('key1', 'key2', { MINMATCHLEN: 4 })).toEqual({
      matches: [{ key1: { start: 4, end: 7 }, key2: { start: 5, end: 8 }, length: 4 }],
      length: 6,
    });
  });

  it('generic family with node-redis shapes', async () => {
    const { db } = await client();
    await db.mSet({ a: '1', b: '2', c: '3' });
    expect(await db.exists('a', 'b', 'nope')).toBe(2);
    expect(await db.exists(['a', 'a'])).toBe(2);
    expect(await db.touch('a', 'b')).toBe(2);
    expect(await db.expire('a', 100)).toBe(true);
    expect(await db.expire('a', 50, 'GT')).toBe(false);
    expect(await db.pExpire('a', 200_000, 'GT')).toBe(true);
    expect(await db.ttl('a')).toBe(200);
    expect(await db.persist('a')).toBe(true);
    const at = new Date(Date.now() + 3_600_000);
    expect(await db.expireAt('a', at)).toBe(true);
    expect(await db.expireTime('a')).toBe(Math.floor(at.getTime() / 1000));
    expect(await db.pExpireAt('b', at)).toBe(true);
    expect(await db.pExpireTime('b')).toBe(at.getTime());
    expect(await db.type('a')).toBe('string');
    expect(await db.type('none')).toBe('none');
    expect(await db.rename('c', 'c2')).toBe('OK');
    expect(await db.renameNX('c2', 'a')).toBe(false);
    expect(await db.copy('c2', 'c3')).toBe(true);
    expect(await db.copy('c2', 'c3')).toBe(false);
    expect(await db.copy('c2', 'c3', { replace: true })).toBe(true);
    expect(await db.copy('c2', 'x', { destinationDb: 2 })).toBe(true);
    expect(await db.move('c3', 3)).toBe(true);
    expect((await db.keys('c*')).sort()).toEqual(['c2']);
    expect(['a', 'b', 'c2']).toContain(await db.randomKey());
    expect(await db.objectEncoding('a')).toBe('int');
    expect(await db.objectEncoding('nope')).toBe(null);
    expect(await db.del('a', ['b'])).toBe(2);
    expect(await db.unlink('c2', 'nope')).toBe(1);
    expect(await db.dbSize()).toBe(0);
    expect(await db.randomKey()).toBe(null);
  });

  it('scan and scanIterator walk every key once', async () => {
    const { db } = await client();
    const all = Array.from({ length: 250 }, (_, i) => `user:${i}`);
    await db.mSet(all.flatMap((k) => [k, 'x']));
    await db.sendCommand(['RPUSH', 'user:list', 'a']);
    const first = await db.scan(0, { COUNT: 10 });
    expect(typeof first.cursor).toBe('number');
    expect(first.keys.length).toBeGreaterThan(0);
    const seen: string[] = [];
    for await (const k of db.scanIterator({ MATCH: 'user:*', TYPE: 'string', COUNT: 50 })) seen.push(k);
    expect(seen.sort()).toEqual(all.sort());
  });

  it('ping', async () => {
    const { db } = await client();
    expect(await db.ping()).toBe('PONG');
    expect(await db.ping('hi')).toBe('hi');
  });

  it('time', async () => {
    const { db } = await client();
    const t = await db.time();
    expect(t).toBeInstanceOf(Date);
    expect(Math.abs(t.getTime() - Date.now())).toBeLessThan(5000);
    expect(t.microseconds).toBeGreaterThanOrEqual(0);
  });

  it('info', async () => {
    const { db } = await client();
    expect(await db.info('keyspace')).toContain('# Keyspace');
  });

  it('select, swapDb, flushDb, flushAll', async () => {
    const { db } = await client();
    await db.set('k', 'v');
    expect(await db.select(1)).toBe('OK');
    expect(await db.get('k')).toBe(null);
    expect(await db.swapDb(0, 1)).toBe('OK');
    expect(await db.get('k')).toBe('v');
    expect(await db.flushDb()).toBe('OK');
    expect(await db.dbSize()).toBe(0);
    await db.set('k', 'v');
    expect(await db.flushAll('SYNC')).toBe('OK');
    expect(await db.dbSize()).toBe(0);
  });
});

it('ECHO', async () => {
  const { db } = await client();
  expect(await db.echo('é')).toBe('é');
});

it('each client has a session of its own (CLIENT ID)', async () => {
  const { db } = await client();
  const other = db.duplicate();
  expect(await db.sendCommand(['CLIENT', 'ID'])).not.toBe(await other.sendCommand(['CLIENT', 'ID']));
});

describe('pub/sub', () => {
  it('SUBSCRIBE resolves with its acks; messages arrive through onPush', async () => {
    const { db } = await client();
    const sub = db.duplicate();
    const got: unknown[] = [];
    const off = sub.onPush((m) => got.push(m));
    expect(await sub.sendCommand(['SUBSCRIBE', 'a', 'é'])).toEqual([
      ['subscribe', 'a', 1],
      ['subscribe', 'é', 2],
    ]);
    expect(await db.sendCommand(['PUBLISH', 'é', 'hello ☃'])).toBe(1);
    await expect.poll(() => got).toEqual([['message', 'é', 'hello ☃']]);
    // In RESP2 subscribe mode other commands are refused, in Redis's words.
    await expect(sub.get('k')).rejects.toThrow(
      "ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context",
    );
    off();
    expect(await db.sendCommand(['PUBLISH', 'a', 'x'])).toBe(1);
    expect(await sub.sendCommand(['UNSUBSCRIBE'])).toEqual([
      ['unsubscribe', 'a', 1],
      ['unsubscribe', 'é', 0],
    ]);
    expect(got).toHaveLength(1);
  });
});

describe('a command that blocks (the engine’s blocking machinery, driven directly)', () => {
  /**
   * FAKEBLOCK key [timeout-ms]: blocks like BLPOP until `key` exists, then answers 'served:<key>'; times out with
   * a null array. Stands in for the list family's blocking commands so the worker's handling is tested alone.
   */
  async function withFakeBlock(): Promise<{ db: TabhiveClient; h: Harness }> {
    const r = await client();
    const host = (await r.h.host)!;
    const engine = host.engine;
    const execute = engine.execute.bind(engine);
    engine.execute = (s, argv) => {
      if (argv[0] !== 'FAKEBLOCK') return execute(s, argv);
      const serveKey = (c: Ctx, key: string) => (c.db.dict.has(key) ? `served:${key}` : undefined);
      const ctx = new Ctx(engine, s, argv, 2);
      const now = serveKey(ctx, argv[1]);
      if (now !== undefined) return now;
      return engine.blocking.block(ctx, [argv[1]], Number(argv[2] ?? 0), serveKey, NULL_ARRAY);
    };
    return r;
  }

  it('answers when served; the session’s next commands wait for it, other sessions do not', async () => {
    const { db } = await withFakeBlock();
    const waiter = db.duplicate();
    const order: string[] = [];
    const blocked = waiter.sendCommand(['FAKEBLOCK', 'q']).then((r) => (order.push('blocked'), r));
    const after = waiter.sendCommand(['EXISTS', 'q']).then((r) => (order.push('after'), r));
    expect(await db.ping()).toBe('PONG');
    expect(await db.ping()).toBe('PONG');
    expect(order).toEqual([]);
    expect(await db.set('q', 'x')).toBe('OK');
    expect(await blocked).toBe('served:q');
    expect(await after).toBe(1);
    expect(order).toEqual(['blocked', 'after']);
  });

  it('a command served within its own batch', async () => {
    const { db } = await withFakeBlock();
    const waiter = db.duplicate();
    const [blocked, , after] = await Promise.all([
      waiter.sendCommand(['FAKEBLOCK', 'k']),
      db.set('k', 'v'),
      waiter.get('k'),
    ]);
    expect(blocked).toBe('served:k');
    expect(after).toBe('v');
  });

  it('commands held behind a block that block again wait in turn', async () => {
    const { db } = await withFakeBlock();
    const waiter = db.duplicate();
    const first = waiter.sendCommand(['FAKEBLOCK', 'a']);
    const second = waiter.sendCommand(['FAKEBLOCK', 'b']);
    const third = waiter.get('a');
    await db.set('a', '1');
    expect(await first).toBe('served:a');
    await db.ping();
    let settled = false;
    void third.then(() => (settled = true));
    await db.ping();
    expect(settled).toBe(false);
    await db.set('b', '1');
    expect(await second).toBe('served:b');
    expect(await third).toBe('1');
  });

  it('times out with the timeout reply, and CLIENT UNBLOCK works', async () => {
    const { db } = await withFakeBlock();
    expect(await db.sendCommand(['FAKEBLOCK', 'none', 20])).toBe(null);
    const waiter = db.duplicate();
    const id = await waiter.sendCommand(['CLIENT', 'ID']);
    const blocked = expect(waiter.sendCommand(['FAKEBLOCK', 'none'])).rejects.toThrow(
      'UNBLOCKED client unblocked via CLIENT UNBLOCK',
    );
    await db.ping();
    expect(await db.sendCommand(['CLIENT', 'UNBLOCK', id as number, 'ERROR'])).toBe(1);
    await blocked;
  });

  it('closing a blocked client rejects its waiting calls', async () => {
    const { db } = await withFakeBlock();
    const waiter = db.duplicate();
    const blocked = waiter.sendCommand(['FAKEBLOCK', 'q']);
    const next = waiter.ping();
    await db.ping();
    await waiter.quit();
    await expect(blocked).rejects.toBeInstanceOf(ClientClosedError);
    await expect(next).rejects.toBeInstanceOf(ClientClosedError);
    expect(await db.set('q', 'x')).toBe('OK');
  });

  it('a dead worker rejects blocked calls too', async () => {
    const { db, h } = await withFakeBlock();
    const blocked = db.sendCommand(['FAKEBLOCK', 'q']);
    await db.duplicate().ping();
    h.port.dispatchEvent(new Event('error'));
    await expect(blocked).rejects.toBeInstanceOf(WorkerError);
  });
});

describe('blocking commands', () => {
  it('a blocked command answers when served; its session’s next commands wait for it', async () => {
    const { db } = await client();
    const waiter = db.duplicate();
    const order: string[] = [];
    const popped = waiter.sendCommand(['BLPOP', 'q', 0]).then((r) => {
      order.push('blpop');
      return r;
    });
    const after = waiter.sendCommand(['LLEN', 'q']).then((r) => {
      order.push('llen');
      return r;
    });
    // Other sessions are not held up.
    expect(await db.ping()).toBe('PONG');
    expect(order).toEqual([]);
    expect(await db.sendCommand(['RPUSH', 'q', 'a', 'b'])).toBe(2);
    expect(await popped).toEqual(['q', 'a']);
    expect(await after).toBe(1);
    expect(order).toEqual(['blpop', 'llen']);
  });

  it('a blocked command times out with its timeout reply', async () => {
    const { db } = await client();
    expect(await db.sendCommand(['BLPOP', 'none', '0.05'])).toBe(null);
  });

  it('closing a blocked client rejects its waiting calls', async () => {
    const { db } = await client();
    const waiter = db.duplicate();
    const popped = waiter.sendCommand(['BLPOP', 'q', 0]);
    const next = waiter.ping();
    await db.ping();
    await waiter.quit();
    await expect(popped).rejects.toBeInstanceOf(ClientClosedError);
    await expect(next).rejects.toBeInstanceOf(ClientClosedError);
    expect(await db.sendCommand(['RPUSH', 'q', 'a'])).toBe(1);
  });

  it('a dead worker rejects blocked calls too', async () => {
    const { db, h } = await client();
    const popped = db.sendCommand(['BLPOP', 'q', 0]);
    await db.duplicate().ping();
    h.port.dispatchEvent(new Event('error'));
    await expect(popped).rejects.toBeInstanceOf(WorkerError);
  });
});

describe('sessions', () => {
  it('duplicate() makes a client with its own session', async () => {
    const { db } = await client();
    const other = db.duplicate();
    await other.select(5);
    await other.set('k', 'in5');
    expect(await db.get('k')).toBe(null);
    expect(await other.get('k')).toBe('in5');
  });

  it('two createClient calls for one name share the worker (the test hands each its own worker)', async () => {
    const name = freshName();
    const { db: a } = await client(name);
    await a.set('k', 'v');
    await a.quit();
    // A worker of its own loads what the first one stored at quit.
    const { db: b } = await client(name);
    expect(await b.get('k')).toBe('v');
  });
});

describe('misuse', () => {
  it('rejects an argument that is not a string, number or Uint8Array with a TypeError', async () => {
    const { db } = await client();
    await expect(db.sendCommand(['SET', 'k', {} as unknown as string])).rejects.toThrow(TypeError);
    await expect(db.sendCommand(['SET', 'k', null as unknown as string])).rejects.toThrow(
      'tabhive: argument 2 of SET is null; expected a string, a number or a Uint8Array',
    );
    await expect(db.set('k', undefined as unknown as string)).rejects.toThrow(TypeError);
    await expect(db.sendCommand([])).rejects.toThrow(TypeError);
    await expect(db.sendCommand('GET k' as unknown as string[])).rejects.toThrow(TypeError);
    // Nothing of that reached the worker, and the client still works.
    expect(await db.ping()).toBe('PONG');
  });

  it('rejects calls on a closed client', async () => {
    const { db } = await client();
    const dup = db.duplicate();
    expect(await db.quit()).toBe('OK');
    expect(db.isOpen).toBe(false);
    await expect(db.get('k')).rejects.toBeInstanceOf(ClientClosedError);
    await expect(db.get('k')).rejects.toThrow('The client is closed');
    await expect(db.quit()).rejects.toBeInstanceOf(ClientClosedError);
    expect(() => db.duplicate()).toThrow(ClientClosedError);
    // The other session is unaffected.
    expect(await dup.ping()).toBe('PONG');
  });

  it('disconnect() rejects the client’s own pending calls at once', async () => {
    const { db, h } = await client();
    const other = db.duplicate();
    h.hold = true;
    const pending = db.get('k');
    const otherPending = other.ping();
    await db.disconnect();
    await expect(pending).rejects.toThrow('The client was disconnected');
    expect(db.isOpen).toBe(false);
    h.release();
    expect(await otherPending).toBe('PONG');
    expect(await other.ping()).toBe('PONG');
  });

  it('QUIT sent as a command closes the client', async () => {
    const { db } = await client();
    expect(await db.sendCommand(['QUIT'])).toBe('OK');
    expect(db.isOpen).toBe(false);
    await expect(db.ping()).rejects.toBeInstanceOf(ClientClosedError);
  });
});

describe('a dead worker', () => {
  it('rejects every pending call and every later one', async () => {
    const { db, h } = await client();
    const other = db.duplicate();
    await db.set('k', 'v');
    h.hold = true;
    const pending = [db.get('k'), other.get('k'), db.flush()];
    h.port.dispatchEvent(new Event('error'));
    for (const p of pending) await expect(p).rejects.toBeInstanceOf(WorkerError);
    await expect(db.get('k')).rejects.toThrow('tabhive: the worker failed');
    await expect(other.ping()).rejects.toBeInstanceOf(WorkerError);
    expect(db.isOpen).toBe(false);
  });

  it('a worker that cannot start fails createClient', async () => {
    const h = harness({
      engine: { config: { hz: 'not a number' } },
    });
    await expect(createClient({ name: freshName(), worker: h.worker })).rejects.toThrow(
      'tabhive: the worker could not start',
    );
  });
});

describe('persistence', () => {
  it('keeps data across workers: flush() then a new worker loads it', async () => {
    const name = freshName();
    const { db } = await client(name);
    await db.set('s', 'v');
    await db.set('ttl', 'v', { EX: 1000 });
    await db.sendCommand(['HSET', 'h', 'f', 'v']);
    await db.select(2);
    await db.set(new Uint8Array([0xff, 0x00]), new Uint8Array([0xfe]));
    await db.flush();
    const { db: again } = await client(name);
    expect(again.persistence).toEqual({ durability: 'everysec', persistent: true, loaded: 4, expired: 0, corrupt: 0 });
    expect(await again.get('s')).toBe('v');
    expect(await again.ttl('ttl')).toBeGreaterThan(990);
    expect(await again.sendCommand(['HGET', 'h', 'f'])).toBe('v');
    await again.select(2);
    expect(await again.withBytes().get(new Uint8Array([0xff, 0x00]))).toEqual(new Uint8Array([0xfe]));
  });

  it('quit() and closing the last session write pending changes', async () => {
    const name = freshName();
    const { db } = await client(name);
    const dup = db.duplicate();
    await db.set('a', '1');
    await db.quit();
    await dup.set('b', '2');
    await dup.disconnect();
    // disconnect() does not wait; the worker's final flush answers the close it sent.
    const { db: again } = await client(name);
    await expect.poll(() => again.dbSize()).toBe(2);
  });

  it("durability 'memory' stores nothing", async () => {
    const name = freshName();
    const h = harness();
    const db = await createClient({ name, durability: 'memory', worker: h.worker });
    expect(db.persistence).toEqual({ durability: 'memory', persistent: false, loaded: 0, expired: 0, corrupt: 0 });
    await db.set('k', 'v');
    await db.flush();
    const { db: again } = await client(name);
    expect(await again.get('k')).toBe(null);
  });

  it('works in memory, and says so, when IndexedDB cannot be opened', async () => {
    const warn = vi.fn();
    const { db } = await client(freshName(), {
      warn,
      openStore: () => Promise.reject(new Error('backing store broken')),
    });
    expect(db.persistence.persistent).toBe(false);
    expect(db.persistence.reason).toBe('IndexedDB unavailable (backing store broken); data is kept in memory only');
    expect(warn).toHaveBeenCalledWith(`tabhive: ${db.persistence.reason}`);
    expect(await db.set('k', 'v')).toBe('OK');
    expect(await db.get('k')).toBe('v');
    await db.flush();
  });

  it('a failed write rejects flush() with a WorkerError and is retried', async () => {
    const name = freshName();
    let failing = true;
    const { db } = await client(name, {
      openStore: async (n) => {
        const { Store } = await import('../persist/store.js');
        const s = await Store.open(n);
        const write = s.write.bind(s);
        s.write = (w, d) => (failing ? Promise.reject(new Error('QuotaExceededError')) : write(w, d));
        return s as Store;
      },
    });
    await db.set('k', 'v');
    await expect(db.flush()).rejects.toThrow('tabhive: persistence failed: QuotaExceededError');
    failing = false;
    await db.flush();
    const { db: again } = await client(name);
    expect(await again.get('k')).toBe('v');
  });
});

describe('one worker per database in a page', () => {
  /** Stands in for the browser's Worker: host.ts on the other end of a MessageChannel. */
  class FakeWorker {
    static made: FakeWorker[] = [];
    terminated = false;
    readonly port: MessagePort;
    constructor(
      readonly url: URL,
      readonly options: WorkerOptions,
    ) {
      const { port1, port2 } = new MessageChannel();
      const server = serve(port2 as unknown as Endpoint, { flushDelayMs: 3_600_000 });
      stops.push(async () => {
        await server.stop();
        port1.close();
      });
      this.port = port1;
      port1.start();
      FakeWorker.made.push(this);
    }
    postMessage(m: ToWorker) {
      if (!this.terminated) this.port.postMessage(m);
    }
    addEventListener(type: string, l: (ev: Event) => void) {
      this.port.addEventListener(type, l);
    }
    removeEventListener(type: string, l: (ev: Event) => void) {
      this.port.removeEventListener(type, l);
    }
    terminate() {
      this.terminated = true;
    }
  }

  afterEach(() => {
    vi.unstubAllGlobals();
    FakeWorker.made = [];
  });

  it('clients of one name share a module worker, stopped once the last one quit', async () => {
    vi.stubGlobal('Worker', FakeWorker);
    const name = freshName();
    const [a, b] = await Promise.all([createClient({ name }), createClient({ name })]);
    expect(FakeWorker.made).toHaveLength(1);
    const w = FakeWorker.made[0];
    expect(w.url.pathname.endsWith('/worker/worker.ts')).toBe(true);
    expect(w.options.type).toBe('module');
    await a.set('k', 'shared');
    expect(await b.get('k')).toBe('shared');
    // Another name is another database, in another worker.
    const c = await createClient({ name: freshName() });
    expect(FakeWorker.made).toHaveLength(2);
    expect(await c.get('k')).toBe(null);
    await expect(createClient({ name, durability: 'memory' })).rejects.toThrow(
      `tabhive: database '${name}' is already open in this page with durability 'everysec'`,
    );
    await a.quit();
    expect(w.terminated).toBe(false);
    await b.quit();
    expect(w.terminated).toBe(true);
    // The next client starts a new worker, which loads what the last one wrote.
    const d = await createClient({ name });
    expect(FakeWorker.made).toHaveLength(3);
    expect(await d.get('k')).toBe('shared');
  });

  it('a client opened while the last one is closing keeps the worker', async () => {
    vi.stubGlobal('Worker', FakeWorker);
    const name = freshName();
    const a = await createClient({ name });
    const quitting = a.quit();
    const b = await createClient({ name });
    await quitting;
    expect(FakeWorker.made).toHaveLength(1);
    expect(FakeWorker.made[0].terminated).toBe(false);
    expect(await b.ping()).toBe('PONG');
  });
});

describe('createClient options', () => {
  it('rejects bad options', async () => {
    await expect(createClient({ name: '' })).rejects.toThrow(TypeError);
    await expect(createClient({ durability: 'sometimes' as 'memory' })).rejects.toThrow(TypeError);
  });
});
