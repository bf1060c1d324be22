/**
 * The server, connection and pub/sub introspection methods (commands/{server,connection,pubsub}.ts) and DUMP /
 * RESTORE, SUBSTR, HMSET against the real worker code over a MessageChannel: node-redis v4's reply shapes, the same
 * under RESP3, inside multi().exec() and with withBytes().
 */
import { describe, expect, it } from 'vitest';
import { testClient } from '../../test/client-worker.js';
import { ClientClosedError, ReplyError } from './index.js';

const bytes = (...b: number[]) => new Uint8Array(b);

describe('CONFIG', () => {
  it('configGet gives a record with no prototype; configSet takes one parameter or a record of several', async () => {
    const { db } = await testClient();
    expect(await db.configSet('maxmemory-samples', 7)).toBe('OK');
    expect(await db.configSet({ 'maxmemory-policy': 'allkeys-lru', hz: '20', 'lfu-log-factor': 5 })).toBe('OK');
    const got = await db.configGet(['maxmemory-samples', 'maxmemory-policy', 'hz', 'lfu-*']);
    expect(Object.getPrototypeOf(got)).toBe(null);
    expect({ ...got }).toEqual({
      'maxmemory-samples': '7',
      'maxmemory-policy': 'allkeys-lru',
      hz: '20',
      'lfu-log-factor': '5',
      'lfu-decay-time': '1',
    });
    expect({ ...(await db.configGet('nosuch*')) }).toEqual({});
    // All or nothing: one bad value leaves the others unset.
    await expect(db.configSet({ hz: '30', 'maxmemory-samples': 'x' })).rejects.toThrow(
      "ERR CONFIG SET failed (possibly related to argument 'maxmemory-samples')",
    );
    expect((await db.configGet('hz')).hz).toBe('20');
    expect(await db.configResetStat()).toBe('OK');
    await expect(db.configRewrite()).rejects.toThrow('ERR The server is running without a config file');
  });
});

describe('PUBSUB', () => {
  it('pubSubNumSub keeps a channel named __proto__ as its own property', async () => {
    const { db } = await testClient();
    await db.subscribe(['__proto__', 'news'], () => {});
    await db.pSubscribe(['n*', 'x*'], () => {});
    await db.sSubscribe('shard', () => {});
    const counts = await db.pubSubNumSub(['__proto__', 'news', 'constructor']);
    expect(Object.getPrototypeOf(counts)).toBe(null);
    expect(Object.keys(counts)).toEqual(['__proto__', 'news', 'constructor']);
    expect(counts['__proto__']).toBe(1);
    expect(counts['constructor']).toBe(0);
    expect({ ...(await db.pubSubNumSub()) }).toEqual({});
    expect((await db.pubSubChannels()).sort()).toEqual(['__proto__', 'news']);
    expect(await db.pubSubChannels('n*')).toEqual(['news']);
    expect(await db.pubSubNumPat()).toBe(2);
    expect(await db.pubSubShardChannels()).toEqual(['shard']);
    expect({ ...(await db.pubSubShardNumSub(['shard', 'other'])) }).toEqual({ shard: 1, other: 0 });
    expect(await db.withBytes().pubSubChannels('news')).toEqual([new TextEncoder().encode('news')]);
  });
});

