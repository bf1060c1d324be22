/**
 * Transactions from the page (multi.ts) against the real worker code over a MessageChannel.
 */
import { describe, expect, it } from 'vitest';
import { batches, testClient } from '../../test/client-worker.js';
import { ClientClosedError, MultiErrorReply, ReplyError, WatchError } from './index.js';
import type { Op } from '../worker/protocol.js';

/** The ops of every batch sent so far, as [sid, command name] for commands. */
function commandsSent(w: Parameters<typeof batches>[0]): [number, string][] {
  const out: [number, string][] = [];
  for (const b of batches(w)) {
    for (const op of b.ops as Op[]) if (op[0] === 'cmd') out.push([op[1], String(op[2][0])]);
  }
  return out;
}

describe('multi().exec()', () => {
  it('resolves with the replies, transformed as the typed methods transform them', async () => {
    const { db } = await testClient();
    expect(await db.multi().set('a', '1').incr('a').get('a').exec()).toEqual(['OK', 2, '2']);
    const r = await db
      .multi()
      .setNX('a', 'x')
      .setNX('b', 'y')
      .exists('a', 'b', 'nope')
      .scan(0, { MATCH: 'b' })
      .type('a')
      .addCommand(['RPUSH', 'l', 'p', 'q'])
      .addCommand(['LRANGE', 'l', 0, -1])
      .exec();
    expect(r).toEqual([false, true, 2, { cursor: 0, keys: ['b'] }, 'string', 2, ['p', 'q']]);
  });

  it('sends MULTI, the commands and EXEC as one contiguous run of one session, in one batch', async () => {
    const { db, w } = await testClient();
    const other = db.duplicate();
    await other.ping();
    const before = batches(w).length;
    // Another client's calls in the same tick, before and after: they keep their places around the run.
    const p0 = other.set('k', 'other');
    const m = db.multi().set('k', 'mine');
    // Recording sends nothing: a call made between recordings goes first.
    const p1 = other.get('k');
    m.get('k');
    const p2 = m.exec();
    const p3 = other.get('k');
    expect(await p0).toBe('OK');
    expect(await p1).toBe('other');
    expect(await p2).toEqual(['OK', 'mine']);
    expect(await p3).toBe('mine');
    const sent = batches(w).slice(before);
    expect(sent).toHaveLength(1);
    const cmds = (sent[0].ops as Op[]).filter((o) => o[0] === 'cmd') as Extract<Op, { 0: 'cmd' }>[];
    const names = cmds.map((o) => String(o[2][0]));
    expect(names).toEqual(['SET', 'GET', 'MULTI', 'SET', 'GET', 'EXEC', 'GET']);
    const sids = cmds.map((o) => o[1]);
    expect(new Set(sids.slice(2, 6)).size).toBe(1);
    expect(sids[0]).not.toBe(sids[2]);
  });

  it('another client’s commands never land in this client’s MULTI', async () => {
    const { db } = await testClient();
    const other = db.duplicate();
    const runs = [];
    for (let i = 0; i < 20; i++) {
      runs.push(db.multi().incr('n').incr('n').exec());
      runs.push(other.incr('m'));
    }
    const out = await Promise.all(runs);
    for (let i = 0; i < 20; i++) {
      expect(out[2 * i]).toEqual([2 * i + 1, 2 * i + 2]);
      expect(out[2 * i + 1]).toBe(i + 1);
    }
  });

  it('an empty transaction resolves with []', async () => {
    const { db } = await testClient();
    expect(await db.multi().exec()).toEqual([]);
    expect(await db.multi().execAsPipeline()).toEqual([]);
  });

  it('a command refused at queue time rejects with its error; nothing ran (EXECABORT)', async () => {
    const { db } = await testClient();
    const p = db.multi().set('a', '1').addCommand(['NOSUCH', 'x']).incr('a').exec();
    await expect(p).rejects.toBeInstanceOf(ReplyError);
    await expect(p).rejects.toThrow("ERR unknown command 'NOSUCH', with args beginning with: 'x' ");
    expect(await db.get('a')).toBe(null);
    // Wrong arity is refused at queue time too.
    await expect(db.multi().addCommand(['GET']).exec()).rejects.toThrow(
      "ERR wrong number of arguments for 'get' command",
    );
    // The session is out of MULTI afterwards.
    expect(await db.set('a', '2')).toBe('OK');
  });

  it('errors while EXEC runs do not roll back: MultiErrorReply holds every reply', async () => {
    const { db } = await testClient();
    await db.sendCommand(['RPUSH', 'list', 'x']);
    const p = db.multi().set('a', '1').incr('list').incr('a').get('list').exec();
    const e = (await p.catch((x: unknown) => x)) as MultiErrorReply;
    expect(e).toBeInstanceOf(MultiErrorReply);
    expect(e).toBeInstanceOf(ReplyError);
    expect(e.message).toBe('2 commands failed, see .replies and .errorIndexes for more information');
    expect(e.errorIndexes).toEqual([1, 3]);
    expect(e.replies[0]).toBe('OK');
    expect(e.replies[2]).toBe(2);
    const errs = [...e.errors()];
    expect(errs.map((x) => x.message)).toEqual([
      'WRONGTYPE Operation against a key holding the wrong kind of value',
      'WRONGTYPE Operation against a key holding the wrong kind of value',
    ]);
    expect(errs[0]).toBeInstanceOf(ReplyError);
    expect(await db.get('a')).toBe('2');
  });

  it('WATCH inside the chain is refused without aborting: reported at its place', async () => {
    const { db } = await testClient();
    const e = (await db.multi().watch('x').set('a', '1').exec().catch((x: unknown) => x)) as MultiErrorReply;
    expect(e).toBeInstanceOf(MultiErrorReply);
    expect(e.errorIndexes).toEqual([0]);
    expect((e.replies[0] as ReplyError).message).toBe('ERR WATCH inside MULTI is not allowed');
    expect(e.replies[1]).toBe('OK');
    expect(await db.get('a')).toBe('1');
  });

  it('MULTI already open through sendCommand: rejects with Redis’s error', async () => {
    const { db } = await testClient();
    await db.sendCommand(['MULTI']);
    await expect(db.multi().exec()).rejects.toThrow('ERR MULTI calls can not be nested');
  });

  it('bytes: withBytes() gives Uint8Array, other commands keep strings', async () => {
    const { db } = await testClient();
    await db.set('k', new Uint8Array([0xff, 0x00]));
    const b = await db.withBytes().multi().get('k').type('k').exec();
    expect(b).toEqual([new Uint8Array([0xff, 0x00]), 'string']);
    await db.set('s', 'é');
    const mixed = await db.multi().get('s').addCommand(['GET', 'k'], { bytes: true }).echo('ü').time().exec();
    expect(mixed[0]).toBe('é');
    expect(mixed[1]).toEqual(new Uint8Array([0xff, 0x00]));
    expect(mixed[2]).toBe('ü');
    expect(mixed[3]).toBeInstanceOf(Date);
  });

  it('a bad argument throws at once, from the chained call', () => {
    return testClient().then(({ db }) => {
      const m = db.multi();
      expect(() => m.set('k', null as unknown as string)).toThrow(TypeError);
      expect(m.length).toBe(0);
      expect(() => m.addCommand([])).toThrow(TypeError);
    });
  });

  it('methods that are not one command are not on the chain', async () => {
    const { db } = await testClient();
    const m = db.multi() as unknown as Record<string, unknown>;
    for (const name of [
      'scanIterator', 'hScanIterator', 'sScanIterator', 'zScanIterator', 'quit', 'duplicate', 'subscribe', 'sendCommand',
      'multi', 'flush',
    ]) {
      expect(m[name]).toBeUndefined();
    }
    expect(typeof m.noSuchCommand).toBe('undefined');
    expect(typeof m.get).toBe('function');
  });

  it('exec() can run again; EXEC is its alias; exec(true) pipelines', async () => {
    const { db } = await testClient();
    const m = db.multi().incr('n');
    expect(await m.exec()).toEqual([1]);
    expect(await m.EXEC()).toEqual([2]);
    expect(await m.exec(true)).toEqual([3]);
  });

  it('on a closed client rejects with ClientClosedError', async () => {
    const { db } = await testClient();
    const other = db.duplicate();
    await other.quit();
    await expect(other.multi().set('a', '1').exec()).rejects.toBeInstanceOf(ClientClosedError);
    await expect(other.multi().set('a', '1').execAsPipeline()).rejects.toBeInstanceOf(ClientClosedError);
  });
});

