import { on, read, step, u8, type Case, type StepLike } from '../case.js';

/** Restore the memory settings a case changed (the next case must not run under a limit). */
const RESTORE: StepLike[] = [
  ['CONFIG', 'SET', 'maxmemory', '0'],
  ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'],
];

const usage = (...args: string[]) => step('type', 'MEMORY', 'USAGE', ...args);

/** Under maxmemory 1 every policy evicts all it may and still cannot get under: OOM for writes. */
const policyCase = (policy: string): Case => {
  const allkeys = policy.startsWith('allkeys-');
  return {
    name: `${policy}: evicts what it may, then OOM`,
    steps: [
      ['SET', 'persistent', '1'],
      ['SET', 'volatile', '1', 'EX', '100'],
      ['HSET', 'h', 'f', 'v'],
      ['CONFIG', 'SET', 'maxmemory-policy', policy],
      ['CONFIG', 'SET', 'maxmemory', '1'],
      ['DBSIZE'],
      ['EXISTS', 'persistent', 'h'],
      ['EXISTS', 'volatile'],
      ['SET', 'x', '1'],
      ['GET', 'x'],
      ['DEL', allkeys ? 'none' : 'persistent'],
      ...RESTORE,
      ['SET', 'x', '1'],
    ],
  };
};

export const cases: Case[] = [
  {
    name: 'MEMORY USAGE: every type, missing keys, odd keys',
    steps: [
      ['SET', 'foo', 'bar'], usage('foo'), ['SET', 'n', '12345'], usage('n'), ['SET', 'e', ''], usage('e'),
      ['SET', 'long', 'x'.repeat(100)], usage('long'), ['APPEND', 'long', 'y'], usage('long'),
      ['RPUSH', 'l', 'a', 'b', 'c'], usage('l'), ['HSET', 'h', 'f', 'v'], usage('h'),
      ['SADD', 's', '1', '2'], usage('s'), ['SADD', 's2', 'a', 'b'], usage('s2'),
      ['ZADD', 'z', '1', 'a', '2.5', 'b'], usage('z'),
      ['MEMORY', 'USAGE', 'nokey'], ['MEMORY', 'USAGE', '__proto__'],
      ['SET', '__proto__', 'x'], usage('__proto__'), ['SET', 'constructor', 'y'], usage('constructor'),
      ['SET', '\xff', '1'], usage('\xff'), ['MEMORY', 'USAGE', '\xfe'],
      ['SET', u8('é'), u8('ü')], usage(u8('é')),
    ],
  },
  {
    name: 'MEMORY USAGE: SAMPLES and its errors (checked before the key)',
    steps: [
      ['SADD', 's', 'a', 'b', 'c'],
      usage('s', 'SAMPLES', '0'), usage('s', 'samples', '1'), usage('s', 'SAMPLES', '0', 'SAMPLES', '3'),
      ['MEMORY', 'USAGE', 's', 'SAMPLES', '-1'],
      ['MEMORY', 'USAGE', 'nokey', 'SAMPLES', '-1'],
      ['MEMORY', 'USAGE', 'nokey', 'SAMPLES', 'x'],
      ['MEMORY', 'USAGE', 'nokey', 'SAMPLES', '99999999999999999999'],
      ['MEMORY', 'USAGE', 's', 'SAMPLES'],
      ['MEMORY', 'USAGE', 's', 'bar'],
      ['MEMORY', 'USAGE', 'nokey', 'SAMPLES', '5'],
      ['MEMORY', 'USAGE'],
    ],
  },
  {
    name: 'MEMORY container: arity, unknown subcommands, HELP, PURGE, DOCTOR, STATS',
    steps: [
      ['MEMORY'], ['MEMORY', 'foo'], ['MEMORY', 'help'], ['MEMORY', 'HELP', 'x'], ['MEMORY', 'PURGE'],
      ['MEMORY', 'PURGE', 'x'], ['MEMORY', 'DOCTOR'], ['MEMORY', 'DOCTOR', 'x'], ['MEMORY', 'STATS', 'x'],
      ['MEMORY', 'MALLOC-STATS', 'x'], step('type', 'MEMORY', 'MALLOC-STATS'), step('type', 'MEMORY', 'STATS'),
    ],
  },
  {
    name: 'MEMORY in RESP3: STATS is a map, DOCTOR verbatim',
    resp3: true,
    steps: [['SET', 'a', '1'], step('type', 'MEMORY', 'STATS'), ['MEMORY', 'DOCTOR'], usage('a'), ['MEMORY', 'USAGE', 'b']],
  },
  {
    name: 'noeviction: the exact OOM error; reads, DEL and CONFIG go on',
    steps: [
      ['SET', 'a', '1'],
      ['CONFIG', 'SET', 'maxmemory', '1'],
      ['SET', 'b', '2'], ['GET', 'a'], ['RPUSH', 'l', 'x'], ['EXPIRE', 'a', '100'], ['INCR', 'a'],
      ['DEL', 'a'], ['SET', 'a', '1'], ['DBSIZE'],
      ...RESTORE,
      ['SET', 'a', '1'],
    ],
  },
  {
    name: 'over the limit inside MULTI: everything but EXEC/DISCARD/RESET is refused at queue time',
    steps: [
      ['CONFIG', 'SET', 'maxmemory', '1'],
      ['MULTI'], ['GET', 'a'], ['PING'], ['MULTI'], ['WATCH', 'a'], ['SET', 'a', '1'], ['EXEC'],
      ['MULTI'], ['DISCARD'],
      ['MULTI'], ['RESET'],
      ...RESTORE,
    ],
  },
  {
    name: 'EXEC with a queued denyoom command while over the limit discards the transaction',
    steps: [
      ['WATCH', 'w'], ['MULTI'], ['SET', 'a', '1'], ['GET', 'a'],
      on(1, 'CONFIG', 'SET', 'maxmemory', '1'),
      ['EXEC'], ['EXEC'], ['GET', 'a'],
      on(1, 'CONFIG', 'SET', 'maxmemory', '0'),
      ['MULTI'], ['GET', 'a'], ['CONFIG', 'SET', 'maxmemory', '1'], ['EXEC'],
      ['SET', 'b', '1'],
      ...RESTORE,
    ],
  },
  {
    name: 'CONFIG SET maxmemory evicts at once; evicted events',
    steps: [
      on(1, 'SUBSCRIBE', '__keyevent@0__:evicted'),
      ['CONFIG', 'SET', 'notify-keyspace-events', 'Ee'],
      ['SET', 'a', '1'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru'],
      ['CONFIG', 'SET', 'maxmemory', '1'],
      read(1),
      ['DBSIZE'],
      ['SET', 'b', '1'],
      ...RESTORE,
      ['CONFIG', 'SET', 'notify-keyspace-events', ''],
    ],
  },
  ...[
    'volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random',
  ].map(policyCase),
  {
    name: 'volatile-* with no volatile keys: OOM, nothing evicted',
    steps: [
      ['SET', 'a', '1'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'volatile-ttl'],
      ['CONFIG', 'SET', 'maxmemory', '1'],
      ['SET', 'b', '1'], ['DBSIZE'],
      ...RESTORE,
    ],
  },
  {
    name: 'COMMAND INFO of the MEMORY subcommands',
    steps: ['usage', 'stats', 'doctor', 'malloc-stats', 'purge', 'help'].map((sub) => ['COMMAND', 'INFO', `memory|${sub}`]),
  },
  {
    name: 'maxmemory settings: units, enums, ranges',
    steps: [
      ['CONFIG', 'SET', 'maxmemory', '50mb'], ['CONFIG', 'GET', 'maxmemory'],
      ['CONFIG', 'SET', 'maxmemory', '1GB'], ['CONFIG', 'GET', 'maxmemory'],
      ['CONFIG', 'SET', 'maxmemory', '10k'], ['CONFIG', 'GET', 'maxmemory'],
      ['CONFIG', 'SET', 'maxmemory', 'lots'], ['CONFIG', 'SET', 'maxmemory', '0'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'ALLKEYS-LRU'], ['CONFIG', 'GET', 'maxmemory-policy'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'lru'],
      ['CONFIG', 'SET', 'maxmemory-samples', '0'], ['CONFIG', 'SET', 'maxmemory-samples', '10'],
      ['CONFIG', 'GET', 'maxmemory-samples'], ['CONFIG', 'SET', 'maxmemory-samples', '5'],
      ['CONFIG', 'SET', 'maxmemory-eviction-tenacity', '101'], ['CONFIG', 'GET', 'maxmemory-eviction-tenacity'],
      ['CONFIG', 'SET', 'lfu-log-factor', '-1'], ['CONFIG', 'GET', 'lfu-log-factor'],
      ['CONFIG', 'GET', 'lfu-decay-time'],
      ...RESTORE,
    ],
  },
];
