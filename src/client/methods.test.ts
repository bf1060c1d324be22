/**
 * The typed methods and the engine's command table cannot drift: every typed method is called here with sample
 * arguments, the command it sends is looked up in ALL_COMMANDS (subcommands included) and its argument count
 * checked against the command's arity. A typed method missing from SAMPLES fails the test too.
 */
import { describe, expect, it } from 'vitest';
import { ALL_COMMANDS, type CommandSpec } from '../engine/table.js';
import { TabhiveClient } from './client.js';
import type { Connection, SessionState } from './connection.js';
import type { Op } from '../worker/protocol.js';

/** Methods that are the client's own, not one Redis command each. */
const NOT_COMMANDS = new Set([
  'constructor', 'withBytes', 'withStrings', 'duplicate', 'flush', 'quit', 'disconnect', 'sendCommand', 'run', 'send',
  'onPush', 'onPersistence', 'stats', 'workerStats',
  'scanIterator',
  'multi', 'executeIsolated', 'subscribe', 'unsubscribe', 'pSubscribe', 'pUnsubscribe', 'sSubscribe', 'sUnsubscribe',
  'onKeyChange', 'sub',
]);

/** Sample arguments for every typed method. */
const SAMPLES: Record<string, unknown[]> = {
  get: ['k'],
  set: ['k', 'v', { EX: 10, NX: true, GET: true }],
  setEx: ['k', 10, 'v'],
  pSetEx: ['k', 10, 'v'],
  setNX: ['k', 'v'],
  getDel: ['k'],
  getEx: ['k', { PERSIST: true }],
  getSet: ['k', 'v'],
  getRange: ['k', 0, -1],
  setRange: ['k', 0, 'v'],
  append: ['k', 'v'],
  strLen: ['k'],
  incr: ['k'],
  incrBy: ['k', 2],
  incrByFloat: ['k', 1.5],
  decr: ['k'],
  decrBy: ['k', 2],
  mGet: [['a', 'b']],
  mSet: [{ a: '1' }],
  mSetNX: [[['a', '1']]],
  lcs: ['a', 'b'],
  lcsLen: ['a', 'b'],
  lcsIdx: ['a', 'b', { MINMATCHLEN: 2 }],
  lcsIdxWithMatchLen: ['a', 'b'],
  del: ['a', 'b'],
  unlink: [['a', 'b']],
  exists: ['a'],
  touch: ['a'],
  expire: ['k', 10, 'NX'],
  pExpire: ['k', 10],
  expireAt: ['k', new Date()],
  pExpireAt: ['k', 1, 'GT'],
  expireTime: ['k'],
  pExpireTime: ['k'],
  ttl: ['k'],
  pTTL: ['k'],
  persist: ['k'],
  type: ['k'],
  rename: ['a', 'b'],
  renameNX: ['a', 'b'],
  copy: ['a', 'b', { destinationDb: 1, replace: true }],
  move: ['k', 1],
  keys: ['*'],
  randomKey: [],
  scan: [0, { MATCH: '*', COUNT: 10, TYPE: 'string' }],
  objectEncoding: ['k'],
  objectFreq: ['k'],
  objectIdleTime: ['k'],
  objectRefCount: ['k'],
  dbSize: [],
  flushDb: ['ASYNC'],
  flushAll: [],
  select: [1],
  swapDb: [0, 1],
  ping: [],
  echo: ['hi'],
  time: [],
  info: ['server'],
  watch: ['a', ['b', 'c']],
  unwatch: [],
  publish: ['ch', 'msg'],
  sPublish: ['ch', 'msg'],
};

/** The argv each typed method sends, captured by a connection that records instead of sending. */
function sentBy(method: string, args: unknown[]): string[] {
  let op: Op | undefined;
  const conn = {
    call(o: Op) {
      op = o;
      return new Promise(() => {});
    },
  } as unknown as Connection;
  const session: SessionState = { sid: 1, closed: false };
  const client = new TabhiveClient(conn, session, false) as unknown as Record<string, (...a: unknown[]) => unknown>;
  client[method](...args);
  if (op === undefined || op[0] !== 'cmd') throw new Error(`${method} sent no command`);
  return op[2].map((a) => (typeof a === 'string' ? a : '<bytes>'));
}

function commandMethods(): string[] {
  return Object.getOwnPropertyNames(TabhiveClient.prototype).filter((m) => {
    const d = Object.getOwnPropertyDescriptor(TabhiveClient.prototype, m)!;
    return typeof d.value === 'function' && !NOT_COMMANDS.has(m);
  });
}

const TABLE = new Map<string, CommandSpec>();
for (const c of ALL_COMMANDS) {
  TABLE.set(c.name, c);
  for (const s of c.sub ?? []) TABLE.set(s.name, s);
}

describe('typed methods ↔ command table', () => {
  it('every typed method has a sample here', () => {
    expect(commandMethods().filter((m) => !(m in SAMPLES))).toEqual([]);
    expect(Object.keys(SAMPLES).filter((m) => !commandMethods().includes(m))).toEqual([]);
  });

  it.each(Object.keys(SAMPLES))('%s sends a command of the engine, with a valid argument count', (method) => {
    const argv = sentBy(method, SAMPLES[method]);
    const name = argv[0].toLowerCase();
    const container = TABLE.get(name);
    const spec = container?.sub !== undefined ? TABLE.get(`${name}|${argv[1].toLowerCase()}`) : container;
    expect(spec, `${argv.slice(0, 2).join(' ')} is not in ALL_COMMANDS`).toBeDefined();
    if (spec!.arity > 0) expect(argv.length).toBe(spec!.arity);
    else expect(argv.length).toBeGreaterThanOrEqual(-spec!.arity);
  });
});
