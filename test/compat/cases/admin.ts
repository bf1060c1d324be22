import { step, type Case } from '../case.js';

/** Commands whose whole COMMAND INFO (key specs included) and COMMAND DOCS tabhive must answer as Redis. */
const INFO_EXACT = [
  'ping', 'echo', 'hello', 'auth', 'quit', 'reset', 'time', 'info', 'get', 'del', 'client|id', 'client|list',
  'client|kill', 'client|no-evict', 'config|get', 'config|set', 'command|info', 'command|getkeys', 'COMMAND|COUNT',
];
const DOCS_EXACT = [
  'ping', 'echo', 'quit', 'reset', 'time', 'get', 'client|id', 'client|getname', 'client|setname', 'client|info',
  'client|help', 'config|rewrite', 'config|resetstat', 'config|set', 'config|help', 'command|count', 'command|help',
];

export const cases: Case[] = [
  {
    name: 'TIME',
    steps: [step('type', 'TIME'), ['TIME', 'x']],
  },
  {
    name: 'COMMAND INFO of connection and server commands',
    steps: [
      ...INFO_EXACT.map((n) => ['COMMAND', 'INFO', n]),
      ['COMMAND', 'INFO', 'nosuch'], ['COMMAND', 'INFO', 'GET', 'nosuch', 'Ping'], ['COMMAND', 'INFO', 'client|nosuch'],
      ['COMMAND', 'INFO', 'get|x'], ['COMMAND', 'INFO', 'config|get|x'], ['COMMAND', 'INFO', ''],
    ],
  },
  {
    name: 'COMMAND INFO in RESP3 uses sets and maps',
    resp3: true,
    steps: [['COMMAND', 'INFO', 'get', 'ping', 'config|set', 'nosuch']],
  },
  {
    name: 'COMMAND DOCS',
    steps: [
      ...DOCS_EXACT.map((n) => ['COMMAND', 'DOCS', n]),
      ['COMMAND', 'DOCS', 'nosuch'], ['COMMAND', 'DOCS', 'nosuch', 'ping', 'PING'],
    ],
  },
  {
    name: 'COMMAND DOCS in RESP3 is a map',
    resp3: true,
    steps: [['COMMAND', 'DOCS', 'get', 'echo'], ['COMMAND', 'DOCS', 'nosuch']],
  },
  {
    name: 'COMMAND LIST with filters',
    steps: [
      ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'ec*'], step('set', 'COMMAND', 'LIST', 'FILTERBY', 'pattern', 'conf*'),
      step('set', 'COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'COMM*'), ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'nosuch*'],
      ['COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'nope'], ['COMMAND', 'LIST', 'FILTERBY', 'MODULE', 'x'],
      ['COMMAND', 'LIST', 'FILTERBY'], ['COMMAND', 'LIST', 'FILTERBY', 'foo', 'bar'],
      ['COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'connection', 'extra'], ['COMMAND', 'LIST', 'foo'],
    ],
  },
  {
    name: 'COMMAND GETKEYS / GETKEYSANDFLAGS',
    steps: [
      ['COMMAND', 'GETKEYS', 'GET', 'k'], ['COMMAND', 'GETKEYS', 'get', ''], ['COMMAND', 'GETKEYS', 'get', '\xff'],
      ['COMMAND', 'GETKEYS', 'mset', 'a', 'b', 'c', 'd'], ['COMMAND', 'GETKEYS', 'mset', 'a', 'b', 'c'],
      ['COMMAND', 'GETKEYS', 'del', '__proto__', 'constructor'], ['COMMAND', 'GETKEYSANDFLAGS', 'get', 'k'],
      ['COMMAND', 'GETKEYSANDFLAGS', 'del', 'a', 'b'],
      ['COMMAND', 'GETKEYS', 'foo', 'a'], ['COMMAND', 'GETKEYS', 'config', 'foo', 'x'],
      ['COMMAND', 'GETKEYS', 'config', 'get', 'x'], ['COMMAND', 'GETKEYS', 'ping', 'x'],
      ['COMMAND', 'GETKEYS', 'get', 'a', 'b'], ['COMMAND', 'GETKEYS', 'get'], ['COMMAND', 'GETKEYS'],
    ],
  },
  {
    name: 'COMMAND errors and HELP',
    steps: [
      ['COMMAND', 'FOO'], ['COMMAND', 'COUNT', 'x'], ['command', 'help'], ['COMMAND', 'HELP', 'x'],
      step('type', 'COMMAND', 'COUNT'),
    ],
  },
  {
    name: 'INFO sections',
    steps: [
      step('type', 'INFO'), step('type', 'INFO', 'server'), step('type', 'INFO', 'all'),
      step('type', 'INFO', 'everything'), ['INFO', 'foo'], ['INFO', 'cluster'], ['INFO', 'CLUSTER', 'keyspace'],
      ['INFO', 'keyspace', 'cluster'], ['INFO', 'modules'], ['INFO', 'keyspace'],
      ['SET', 'a', '1'], ['SELECT', '2'], ['SET', '\xff', 'x'], ['SET', '__proto__', 'y'], ['INFO', 'keyspace'],
    ],
  },
  {
    name: 'INFO in RESP3 is a verbatim string',
    resp3: true,
    steps: [['INFO', 'cluster'], step('type', 'INFO')],
  },
  {
    name: 'CONFIG GET',
    steps: [
      ['CONFIG', 'GET', 'hz'], ['CONFIG', 'GET', 'HZ'], ['CONFIG', 'GET', 'hz', 'HZ'], ['CONFIG', 'GET', 'foo'],
      step('set', 'CONFIG', 'GET', '*ziplist*'), step('set', 'CONFIG', 'GET', '*listpack*'),
      step('set', 'CONFIG', 'GET', 'hash-max-ziplist-entries', 'HASH-MAX-LISTPACK-ENTRIES'), ['CONFIG', 'GET', 'databases'],
      ['CONFIG', 'GET', 'maxmemory-policy'], ['CONFIG', 'GET', 'notify-keyspace-events'],
      ['CONFIG', 'GET', 'maxmemory'], ['CONFIG', 'GET', 'proto-max-bulk-len'], step('set', 'CONFIG', 'GET', 'lfu-*'),
      step('set', 'CONFIG', 'GET', 'lazyfree-*'), ['CONFIG', 'GET', 'set-max-intset-entries'], ['CONFIG', 'GET'],
    ],
  },
  {
    name: 'CONFIG GET in RESP3 is a map',
    resp3: true,
    steps: [['CONFIG', 'GET', 'hz'], ['CONFIG', 'GET', 'nosuch']],
  },
  {
    name: 'CONFIG SET errors',
    steps: [
      ['CONFIG', 'SET', 'hz', 'abc'], ['CONFIG', 'SET', 'HZ', '+5'], ['CONFIG', 'SET', 'hz', ' 5'],
      ['CONFIG', 'SET', 'hz', '-1'], ['CONFIG', 'SET', 'hash-max-ziplist-entries', 'x'],
      ['CONFIG', 'SET', 'hash-max-listpack-entries', '-1'], ['CONFIG', 'SET', 'maxclients', '0'],
      ['CONFIG', 'SET', 'maxclients', '-1'], ['CONFIG', 'SET', 'maxmemory', '-1'], ['CONFIG', 'SET', 'maxmemory', '1.5gb'],
      ['CONFIG', 'SET', 'maxmemory', 'abc'], ['CONFIG', 'SET', 'proto-max-bulk-len', '100'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'foo'], ['CONFIG', 'SET', 'maxmemory-policy', ''],
      ['CONFIG', 'SET', 'appendfsync', 'foo'], ['CONFIG', 'SET', 'lazyfree-lazy-expire', 'maybe'],
      ['CONFIG', 'SET', 'notify-keyspace-events', 'foo'], ['CONFIG', 'SET', 'maxmemory-samples', '0'],
      ['CONFIG', 'SET', 'databases', '4'], ['CONFIG', 'SET', 'cluster-enabled', 'yes'], ['CONFIG', 'SET', 'foo', '1'],
      ['CONFIG', 'SET', 'hz', '5', 'hz', '6'], ['CONFIG', 'SET', 'hz', '5', 'HZ', '6'], ['CONFIG', 'SET', 'hz', '1', 'foo'],
      ['CONFIG', 'SET', 'hz'], ['CONFIG', 'SET', 'hz', '1', 'databases', '2', 'foo', '1'],
      ['CONFIG', 'SET', 'foo', '1', 'databases', '2'], ['CONFIG', 'SET', 'hz', '20', 'maxmemory-policy', 'nope'],
      ['CONFIG', 'GET', 'hz'],
    ],
  },
  {
    name: 'CONFIG SET values, then back to the defaults',
    steps: [
      ['CONFIG', 'SET', 'hz', '20', 'maxmemory', '1KB', 'maxmemory-policy', 'ALLKEYS-LFU'],
      ['CONFIG', 'GET', 'hz'], ['CONFIG', 'GET', 'maxmemory'], ['CONFIG', 'GET', 'maxmemory-policy'],
      ['CONFIG', 'SET', 'hz', '1000'], ['CONFIG', 'GET', 'hz'], ['CONFIG', 'SET', 'hz', '0'], ['CONFIG', 'GET', 'hz'],
      ['CONFIG', 'SET', 'maxmemory', '99999999999999999999'], ['CONFIG', 'GET', 'maxmemory'],
      ['CONFIG', 'SET', 'maxmemory', ''], ['CONFIG', 'GET', 'maxmemory'], ['CONFIG', 'SET', 'maxmemory', 'kb'],
      ['CONFIG', 'SET', 'maxmemory', '2mb'], ['CONFIG', 'GET', 'maxmemory'],
      ['CONFIG', 'SET', 'hash-max-ziplist-value', '1kb', 'lazyfree-lazy-expire', 'YES'],
      ['CONFIG', 'GET', 'hash-max-listpack-value'], ['CONFIG', 'GET', 'lazyfree-lazy-expire'],
      ['CONFIG', 'SET', 'notify-keyspace-events', 'AKEm'], ['CONFIG', 'GET', 'notify-keyspace-events'],
      ['CONFIG', 'SET', 'notify-keyspace-events', '$lshzxetdgKn'], ['CONFIG', 'GET', 'notify-keyspace-events'],
      ['CONFIG', 'SET', 'notify-keyspace-events', 'Eg'], ['CONFIG', 'GET', 'notify-keyspace-events'],
      ['CONFIG', 'SET', 'appendfsync', 'ALWAYS'], ['CONFIG', 'GET', 'appendfsync'],
      ['CONFIG', 'SET', 'hz', '10', 'maxmemory', '0', 'maxmemory-policy', 'noeviction', 'hash-max-ziplist-value', '64',
        'lazyfree-lazy-expire', 'no', 'notify-keyspace-events', '', 'appendfsync', 'everysec'],
      ['CONFIG', 'GET', 'hz'], ['CONFIG', 'GET', 'maxmemory'], ['CONFIG', 'GET', 'notify-keyspace-events'],
    ],
  },
  {
    name: 'CONFIG RESETSTAT, REWRITE, HELP',
    steps: [
      ['CONFIG', 'RESETSTAT'], ['CONFIG', 'RESETSTAT', 'x'], ['CONFIG', 'REWRITE'], ['CONFIG', 'HELP'],
      ['CONFIG'], ['CONFIG', 'FOO'],
    ],
  },
];