describe('execAsPipeline()', () => {
  it('sends the commands contiguously without MULTI/EXEC and resolves with their transformed replies', async () => {
    const { db, w } = await testClient();
    const before = commandsSent(w).length;
    expect(await db.multi().set('a', '1').setNX('a', '2').incr('a').execAsPipeline()).toEqual(['OK', false, 2]);
    expect(commandsSent(w).slice(before).map((c) => c[1])).toEqual(['SET', 'SETNX', 'INCR']);
  });

  it('rejects with the first error; the other commands ran', async () => {
    const { db } = await testClient();
    await db.sendCommand(['RPUSH', 'list', 'x']);
    await expect(db.multi().set('a', '1').incr('list').incr('a').execAsPipeline()).rejects.toThrow('WRONGTYPE');
    expect(await db.get('a')).toBe('2');
  });
});

describe('WATCH', () => {
  it('a write by another client fails the EXEC with WatchError; nothing ran', async () => {
    const { db } = await testClient();
    const other = db.duplicate();
    await db.set('balance', '100');
    expect(await db.watch('balance')).toBe('OK');
    const v = Number(await db.get('balance'));
    await other.set('balance', '50');
    const p = db.multi().set('balance', v - 10).exec();
    await expect(p).rejects.toBeInstanceOf(WatchError);
    await expect(p).rejects.toThrow('One (or more) of the watched keys has been changed');
    expect(await db.get('balance')).toBe('50');
    // The failed EXEC unwatched: the retry goes through.
    await db.watch('balance');
    const w = Number(await db.get('balance'));
    expect(await db.multi().set('balance', w - 10).exec()).toEqual(['OK']);
    expect(await db.get('balance')).toBe('40');
  });

  it('watching several keys (as arguments and arrays); an untouched watch lets EXEC run', async () => {
    const { db } = await testClient();
    const other = db.duplicate();
    await db.watch('a', ['b', 'c']);
    await other.set('zzz', '1');
    expect(await db.multi().set('a', '1').exec()).toEqual(['OK']);
    await db.watch(['a', 'b']);
    await other.del('b');
    await other.set('b', '1');
    await expect(db.multi().get('a').exec()).rejects.toBeInstanceOf(WatchError);
  });

  it('UNWATCH forgets the watched keys', async () => {
    const { db } = await testClient();
    const other = db.duplicate();
    await db.watch('k');
    await other.set('k', 'changed');
    expect(await db.unwatch()).toBe('OK');
    expect(await db.multi().get('k').exec()).toEqual(['changed']);
  });

  it('a watched key that expires fails the EXEC', async () => {
    const clock = { t: 1_700_000_000_000 };
    const { db } = await testClient({}, { engine: { now: () => clock.t } });
    await db.set('session', 'x', { PX: 100 });
    await db.watch('session');
    clock.t += 200;
    await expect(db.multi().set('other', '1').exec()).rejects.toBeInstanceOf(WatchError);
    expect(await db.get('other')).toBe(null);
  });

  it('WATCH state is per client: another client’s WATCH and EXEC are its own', async () => {
    const { db } = await testClient();
    const a = db.duplicate();
    const b = db.duplicate();
    await a.watch('k');
    await b.set('k', '1');
    // b watched nothing: its transaction runs; a's fails.
    expect(await b.multi().incr('k').exec()).toEqual([2]);
    await expect(a.multi().incr('k').exec()).rejects.toBeInstanceOf(WatchError);
  });
});

describe('executeIsolated', () => {
  it('runs fn with a client of its own session, closed afterwards', async () => {
    const { db } = await testClient();
    const mine = await db.sendCommand(['CLIENT', 'ID']);
    let iso: typeof db | undefined;
    const out = await db.executeIsolated(async (c) => {
      iso = c;
      expect(await c.sendCommand(['CLIENT', 'ID'])).not.toBe(mine);
      await c.select(3);
      await c.watch('k');
      await db.set('k', 'v'); // db 0's k: c watches db 3's k
      return c.multi().set('k', 'in3').exec();
    });
    expect(out).toEqual(['OK']);
    expect(iso!.isOpen).toBe(false);
    expect(await db.get('k')).toBe('v');
    // The parent's db is untouched by the isolated SELECT.
    await db.select(3);
    expect(await db.get('k')).toBe('in3');
  });

  it('closes the session when fn throws, and passes the error on', async () => {
    const { db } = await testClient();
    let iso: typeof db | undefined;
    await expect(
      db.executeIsolated(async (c) => {
        iso = c;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(iso!.isOpen).toBe(false);
    expect(await db.ping()).toBe('PONG');
  });
});
