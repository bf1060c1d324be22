import { on, pause, type Case } from '../case.js';

export const cases: Case[] = [
  {
    name: 'MULTI/EXEC queues, run-time errors do not roll back',
    steps: [['MULTI'], ['SET', 'a', 'x'], ['INCR', 'a'], ['SET', 'b', '1'], ['EXEC'], ['GET', 'b']],
  },
  {
    name: 'queue-time errors abort EXEC',
    steps: [['MULTI'], ['GET'], ['NOSUCHCMD', 'x'], ['SET', 'a', '1'], ['EXEC'], ['GET', 'a']],
  },
  {
    name: 'nesting and misplaced EXEC/DISCARD/WATCH',
    steps: [
      ['EXEC'], ['DISCARD'], ['MULTI'], ['MULTI'], ['WATCH', 'a'], ['SET', 'a', '1'], ['EXEC'],
      ['MULTI'], ['SET', 'a', '2'], ['DISCARD'], ['GET', 'a'], ['WATCH'], ['MULTI', 'x'], ['EXEC', 'x'],
    ],
  },
  {
    name: 'WATCH broken by own write, kept by a read, cleared by UNWATCH',
    steps: [
      ['SET', 'a', '1'], ['WATCH', 'a'], ['GET', 'a'], ['MULTI'], ['SET', 'a', '2'], ['EXEC'],
      ['WATCH', 'a'], ['SET', 'a', '3'], ['MULTI'], ['SET', 'a', '4'], ['EXEC'], ['GET', 'a'],
      ['WATCH', 'a'], ['UNWATCH'], ['SET', 'a', '5'], ['MULTI'], ['GET', 'a'], ['EXEC'],
    ],
  },
  {
    name: 'WATCH and FLUSHDB / FLUSHALL / SWAPDB',
    steps: [
      ['WATCH', 'nokey'], ['FLUSHDB'], ['MULTI'], ['PING'], ['EXEC'],
      ['SET', 'a', '1'], ['WATCH', 'a'], ['FLUSHALL'], ['MULTI'], ['PING'], ['EXEC'],
      ['SELECT', '1'], ['SET', 'x', '1'], ['SELECT', '0'], ['WATCH', 'x'], ['SWAPDB', '0', '1'], ['MULTI'],
      ['PING'], ['EXEC'], ['SWAPDB', '0', '1'],
    ],
  },
  {
    name: 'EXEC inside is atomic and blocking commands do not block',
    steps: [['MULTI'], ['BLPOP', 'nolist', '0'], ['RPUSH', 'l', 'a'], ['BLPOP', 'l', '0'], ['EXEC']],
  },
  {
    name: 'WATCH broken by a write from another connection',
    steps: [
      ['SET', 'a', '1'], ['WATCH', 'a'], on(1, 'GET', 'a'), ['MULTI'], ['SET', 'a', '2'], ['EXEC'],
      ['WATCH', 'a'], on(1, 'SET', 'a', '3'), ['MULTI'], ['SET', 'a', '4'], ['EXEC'], ['GET', 'a'],
      ['WATCH', 'a', 'b'], on(1, 'SET', 'c', '1'), ['MULTI'], ['INCR', 'a'], ['EXEC'],
    ],
  },
  {
    name: 'WATCH broken by expiry, not by a key already expired at WATCH time',
    steps: [
      ['SET', 'a', '1', 'PX', '40'], ['WATCH', 'a'], pause(80), ['MULTI'], ['SET', 'b', '1'], ['EXEC'],
      ['SET', 'c', '1', 'PX', '20'], pause(60), ['WATCH', 'c'], ['MULTI'], ['SET', 'd', '1'], ['EXEC'],
    ],
  },
];
