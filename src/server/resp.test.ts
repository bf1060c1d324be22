import { describe, expect, test } from 'vitest';
import { double, map, NO_REPLY, NULL_ARRAY, OK, push, set, verbatim, err, type Reply } from '../engine/reply.js';
import { encodeReply, RequestParser, type Request } from './resp.js';

describe('encodeReply', () => {
  const cases: [string, Reply, string, string][] = [
    ['bulk', 'a\xffb', '$3\r\na\xffb\r\n', '$3\r\na\xffb\r\n'],
    ['empty bulk', '', '$0\r\n\r\n', '$0\r\n\r\n'],
    ['integer', -42, ':-42\r\n', ':-42\r\n'],
    ['bigint', 9223372036854775807n, ':9223372036854775807\r\n', ':9223372036854775807\r\n'],
    ['null', null, '$-1\r\n', '_\r\n'],
    ['null array', NULL_ARRAY, '*-1\r\n', '_\r\n'],
    ['simple', OK, '+OK\r\n', '+OK\r\n'],
    ['error with newline', err('ERR a\r\nb'), '-ERR a  b\r\n', '-ERR a  b\r\n'],
    ['array', ['a', 1, null, []], '*4\r\n$1\r\na\r\n:1\r\n$-1\r\n*0\r\n', '*4\r\n$1\r\na\r\n:1\r\n_\r\n*0\r\n'],
    ['double', double(1.5), '$3\r\n1.5\r\n', ',1.5\r\n'],
    ['double inf', double(-Infinity), '$4\r\n-inf\r\n', ',-inf\r\n'],
    ['double %.17g', double(0.1), '$19\r\n0.10000000000000001\r\n', ',0.10000000000000001\r\n'],
    ['map', map(['k', 1]), '*2\r\n$1\r\nk\r\n:1\r\n', '%1\r\n$1\r\nk\r\n:1\r\n'],
    ['set', set(['x']), '*1\r\n$1\r\nx\r\n', '~1\r\n$1\r\nx\r\n'],
    ['push', push(['message', 'c', 'm']), '*3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nm\r\n', '>3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nm\r\n'],
    ['verbatim', verbatim('hi'), '$2\r\nhi\r\n', '=6\r\ntxt:hi\r\n'],
    ['bool', { k: 'bool', v: true }, ':1\r\n', '#t\r\n'],
    ['nested map in RESP3 array', [map(['a', null])], '*1\r\n*2\r\n$1\r\na\r\n$-1\r\n', '*1\r\n%1\r\n$1\r\na\r\n_\r\n'],
    ['no reply', NO_REPLY, '', ''],
  ];
  for (const [name, r, two, three] of cases) {
    test(name, () => {
      expect(encodeReply(r, 2)).toBe(two);
      expect(encodeReply(r, 3)).toBe(three);
    });
  }
});

function parseAll(p: RequestParser): Request[] {
  const out: Request[] = [];
  for (let r = p.next(); r !== undefined; r = p.next()) out.push(r);
  return out;
}

describe('RequestParser', () => {
  const wire = '*2\r\n$3\r\nGET\r\n$3\r\n\xff\x00\n\r\nPING a "b c"\r\n*0\r\n';
  const expected = [['GET', '\xff\x00\n'], ['PING', 'a', 'b c'], []];

  test('parses a pipeline in one read', () => {
    const p = new RequestParser();
    p.feed(Buffer.from(wire, 'latin1'));
    expect(parseAll(p)).toEqual(expected);
  });

  test('parses the same bytes fed one at a time', () => {
    const p = new RequestParser();
    const out: Request[] = [];
    for (const ch of wire) {
      p.feed(Buffer.from(ch, 'latin1'));
      out.push(...parseAll(p));
    }
    expect(out).toEqual(expected);
  });

  test('gathers a big argument from many chunks without losing bytes', () => {
    const v = Array.from({ length: 200_000 }, (_, i) => String.fromCharCode(i % 256)).join('');
    const bytes = Buffer.from(`*2\r\n$3\r\nSET\r\n$${v.length}\r\n${v}\r\n*1\r\n$4\r\nPING\r\n`, 'latin1');
    const p = new RequestParser();
    const out: Request[] = [];
    for (let i = 0; i < bytes.length; i += 1000) {
      p.feed(bytes.subarray(i, i + 1000));
      out.push(...parseAll(p));
    }
    expect(out.length).toBe(2);
    expect((out[0] as string[])[1] === v).toBe(true);
    expect(out[1]).toEqual(['PING']);
  });

  test('a protocol error ends parsing', () => {
    const p = new RequestParser();
    p.feed(Buffer.from('*1\r\n$4\r\nPING\r\n*1\r\n!x\r\n*1\r\n$4\r\nPING\r\n', 'latin1'));
    expect(parseAll(p)).toEqual([['PING'], { error: "ERR Protocol error: expected '$', got '!'" }]);
    p.feed(Buffer.from('PING\r\n'));
    expect(p.next()).toBeUndefined();
  });

  test('proto-max-bulk-len is read from the callback', () => {
    const p = new RequestParser(() => 10);
    p.feed(Buffer.from('*1\r\n$11\r\n'));
    expect(p.next()).toEqual({ error: 'ERR Protocol error: invalid bulk length' });
  });
});
