/**
 * Randomised differential test: seeded sequences of ~2,000 commands over a tiny key space, mixing every
 * command family in the table (a small argument spec per command below), wrong types, wrong arities, odd
 * numbers, overflow and binary values. Every reply must be identical to redis-server's, except where a spec
 * says how else to compare (non-deterministic output by type, TTLs within tolerance, unordered sets).
 *
 * Only commands tabhive registers are generated, so the test grows with the table; a spec for a command the
 * table lacks is listed once as skipped. On a mismatch the seed, the step and the last 20 commands are shown.
 * Relative expiries are long (≥ 100 s) or immediate (≤ 0), so no key expires between the two servers' steps.
 *
 * RANDOM_STEPS=20000 RANDOM_SEEDS=1,2,3 npx vitest run test/compat/random.test.ts   (for a longer soak)
 */
import { afterAll, beforeAll, describe, test } from 'vitest';
import { fromUtf8 } from '../../src/engine/bytes.js';
import { lookupCommand } from '../../src/engine/table.js';
import { seeded } from '../helpers.js';
import type { Compare } from './case.js';
import { compare, RespClient, scanAll, show, showArgs, startServers, type RVal, type Servers } from './harness.js';

type Rng = () => number;

interface Gen {
  rng: Rng;
  int(n: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
  key(): string;
  keys(min?: number, max?: number): string[];
  val(): string;
  num(): string;
  float(): string;
  count(): string;
  index(): string;
  member(): string;
  score(): string;
}

// ---- pools ------------------------------------------------------------------------------------------------

const KEYS = ['a', 'b', 'c', '__proto__', 'constructor', '\xff', '\xfe', fromUtf8('é'), ''];
const VALUES = [
  '', 'v', 'hello', '0', '1', '-1', '10', '42', ' 1', '1 ', '1e3', '-0', '+1', '01', '3.5', '-2.25', 'abc',
  '9223372036854775807', '-9223372036854775808', '9223372036854775808', '-9223372036854775809',
  '\xff\xfe', '\x00', 'a\x00b', fromUtf8('é'), fromUtf8('日本'), 'inf', '-inf', 'nan', 'x'.repeat(70),
];
const NUMBERS = [
  '0', '1', '-1', '2', '5', '-5', '100', '-100', '9223372036854775807', '-9223372036854775808',
  '9223372036854775808', '-9223372036854775809', ' 1', '1e3', '-0', '+1', '01', '1.5', 'abc', '',
  '4611686018427387904', '-4611686018427387905', '9007199254740993',
];
const FLOATS = [
  '0', '1', '-1', '0.5', '1.25', '-3.75', '1e3', '5.0e3', '0.1', '-0.2', '3', 'inf', '-inf', '+inf', 'nan', 'abc',
  '1e400', ' 1', '1.5e-3', '0x10', '', '10.', '.5', '-0',
];
const COUNTS = ['0', '1', '2', '3', '5', '10', '-1', '-2', '-10', 'abc', '100', '9223372036854775807', '-9223372036854775808'];
const INDEXES = ['0', '1', '2', '-1', '-2', '-3', '3', '10', '-10', '100', '-100', '9223372036854775807', '-9223372036854775808', 'x'];
const MEMBERS = ['m1', 'm2', 'm3', 'a', 'b', '', '1', '2', '10', '-1', '\xff', fromUtf8('é'), '__proto__', 'x'.repeat(70)];
const SCORES = ['0', '1', '2', '-1', '1.5', '-2.5', '10', 'inf', '-inf', '+inf', '1e3', '(1', '(2', 'abc', 'nan', '3'];
const RANGES_LEX = ['-', '+', '[a', '(a', '[m2', '(m2', '[', '(', 'a', '[\xff', '[b'];
const PATTERNS = ['*', 'a*', '?', '[a-c]', '*o*', '\xff', '[^a]*', '\\*', fromUtf8('é'), '_*', ''];

function makeGen(rng: Rng): Gen {
  const int = (n: number) => Math.floor(rng() * n);
  const pick = <T,>(xs: readonly T[]): T => xs[int(xs.length)];
  const g: Gen = {
    rng,
    int,
    pick,
    chance: (p) => rng() < p,
    key: () => pick(KEYS),
    keys: (min = 1, max = 3) => Array.from({ length: min + int(max - min + 1) }, () => pick(KEYS)),
    val: () => pick(VALUES),
    num: () => pick(NUMBERS),
    float: () => pick(FLOATS),
    count: () => pick(COUNTS),
    index: () => pick(INDEXES),
    member: () => pick(MEMBERS),
    score: () => pick(SCORES),
  };
  return g;
}

// ---- per-command specs ------------------------------------------------------------------------------------

interface Spec {
  gen: (g: Gen) => string[];
  cmp?: Compare;
  /** Relative weight (default 1). */
  w?: number;
}

const far = () => '4102444800'; // 2100-01-01: never reached
const expireArg = (g: Gen, ms: boolean): string => {
  const s = g.pick(['100', '1000', '86400', '0', '-1', 'abc', '9223372036854775807', '1.5', '-9223372036854775808']);
  if (!ms) return s;
  return g.pick([s, '100000', '5000000', '0', '-5']);
};
const expireFlags = (g: Gen): string[] => (g.chance(0.3) ? [g.pick(['NX', 'XX', 'GT', 'LT', 'nx', 'FOO'])] : []);
const pairs = (g: Gen, a: () => string, b: () => string, min = 1, max = 3): string[] => {
  const out: string[] = [];
  const n = min + g.int(max - min + 1);
  for (let i = 0; i < n; i++) out.push(a(), b());
  return out;
};
const withCount = (g: Gen, p = 0.5): string[] => (g.chance(p) ? [g.count()] : []);
const zrangeOpts = (g: Gen): string[] => {
  const o: string[] = [];
  if (g.chance(0.3)) o.push('WITHSCORES');
  if (g.chance(0.2)) o.push('LIMIT', g.pick(['0', '1', '-1']), g.count());
  return o;
};
const setOpts = (g: Gen): string[] => {
  const o: string[] = [];
  if (g.chance(0.3)) o.push(g.pick(['NX', 'XX']));
  if (g.chance(0.2)) o.push('GET');
  if (g.chance(0.3)) {
    const e = g.pick(['EX', 'PX', 'EXAT', 'PXAT', 'KEEPTTL']);
    if (e === 'KEEPTTL') o.push(e);
    else if (e === 'EXAT') o.push(e, g.pick([far(), '1', '0', 'abc']));
    else if (e === 'PXAT') o.push(e, g.pick([far() + '000', '1', '-1']));
    else o.push(e, expireArg(g, e === 'PX'));
  }
  if (g.chance(0.05)) o.push(g.pick(['NX', 'EX', 'BOGUS']));
  return o;
};
const weights = (g: Gen, n: number) => (g.chance(0.3) ? ['WEIGHTS', ...Array.from({ length: n }, () => g.pick(['1', '2', '0.5', '-1', 'x']))] : []);
const aggregate = (g: Gen) => (g.chance(0.3) ? ['AGGREGATE', g.pick(['SUM', 'MIN', 'MAX', 'avg'])] : []);
const numkeys = (g: Gen): string[] => {
  const ks = g.keys(1, 3);
  const n = g.chance(0.9) ? String(ks.length) : g.pick(['0', '-1', '5', 'x']);
  return [n, ...ks];
};

const SPECS: Record<string, Spec> = {
  // strings
  get: { gen: (g) => ['GET', g.key()], w: 3 },
  set: { gen: (g) => ['SET', g.key(), g.val(), ...setOpts(g)], w: 4 },
  setnx: { gen: (g) => ['SETNX', g.key(), g.val()] },
  setex: { gen: (g) => ['SETEX', g.key(), expireArg(g, false), g.val()] },
  psetex: { gen: (g) => ['PSETEX', g.key(), expireArg(g, true), g.val()] },
  getset: { gen: (g) => ['GETSET', g.key(), g.val()] },
  getdel: { gen: (g) => ['GETDEL', g.key()] },
  getex: {
    gen: (g) => {
      const o = g.pick([[], ['PERSIST'], ['EX', expireArg(g, false)], ['PX', expireArg(g, true)], ['EXAT', far()], ['PXAT', far() + '000'], ['EX'], ['BOGUS']]);
      return ['GETEX', g.key(), ...o];
    },
  },
  append: { gen: (g) => ['APPEND', g.key(), g.val()], w: 2 },
  strlen: { gen: (g) => ['STRLEN', g.key()] },
  getrange: { gen: (g) => ['GETRANGE', g.key(), g.index(), g.index()] },
  substr: { gen: (g) => ['SUBSTR', g.key(), g.index(), g.index()] },
  setrange: { gen: (g) => ['SETRANGE', g.key(), g.pick(['0', '1', '3', '10', '-1', '536870912', '100000', 'x']), g.pick(['', 'xy', '\xff', 'hello'])] },
  incr: { gen: (g) => ['INCR', g.key()], w: 2 },
  decr: { gen: (g) => ['DECR', g.key()] },
  incrby: { gen: (g) => ['INCRBY', g.key(), g.num()], w: 2 },
  decrby: { gen: (g) => ['DECRBY', g.key(), g.num()] },
  incrbyfloat: { gen: (g) => ['INCRBYFLOAT', g.key(), g.float()], w: 2 },
  mget: { gen: (g) => ['MGET', ...g.keys(1, 4)] },
  mset: { gen: (g) => ['MSET', ...pairs(g, g.key, g.val)] },
  msetnx: { gen: (g) => ['MSETNX', ...pairs(g, g.key, g.val)] },
  lcs: {
    gen: (g) => {
      const o = g.pick([[], ['LEN'], ['IDX'], ['IDX', 'WITHMATCHLEN'], ['IDX', 'MINMATCHLEN', g.pick(['0', '1', '2', '-1'])], ['LEN', 'IDX']]);
      return ['LCS', g.key(), g.key(), ...o];
    },
  },
  // generic
  del: { gen: (g) => ['DEL', ...g.keys(1, 3)], w: 2 },
  unlink: { gen: (g) => ['UNLINK', ...g.keys(1, 3)] },
  exists: { gen: (g) => ['EXISTS', ...g.keys(1, 4)] },
  type: { gen: (g) => ['TYPE', g.key()], w: 2 },
  touch: { gen: (g) => ['TOUCH', ...g.keys(1, 3)] },
  rename: { gen: (g) => ['RENAME', g.key(), g.key()] },
  renamenx: { gen: (g) => ['RENAMENX', g.key(), g.key()] },
  copy: {
    gen: (g) => {
      const o: string[] = [];
      if (g.chance(0.3)) o.push('DB', g.pick(['0', '1', '16', '-1', 'x']));
      if (g.chance(0.4)) o.push('REPLACE');
      return ['COPY', g.key(), g.key(), ...o];
    },
  },
  move: { gen: (g) => ['MOVE', g.key(), g.pick(['0', '1', '2', '16', '-1', 'x'])] },
  expire: { gen: (g) => ['EXPIRE', g.key(), expireArg(g, false), ...expireFlags(g)], w: 2 },
  pexpire: { gen: (g) => ['PEXPIRE', g.key(), expireArg(g, true), ...expireFlags(g)] },
  expireat: { gen: (g) => ['EXPIREAT', g.key(), g.pick([far(), '1', '0', '-1', 'x', '4102444801']), ...expireFlags(g)] },
  pexpireat: { gen: (g) => ['PEXPIREAT', g.key(), g.pick([far() + '000', '1', '0', far() + '500']), ...expireFlags(g)] },
  persist: { gen: (g) => ['PERSIST', g.key()] },
  ttl: { gen: (g) => ['TTL', g.key()], cmp: 'ttl', w: 2 },
  pttl: { gen: (g) => ['PTTL', g.key()], cmp: 'ttl' },
  expiretime: { gen: (g) => ['EXPIRETIME', g.key()], cmp: 'ttl' },
  pexpiretime: { gen: (g) => ['PEXPIRETIME', g.key()], cmp: 'ttl' },
  keys: { gen: (g) => ['KEYS', g.pick(PATTERNS)], cmp: 'set' },
  scan: {
    gen: (g) => {
      const o: string[] = [];
      if (g.chance(0.4)) o.push('MATCH', g.pick(PATTERNS));
      if (g.chance(0.3)) o.push('COUNT', g.pick(['1', '2', '10']));
      if (g.chance(0.3)) o.push('TYPE', g.pick(['string', 'list', 'hash', 'set', 'zset', 'nosuch']));
      return ['SCAN', '0', ...o];
    },
    cmp: 'scan',
  },
  randomkey: { gen: () => ['RANDOMKEY'], cmp: 'type' },
  object: {
    gen: (g) => [
      'OBJECT', g.pick(['ENCODING', 'REFCOUNT', 'FREQ', 'encoding', 'NOSUCH']), g.key(),
    ],
  },
  // server / connection (rarely: they reset a lot)
  dbsize: { gen: () => ['DBSIZE'] },
  flushdb: { gen: () => ['FLUSHDB'], w: 0.05 },
  swapdb: { gen: (g) => ['SWAPDB', g.pick(['0', '1']), g.pick(['0', '1', '16', 'x'])], w: 0.2 },
  select: { gen: (g) => ['SELECT', g.pick(['0', '0', '1', '16', '-1', 'x'])], w: 0.3 },
  ping: { gen: (g) => (g.chance(0.5) ? ['PING'] : ['PING', g.val()]), w: 0.3 },
  echo: { gen: (g) => ['ECHO', g.val()], w: 0.3 },
  // lists
  lpush: { gen: (g) => ['LPUSH', g.key(), ...g.keys(1, 3).map(() => g.member())], w: 2 },
  rpush: { gen: (g) => ['RPUSH', g.key(), ...g.keys(1, 3).map(() => g.member())], w: 2 },
  lpushx: { gen: (g) => ['LPUSHX', g.key(), g.member()] },
  rpushx: { gen: (g) => ['RPUSHX', g.key(), g.member()] },
  lpop: { gen: (g) => ['LPOP', g.key(), ...withCount(g, 0.3)] },
  rpop: { gen: (g) => ['RPOP', g.key(), ...withCount(g, 0.3)] },
  llen: { gen: (g) => ['LLEN', g.key()] },
  lrange: { gen: (g) => ['LRANGE', g.key(), g.index(), g.index()], w: 2 },
  lindex: { gen: (g) => ['LINDEX', g.key(), g.index()] },
  lset: { gen: (g) => ['LSET', g.key(), g.index(), g.member()] },
  linsert: { gen: (g) => ['LINSERT', g.key(), g.pick(['BEFORE', 'AFTER', 'after', 'MIDDLE']), g.member(), g.member()] },
  lrem: { gen: (g) => ['LREM', g.key(), g.pick(['0', '1', '-1', '2', 'x']), g.member()] },
  ltrim: { gen: (g) => ['LTRIM', g.key(), g.index(), g.index()] },
  lpos: {
    gen: (g) => {
      const o: string[] = [];
      if (g.chance(0.3)) o.push('RANK', g.pick(['1', '-1', '2', '0', '-9223372036854775808']));
      if (g.chance(0.3)) o.push('COUNT', g.pick(['0', '1', '2', '-1']));
      if (g.chance(0.2)) o.push('MAXLEN', g.pick(['0', '1', '5', '-1']));
      return ['LPOS', g.key(), g.member(), ...o];
    },
  },
  lmove: { gen: (g) => ['LMOVE', g.key(), g.key(), g.pick(['LEFT', 'RIGHT', 'left']), g.pick(['LEFT', 'RIGHT', 'UP'])] },
  rpoplpush: { gen: (g) => ['RPOPLPUSH', g.key(), g.key()] },
  lmpop: { gen: (g) => ['LMPOP', ...numkeys(g), g.pick(['LEFT', 'RIGHT', 'x']), ...(g.chance(0.4) ? ['COUNT', g.count()] : [])] },
  // hashes (field order is compared as a set: encodings differ in iteration order once converted)
  hset: { gen: (g) => ['HSET', g.key(), ...pairs(g, g.member, g.val)], w: 2 },
  hmset: { gen: (g) => ['HMSET', g.key(), ...pairs(g, g.member, g.val)] },
  hsetnx: { gen: (g) => ['HSETNX', g.key(), g.member(), g.val()] },
  hget: { gen: (g) => ['HGET', g.key(), g.member()], w: 2 },
  hmget: { gen: (g) => ['HMGET', g.key(), g.member(), g.member()] },
  hdel: { gen: (g) => ['HDEL', g.key(), g.member(), ...(g.chance(0.3) ? [g.member()] : [])] },
  hexists: { gen: (g) => ['HEXISTS', g.key(), g.member()] },
  hlen: { gen: (g) => ['HLEN', g.key()] },
  hstrlen: { gen: (g) => ['HSTRLEN', g.key(), g.member()] },
  hkeys: { gen: (g) => ['HKEYS', g.key()], cmp: 'set' },
  hvals: { gen: (g) => ['HVALS', g.key()], cmp: 'set' },
  hgetall: { gen: (g) => ['HGETALL', g.key()], cmp: 'set' },
  hincrby: { gen: (g) => ['HINCRBY', g.key(), g.member(), g.num()] },
  hincrbyfloat: { gen: (g) => ['HINCRBYFLOAT', g.key(), g.member(), g.float()] },
  hrandfield: { gen: (g) => ['HRANDFIELD', g.key()], cmp: 'type' },
  hscan: { gen: (g) => ['HSCAN', g.key(), '0', ...(g.chance(0.3) ? ['MATCH', g.pick(['*', 'm*', '?'])] : [])], cmp: 'scan' },
  // sets
  sadd: { gen: (g) => ['SADD', g.key(), ...g.keys(1, 3).map(() => g.member())], w: 2 },
  srem: { gen: (g) => ['SREM', g.key(), g.member(), ...(g.chance(0.3) ? [g.member()] : [])] },
  scard: { gen: (g) => ['SCARD', g.key()] },
  sismember: { gen: (g) => ['SISMEMBER', g.key(), g.member()] },
  smismember: { gen: (g) => ['SMISMEMBER', g.key(), g.member(), g.member()] },
  smembers: { gen: (g) => ['SMEMBERS', g.key()], cmp: 'set', w: 2 },
  sinter: { gen: (g) => ['SINTER', ...g.keys(1, 3)], cmp: 'set' },
  sunion: { gen: (g) => ['SUNION', ...g.keys(1, 3)], cmp: 'set' },
  sdiff: { gen: (g) => ['SDIFF', ...g.keys(1, 3)], cmp: 'set' },
  sintercard: { gen: (g) => ['SINTERCARD', ...numkeys(g), ...(g.chance(0.3) ? ['LIMIT', g.pick(['0', '1', '-1', 'x'])] : [])] },
  sinterstore: { gen: (g) => ['SINTERSTORE', g.key(), ...g.keys(1, 3)] },
  sunionstore: { gen: (g) => ['SUNIONSTORE', g.key(), ...g.keys(1, 3)] },
  sdiffstore: { gen: (g) => ['SDIFFSTORE', g.key(), ...g.keys(1, 3)] },
  smove: { gen: (g) => ['SMOVE', g.key(), g.key(), g.member()] },
  srandmember: { gen: (g) => ['SRANDMEMBER', g.key()], cmp: 'type' },
  sscan: { gen: (g) => ['SSCAN', g.key(), '0'], cmp: 'scan' },
  // sorted sets
  zadd: {
    gen: (g) => {
      const o: string[] = [];
      if (g.chance(0.2)) o.push(g.pick(['NX', 'XX']));
      if (g.chance(0.2)) o.push(g.pick(['GT', 'LT']));
      if (g.chance(0.2)) o.push('CH');
      if (g.chance(0.1)) o.push('INCR');
      return ['ZADD', g.key(), ...o, ...pairs(g, g.score, g.member)];
    },
    w: 3,
  },
  zincrby: { gen: (g) => ['ZINCRBY', g.key(), g.score(), g.member()] },
  zrem: { gen: (g) => ['ZREM', g.key(), g.member(), ...(g.chance(0.3) ? [g.member()] : [])] },
  zcard: { gen: (g) => ['ZCARD', g.key()] },
  zscore: { gen: (g) => ['ZSCORE', g.key(), g.member()] },
  zmscore: { gen: (g) => ['ZMSCORE', g.key(), g.member(), g.member()] },
  zrank: { gen: (g) => ['ZRANK', g.key(), g.member()] },
  zrevrank: { gen: (g) => ['ZREVRANK', g.key(), g.member()] },
  zcount: { gen: (g) => ['ZCOUNT', g.key(), g.score(), g.score()] },
  zlexcount: { gen: (g) => ['ZLEXCOUNT', g.key(), g.pick(RANGES_LEX), g.pick(RANGES_LEX)] },
  zrange: {
    gen: (g) => {
      const by = g.pick(['', 'BYSCORE', 'BYLEX']);
      const [a, b] = by === 'BYLEX' ? [g.pick(RANGES_LEX), g.pick(RANGES_LEX)] : by === 'BYSCORE' ? [g.score(), g.score()] : [g.index(), g.index()];
      return ['ZRANGE', g.key(), a, b, ...(by ? [by] : []), ...(g.chance(0.2) ? ['REV'] : []), ...zrangeOpts(g)];
    },
    w: 2,
  },
  zrangestore: { gen: (g) => ['ZRANGESTORE', g.key(), g.key(), g.index(), g.index(), ...(g.chance(0.3) ? ['REV'] : [])] },
  zrevrange: { gen: (g) => ['ZREVRANGE', g.key(), g.index(), g.index(), ...(g.chance(0.3) ? ['WITHSCORES'] : [])] },
  zrangebyscore: { gen: (g) => ['ZRANGEBYSCORE', g.key(), g.score(), g.score(), ...zrangeOpts(g)] },
  zrevrangebyscore: { gen: (g) => ['ZREVRANGEBYSCORE', g.key(), g.score(), g.score(), ...zrangeOpts(g)] },
  zrangebylex: { gen: (g) => ['ZRANGEBYLEX', g.key(), g.pick(RANGES_LEX), g.pick(RANGES_LEX)] },
  zrevrangebylex: { gen: (g) => ['ZREVRANGEBYLEX', g.key(), g.pick(RANGES_LEX), g.pick(RANGES_LEX)] },
  zremrangebyrank: { gen: (g) => ['ZREMRANGEBYRANK', g.key(), g.index(), g.index()] },
  zremrangebyscore: { gen: (g) => ['ZREMRANGEBYSCORE', g.key(), g.score(), g.score()] },
  zremrangebylex: { gen: (g) => ['ZREMRANGEBYLEX', g.key(), g.pick(RANGES_LEX), g.pick(RANGES_LEX)] },
  zpopmin: { gen: (g) => ['ZPOPMIN', g.key(), ...withCount(g, 0.3)] },
  zpopmax: { gen: (g) => ['ZPOPMAX', g.key(), ...withCount(g, 0.3)] },
  zmpop: { gen: (g) => ['ZMPOP', ...numkeys(g), g.pick(['MIN', 'MAX', 'x']), ...(g.chance(0.4) ? ['COUNT', g.count()] : [])] },
  zunion: { gen: (g) => { const k = numkeys(g); return ['ZUNION', ...k, ...weights(g, k.length - 1), ...aggregate(g), ...(g.chance(0.3) ? ['WITHSCORES'] : [])]; } },
  zinter: { gen: (g) => { const k = numkeys(g); return ['ZINTER', ...k, ...weights(g, k.length - 1), ...aggregate(g), ...(g.chance(0.3) ? ['WITHSCORES'] : [])]; } },
  zdiff: { gen: (g) => ['ZDIFF', ...numkeys(g), ...(g.chance(0.3) ? ['WITHSCORES'] : [])] },
  zunionstore: { gen: (g) => { const k = numkeys(g); return ['ZUNIONSTORE', g.key(), ...k, ...weights(g, k.length - 1), ...aggregate(g)]; } },
  zinterstore: { gen: (g) => { const k = numkeys(g); return ['ZINTERSTORE', g.key(), ...k, ...weights(g, k.length - 1), ...aggregate(g)]; } },
  zdiffstore: { gen: (g) => ['ZDIFFSTORE', g.key(), ...numkeys(g)] },
  zintercard: { gen: (g) => ['ZINTERCARD', ...numkeys(g), ...(g.chance(0.3) ? ['LIMIT', g.pick(['0', '1', '-1'])] : [])] },
  zrandmember: { gen: (g) => ['ZRANDMEMBER', g.key()], cmp: 'type' },
  zscan: { gen: (g) => ['ZSCAN', g.key(), '0'], cmp: 'scan' },
  // bitmaps (when the family exists)
  setbit: { gen: (g) => ['SETBIT', g.key(), g.pick(['0', '1', '7', '8', '100', '-1', '4294967296', 'x']), g.pick(['0', '1', '2'])] },
  getbit: { gen: (g) => ['GETBIT', g.key(), g.pick(['0', '1', '7', '100', '-1'])] },
  bitcount: { gen: (g) => ['BITCOUNT', g.key(), ...(g.chance(0.5) ? [g.index(), g.index(), ...(g.chance(0.3) ? [g.pick(['BYTE', 'BIT'])] : [])] : [])] },
  bitpos: { gen: (g) => ['BITPOS', g.key(), g.pick(['0', '1', '2']), ...(g.chance(0.5) ? [g.index()] : [])] },
  bitop: { gen: (g) => ['BITOP', g.pick(['AND', 'OR', 'XOR', 'NOT', 'nand']), g.key(), ...g.keys(1, 2)] },
};

/** Commands with reasons never generated: non-deterministic state changes, blocking, time or sessions. */
const EXCLUDED = new Set([
  'spop', // random removal makes the states diverge
  'blpop', 'brpop', 'blmove', 'brpoplpush', 'blmpop', 'bzpopmin', 'bzpopmax', 'bzmpop', // would block
  'flushall', 'quit', 'reset', 'hello', 'auth', 'client', 'multi', 'exec', 'discard', 'watch', 'unwatch',
  'subscribe', 'unsubscribe', 'psubscribe', 'punsubscribe', 'ssubscribe', 'sunsubscribe', 'publish', 'spublish', 'pubsub',
]);

// ---- the run ----------------------------------------------------------------------------------------------

const STEPS = Number(process.env.RANDOM_STEPS ?? 2000);
const SEEDS = (process.env.RANDOM_SEEDS ?? '1,2,3,4').split(',').map(Number);

const available = Object.entries(SPECS).filter(([name]) => lookupCommand(name) !== undefined && !EXCLUDED.has(name));
const skipped = Object.keys(SPECS).filter((name) => lookupCommand(name) === undefined);
const hasHello = lookupCommand('hello') !== undefined;

function pickSpec(g: Gen): [string, Spec] {
  let total = 0;
  for (const [, s] of available) total += s.w ?? 1;
  let r = g.rng() * total;
  for (const e of available) {
    r -= e[1].w ?? 1;
    if (r < 0) return e;
  }
  return available[available.length - 1];
}

/** Arguments for one step; sometimes with a wrong arity (an argument dropped or added). */
function nextCommand(g: Gen): { args: string[]; cmp: Compare } {
  const [, spec] = pickSpec(g);
  let args = spec.gen(g);
  let cmp = spec.cmp ?? 'exact';
  const r = g.rng();
  if (r < 0.03 && args.length > 1) {
    args = args.slice(0, args.length - 1);
    cmp = cmp === 'scan' ? 'exact' : cmp;
  } else if (r < 0.05) {
    args = [...args, g.val()];
    cmp = cmp === 'scan' ? 'exact' : cmp;
  }
  if (g.chance(0.02)) args[0] = args[0].toLowerCase();
  return { args, cmp };
}

let servers: Servers;
beforeAll(async () => {
  servers = await startServers();
});
afterAll(async () => {
  await servers?.stop();
});

describe('random command sequences', () => {
  // Commands the generator knows but the table lacks are left out of the sequences (listed when run).
  if (skipped.length) console.info(`random: not in the table yet: ${skipped.join(' ')}`);
  const runs: { seed: number; resp3: boolean }[] = SEEDS.map((seed, i) => ({ seed, resp3: hasHello && i === SEEDS.length - 1 }));
  for (const { seed, resp3 } of runs) {
    test(`seed ${seed}${resp3 ? ' (RESP3)' : ''}: ${STEPS} commands`, async () => {
      const g = makeGen(seeded(seed));
      const [r, t] = await Promise.all([RespClient.connect(servers.redis.port), RespClient.connect(servers.tabhive.port)]);
      try {
        for (const c of [r, t]) {
          await c.call(['FLUSHALL']);
          if (resp3) await c.call(['HELLO', '3']);
        }
        const history: { args: string[]; redis: RVal; tabhive: RVal }[] = [];
        for (let i = 0; i < STEPS; i++) {
          const { args, cmp } = nextCommand(g);
          const [a, b] =
            cmp === 'scan'
              ? await Promise.all([scanAll(r, args), scanAll(t, args)])
              : await Promise.all([r.call(args), t.call(args)]);
          history.push({ args, redis: a, tabhive: b });
          const why = compare(cmp, args, a, b);
          if (why !== null) {
            const last = history.slice(-21, -1).map((h, j) => `  #${i - Math.min(20, history.length - 1) + j} ${showArgs(h.args)} → ${show(h.redis, 200)}`);
            throw new Error(
              [
                `seed ${seed}${resp3 ? ' (RESP3)' : ''}, step #${i} [${cmp}]: ${showArgs(args)}: ${why}`,
                `  redis:   ${show(a)}`,
                `  tabhive: ${show(b)}`,
                'last commands (redis replies):',
                ...last,
              ].join('\n'),
            );
          }
        }
      } finally {
        r.close();
        t.close();
      }
    }, 120_000);
  }
});
