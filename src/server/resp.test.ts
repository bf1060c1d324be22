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

describe('RequestParser: requests split across reads', () => {
  const cmd = (...args: string[]) => `*${args.length}\r\n` + args.map((a) => `$${a.length}\r\n${a}\r\n`).join('');
  // Multibulk requests (the fast path takes them whole; split, the general path takes them piecewise), empty
  // and null ones, binary and empty arguments, and an inline one.
  const wire =
    cmd('SET', 'key:1', 'xxx') +
    cmd('GET', '') +
    '*-1\r\n*0\r\n' +
    cmd('SET', '\xff\x00\r\n', 'a'.repeat(12)) +
    'PING "a b"\r\n' +
    cmd('PING') +
    cmd('INCR', 'n');
  const whole = (() => {
    const p = new RequestParser();
    p.feed(Buffer.from(wire, 'latin1'));
    return parseAll(p);
  })();

  test('the reference parse', () => {
    expect(whole).toEqual([
      ['SET', 'key:1', 'xxx'],
      ['GET', ''],
      [],
      [],
      ['SET', '\xff\x00\r\n', 'aaaaaaaaaaaa'],
      ['PING', 'a b'],
      ['PING'],
      ['INCR', 'n'],
    ]);
  });

  test('split in two at every byte offset', () => {
    const bytes = Buffer.from(wire, 'latin1');
    for (let i = 1; i < bytes.length; i++) {
      const p = new RequestParser();
      p.feed(bytes.subarray(0, i));
      const out = parseAll(p);
      p.feed(bytes.subarray(i));
      out.push(...parseAll(p));
      expect(out, `split at ${i}`).toEqual(whole);
      expect(p.buffered).toBe(0);
    }
  });

  test('split in three at every pair of offsets', () => {
    const bytes = Buffer.from(wire, 'latin1');
    for (let i = 1; i < bytes.length; i++) {
      for (let j = i + 1; j < bytes.length; j++) {
        const p = new RequestParser();
        const out: Request[] = [];
        for (const piece of [bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)]) {
          p.feed(piece);
          out.push(...parseAll(p));
        }
        if (JSON.stringify(out) !== JSON.stringify(whole)) expect(out, `split at ${i}, ${j}`).toEqual(whole);
      }
    }
  });

  test('a 1 MB bulk argument in pieces of every size class', () => {
    const v = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < v.length; i++) v[i] = (i * 7919) & 0xff;
    const bytes = Buffer.concat([
      Buffer.from(cmd('GET', 'a')),
      Buffer.from(`*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$${v.length}\r\n`),
      v,
      Buffer.from('\r\n' + cmd('GET', 'big')),
    ]);
    const expectedValue = v.toString('latin1');
    for (const size of [1, 7, 1000, 65536, 300_000, bytes.length]) {
      const p = new RequestParser();
      const out: Request[] = [];
      for (let i = 0; i < bytes.length; i += size) {
        p.feed(bytes.subarray(i, i + size));
        out.push(...parseAll(p));
      }
      expect(out.length, `pieces of ${size}`).toBe(3);
      expect(out[0]).toEqual(['GET', 'a']);
      const set = out[1] as string[];
      expect(set.slice(0, 2)).toEqual(['SET', 'big']);
      expect(set[2] === expectedValue, `pieces of ${size}: value intact`).toBe(true);
      expect(out[2]).toEqual(['GET', 'big']);
    }
  });

  test('the fast path and the byte-by-byte path agree on damaged input', () => {
    // Deterministic pseudo-random damage to a valid pipeline: whatever comes out (requests, then perhaps a
    // protocol error) must be the same whole or fed one byte at a time.
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const alphabet = ['0', '1', '9', '-', '+', '$', '*', '\r', '\n', '\x00', ' ', 'x'];
    // proto-max-bulk-len is 5 below: a damaged length can pass it.
    const base = cmd('SET', 'k', 'value') + cmd('GET', 'k') + cmd('PING');
    for (let round = 0; round < 2000; round++) {
      const chars = base.split('');
      for (let d = 1 + rand(3); d > 0; d--) {
        const at = rand(chars.length);
        const what = rand(3);
        if (what === 0) chars[at] = alphabet[rand(alphabet.length)];
        else if (what === 1) chars.splice(at, 0, alphabet[rand(alphabet.length)]);
        else chars.splice(at, 1);
      }
      const input = Buffer.from(chars.join(''), 'latin1');
      const a = new RequestParser(() => 5);
      a.feed(input);
      const one = parseAll(a);
      const b = new RequestParser(() => 5);
      const bytewise: Request[] = [];
      for (let i = 0; i < input.length; i++) {
        b.feed(input.subarray(i, i + 1));
        bytewise.push(...parseAll(b));
      }
      expect(bytewise, JSON.stringify(input.toString('latin1'))).toEqual(one);
    }
  });

  test('a whole request with a bulk over proto-max-bulk-len is refused', () => {
    const p = new RequestParser(() => 5);
    p.feed(Buffer.from(cmd('PING') + cmd('SET', 'k', 'sixsix') + cmd('PING'), 'latin1'));
    expect(parseAll(p)).toEqual([['PING'], { error: 'ERR Protocol error: invalid bulk length' }]);
  });

  test('a repeated command name is handed over as the same string', () => {
    const p = new RequestParser();
    p.feed(Buffer.from(cmd('set', 'a', '1') + cmd('set', 'b', '2') + cmd('SET', 'c', '3'), 'latin1'));
    const [a, b, c] = parseAll(p) as string[][];
    expect(a[0]).toBe('set');
    expect(b[0]).toBe('set');
    expect(c[0]).toBe('SET');
  });
});
