/**
 * RDB files in and out of a running worker (rdb-io.ts): hosts as the worker runs them, on fake-indexeddb; the
 * page's API (TabhiveClient.exportRdb / importRdb) over a MessageChannel, as client.test.ts does; two tabs
 * with fake Web Locks, as replication.test.ts does. Against redis-server itself: test/compat/rdb.test.ts.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { LockRegistry } from '../../test/fake-locks.js';
import { closeTabs, openTab, until } from '../../test/tabs.js';
import { BLOCKED } from '../engine/blocking.js';
import { fromUtf8, toUtf8 } from '../engine/bytes.js';
import type { Engine } from '../engine/engine.js';
import { createDumpPayload, rdbSettings } from '../engine/rdb.js';
import type { Reply } from '../engine/reply.js';
import type { Session } from '../engine/session.js';
import { Store } from '../persist/store.js';
import { createClient, RdbFileError, ReplyError, type TabhiveClient } from '../client/index.js';
import { Host, serve, type Endpoint, type HostOptions } from './host.js';
import { exportRdb, importRdb, type ImportAnswer, type ImportSummary } from './rdb-io.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await closeTabs();
});

let seq = 0;
const freshName = () => `rdb-io-test-${process.pid}-${++seq}`;

/** A worker's host on its own (no other tabs), flushing only when asked. */
async function startHost(name = freshName(), opts: HostOptions = {}): Promise<Host> {
  const host = await Host.start(name, 'everysec', { flushDelayMs: 3_600_000, replication: false, ...opts });
  let stopped = false;
  cleanups.push(() => {
    if (!stopped) return host.stop();
  });
  const stop = host.stop.bind(host);
  host.stop = () => {
    stopped = true;
    return stop();
  };
  return host;
}

/** Run commands (binary-string arguments) on a session of `engine`. */
function runner(engine: Engine, s: Session = engine.createSession()) {
  return (...argv: string[]): Reply => engine.execute(s, argv);
}

/** A dataset over several dbs: every type and encoding, TTLs, binary and odd keys. */
function fill(engine: Engine, now: number): void {
  const run = runner(engine);
  const cmds: string[][] = [
    ['SET', 'str', 'hello'],
    ['SET', 'int', '12345'],
    ['SET', 'big', '9223372036854775807'],
    ['SET', 'empty', ''],
    ['SET', '\xff', 'ff'],
    ['SET', '\xfe', 'fe'],
    ['SET', 'bin', '\x00\xff\xfe\r\n'],
    ['SET', '__proto__', 'proto'],
    ['SET', 'constructor', 'ctor'],
    ['SET', fromUtf8('é'), fromUtf8('ünïcode')],
    ['SET', 'long', 'abc'.repeat(1000)],
    ['SET', 'ttl', 'soon', 'PX', '500000'],
    ['RPUSH', 'list', 'a', 'b', '1', '\xff'],
    ['RPUSH', 'biglist', ...Array.from({ length: 300 }, (_, i) => `item-${i}`)],
    ['SADD', 'intset', '1', '2', '-3'],
    ['SADD', 'set', 'x', 'y', '__proto__'],
    ['ZADD', 'zset', '1.5', 'a', '-inf', 'b', '2', '__proto__'],
    ['ZADD', 'bigzset', ...Array.from({ length: 300 }, (_, i) => [String(i / 3), `m${i}`]).flat()],
    ['HSET', 'hash', '__proto__', 'p', 'constructor', 'c', '\xff', '\xfe'],
    ['HSET', 'bighash', ...Array.from({ length: 300 }, (_, i) => [`f${i}`, `v${i}`]).flat()],
    ['PEXPIREAT', 'hash', String(now + 3_600_000)],
    ['EXPIRE', 'list', '1000'],
    ['SELECT', '3'],
    ['SET', 'db3', 'three'],
    ['SET', '\xff', 'ff in 3'],
    ['SELECT', '15'],
    ['ZADD', 'z15', '1', 'one'],
    ['SET', 'ttl15', 'x', 'EX', '900'],
    ['SELECT', '0'],
  ];
  for (const c of cmds) {
    const r = run(...c);
    if (typeof r === 'object' && r !== null && !Array.isArray(r) && r.k === 'err') throw new Error(`${c[0]}: ${r.msg}`);
  }
}

