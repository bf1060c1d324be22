/**
 * Many tabs in one Node process: each "tab" is a worker host (host.ts) served over a MessageChannel with its
 * own BroadcastChannel and a view of one fake Web Locks registry (test/fake-locks.ts), all on one
 * fake-indexeddb database. A killed tab loses its locks and its channel at once, flushing nothing, as a
 * crashed tab does. The browser itself (real locks, real tabs, reloads) is covered by e2e/tabs.spec.ts.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { LockRegistry } from '../../test/fake-locks.js';
import { seeded } from '../../test/helpers.js';
import { closeTabs, openTab, sleep, TAB_TIMING as TIMING, until, type Tab } from '../../test/tabs.js';
import { createClient } from '../client/index.js';
import { serve, type Endpoint } from '../worker/host.js';

afterEach(closeTabs);

let seq = 0;
const freshName = () => `repl-test-${process.pid}-${++seq}`;

async function openTabs(
  n: number,
  name = freshName(),
  reg = new LockRegistry(),
  durability: 'always' | 'everysec' = 'everysec',
): Promise<Tab[]> {
  const tabs: Tab[] = [];
  // One after the other, as pages open: the first leads.
  for (let i = 0; i < n; i++) tabs.push(await openTab(name, reg, { durability }));
  return tabs;
}

const role = (t: Tab) => t.host.repl!.role;

describe('roles', () => {
  it('the first tab leads, the others replicate; INFO replication says so', async () => {
    const [a, b, c] = await openTabs(3);
    expect(role(a)).toBe('leader');
    expect(role(b)).toBe('replica');
    expect(role(c)).toBe('replica');
    expect(await a.db.info('replication')).toMatch(/role:master\r\n[\s\S]*tabhive_role:leader/);
    await until(async () => /connected_slaves:2/.test(await a.db.info('replication')));
    const info = await b.db.info('replication');
    expect(info).toMatch(/role:slave/);
    expect(info).toContain(`tabhive_leader_tab:${a.id}`);
    expect(info).toMatch(/master_link_status:up/);
  });
});

describe('without Web Locks', () => {
  it('a browser without navigator.locks runs the database in this tab alone, and says so', async () => {
    const g = globalThis as { navigator?: unknown };
    const had = Object.getOwnPropertyDescriptor(g, 'navigator');
    // A browser-like global without the Web Locks API (old Safari, some webviews).
    Object.defineProperty(g, 'navigator', { value: { userAgent: 'test' }, configurable: true, writable: true });
    onTestFinished(() => {
      if (had !== undefined) Object.defineProperty(g, 'navigator', had);
      else delete g.navigator;
    });
    const warnings: string[] = [];
    const { port1, port2 } = new MessageChannel();
    const server = serve(port2 as unknown as Endpoint, { flushDelayMs: 30, warn: (m) => warnings.push(m) });
    const db = await createClient({ name: freshName(), worker: port1 as unknown as Worker });
    onTestFinished(async () => {
      await db.disconnect();
      await server.stop();
      port1.close();
    });
    const host = (await server.host)!;
    expect(host.repl!.role).toBe('single');
    expect(warnings.join('\n')).toMatch(/Web Locks API is not available here: database '.*' runs in this tab alone/);
    expect(await db.set('k', 'v')).toBe('OK');
    expect(await db.info('replication')).toMatch(/role:master/);
  });
});

describe('writes from any tab', () => {
  it('a write in a replica is seen by the writer at once and by every tab soon after', async () => {
    const [a, b, c] = await openTabs(3);
    expect(await b.db.set('k', 'from-b')).toBe('OK');
    expect(await b.db.get('k')).toBe('from-b');
    await until(async () => (await a.db.get('k')) === 'from-b' && (await c.db.get('k')) === 'from-b');
    await c.db.sendCommand(['HSET', 'h2', '__proto__', 'x']);
    expect(await c.db.sendCommand(['HGETALL', 'h2'])).toEqual(['__proto__', 'x']);
    await until(async () => JSON.stringify(await b.db.sendCommand(['HGETALL', 'h2'])) === '["__proto__","x"]');
  });

  it('1,000 concurrent INCRs from each of three tabs make 3,000 in every tab', async () => {
    const tabs = await openTabs(3);
    const results = await Promise.all(
      tabs.map((t) => Promise.all(Array.from({ length: 1000 }, () => t.db.incr('n')))),
    );
    const all = results.flat().map(Number).sort((x, y) => x - y);
    // Every reply distinct: one global order.
    expect(all).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
    for (const t of tabs) await until(async () => (await t.db.get('n')) === '3000');
  });

  it('non-deterministic commands replicate as their effects (SPOP, EXPIRE, INCRBYFLOAT)', async () => {
    const [a, b] = await openTabs(2);
    await b.db.sendCommand(['SADD', 's', 'a', 'b', 'c', 'd']);
    const popped = (await b.db.sendCommand(['SPOP', 's'])) as string;
    await b.db.sendCommand(['SET', 'f', '10.5']);
    await b.db.sendCommand(['INCRBYFLOAT', 'f', '0.1']);
    await b.db.sendCommand(['EXPIRE', 'f', '100']);
    const leaderSet = (await a.db.sendCommand(['SMEMBERS', 's'])) as string[];
    expect(leaderSet).not.toContain(popped);
    expect(((await b.db.sendCommand(['SMEMBERS', 's'])) as string[]).sort()).toEqual([...leaderSet].sort());
    expect(await b.db.sendCommand(['GET', 'f'])).toBe('10.6');
    expect(await b.db.sendCommand(['PEXPIRETIME', 'f'])).toBe(await a.db.sendCommand(['PEXPIRETIME', 'f']));
  });

  it('MULTI/EXEC transfers between two keys from all tabs keep the sum; WATCH sees every tab', async () => {
    const tabs = await openTabs(3);
    await tabs[0].db.mSet({ x: '500', y: '500' });
    let aborted = 0;
    await Promise.all(
      tabs.map(async (t, i) => {
        for (let n = 0; n < 40; n++) {
          const from = (n + i) % 2 === 0 ? 'x' : 'y';
          const to = from === 'x' ? 'y' : 'x';
          await t.db.multi().decrBy(from, 3).incrBy(to, 3).exec();
          // A WATCHed read-modify-write, retried when another tab got in between.
          const iso = t.db.duplicate();
          for (;;) {
            await iso.watch(from);
            const v = Number(await iso.get(from));
            try {
              await iso.multi().set(from, String(v - 1)).incr(to).exec();
              break;
            } catch (e) {
              if ((e as Error).name !== 'WatchError') throw e;
              aborted++;
            }
          }
          await iso.disconnect();
        }
      }),
    );
    for (const t of tabs) {
      await until(async () => Number(await t.db.get('x')) + Number(await t.db.get('y')) === 1000);
    }
    expect(aborted).toBeGreaterThanOrEqual(0);
  });

  it('WATCH in one tab, a write in another: EXEC fails', async () => {
    const [a, b, c] = await openTabs(3);
    await a.db.set('w', '1');
    const iso = b.db.duplicate();
    await iso.watch('w');
    await c.db.set('w', '2');
    await expect(iso.multi().set('w', '3').exec()).rejects.toMatchObject({ name: 'WatchError' });
    expect(await b.db.get('w')).toBe('2');
  });

  it('BLPOP in one tab is woken by RPUSH in another, without stalling that tab', async () => {
    const [a, b, c] = await openTabs(3);
    const waiter = b.db.duplicate();
    const popped = waiter.sendCommand(['BLPOP', 'q', '0']);
    await sleep(50);
    // The same tab keeps serving its other clients meanwhile.
    await b.db.set('other', '1');
    expect(await b.db.get('other')).toBe('1');
    await c.db.sendCommand(['RPUSH', 'q', 'job']);
    expect(await popped).toEqual(['q', 'job']);
    await until(async () => (await a.db.sendCommand(['LLEN', 'q'])) === 0);
    // A BLPOP on the leader is woken from a replica too.
    const onLeader = a.db.duplicate().sendCommand(['BLPOP', 'q2', '0']);
    await sleep(20);
    await b.db.sendCommand(['RPUSH', 'q2', 'x']);
    expect(await onLeader).toEqual(['q2', 'x']);
  });

  it('a read right after a write of the same client sees it (its reads wait for its writes)', async () => {
    const [, b] = await openTabs(2);
    const ops: Promise<unknown>[] = [];
    for (let i = 0; i < 200; i++) {
      ops.push(b.db.set('rw', String(i)));
      ops.push(b.db.get('rw'));
    }
    const r = await Promise.all(ops);
    for (let i = 0; i < 200; i++) expect(r[2 * i + 1]).toBe(String(i));
  });
});

describe('convergence', () => {
  /** Every key of db 0 as DUMP sees it (encoding and content), with its TTL: equal in two tabs = same data. */
  async function dumpAll(t: Tab): Promise<string> {
    const keys = ((await t.db.sendCommand(['KEYS', '*'])) as string[]).sort();
    const out: string[] = [];
    for (const k of keys) {
      const d = (await t.db.sendCommand(['DUMP', k], { bytes: true })) as Uint8Array | null;
      const ttl = await t.db.sendCommand(['PEXPIRETIME', k]);
      out.push(`${k}=${d === null ? 'nil' : Buffer.from(d).toString('hex')}@${String(ttl)}`);
    }
    return out.join('\n');
  }

  it('seeded random writes from every tab leave every tab — and a tab that joins from IndexedDB — with the same data', async () => {
    const name = freshName();
    const reg = new LockRegistry();
    const tabs = await openTabs(3, name, reg);
    const random = seeded(7);
    const pick = <T,>(a: readonly T[]): T => a[Math.floor(random() * a.length)];
    const keys = ['l1', 'l2', 'h1', 's1', 'z1', 'n1', 'str'];
    const val = () => pick(['a', 'b', 'c', '1', '2', '3.5', 'é', '__proto__', 'x'.repeat(70)]);
    const ops: (() => (string | number)[][])[] = [
      () => [[pick(['LPUSH', 'RPUSH', 'LPUSHX', 'RPUSHX']), pick(['l1', 'l2']), val(), val()]],
      () => [[pick(['LPOP', 'RPOP']), pick(['l1', 'l2'])]],
      () => [['LREM', 'l1', String(Math.floor(random() * 3) - 1), val()]],
      () => [['LINSERT', 'l1', pick(['BEFORE', 'AFTER']), val(), val()]],
      () => [['LTRIM', 'l2', '0', String(Math.floor(random() * 20))]],
      () => [['LSET', 'l1', '0', val()]],
      () => [['HSET', 'h1', val(), val(), val(), val()]],
      () => [['HDEL', 'h1', val()]],
      () => [['HINCRBY', 'h1', 'count', '3']],
      () => [['SADD', 's1', val(), val()]],
      () => [['SREM', 's1', val()]],
      () => [['SPOP', 's1']],
      () => [['ZADD', 'z1', String(Math.floor(random() * 10)), val()]],
      () => [['ZINCRBY', 'z1', '1.5', val()]],
      () => [['ZREMRANGEBYRANK', 'z1', '0', '0']],
      () => [[pick(['INCR', 'DECR']), 'n1'], ['INCRBY', 'n1', '5']],
      () => [['APPEND', 'str', val()], ['SETRANGE', 'str', '2', val()]],
      () => [['SET', pick(keys), val()]],
      () => [['DEL', pick(keys)]],
      () => [['EXPIRE', pick(keys), '1000']],
      // A task mixing a state change and commands on one key, and a db emptied among commands.
      () => [['MULTI'], ['DEL', 'l1'], ['RPUSH', 'l1', val()], ['RPUSH', 'l1', val()], ['EXEC']],
      () => [['MULTI'], ['RPUSH', 'l2', val()], random() < 0.2 ? ['FLUSHDB'] : ['DEL', 's1'], ['RPUSH', 'l2', val()], ['HSET', 'h1', 'a', val()], ['EXEC']],
    ];
    for (let i = 0; i < 600; i++) {
      const t = pick(tabs);
      const iso = t.db.duplicate();
      // Fired without awaiting, several tabs at once; errors (WRONGTYPE …) are part of the game.
      const batch = pick(ops)();
      const p = Promise.allSettled(batch.map((argv) => iso.sendCommand(argv))).then(() => iso.disconnect());
      if (i % 25 === 0) await p;
    }
    await Promise.all(tabs.map((t) => t.db.sendCommand(['PING'])));
    await sleep(100);
    const leader = tabs.find((t) => role(t) === 'leader')!;
    await until(() => tabs.every((t) => t.host.repl!.off === leader.host.repl!.off));
    const want = await dumpAll(leader);
    expect(want.split('\n').length).toBeGreaterThanOrEqual(3);
    for (const t of tabs) expect(await dumpAll(t)).toBe(want);
    // A tab that opens now loads IndexedDB (a snapshot at a known offset) and catches up from there.
    await leader.db.flush();
    for (let i = 0; i < 30; i++) await pick(tabs).db.sendCommand(['RPUSH', 'l2', `after-${i}`]);
    const late = await openTab(name, reg);
    await until(() => late.host.repl!.off === leader.host.repl!.off);
    expect(await dumpAll(late)).toBe(await dumpAll(leader));
  });
});

