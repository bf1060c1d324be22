/**
 * Protocol-level cases that fit the step format: RESP3 vs RESP2 reply shapes, binary-safe arguments,
 * unknown commands and arity errors as the dispatcher words them. Raw-byte protocol tests (inline commands,
 * malformed requests, pipelining) are in test/compat/protocol.test.ts.
 */
import { step, u8, type Case } from '../case.js';

const big = 'x'.repeat(100_000);
const allBytes = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');

export const cases: Case[] = [
  { name: 'ping', steps: [['PING'], ['ping'], ['PiNg'], ['PING', 'hello'], ['PING', ''], ['PING', 'a', 'b']] },
  { name: 'ping resp3', resp3: true, steps: [['PING'], ['PING', u8('é')]] },
  {
    name: 'unknown command',
    steps: [
      ['NOSUCHCOMMAND'],
      ['nosuchcommand', 'a', 'b'],
      ['nosuch', 'x'.repeat(200)],
      ['nosuch', 'a\r\nb'],
      ['\xff\xfe', '\x00'],
      [''],
      ['nosuch', ...Array.from({ length: 60 }, (_, i) => `arg${i}`)],
    ],
  },
  { name: 'wrong arity', steps: [['GET'], ['get', 'a', 'b'], ['SET', 'a'], ['set']] },
  {
    name: 'binary-safe values',
    steps: [
      ['SET', '\xff', '\xfe'],
      ['SET', '\xfe', '\xff'],
      ['GET', '\xff'],
      ['GET', '\xfe'],
      ['SET', 'nul\x00key', 'a\x00b\r\nc'],
      ['GET', 'nul\x00key'],
      ['SET', 'all', allBytes],
      ['GET', 'all'],
      ['SET', u8('clé'), u8('valeur é ✓')],
      ['GET', u8('clé')],
      ['SET', '', ''],
      ['GET', ''],
    ],
  },
  { name: 'large value', steps: [['SET', 'big', big], ['GET', 'big']] },
  {
    name: 'resp3 null and errors',
    resp3: true,
    steps: [['GET', 'missing'], ['SET', 'k', 'v'], ['GET', 'k'], ['NOSUCH'], ['GET']],
  },
  { name: 'resp2 null', steps: [['GET', 'missing']] },
  {
    name: 'resp3 pushes interleave with replies',
    resp3: true,
    steps: [
      ['SUBSCRIBE', 'ch1', 'ch2'],
      ['PUBLISH', 'ch1', 'hello'],
      ['PUBLISH', 'nobody', 'x'],
      ['GET', 'missing'],
      ['PING'],
      ['UNSUBSCRIBE', 'ch1'],
      ['PUBLISH', 'ch2', '\xff'],
      ['UNSUBSCRIBE'],
      ['PUBLISH', 'ch2', 'gone'],
    ],
  },
  {
    name: 'resp2 subscribe mode',
    steps: [
      ['SUBSCRIBE', 'ch'],
      ['PING'],
      ['PING', 'x'],
      ['GET', 'a'],
      ['UNSUBSCRIBE'],
      ['GET', 'a'],
    ],
  },
  {
    name: 'hello',
    steps: [
      ['HELLO', '4'],
      ['HELLO', 'x'],
      ['HELLO', '3', 'SETNAME', 'foo', 'AUTH'],
      // The reply carries the connection id and the version: only its shape can agree.
      step('type', 'HELLO', '3'),
      ['GET', 'missing'],
      step('type', 'HELLO', '2'),
      ['GET', 'missing'],
    ],
  },
];
