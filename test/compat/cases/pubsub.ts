import { on, read, type Case } from '../case.js';

export const cases: Case[] = [
  {
    name: 'SUBSCRIBE / PUBLISH across two connections, channels and patterns',
    steps: [
      on(1, 'SUBSCRIBE', 'news', 'sport'),
      on(2, 'PSUBSCRIBE', 'n*', 's?ort'),
      ['PUBLISH', 'news', 'hello'],
      read(1),
      read(2),
      ['PUBLISH', 'sport', 'goal'],
      read(1),
      read(2),
      ['PUBLISH', 'nobody', 'x'],
      read(2),
      ['PUBSUB', 'NUMSUB', 'news', 'sport', 'none'],
      ['PUBSUB', 'NUMPAT'],
      on(1, 'UNSUBSCRIBE', 'news'),
      ['PUBLISH', 'news', 'again'],
      read(2),
      on(2, 'PUNSUBSCRIBE'),
      ['PUBSUB', 'NUMPAT'],
    ],
  },
  {
    name: 'RESP2 subscribe mode allows only (un)subscribe, PING, QUIT, RESET',
    steps: [
      ['SUBSCRIBE', 'x'], ['GET', 'a'], ['PING'], ['PING', 'msg'], ['UNSUBSCRIBE', 'nope'], ['UNSUBSCRIBE'],
      ['UNSUBSCRIBE'], ['PUNSUBSCRIBE'], ['GET', 'a'],
    ],
  },
  {
    name: 'RESP3 clients may run any command while subscribed',
    resp3: true,
    steps: [['SUBSCRIBE', 'x'], ['SET', 'a', '1'], ['GET', 'a'], ['PUBLISH', 'x', 'me'], ['PING'], ['UNSUBSCRIBE']],
  },
  {
    name: 'binary channels and messages, SPUBLISH',
    steps: [
      on(1, 'SUBSCRIBE', '\xff', '\xfe'),
      ['PUBLISH', '\xff', '\x00\x01'],
      read(1),
      on(2, 'SSUBSCRIBE', 'shard'),
      ['SPUBLISH', 'shard', 'm'],
      read(2),
      ['PUBSUB', 'SHARDNUMSUB', 'shard'],
      ['PUBSUB', 'SHARDCHANNELS'],
      ['PUBSUB', 'HELP'],
      ['PUBSUB', 'NOPE'],
    ],
  },
  {
    name: 'keyspace notifications delivered to another connection',
    steps: [
      ['CONFIG', 'SET', 'notify-keyspace-events', 'KEA'],
      on(1, 'PSUBSCRIBE', '__key*__:*'),
      ['SET', 'k', 'v'],
      read(1), read(1),
      ['DEL', 'k'],
      read(1), read(1),
      ['CONFIG', 'SET', 'notify-keyspace-events', ''],
    ],
  },
];