const hex = (s: string | Uint8Array) =>
  Buffer.from(typeof s === 'string' ? Buffer.from(s, 'latin1') : s).toString('hex');

/** Every live key of every db: its type, TTL (absolute) and DUMP payload (value and encoding). */
function snapshot(engine: Engine): Map<string, string> {
  const s = rdbSettings(engine);
  const now = engine.now();
  const out = new Map<string, string>();
  for (const db of engine.dbs) {
    for (const e of db.dict.values()) {
      if (e.expireAt !== 0 && e.expireAt <= now) continue;
      out.set(`${db.id} ${hex(e.key)}`, `${e.type} ${e.expireAt} ${hex(createDumpPayload(e, s))}`);
    }
  }
  return out;
}

function summary(r: ImportAnswer): ImportSummary {
  if ('k' in r) throw new Error(`import failed: ${JSON.stringify(r)}`);
  return r;
}

describe('a host: export, import', () => {
  it('round trip: every type and encoding, TTLs, binary keys, __proto__, several dbs', async () => {
    const a = await startHost();
    fill(a.engine, a.engine.now());
    const bytes = exportRdb(a);
    expect(toUtf8(String.fromCharCode(...bytes.subarray(0, 9)))).toBe('REDIS0010');
    const b = await startHost();
    const res = summary(await importRdb(b, bytes));
    const want = snapshot(a.engine);
    expect(res).toEqual({ version: 10, loaded: want.size, expired: 0, warnings: [] });
    expect(snapshot(b.engine)).toEqual(want);
    // '\xff' and '\xfe' stay two keys; __proto__ is an ordinary key.
    const run = runner(b.engine);
    expect(run('GET', '\xff')).toBe('ff');
    expect(run('GET', '\xfe')).toBe('fe');
    expect(run('GET', '__proto__')).toBe('proto');
    expect(run('HGET', 'hash', '__proto__')).toBe('p');
    expect(run('SELECT', '3')).toEqual({ k: 'simple', s: 'OK' });
    expect(run('GET', '\xff')).toBe('ff in 3');
  });

  it('replaces the whole dataset: keys not in the file are gone from every db', async () => {
    const a = await startHost();
    runner(a.engine)('SET', 'new', '1');
    const b = await startHost();
    const run = runner(b.engine);
    run('SET', 'old', 'x');
    run('SELECT', '7');
    run('HSET', 'old7', 'f', 'v');
    summary(await importRdb(b, exportRdb(a)));
    expect([...snapshot(b.engine).keys()]).toEqual([`0 ${hex('new')}`]);
  });

  it('persistence: after an import IndexedDB holds exactly the imported dataset', async () => {
    const a = await startHost();
    fill(a.engine, a.engine.now());
    const name = freshName();
    const b = await startHost(name);
    const run = runner(b.engine);
    run('SET', 'old', 'gone after the import');
    run('SET', 'str', 'overwritten by the import');
    run('SELECT', '9');
    run('RPUSH', 'old9', 'a');
    await b.flush();
    summary(await importRdb(b, exportRdb(a)));
    // Resolved once stored: nothing is pending.
    expect(b.persister.pending()).toBe(false);
    await b.stop();
    const again = await startHost(name);
    expect(snapshot(again.engine)).toEqual(snapshot(a.engine));
    expect(again.status.loaded).toBe(snapshot(a.engine).size);
  });

  it('keys whose TTL passed are not loaded, and counted', async () => {
    let t = 1_700_000_000_000;
    const a = await startHost(freshName(), { engine: { now: () => t } });
    const run = runner(a.engine);
    run('SET', 'short', 'x', 'PX', '100');
    run('SET', 'long', 'y', 'PX', '100000');
    run('SET', 'forever', 'z');
    const bytes = exportRdb(a);
    t += 1000;
    const b = await startHost(freshName(), { engine: { now: () => t } });
    expect(summary(await importRdb(b, bytes))).toEqual({ version: 10, loaded: 2, expired: 1, warnings: [] });
    expect(runner(b.engine)('PTTL', 'long')).toBe(99_000);
  });

  it('a bad file is refused in Redis\'s words and changes nothing', async () => {
    const a = await startHost();
    fill(a.engine, a.engine.now());
    const good = exportRdb(a);
    const b = await startHost();
    runner(b.engine)('SET', 'keep', 'me');
    const before = snapshot(b.engine);
    const changes = b.changes;
    const badCrc = good.slice();
    badCrc[badCrc.length - 1] ^= 0xff;
    const badValue = good.slice();
    badValue[40] ^= 0xff;
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(0), /^Unexpected EOF reading RDB file$/],
      [new TextEncoder().encode('NOTREDIS0010'), /^Wrong signature trying to load DB from file$/],
      [new TextEncoder().encode('REDIS0011'), /^Can't handle RDB format version 0011$/],
      [good.subarray(0, good.length - 20), /^Unexpected EOF reading RDB file$/],
      [badCrc, /^Wrong RDB checksum expected: \([0-9a-f]+\) but got \([0-9a-f]+\)$/],
    ];
    for (const [bytes, message] of cases) {
      const r = await importRdb(b, bytes);
      expect(r).toMatchObject({ k: 'rdb' });
      expect((r as { message: string }).message).toMatch(message);
    }
    // Anything else wrong in it is refused too (what depends on where the byte fell).
    expect(await importRdb(b, badValue)).toMatchObject({ k: 'rdb' });
    expect(snapshot(b.engine)).toEqual(before);
    expect(b.changes).toBe(changes);
  });

  it('refused with MISCONF while writes to IndexedDB fail', async () => {
    let failing = false;
    const b = await startHost(freshName(), failingStore(() => failing));
    const a = await startHost();
    runner(a.engine)('SET', 'k', 'v');
    runner(b.engine)('SET', 'x', 'y');
    failing = true;
    await b.flush().catch(() => {});
    const r = await importRdb(b, exportRdb(a));
    expect(r).toMatchObject({ k: 'err' });
    expect((r as { msg: string }).msg).toMatch(/^MISCONF /);
    expect(runner(b.engine)('GET', 'x')).toBe('y');
    failing = false;
  });

  it('a store that fails after the replacement: the answer says so, the new dataset stays', async () => {
    let failing = false;
    const b = await startHost(freshName(), failingStore(() => failing));
    const a = await startHost();
    runner(a.engine)('SET', 'k', 'v');
    failing = true;
    const r = await importRdb(b, exportRdb(a));
    expect(r).toEqual({
      k: 'fail',
      message: 'tabhive: the file was imported but could not be written to IndexedDB (QuotaExceededError); retrying',
    });
    expect(runner(b.engine)('GET', 'k')).toBe('v');
    failing = false;
  });

  it('WATCH: a key that existed, or that the file brings, breaks the transaction; others do not', async () => {
    const a = await startHost();
    runner(a.engine)('SET', 'brought', '1');
    const b = await startHost();
    const setup = runner(b.engine);
    setup('SET', 'existed', '1');
    const watchers = ['existed', 'brought', 'neither'].map((key) => {
      const run = runner(b.engine);
      run('WATCH', key);
      run('MULTI');
      run('PING');
      return { key, run };
    });
    summary(await importRdb(b, exportRdb(a)));
    const execs = watchers.map(({ key, run }) => [key, run('EXEC')]);
    expect(execs).toEqual([
      ['existed', { k: 'nullarr' }],
      ['brought', { k: 'nullarr' }],
      ['neither', [{ k: 'simple', s: 'PONG' }]],
    ]);
  });

  it('a client blocked on a key the file fills is served', async () => {
    const a = await startHost();
    runner(a.engine)('RPUSH', 'q', 'from the file', 'second');
    const b = await startHost();
    const s = b.engine.createSession();
    const got: Reply[] = [];
    s.onUnblock = (r) => got.push(r);
    expect(b.engine.execute(s, ['BLPOP', 'q', '0'])).toBe(BLOCKED);
    summary(await importRdb(b, exportRdb(a)));
    expect(got).toEqual([['q', 'from the file']]);
    expect(runner(b.engine)('LRANGE', 'q', '0', '-1')).toEqual(['second']);
  });
});