describe('CLIENT', () => {
  it('id, name, info and list, parsed', async () => {
    const { db } = await testClient();
    const other = db.duplicate();
    const id = await db.clientId();
    expect(typeof id).toBe('number');
    expect(await db.clientGetName()).toBe(null);
    expect(await db.clientSetName('main=1')).toBe('OK');
    expect(await db.clientGetName()).toBe('main=1');
    await expect(db.clientSetName('a b')).rejects.toThrow('ERR Client names cannot contain spaces');
    await db.select(2);
    const me = await db.clientInfo();
    expect(me).toMatchObject({ id, name: 'main=1', db: 2, flags: 'N', cmd: 'client|info', user: 'default', resp: 2, fd: -1 });
    expect(typeof me.qbufFree).toBe('number');
    expect(typeof me.totMem).toBe('number');
    expect(me.multi).toBe(-1);
    const otherId = await other.clientId();
    const all = await db.clientList();
    expect(all.map((c) => c.id).sort()).toEqual([id, otherId].sort());
    expect((await db.clientList({ ID: [otherId, 999] })).map((c) => c.id)).toEqual([otherId]);
    expect(await db.clientList({ TYPE: 'PUBSUB' })).toEqual([]);
    await db.subscribe('ch', () => {});
    const subs = await db.clientList({ TYPE: 'PUBSUB' });
    expect(subs).toHaveLength(1);
    expect(subs[0]).toMatchObject({ flags: 'P', sub: 1 });
    expect(await db.clientNoEvict(true)).toBe('OK');
    expect((await db.clientInfo()).flags).toBe('e');
  });

  it('clientKill closes the sessions matching every filter; their calls reject', async () => {
    const { db } = await testClient();
    const victim = db.duplicate();
    const victimId = await victim.clientId();
    expect(await db.clientKill({ filter: 'ID', id: 424242 })).toBe(0);
    expect(await db.clientKill([{ filter: 'ID', id: victimId }, { filter: 'TYPE', type: 'normal' }])).toBe(1);
    await expect(victim.get('k')).rejects.toBeInstanceOf(ClientClosedError);
    // SKIPME yes (the default) spares the caller.
    expect(await db.clientKill({ filter: 'USER', username: 'default' })).toBe(0);
    expect(await db.ping()).toBe('PONG');
    await expect(db.clientKill({ filter: 'USER', username: 'nobody' })).rejects.toThrow("ERR No such user 'nobody'");
  });

  it('clientUnblock ends another session\'s blocking command, as a timeout or an error', async () => {
    const { db } = await testClient();
    const waiter = db.duplicate();
    const waiterId = await waiter.clientId();
    const popped = waiter.blPop('jobs', 0);
    await expect.poll(async () => (await db.clientList({ ID: waiterId }))[0]?.flags).toBe('b');
    expect(await db.clientUnblock(waiterId)).toBe(true);
    expect(await popped).toBe(null);
    expect(await db.clientUnblock(waiterId)).toBe(false);
    // Caught at once: it rejects while the test awaits other calls.
    const again = waiter.blPop('jobs', 0).catch((e: unknown) => e);
    await expect.poll(async () => (await db.clientList({ ID: waiterId }))[0]?.flags).toBe('b');
    expect(await db.clientUnblock(waiterId, 'ERROR')).toBe(true);
    const error = await again;
    expect(error).toBeInstanceOf(ReplyError);
    expect((error as ReplyError).message).toBe('UNBLOCKED client unblocked via CLIENT UNBLOCK');
  });
});

describe('HELLO, AUTH, RESET', () => {
  it('hello reports the session as an object; protover 3 switches it to RESP3', async () => {
    const { db } = await testClient();
    const s = db.duplicate();
    const id = await s.clientId();
    expect(await s.hello()).toEqual({
      server: 'redis', version: '7.0.15', proto: 2, id, mode: 'standalone', role: 'master', modules: [],
    });
    expect(await s.hello({ protover: 3, auth: { username: 'default', password: 'any' }, clientName: 'r3' })).toMatchObject({
      proto: 3,
      id,
    });
    expect(await s.clientGetName()).toBe('r3');
    expect(await s.hello()).toMatchObject({ proto: 3, server: 'redis' });
    await expect(s.hello({ protover: 3, auth: { username: 'bob', password: 'x' } })).rejects.toThrow('WRONGPASS');
  });

  it('auth: the default user with any password; a password alone is refused as Redis without requirepass', async () => {
    const { db } = await testClient();
    expect(await db.auth({ username: 'default', password: 'secret' })).toBe('OK');
    await expect(db.auth({ password: 'secret' })).rejects.toThrow(
      'ERR AUTH <password> called without any password configured for the default user.',
    );
    await expect(db.auth({ username: 'bob', password: 'x' })).rejects.toThrow(
      'WRONGPASS invalid username-password pair or user is disabled.',
    );
  });

  it('reset brings the session back to db 0, RESP2, no name', async () => {
    const { db } = await testClient();
    await db.select(3);
    await db.hello({ protover: 3, clientName: 'x' });
    expect(await db.reset()).toBe('RESET');
    expect(await db.clientInfo()).toMatchObject({ db: 0, resp: 2, name: '' });
  });
});

