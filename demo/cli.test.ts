// The expected texts below were printed by redis-cli 7.0.15 (`--no-raw`) for the same replies and lines.
import { describe, expect, it } from 'vitest';
import { argLatin1, formatLines, formatReply, repeatPrefix, splitArgs, textBytes, toView, type View } from './cli.js';

const bulk = (s: string): View => ({ t: 'bulk', b: Uint8Array.from(s, (c) => c.charCodeAt(0)) });
const int = (v: number): View => ({ t: 'int', v });
const arr = (...items: View[]): View => ({ t: 'array', items });
const split = (line: string): string[] | null => splitArgs(line)?.map(argLatin1) ?? null;

describe('splitArgs (sdssplitargs)', () => {
  it('splits on blanks and keeps quoted blanks', () => {
    expect(split('  set  k   "v a l"  ')).toEqual(['set', 'k', 'v a l']);
    expect(split('')).toEqual([]);
    expect(split('   ')).toEqual([]);
  });
  it('reads escapes inside double quotes', () => {
    expect(split('set bin "\\xff\\x00a\\"b\\\\\\n\\t\\xc3\\xa9\\a\\b\\r\\x7f \\q"')).toEqual([
      'set',
      'bin',
      '\xff\x00a"b\\\n\t\xc3\xa9\x07\x08\r\x7f q',
    ]);
    expect(split('"\\xZZ"')).toEqual(['xZZ']);
  });
  it('reads only \\\' inside single quotes', () => {
    expect(split("get 'it\\'s' '\\n'")).toEqual(['get', "it's", '\\n']);
  });
  it('opens quotes in the middle of an argument', () => {
    expect(split('set k"ey" x')).toEqual(['set', 'key', 'x']);
  });
  it('rejects what redis-cli calls Invalid argument(s)', () => {
    expect(split('get "a"b')).toBeNull();
    expect(split("get 'a")).toBeNull();
    expect(split('get "a')).toBeNull();
    expect(split("set 'it\\'s' x\"y")).toBeNull();
  });
  it('gives typed unicode as UTF-8 bytes', () => {
    expect(split('set é ü')).toEqual(['set', '\xc3\xa9', '\xc3\xbc']);
  });
});

describe('repeatPrefix', () => {
  const r = (line: string) => repeatPrefix(splitArgs(line)!);
  it('reads a leading count when more arguments follow', () => {
    expect(r('3 incr c')).toEqual({ repeat: 3, skip: 1 });
    expect(r('+2 ping')).toEqual({ repeat: 2, skip: 1 });
    expect(r('5')).toEqual({ repeat: 1, skip: 0 });
    expect(r('ping 3')).toEqual({ repeat: 1, skip: 0 });
    expect(r('3x ping')).toEqual({ repeat: 1, skip: 0 });
  });
  it('refuses a count that is not positive', () => {
    expect(r('0 ping')).toBe('invalid');
    expect(r('-1 ping')).toBe('invalid');
    expect(r('"" ping')).toBe('invalid');
  });
});

describe('formatReply (cliFormatReplyTTY)', () => {
  it('prints scalars', () => {
    expect(formatReply({ t: 'status', s: 'OK' })).toBe('OK');
    expect(formatReply(int(1))).toBe('(integer) 1');
    expect(formatReply({ t: 'int', v: -(2n ** 63n) })).toBe('(integer) -9223372036854775808');
    expect(formatReply({ t: 'nil' })).toBe('(nil)');
    expect(formatReply({ t: 'double', s: '3.5' })).toBe('(double) 3.5');
    expect(formatReply({ t: 'bool', v: true })).toBe('(true)');
    expect(formatReply({ t: 'error', s: 'ERR boom' })).toBe('(error) ERR boom');
  });
  it('quotes bulk strings byte by byte', () => {
    expect(formatReply(bulk('\xff\x00a"b\\\n\t\xc3\xa9\x07\x08\r\x7f q'))).toBe(
      '"\\xff\\x00a\\"b\\\\\\n\\t\\xc3\\xa9\\a\\b\\r\\x7f q"',
    );
    expect(formatReply(toView('ü'))).toBe('"\\xc3\\xbc"');
    expect(formatReply(bulk(''))).toBe('""');
  });
  it('numbers arrays, padding the index to the widest', () => {
    const letters = 'abcdefghijk'.split('').map(bulk);
    expect(formatReply(arr(...letters)).split('\n').slice(8, 11)).toEqual([' 9) "i"', '10) "j"', '11) "k"']);
    expect(formatReply(arr())).toBe('(empty array)');
  });
  it('indents nested arrays and marks nested errors', () => {
    const v = arr(
      int(1),
      arr(int(2), bulk('x'), arr()),
      arr(bulk('a'), arr(bulk('b'), bulk('c'))),
      { t: 'error', s: 'ERR boom' },
    );
    expect(formatReply(v)).toBe(
      [
        '1) (integer) 1',
        '2) 1) (integer) 2',
        '   2) "x"',
        '   3) (empty array)',
        '3) 1) "a"',
        '   2) 1) "b"',
        '      2) "c"',
        '4) (error) ERR boom',
      ].join('\n'),
    );
    expect(formatLines(v).map((l) => l.error)).toEqual([false, false, false, false, false, false, false, true]);
  });
  it('prints maps and sets as redis-cli -3 does', () => {
    expect(formatReply({ t: 'map', items: [] })).toBe('(empty hash)');
    expect(formatReply({ t: 'map', items: [bulk('f1'), bulk('v1'), bulk('f2'), bulk('v2')] })).toBe(
      '1# "f1" => "v1"\n2# "f2" => "v2"',
    );
    expect(formatReply({ t: 'map', items: [bulk('a'), arr(int(1), int(2))] })).toBe(
      '1# "a" => \n   1) (integer) 1\n   2) (integer) 2',
    );
    expect(formatReply({ t: 'map', items: [bulk('a'), arr(int(1))] })).toBe('1# "a" => 1) (integer) 1');
    expect(formatReply({ t: 'set', items: [bulk('a'), bulk('b')] })).toBe('1~ "a"\n2~ "b"');
  });
  it('turns the client values into views', () => {
    expect(toView(null)).toEqual({ t: 'nil' });
    expect(toView(7)).toEqual({ t: 'int', v: 7 });
    expect(toView('OK', (s) => s === 'OK')).toEqual({ t: 'status', s: 'OK' });
    expect(toView('OK')).toEqual({ t: 'bulk', b: textBytes('OK') });
    expect(formatReply(toView([1, 'x', null, new Error('WRONGTYPE Operation')]))).toBe(
      '1) (integer) 1\n2) "x"\n3) (nil)\n4) (error) WRONGTYPE Operation',
    );
  });
});