// ---- the page's API ---------------------------------------------------------------------------------------------

async function page(name = freshName(), opts: HostOptions = {}): Promise<TabhiveClient> {
  const { port1, port2 } = new MessageChannel();
  const server = serve(port2 as unknown as Endpoint, { flushDelayMs: 3_600_000, replication: false, ...opts });
  const db = await createClient({ name, worker: port1 as unknown as Worker, nearCache: true });
  cleanups.push(async () => {
    await db.quit().catch(() => {});
    await server.stop();
    port1.close();
    port2.close();
  });
  return db;
}

describe('TabhiveClient.exportRdb / importRdb', () => {
  it('moves a database to another; commands issued before the call are in the file', async () => {
    const a = await page();
    void a.set('k', 'v');
    void a.hSet('h', '__proto__', 'p');
    void a.sendCommand(['SET', new Uint8Array([0xff]), 'ff']);
    const bytes = await a.exportRdb();
    expect(bytes).toBeInstanceOf(Uint8Array);
    const b = await page();
    await b.set('old', 'x');
    expect(await b.importRdb(bytes)).toEqual({ version: 10, loaded: 3, expired: 0, warnings: [] });
    // The caller's array was copied, not taken (a Node Buffer too: its slice() would share the memory).
    expect(bytes.byteLength).toBeGreaterThan(0);
    const buf = Buffer.from(bytes);
    expect(await b.importRdb(buf)).toMatchObject({ loaded: 3 });
    expect(buf.byteLength).toBe(bytes.byteLength);
    expect(buf.buffer.byteLength).toBeGreaterThan(0);
    expect(await b.importRdb(bytes)).toMatchObject({ loaded: 3 });
    expect(await b.get('k')).toBe('v');
    expect(await b.hGet('h', '__proto__')).toBe('p');
    expect(await b.get(new Uint8Array([0xff]) as unknown as string)).toBe('ff');
    expect(await b.exists('old')).toBe(0);
  });

  it('the near-cache answers nothing from before the import', async () => {
    const a = await page();
    await a.set('k', 'new');
    const bytes = await a.exportRdb();
    const b = await page();
    await b.set('k', 'old');
    expect(await b.get('k')).toBe('old');
    expect(await b.get('k')).toBe('old');
    expect(b.stats().hits).toBeGreaterThan(0);
    await b.importRdb(bytes);
    expect(await b.get('k')).toBe('new');
  });

  it('a bad file rejects with RdbFileError in Redis\'s words; MISCONF is a ReplyError', async () => {
    const b = await page();
    await b.set('keep', 'me');
    const err = await b.importRdb(new TextEncoder().encode('hello world')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RdbFileError);
    expect((err as Error).message).toBe('Wrong signature trying to load DB from file');
    expect(await b.get('keep')).toBe('me');
    await expect(b.importRdb('REDIS0010' as unknown as Uint8Array)).rejects.toThrow(TypeError);
  });

  it('while writes to IndexedDB fail, an import is refused with MISCONF (a ReplyError)', async () => {
    let failing = true;
    const b = await page(freshName(), {
      warn: () => {},
      openStore: async (n) => {
        const s = await Store.open(n);
        const write = s.write.bind(s);
        s.write = (w, d) => (failing ? Promise.reject(new Error('QuotaExceededError')) : write(w, d));
        return s;
      },
      persister: { retryMs: 3_600_000, maxBackoffMs: 3_600_000 },
    });
    await b.set('k', 'v');
    await b.flush().catch(() => {});
    const err = await b.importRdb(await b.exportRdb()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplyError);
    expect((err as ReplyError).code).toBe('MISCONF');
    failing = false;
  });

  it('what was imported is there after the page comes back', async () => {
    const a = await page();
    await a.set('k', 'v', { EX: 1000 });
    const bytes = await a.exportRdb();
    const name = freshName();
    const b = await page(name);
    await b.importRdb(bytes);
    await b.disconnect();
    const again = await page(name);
    expect(await again.get('k')).toBe('v');
    expect(await again.ttl('k')).toBeGreaterThan(990);
  });
});