describe('COMMAND', () => {
  it('info, docs, list, getkeys as node-redis shapes them', async () => {
    const { db } = await testClient();
    const [get, configGet, none] = await db.commandInfo(['get', 'config|get', 'nosuch']);
    expect(get).toMatchObject({ name: 'get', arity: 2, firstKeyIndex: 1, lastKeyIndex: 1, step: 1, tips: [], subcommands: [] });
    expect(get!.flags).toEqual(new Set(['readonly', 'fast']));
    expect(get!.categories).toEqual(new Set(['@read', '@string', '@fast']));
    expect(get!.keySpecs).toEqual([
      {
        flags: ['RO', 'access'],
        begin_search: { type: 'index', spec: { index: 1 } },
        find_keys: { type: 'range', spec: { lastkey: 0, keystep: 1, limit: 0 } },
      },
    ]);
    expect(configGet!.name).toBe('config|get');
    expect(none).toBe(null);
    const [config] = await db.commandInfo('config');
    expect(config!.subcommands.map((c) => c.name)).toContain('config|set');

    const all = await db.command();
    expect(all).toHaveLength(await db.commandCount());
    expect(all.find((c) => c.name === 'set')!.flags.has('write')).toBe(true);

    const docs = await db.commandDocs(['get', 'nosuch', 'config']);
    expect(Object.getPrototypeOf(docs)).toBe(null);
    expect(Object.keys(docs)).toEqual(['get', 'config']);
    expect(docs.get).toMatchObject({ summary: 'Get the value of a key', since: '1.0.0', group: 'string' });
    expect(docs.get.arguments).toEqual([{ name: 'key', type: 'key', key_spec_index: 0 }]);
    expect(docs.config.subcommands!['config|get'].group).toBe('server');
    expect(Object.keys(await db.commandDocs()).length).toBe(await db.commandCount());

    const hashCmds = await db.commandList({ filterBy: 'ACLCAT', value: 'hash' });
    expect(hashCmds).toContain('hset');
    expect(hashCmds).not.toContain('get');
    expect(await db.commandList({ filterBy: 'PATTERN', value: 'config|*' })).toContain('config|get');
    expect((await db.commandList()).length).toBeGreaterThan(await db.commandCount());

    expect(await db.commandGetKeys(['MSET', 'a', '1', 'b', '2'])).toEqual(['a', 'b']);
    expect(await db.commandGetKeysAndFlags(['LMOVE', 'src', 'dst', 'LEFT', 'RIGHT'])).toEqual([
      { key: 'src', flags: ['RW', 'access', 'delete'] },
      { key: 'dst', flags: ['RW', 'insert'] },
    ]);
    expect(await db.withBytes().commandGetKeys(['GET', bytes(0xff)])).toEqual([bytes(0xff)]);
  });
});

describe('MEMORY', () => {
  it('usage a number (null when missing), stats an object of numbers, doctor text', async () => {
    const { db } = await testClient();
    await db.set('k', 'v');
    await db.rPush('l', ['a', 'b', 'c']);
    const usage = await db.memoryUsage('k');
    expect(typeof usage).toBe('number');
    expect(usage).toBeGreaterThan(0);
    expect(typeof (await db.memoryUsage('l', { SAMPLES: 0 }))).toBe('number');
    expect(await db.memoryUsage('none')).toBe(null);
    const stats = await db.memoryStats();
    expect(stats.keysCount).toBe(2);
    expect(stats.clientsReplicas).toBe(0);
    expect(stats.fragmentation).toBe(1);
    expect(typeof stats.datasetPercentage).toBe('number');
    expect(stats.db[0]).toMatchObject({ overheadHashtableExpires: 0, overheadHashtableSlotToKeys: 0 });
    expect(typeof stats.db[0].overheadHashtableMain).toBe('number');
    for (const [k, v] of Object.entries(stats)) if (k !== 'db') expect([k, typeof v]).toEqual([k, 'number']);
    expect(await db.memoryDoctor()).toMatch(/^Hi Sam/);
    expect(await db.memoryMallocStats()).toBe('Stats not supported for the current allocator');
    expect(await db.memoryPurge()).toBe('OK');
  });
});

describe('persistence', () => {
  it('save, bgSave and lastSave (a Date)', async () => {
    const { db } = await testClient();
    expect(await db.save()).toBe('OK');
    const last = await db.lastSave();
    expect(last).toBeInstanceOf(Date);
    expect(Math.abs(last.getTime() - Date.now())).toBeLessThan(60_000);
    expect(last.getMilliseconds()).toBe(0);
    expect(await db.bgSave()).toBe('Background saving started');
    expect(await db.bgSave({ SCHEDULE: true })).toMatch(/^Background saving (started|scheduled)$/);
    await expect(db.multi().save().exec()).rejects.toThrow('ERR Command not allowed inside a transaction');
  });
});

