/**
 * The typed methods and the engine's command table cannot drift: every typed method is called here with sample
 * arguments, the command it sends is looked up in ALL_COMMANDS (subcommands included) and its argument count
 * checked against the command's arity, and the engine runs it without refusing its arguments (so option names and
 * their order are Redis's). A typed method missing from SAMPLES fails the test too.
 */
import { describe, expect, it } from 'vitest';
import { ALL_COMMANDS, type CommandSpec } from '../engine/table.js';
import { TabhiveClient } from './client.js';
import type { Connection, SessionState } from './connection.js';
import type { Op } from '../worker/protocol.js';
import { isError } from '../engine/reply.js';
import { testEngine } from '../../test/helpers.js';

/** Methods that are the client's own, not one Redis command each. */
const NOT_COMMANDS = new Set([
  'constructor', 'withBytes', 'withStrings', 'duplicate', 'flush', 'quit', 'disconnect', 'sendCommand', 'run', 'send',
  'onPush', 'onPersistence', 'stats', 'workerStats', 'exportRdb', 'importRdb',
  'scanIterator', 'hScanIterator', 'sScanIterator', 'zScanIterator',
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
  subStr: ['k', 0, -1],
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
  pubSubChannels: ['news.*'],
  pubSubShardChannels: [],
  pubSubNumPat: [],
  pubSubNumSub: [['a', '__proto__']],
  pubSubShardNumSub: ['a'],
  // connection
  hello: [{ protover: 3, auth: { username: 'default', password: 'x' }, clientName: 'me' }],
  auth: [{ username: 'default', password: 'x' }],
  reset: [],
  clientId: [],
  clientGetName: [],
  clientSetName: ['me'],
  clientInfo: [],
  clientList: [{ ID: [1, '2'] }],
  clientKill: [[{ filter: 'ID', id: 99 }, { filter: 'TYPE', type: 'pubsub' }, { filter: 'SKIPME', skipMe: false }]],
  clientUnblock: [1, 'ERROR'],
  clientNoEvict: [true],
  // server
  command: [],
  commandCount: [],
  commandInfo: [['get', 'config|get']],
  commandDocs: ['get'],
  commandList: [{ filterBy: 'ACLCAT', value: 'hash' }],
  commandGetKeys: [['SET', 'k', 'v']],
  commandGetKeysAndFlags: [['LMOVE', 'a', 'b', 'LEFT', 'RIGHT']],
  configGet: [['maxmemory', 'hz']],
  configSet: [{ 'maxmemory-samples': 5, 'lfu-log-factor': '10' }],
  configResetStat: [],
  configRewrite: [],
  memoryUsage: ['k', { SAMPLES: 0 }],
  memoryStats: [],
  memoryDoctor: [],
  memoryMallocStats: [],
  memoryPurge: [],
  save: [],
  bgSave: [{ SCHEDULE: true }],
  lastSave: [],
  dump: ['k'],
  restore: ['k', 0, new Uint8Array([0]), { REPLACE: true, ABSTTL: true, IDLETIME: 0 }],
  // lists
  lPush: ['l', ['a', 'b']],
  rPush: ['l', 'a'],
  lPushX: ['l', 'a'],
  rPushX: ['l', ['a', 'b']],
  lPop: ['l'],
  lPopCount: ['l', 2],
  rPop: ['l'],
  rPopCount: ['l', 2],
  lLen: ['l'],
  lIndex: ['l', -1],
  lInsert: ['l', 'BEFORE', 'p', 'e'],
  lPos: ['l', 'e', { RANK: -1, MAXLEN: 10 }],
  lPosCount: ['l', 'e', 0, { RANK: 1, MAXLEN: 10 }],
  lRange: ['l', 0, -1],
  lRem: ['l', 0, 'e'],
  lSet: ['l', 0, 'e'],
  lTrim: ['l', 0, 9],
  lMove: ['a', 'b', 'LEFT', 'RIGHT'],
  rPopLPush: ['a', 'b'],
  lmPop: [['a', 'b'], 'LEFT', { COUNT: 2 }],
  blPop: [['a', 'b'], 0.01],
  brPop: ['a', 0.01],
  blMove: ['a', 'b', 'RIGHT', 'LEFT', 0.01],
  brPopLPush: ['a', 'b', 0.01],
  blmPop: [0.01, 'a', 'RIGHT', { COUNT: 2 }],
  // hashes
  hDel: ['h', ['f', 'g']],
  hExists: ['h', 'f'],
  hGet: ['h', 'f'],
  hGetAll: ['h'],
  hIncrBy: ['h', 'f', 2],
  hIncrByFloat: ['h', 'f', 1.5],
  hKeys: ['h'],
  hLen: ['h'],
  hmGet: ['h', ['f', 'g']],
  hSet: ['h', { f: 'v', g: 1 }],
  hmSet: ['h', 'f', 'v'],
  hSetNX: ['h', 'f', 'v'],
  hStrLen: ['h', 'f'],
  hVals: ['h'],
  hRandField: ['h'],
  hRandFieldCount: ['h', -3],
  hRandFieldCountWithValues: ['h', 3],
  hScan: ['h', 0, { MATCH: 'f*', COUNT: 10 }],
  // sets
  sAdd: ['s', ['a', 'b']],
  sCard: ['s'],
  sDiff: [['s', 't']],
  sDiffStore: ['d', ['s', 't']],
  sInter: ['s'],
  sInterCard: [['s', 't'], 5],
  sInterStore: ['d', 's'],
  sIsMember: ['s', 'a'],
  sMembers: ['s'],
  smIsMember: ['s', ['a', 'b']],
  sMove: ['s', 't', 'a'],
  sPop: ['s'],
  sPopCount: ['s', 2],
  sRandMember: ['s'],
  sRandMemberCount: ['s', -2],
  sRem: ['s', 'a'],
  sScan: ['s', 0, { MATCH: '*', COUNT: 10 }],
  sUnion: [['s', 't']],
  sUnionStore: ['d', ['s', 't']],
  // sorted sets
  zAdd: ['z', [{ score: 1, value: 'a' }, { score: -Infinity, value: 'b' }], { XX: true, GT: true, CH: true }],
  zAddIncr: ['z', { score: Infinity, value: 'a' }, { NX: true }],
  zCard: ['z'],
  zCount: ['z', -Infinity, '(5'],
  zDiff: [['z', 'y']],
  zDiffWithScores: ['z'],
  zDiffStore: ['d', ['z', 'y']],
  zIncrBy: ['z', 1.5, 'a'],
  zInter: [['z', 'y'], { WEIGHTS: [1, 2], AGGREGATE: 'MAX' }],
  zInterWithScores: [['z', 'y'], { AGGREGATE: 'MIN' }],
  zInterCard: [['z', 'y'], 3],
  zInterStore: ['d', ['z', 'y'], { WEIGHTS: [1, Infinity] }],
  zLexCount: ['z', '-', '[c'],
  zmPop: [['z', 'y'], 'MIN', { COUNT: 2 }],
  zmScore: ['z', ['a', 'b']],
  zPopMax: ['z'],
  zPopMaxCount: ['z', 2],
  zPopMin: ['z'],
  zPopMinCount: ['z', 2],
  zRandMember: ['z'],
  zRandMemberCount: ['z', 2],
  zRandMemberCountWithScores: ['z', -2],
  zRange: ['z', '+inf', 1, { BY: 'SCORE', REV: true, LIMIT: { offset: 0, count: 10 } }],
  zRangeWithScores: ['z', 0, -1],
  zRangeByLex: ['z', '[a', '(c', { LIMIT: { offset: 1, count: 2 } }],
  zRangeByScore: ['z', -Infinity, Infinity],
  zRangeByScoreWithScores: ['z', 0, '(10', { LIMIT: { offset: 0, count: 5 } }],
  zRangeStore: ['d', 'z', '[a', '+', { BY: 'LEX', LIMIT: { offset: 0, count: 5 } }],
  zRank: ['z', 'a'],
  zRem: ['z', ['a', 'b']],
  zRemRangeByLex: ['z', '-', '+'],
  zRemRangeByRank: ['z', 0, 1],
  zRemRangeByScore: ['z', '-inf', 5],
  zRevRange: ['z', 0, -1],
  zRevRangeWithScores: ['z', 0, -1],
  zRevRangeByLex: ['z', '+', '-', { LIMIT: { offset: 0, count: 2 } }],
  zRevRangeByScore: ['z', Infinity, -Infinity],
  zRevRangeByScoreWithScores: ['z', 10, 0, { LIMIT: { offset: 0, count: 2 } }],
  zRevRank: ['z', 'a'],
  zScan: ['z', 0, { COUNT: 10 }],
  zScore: ['z', 'a'],
  zUnion: [['z', 'y']],
  zUnionWithScores: ['z', { WEIGHTS: [2] }],
  zUnionStore: ['d', ['z', 'y'], { AGGREGATE: 'SUM' }],
  bzPopMin: [['z', 'y'], 0.01],
  bzPopMax: ['z', 0.01],
  bzmPop: [0.01, ['z', 'y'], 'MAX', { COUNT: 2 }],
  // SORT
  sort: ['l', { BY: 'w_*', LIMIT: { offset: 0, count: 5 }, GET: ['#', 'o_*'], DIRECTION: 'DESC', ALPHA: true }],
  sortRo: ['l', { GET: '#' }],
  sortStore: ['l', 'd', { DIRECTION: 'ASC' }],
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
    // A container called bare (COMMAND) is a command of its own.
    const spec = container?.sub !== undefined && argv.length > 1 ? TABLE.get(`${name}|${argv[1].toLowerCase()}`) : container;
    expect(spec, `${argv.slice(0, 2).join(' ')} is not in ALL_COMMANDS`).toBeDefined();
    if (spec!.arity > 0) expect(argv.length).toBe(spec!.arity);
    else expect(argv.length).toBeGreaterThanOrEqual(-spec!.arity);
  });
});

describe('typed methods ↔ the engine', () => {
  /** Errors that would mean the method built a command Redis refuses, whatever the data. */
  const REFUSED = /syntax error|wrong number of arguments|unknown (sub)?command|not (a valid )?(float|integer)|out of range/i;

  it.each(Object.keys(SAMPLES))('the engine accepts the arguments %s sends', (method) => {
    const argv = sentBy(method, SAMPLES[method]);
    const { cmd } = testEngine();
    const r = cmd(...argv);
    if (isError(r)) expect(r.msg).not.toMatch(REFUSED);
  });
});
