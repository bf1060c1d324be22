import { on, read, send, type Case } from '../case.js';

export const cases: Case[] = [
  {
    name: 'BLPOP / BRPOP serve at once when data is there',
    steps: [
      ['RPUSH', 'l', 'a', 'b', 'c'], ['BLPOP', 'none', 'l', '0'], ['BRPOP', 'l', '0'], ['BLPOP', 'l', '1'],
      ['EXISTS', 'l'], ['SET', 's', 'x'], ['BLPOP', 's', '0'], ['BLPOP', 'none', 's', '0'],
    ],
  },
  {
    name: 'blocking argument errors',
    steps: [
      ['BLPOP', 'a'], ['BLPOP', 'a', '-1'], ['BLPOP', 'a', 'abc'], ['BLPOP', 'a', '1e20'], ['BLPOP', 'a', 'inf'],
      ['BLMOVE', 'a', 'b', 'UP', 'LEFT', '0'], ['BLMOVE', 'a', 'b', 'LEFT', 'LEFT', 'abc'], ['BLMPOP', 'abc', '1', 'a', 'LEFT'],
      ['BLMPOP', '0', '0', 'a', 'LEFT'], ['BLMPOP', '0', '2', 'a', 'LEFT'], ['BLMPOP', '0', '1', 'a', 'UP'],
      ['BLMPOP', '0', '1', 'a', 'LEFT', 'COUNT', '0'], ['BRPOPLPUSH', 'a', 'b'],
    ],
  },
  {
    name: 'timeouts answer a null array',
    steps: [['BLPOP', 'nol', '0.05'], ['BRPOP', 'nol', '0.01'], ['BLMOVE', 'nol', 'd', 'LEFT', 'RIGHT', '0.02'],
      ['BRPOPLPUSH', 'nol', 'd', '0.02'], ['BLMPOP', '0.02', '1', 'nol', 'LEFT']],
  },
  {
    name: 'inside MULTI nothing blocks',
    steps: [
      ['MULTI'], ['BLPOP', 'nol', '0'], ['BRPOPLPUSH', 'nol', 'd', '0'], ['BLMOVE', 'nol', 'd', 'LEFT', 'LEFT', '0'],
      ['BLMPOP', '0', '1', 'nol', 'LEFT'], ['EXEC'],
    ],
  },
  {
    name: 'a push from another connection wakes BLPOP, first blocked first served',
    steps: [
      send(1, 'BLPOP', 'q', '0'),
      send(2, 'BLPOP', 'q', '0'),
      ['RPUSH', 'q', 'one'],
      read(1),
      ['RPUSH', 'q', 'two', 'three'],
      read(2),
      ['LRANGE', 'q', '0', '-1'],
      on(1, 'PING'),
    ],
  },
  {
    name: 'BLMOVE woken by a push moves the element; BLMPOP with COUNT',
    steps: [
      send(1, 'BLMOVE', 'src', 'dst', 'RIGHT', 'LEFT', '0'),
      ['LPUSH', 'src', 'x'],
      read(1),
      ['LRANGE', 'dst', '0', '-1'],
      ['EXISTS', 'src'],
      send(2, 'BLMPOP', '0', '2', 'k1', 'k2', 'RIGHT', 'COUNT', '5'),
      ['RPUSH', 'k2', 'a', 'b', 'c'],
      read(2),
    ],
  },
  {
    name: 'a client blocked on several keys is served by the first that gets data',
    steps: [
      send(1, 'BRPOP', 'k1', 'k2', 'k3', '0'),
      ['SET', 'k1', 'str'],
      ['RPUSH', 'k3', 'c'],
      read(1),
      ['RPUSH', 'k2', 'b'],
      ['LLEN', 'k2'],
    ],
  },
  {
    name: 'MULTI that pushes then pops serves waiters after EXEC',
    steps: [
      send(1, 'BLPOP', 'm', '0'),
      ['MULTI'], ['RPUSH', 'm', 'a', 'b'], ['LPOP', 'm'], ['EXEC'],
      read(1),
      ['LLEN', 'm'],
    ],
  },
];

cases.push(
  {
    name: 'BZPOPMIN / BZPOPMAX / BZMPOP at once, timeouts, MULTI, errors',
    steps: [
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'], ['BZPOPMIN', 'z', '0'], ['BZPOPMAX', 'none', 'z', '0'],
      ['BZPOPMAX', 'nz', '0.01'], ['BZMPOP', '0.01', '1', 'nz', 'MIN'], ['BZMPOP', '0', '2', 'nz', 'z', 'MAX', 'COUNT', '3'],
      ['EXISTS', 'z'], ['MULTI'], ['BZPOPMIN', 'nz', '0'], ['BZMPOP', '0', '1', 'nz', 'MIN'], ['EXEC'],
      ['BZPOPMIN', 'z'], ['BZPOPMIN', 'z', '-1'], ['BZMPOP', '0', '0', 'z', 'MIN'], ['BZMPOP', '0', '1', 'z', 'UP'],
      ['SET', 's', 'x'], ['BZPOPMIN', 's', '0'],
    ],
  },
  {
    name: 'BZPOPMIN woken by ZADD from another connection, in blocking order',
    steps: [
      send(1, 'BZPOPMIN', 'zz', '0'),
      send(2, 'BZMPOP', '0', '1', 'zz', 'MAX', 'COUNT', '2'),
      ['ZADD', 'zz', '5', 'e', '1', 'a', '3', 'c'],
      read(1),
      read(2),
      ['ZCARD', 'zz'],
    ],
  },
  {
    name: 'blocking zset pops in RESP3',
    resp3: true,
    steps: [['ZADD', 'z', '1', 'a', '2', 'b'], ['BZPOPMIN', 'z', '0'], ['BZMPOP', '0', '1', 'z', 'MAX'], ['BZPOPMIN', 'nz', '0.01']],
  },
);
