import { step, u8, type Case } from '../case.js';

export const cases: Case[] = [
  {
    name: 'PING and ECHO',
    steps: [
      ['PING'], ['ping', 'hello'], ['PING', ''], ['PING', '\xff\xfe'], ['PING', 'a', 'b'],
      ['ECHO', 'x'], ['ECHO', ''], ['ECHO', '\xff'], ['ECHO', '\xfe'], ['ECHO', u8('é')], ['ECHO', '__proto__'],
      ['ECHO'], ['ECHO', 'a', 'b'],
    ],
  },
  {
    name: 'PING in RESP2 subscribe mode',
    steps: [['SUBSCRIBE', 'ch'], ['PING'], ['PING', 'x'], ['UNSUBSCRIBE'], ['PING']],
  },
  {
    name: 'HELLO: versions, options and errors',
    steps: [
      step('type', 'HELLO'), step('type', 'HELLO', '2'),
      ['HELLO', '4'], ['HELLO', '1'], ['HELLO', '0'], ['HELLO', '-1'], ['HELLO', 'abc'], ['HELLO', '02'],
      ['HELLO', '99999999999999999999'], ['HELLO', '2', 'foo'], ['HELLO', '2', 'AUTH', 'a'], ['HELLO', '2', 'SETNAME'],
      ['HELLO', '2', 'AUTH', 'bob', 'pw'], ['HELLO', '2', 'SETNAME', 'a b'], ['HELLO', '2', 'SETNAME', u8('é')],
      step('type', 'HELLO', '2', 'auth', 'default', 'anything', 'setname', 'n1'), ['CLIENT', 'GETNAME'],
      ['HELLO', '2', 'SETNAME', 'n2', 'FOO'], ['CLIENT', 'GETNAME'],
      step('type', 'HELLO', '3'), ['GET', 'nokey'], ['HGETALL', 'nokey'], step('type', 'HELLO', '2'), ['GET', 'nokey'],
    ],
  },
  {
    name: 'HELLO in RESP3 answers a map',
    resp3: true,
    steps: [step('type', 'HELLO'), ['GET', 'nokey'], ['HELLO', '4'], step('type', 'HELLO', '2'), ['GET', 'nokey']],
  },
  {
    name: 'AUTH without a configured password',
    steps: [
      ['AUTH', 'x'], ['AUTH', 'default', 'x'], ['AUTH', 'default', ''], ['AUTH', 'bob', 'x'], ['AUTH', 'a', 'b', 'c'],
      ['AUTH'],
    ],
  },
  {
    name: 'QUIT replies OK and closes',
    steps: [['SET', 'a', '1'], ['QUIT'], ['PING']],
  },
  {
    name: 'QUIT takes any arguments',
    steps: [['QUIT', 'a', 'b'], ['PING']],
  },
  {
    name: 'RESET: db, name, MULTI, WATCH, subscriptions',
    steps: [
      ['SELECT', '3'], ['SET', 'k', 'db3'], ['CLIENT', 'SETNAME', 'me'], ['MULTI'], ['SET', 'x', '1'],
      ['RESET'], ['GET', 'k'], ['CLIENT', 'GETNAME'], ['EXEC'], ['SELECT', '3'], ['GET', 'k'], ['GET', 'x'],
      ['WATCH', 'k'], ['RESET'], ['SELECT', '3'], ['SET', 'k', 'changed'], ['MULTI'], ['PING'], ['EXEC'],
      ['SUBSCRIBE', 'c'], ['RESET'], ['GET', 'k'], ['RESET', 'x'],
    ],
  },
  {
    name: 'RESET goes back to RESP2',
    resp3: true,
    steps: [['GET', 'nokey'], ['RESET'], ['GET', 'nokey'], ['CONFIG', 'GET', 'hz']],
  },
  {
    name: 'CLIENT SETNAME / GETNAME / ID',
    steps: [
      ['CLIENT', 'GETNAME'], ['CLIENT', 'SETNAME', 'conn-1'], ['CLIENT', 'GETNAME'],
      ['CLIENT', 'SETNAME', 'a b'], ['CLIENT', 'SETNAME', 'a\nb'], ['CLIENT', 'SETNAME', '\xff'],
      ['CLIENT', 'SETNAME', u8('é')], ['CLIENT', 'SETNAME', '\x7f'], ['CLIENT', 'GETNAME'],
      ['CLIENT', 'SETNAME', '__proto__'], ['CLIENT', 'GETNAME'], ['CLIENT', 'SETNAME', ''], ['CLIENT', 'GETNAME'],
      ['CLIENT', 'SETNAME'], ['CLIENT', 'SETNAME', 'a', 'b'], ['CLIENT', 'GETNAME', 'x'],
      step('type', 'CLIENT', 'ID'), ['CLIENT', 'ID', 'x'], ['CLIENT'], ['CLIENT', 'FOO'], ['client', 'nosuch', 'x'],
    ],
  },
  {
    name: 'CLIENT INFO / LIST',
    steps: [
      step('type', 'CLIENT', 'INFO'), step('type', 'CLIENT', 'LIST'), ['CLIENT', 'INFO', 'x'],
      ['CLIENT', 'LIST', 'TYPE', 'master'], ['CLIENT', 'LIST', 'TYPE', 'replica'], ['CLIENT', 'LIST', 'TYPE', 'slave'],
      ['CLIENT', 'LIST', 'ID', '999999'], ['CLIENT', 'LIST', 'ID', '999999', '999998'],
      ['CLIENT', 'LIST', 'TYPE', 'foo'], ['CLIENT', 'LIST', 'ID', '1', 'x'], ['CLIENT', 'LIST', 'ID'],
      ['CLIENT', 'LIST', 'x'], ['CLIENT', 'LIST', 'TYPE', 'normal', 'x'], ['CLIENT', 'LIST', 'TYPE'],
    ],
  },
  {
    name: 'CLIENT INFO in RESP3 is a verbatim string',
    resp3: true,
    steps: [step('type', 'CLIENT', 'INFO'), ['CLIENT', 'LIST', 'TYPE', 'master']],
  },
  {
    name: 'CLIENT KILL filters and errors',
    steps: [
      ['CLIENT', 'KILL', '1.2.3.4:5'], ['CLIENT', 'KILL', 'ID', '999999'], ['CLIENT', 'KILL', 'ID', '0'],
      ['CLIENT', 'KILL', 'ID', '-1'], ['CLIENT', 'KILL', 'ID', 'abc'], ['CLIENT', 'KILL', 'ID', '999999', 'foo'],
      ['CLIENT', 'KILL', 'ID', '999999', 'SKIPME', 'maybe'], ['CLIENT', 'KILL', 'USER', 'bob'],
      ['CLIENT', 'KILL', 'TYPE', 'foo'], ['CLIENT', 'KILL', 'TYPE', 'master'], ['CLIENT', 'KILL', 'TYPE', 'slave'],
      ['CLIENT', 'KILL', 'ADDR', '1.2.3.4:5'], ['CLIENT', 'KILL', 'LADDR', '1.2.3.4:5'],
      ['CLIENT', 'KILL', 'ADDR', '1.2.3.4:5', 'SKIPME', 'no'], ['CLIENT', 'KILL'], ['client', 'kill', 'foo', 'bar'],
    ],
  },
  {
    name: 'CLIENT KILL with filters matching nobody answers 0',
    steps: [['CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes', 'ID', '1000000'], ['CLIENT', 'KILL', 'USER', 'default', 'ID', '1000000']],
  },
  {
    name: 'CLIENT NO-EVICT, UNBLOCK, HELP',
    steps: [
      ['CLIENT', 'NO-EVICT', 'on'], ['CLIENT', 'NO-EVICT', 'OFF'], ['CLIENT', 'NO-EVICT', 'maybe'],
      ['CLIENT', 'NO-EVICT'], ['CLIENT', 'UNBLOCK', '999999'], ['CLIENT', 'UNBLOCK', '999999', 'TIMEOUT'],
      ['CLIENT', 'UNBLOCK', '999999', 'error'], ['CLIENT', 'UNBLOCK', 'abc'], ['CLIENT', 'UNBLOCK', '1', 'foo'],
      ['CLIENT', 'UNBLOCK', 'abc', 'foo'], ['CLIENT', 'UNBLOCK', '1', 'timeout', 'x'], ['CLIENT', 'UNBLOCK'],
      ['CLIENT', 'HELP'], ['CLIENT', 'HELP', 'x'],
    ],
  },
];
