import { eventSteps, type Case } from '../case.js';

/** Keyspace events across families, including the `new` class (n), watched from a second connection. */
export const cases: Case[] = [
  {
    name: 'new-key events and the events of each family',
    steps: eventSteps([
      ['CONFIG', 'SET', 'notify-keyspace-events', 'KEAn'],
      ['PSUBSCRIBE', '__key*__:*'],
      ['SET', 'k', '1'], ['SET', 'k', '2'], ['RENAME', 'k', 'k2'], ['COPY', 'k2', 'k3'], ['MOVE', 'k3', '1'],
      ['RPUSH', 'l', 'a', 'b'], ['LPOP', 'l'], ['LMOVE', 'l', 'l2', 'LEFT', 'RIGHT'],
      ['HSET', 'h', 'f', 'v'], ['HINCRBY', 'h', 'n', '1'], ['HDEL', 'h', 'f', 'n'],
      ['SADD', 's', 'a', 'b'], ['SREM', 's', 'a'], ['SINTERSTORE', 'd', 's', 's'], ['SPOP', 's'],
      ['ZADD', 'z', '1', 'a', '2', 'b'], ['ZINCRBY', 'z', '1', 'a'], ['ZPOPMIN', 'z'], ['ZREMRANGEBYSCORE', 'z', '-inf', '+inf'],
      ['EXPIRE', 'k2', '100'], ['PERSIST', 'k2'], ['EXPIRE', 'k2', '-1'], ['DEL', 'd', 'l2'],
      ['INCR', 'n'], ['APPEND', 'n', 'x'], ['SETRANGE', 'r', '2', 'x'],
      ['CONFIG', 'SET', 'notify-keyspace-events', ''],
    ]),
  },
];