describe('configuration', () => {
  it('CONFIG SET from any tab is the database\'s: every tab has it, and the next leader keeps it', async () => {
    const name = freshName();
    const reg = new LockRegistry();
    const [a, b, c] = await openTabs(3, name, reg);
    expect(await b.db.sendCommand(['CONFIG', 'SET', 'maxmemory', '10mb', 'hash-max-listpack-entries', '2'])).toBe('OK');
    for (const t of [a, b, c]) {
      await until(async () => JSON.stringify(await t.db.sendCommand(['CONFIG', 'GET', 'maxmemory'])) === '["maxmemory","10485760"]');
    }
    await c.db.sendCommand(['HSET', 'h', 'a', '1', 'b', '2', 'c', '3']);
    await until(async () => (await b.db.sendCommand(['OBJECT', 'ENCODING', 'h'])) === 'hashtable');
    await a.kill();
    await until(() => role(b) === 'leader' || role(c) === 'leader');
    const leader = role(b) === 'leader' ? b : c;
    expect(await leader.db.sendCommand(['CONFIG', 'GET', 'maxmemory'])).toEqual(['maxmemory', '10485760']);
  });
});

describe('pub/sub across tabs', () => {
  it('PUBLISH in any tab reaches subscribers in every tab once, in order; NUMSUB counts all tabs', async () => {
    const [a, b, c] = await openTabs(3);
    const got: Record<string, string[]> = { a: [], b: [], c: [] };
    await a.db.subscribe('ch', (m) => got.a.push(m));
    await b.db.subscribe('ch', (m) => got.b.push(m));
    await c.db.pSubscribe('c*', (m) => got.c.push(m));
    expect(await c.db.sendCommand(['PUBSUB', 'NUMSUB', 'ch'])).toEqual(['ch', 2]);
    for (let i = 0; i < 20; i++) await (i % 2 === 0 ? b : c).db.publish('ch', `m${i}`);
    const want = Array.from({ length: 20 }, (_, i) => `m${i}`);
    await until(() => got.a.length === 20 && got.b.length === 20 && got.c.length === 20);
    expect(got).toEqual({ a: want, b: want, c: want });
  });

  it('keyspace events of a write in one tab reach listeners in another', async () => {
    const [a, b] = await openTabs(2);
    await a.db.sendCommand(['CONFIG', 'SET', 'notify-keyspace-events', 'KEA']);
    const seen: string[] = [];
    const values: (string | null)[] = [];
    const off = await b.db.onKeyChange('*', (event, key) => {
      seen.push(`${event}:${key}`);
      // An event reaches a tab only once its replica holds the change: a read there sees it.
      void b.db.get(key).then((v) => values.push(v));
    });
    await a.db.set('ev', '1');
    await until(() => values.length === 1);
    await a.db.set('ev', '2');
    await until(() => values.length === 2);
    await b.db.del('ev');
    await until(() => seen.length >= 3 && values.length === 3);
    expect(seen).toEqual(['set:ev', 'set:ev', 'del:ev']);
    expect(values).toEqual(['1', '2', null]);
    await off();
  });
});