/** Host options whose store's writes fail (a quota error) while `failing()` says so; no retries meanwhile. */
function failingStore(failing: () => boolean): HostOptions {
  return {
    warn: () => {},
    openStore: async (n) => {
      const s = await Store.open(n);
      const write = s.write.bind(s);
      s.write = (w, d) => (failing() ? Promise.reject(new Error('QuotaExceededError')) : write(w, d));
      return s;
    },
    persister: { retryMs: 3_600_000, maxBackoffMs: 3_600_000 },
  };
}

// ---- many tabs ----------------------------------------------------------------------------------------------------

describe('many tabs', () => {
  it('an import in a replica tab goes to the leader: every tab and IndexedDB hold the file, nothing else', async () => {
    const src = await startHost();
    fill(src.engine, src.engine.now());
    const bytes = exportRdb(src);
    const name = freshName();
    const reg = new LockRegistry();
    const a = await openTab(name, reg);
    const b = await openTab(name, reg);
    expect(a.host.repl!.role).toBe('leader');
    expect(b.host.repl!.role).toBe('replica');
    await a.db.set('old', 'x');
    await a.db.sendCommand(['SELECT', '4']);
    await a.db.set('old4', 'x');
    await until(async () => (await b.db.exists('old')) === 1);
    const want = snapshot(src.engine);
    expect(await b.db.importRdb(bytes)).toEqual({ version: 10, loaded: want.size, expired: 0, warnings: [] });
    // The importing tab reads its import at once; the leader holds it; other tabs follow.
    expect(snapshot(b.host.engine)).toEqual(want);
    expect(snapshot(a.host.engine)).toEqual(want);
    expect(await b.db.get('str')).toBe('hello');
    // A bad file is refused in the replica itself.
    await expect(b.db.importRdb(new Uint8Array([1, 2, 3]))).rejects.toThrow(RdbFileError);
    // Stored by the leader before the import resolved: a tab that opens later loads it from IndexedDB.
    const store = await Host.start(name, 'everysec', { replication: false, flushDelayMs: 3_600_000 });
    try {
      expect(snapshot(store.engine)).toEqual(want);
    } finally {
      await store.stop();
    }
  });

  it('an import in the leader tab reaches the replicas', async () => {
    const src = await startHost();
    fill(src.engine, src.engine.now());
    const name = freshName();
    const reg = new LockRegistry();
    const a = await openTab(name, reg);
    const b = await openTab(name, reg);
    await b.db.set('old', 'x');
    await a.db.importRdb(exportRdb(src));
    const want = snapshot(src.engine);
    expect(snapshot(a.host.engine)).toEqual(want);
    await until(() => snapshot(b.host.engine).size === want.size && !snapshot(b.host.engine).has(`0 ${hex('old')}`));
    expect(snapshot(b.host.engine)).toEqual(want);
  });
});