describe('DUMP and RESTORE', () => {
  it('a payload moves any value to another key, bytes whatever the reply mode', async () => {
    const { db } = await testClient();
    await db.set('s', bytes(0xff, 0x00, 0xfe));
    await db.hSet('h', { ['__proto__']: 'p', f: 'é' });
    await db.zAdd('z', [{ score: 1.5, value: 'a' }, { score: -Infinity, value: 'b' }]);
    await db.rPush('l', ['x', 'y']);
    await db.sAdd('set', ['1', '2', '3']);
    for (const key of ['s', 'h', 'z', 'l', 'set']) {
      const payload = await db.dump(key);
      expect(payload).toBeInstanceOf(Uint8Array);
      expect(await db.withBytes().dump(key)).toEqual(payload);
      expect(await db.restore(`${key}:copy`, 0, payload!)).toBe('OK');
      expect(await db.type(`${key}:copy`)).toBe(await db.type(key));
      expect(await db.dump(`${key}:copy`)).toEqual(payload);
    }
    expect(await db.withBytes().get('s:copy')).toEqual(bytes(0xff, 0x00, 0xfe));
    expect({ ...(await db.hGetAll('h:copy')) }).toEqual({ ['__proto__']: 'p', f: 'é' });
    expect(await db.zRangeWithScores('z:copy', 0, -1)).toEqual([
      { value: 'b', score: -Infinity },
      { value: 'a', score: 1.5 },
    ]);
    expect(await db.dump('none')).toBe(null);
  });

  it('restore options: BUSYKEY unless REPLACE, a TTL, ABSTTL, IDLETIME', async () => {
    const { db } = await testClient();
    await db.set('k', 'v');
    const payload = (await db.dump('k'))!;
    await expect(db.restore('k', 0, payload)).rejects.toThrow('BUSYKEY Target key name already exists.');
    expect(await db.restore('k', 0, payload, { REPLACE: true, IDLETIME: 100 })).toBe('OK');
    expect(await db.objectIdleTime('k')).toBeGreaterThanOrEqual(100);
    expect(await db.restore('t', 60_000, payload)).toBe('OK');
    expect(await db.pTTL('t')).toBeGreaterThan(59_000);
    const at = Date.now() + 3_600_000;
    expect(await db.restore('a', at, payload, { ABSTTL: true })).toBe('OK');
    expect(await db.pExpireTime('a')).toBe(at);
    await expect(db.restore('bad', 0, bytes(1, 2, 3))).rejects.toBeInstanceOf(ReplyError);
  });

  it('inside multi() the payload still comes as bytes, next to decoded replies', async () => {
    const { db } = await testClient();
    await db.set('k', 'v');
    const [payload, value, cfg, last] = await db.multi().dump('k').get('k').configGet('hz').lastSave().exec();
    expect(payload).toBeInstanceOf(Uint8Array);
    expect(value).toBe('v');
    expect({ ...(cfg as unknown as Record<string, string>) }).toEqual({ hz: '10' });
    expect(last).toBeInstanceOf(Date);
    await db.multi().restore('k2', 0, payload as Uint8Array).exec();
    expect(await db.get('k2')).toBe('v');
  });
});

describe('deprecated commands', () => {
  it('subStr is getRange; hmSet is hSet answering OK', async () => {
    const { db } = await testClient();
    await db.set('k', 'Hello, world');
    expect(await db.subStr('k', 0, 4)).toBe('Hello');
    expect(await db.subStr('k', -5, -1)).toBe('world');
    expect(await db.hmSet('h', { a: '1', ['__proto__']: 2 })).toBe('OK');
    expect(await db.hmSet('h', 'b', 'x')).toBe('OK');
    expect({ ...(await db.hGetAll('h')) }).toEqual({ a: '1', ['__proto__']: '2', b: 'x' });
  });
});

describe('RESP3 sessions', () => {
  it('the same shapes from Maps and doubles', async () => {
    const { db } = await testClient();
    const r3 = db.duplicate();
    expect((await r3.hello({ protover: 3 })).proto).toBe(3);
    await db.set('k', 'v');
    await db.subscribe('__proto__', () => {});
    expect(await r3.commandInfo(['get', 'config'])).toEqual(await db.commandInfo(['get', 'config']));
    expect(await r3.commandDocs(['get', 'config'])).toEqual(await db.commandDocs(['get', 'config']));
    expect(await r3.commandGetKeysAndFlags(['SET', 'k', 'v'])).toEqual(await db.commandGetKeysAndFlags(['SET', 'k', 'v']));
    const cfg = await r3.configGet('maxmemory*');
    expect(Object.getPrototypeOf(cfg)).toBe(null);
    expect({ ...cfg }).toEqual({ ...(await db.configGet('maxmemory*')) });
    const counts = await r3.pubSubNumSub('__proto__');
    expect(Object.getPrototypeOf(counts)).toBe(null);
    expect(counts['__proto__']).toBe(1);
    const [s2, s3] = [await db.memoryStats(), await r3.memoryStats()];
    expect(Object.keys(s3).sort()).toEqual(Object.keys(s2).sort());
    expect(s3.datasetPercentage).toBeTypeOf('number');
    expect(s3.fragmentation).toBe(1);
    expect(Object.keys(s3.db[0]).sort()).toEqual(Object.keys(s2.db[0]).sort());
    expect(await r3.memoryUsage('k')).toBe(await db.memoryUsage('k'));
    expect((await r3.clientInfo()).resp).toBe(3);
    expect(await r3.lastSave()).toEqual(await db.lastSave());
    expect(await r3.dump('k')).toEqual(await db.dump('k'));
    const [cfgInMulti] = await r3.multi().configGet('hz').exec();
    expect(Object.getPrototypeOf(cfgInMulti)).toBe(null);
  });
});