describe('joining', () => {
  it('a tab opened later gets the leader\'s data (partial or full resync)', async () => {
    const name = freshName();
    const reg = new LockRegistry();
    const [a] = await openTabs(1, name, reg);
    for (let i = 0; i < 100; i++) await a.db.set(`k${i}`, String(i));
    const b = await openTab(name, reg);
    expect(await b.db.get('k99')).toBe('99');
    expect(await b.db.dbSize()).toBe(100);
    await b.db.set('from-b', 'x');
    const c = await openTab(name, reg);
    expect(await c.db.get('from-b')).toBe('x');
  });
});

describe('failover', () => {
  it('the leader dies during a write burst: a new leader, no call hangs, nothing acknowledged lost or doubled', async () => {
    let answeredFromStream = 0;
    for (let round = 0; round < 12; round++) {
      const name = freshName();
      const reg = new LockRegistry();
      // appendfsync always holds the leader's replies until stored: a leader dying then leaves effects
      // replicated but unanswered, which the retry must not apply twice.
      const tabs = await openTabs(3, name, reg, round % 2 === 0 ? 'always' : 'everysec');
      const [leader, ...rest] = tabs;
      const acked: string[][] = rest.map(() => []);
      const burst = rest.map((t, i) =>
        Promise.allSettled(
          Array.from({ length: 150 }, (_, n) =>
            t.db.sendCommand(['RPUSH', 'log', `${i}:${n}`]).then(() => acked[i].push(`${i}:${n}`)),
          ),
        ),
      );
      await sleep(round * 2);
      const killedAt = Date.now();
      await leader.kill();
      const settled = await Promise.race([Promise.all(burst), sleep(5000).then(() => null)]);
      expect(settled, 'every call settles').not.toBeNull();
      await until(() => rest.some((t) => role(t) === 'leader'), 2000);
      expect(Date.now() - killedAt).toBeLessThan(2000);
      for (const t of rest) {
        await until(async () => {
          const log = (await t.db.sendCommand(['LRANGE', 'log', '0', '-1'])) as string[];
          return acked.flat().every((x) => log.includes(x));
        });
        const log = (await t.db.sendCommand(['LRANGE', 'log', '0', '-1'])) as string[];
        expect(new Set(log).size, 'no entry applied twice').toBe(log.length);
      }
      for (const t of rest) answeredFromStream += t.host.repl!.retriesAnswered;
      for (const t of tabs) await t.kill();
    }
    // The path that matters was taken: some retried requests were answered from the stream.
    expect(answeredFromStream).toBeGreaterThan(0);
  });

  it('a frozen leader (alive, silent) is taken over with steal; its later writes are fenced off', async () => {
    const name = freshName();
    const reg = new LockRegistry();
    const [a, b] = await openTabs(2, name, reg);
    await b.db.set('before', '1');
    // Freeze a: it hears and says nothing, but keeps its lock.
    const post = a.channel.postMessage.bind(a.channel);
    a.channel.postMessage = () => {};
    await until(() => role(b) === 'leader', 3000);
    expect(reg.holder(`tabhive:${name}:leader`)).toBe(b.id);
    a.channel.postMessage = post;
    // a learns it was deposed (its lock was stolen) and follows b.
    await until(() => role(a) === 'replica' && a.host.repl!.leaderId === b.id, 3000);
    await a.db.set('after', '2');
    expect(await b.db.get('after')).toBe('2');
    expect(await a.db.get('before')).toBe('1');
  });
});

describe('fencing', () => {
  it('a hidden leader whose timers are throttled (no heartbeats) but which still answers is not taken over', async () => {
    const [a, b] = await openTabs(2);
    // Throttled to nothing: a sends no heartbeat at all from now on, but its worker still handles messages.
    clearInterval((a.host.repl as unknown as { hbTimer: ReturnType<typeof setInterval> }).hbTimer);
    await sleep(TIMING.leaderTimeoutMs * 3);
    expect(role(a)).toBe('leader');
    expect(role(b)).toBe('replica');
    await b.db.set('still', 'one leader');
    expect(await a.db.get('still')).toBe('one leader');
  });

  it('a leader cut off from the others, unaware it was replaced, can neither store nor spread its writes', async () => {
    const name = freshName();
    const reg = new LockRegistry();
    const [a, b] = await openTabs(2, name, reg);
    await b.db.set('before', '1');
    // a is frozen as far as the others can tell: nothing in or out, and it never hears of the steal.
    reg.silentSteal = true;
    a.channel.close();
    await until(() => role(b) === 'leader', 3000);
    expect(role(a)).toBe('leader');
    // a's page still writes; a runs it, then its flush meets b's epoch in IndexedDB and is refused.
    await a.db.set('zombie', 'x');
    await until(() => a.warnings.some((w) => /no longer leads .*superseded/.test(w)), 3000);
    expect(role(a)).toBe('replica');
    expect(await b.db.get('zombie')).toBe(null);
    await b.db.flush();
    const c = await openTab(name, reg);
    expect(await c.db.get('zombie')).toBe(null);
    expect(await c.db.get('before')).toBe('1');
  });

  it('a subscriber keeps its subscription across a failover, without sending anything', async () => {
    const name = freshName();
    const reg = new LockRegistry();
    const [a, b, c] = await openTabs(3, name, reg);
    const got: string[] = [];
    await b.db.subscribe('news', (m) => got.push(m));
    await c.db.publish('news', 'one');
    await until(() => got.length === 1);
    await a.kill();
    await until(() => role(b) === 'leader' || role(c) === 'leader');
    await until(async () => (await c.db.publish('news', 'two')) === 1);
    await until(() => got.includes('two'));
    expect(got[0]).toBe('one');
  });
});

describe('untrusted messages', () => {
  it('malformed messages are dropped and counted; nothing runs', async () => {
    const name = freshName();
    const [a, b] = await openTabs(2, name);
    const evil = new BroadcastChannel(`tabhive:${name}:repl`);
    onTestFinished(() => evil.close());
    evil.postMessage({ t: 'req', from: 'x', to: a.id, ep: 1, list: [[1, 0, [{ toString: 1 }], 0, 0, 2]] });
    evil.postMessage({ t: 'w', from: 'x', ep: 99, replid: 'r', e: [{ off: 1, ops: [[0, 0, 'k', 99, 'v', 0, 0]] }] });
    evil.postMessage('garbage');
    evil.postMessage({ t: 'nope', from: 'x' });
    await until(() => a.host.repl!.dropped >= 4 && b.host.repl!.dropped >= 4);
    expect(await b.db.dbSize()).toBe(0);
  });
});
