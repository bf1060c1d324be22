import { describe, expect, it } from 'vitest';
import { NULL_ARRAY, OK, double, err, map, push, set, verbatim, type Reply } from '../engine/reply.js';
import { decodeArgs, encodeReply, type Encoding } from './protocol.js';

const enc = (o: Partial<Encoding> = {}): Encoding => ({ bytes: false, resp: 2, nested: false, transfer: [], ...o });

describe('decodeArgs', () => {
  it('turns JS strings into their UTF-8 bytes and Uint8Arrays into themselves', () => {
    expect(decodeArgs(['SET', 'é', new Uint8Array([0xff, 0x00])])).toEqual(['SET', '\xc3\xa9', '\xff\x00']);
    expect(decodeArgs(['𝄞'])).toEqual(['\xf0\x9d\x84\x9e']);
  });
});

describe('encodeReply', () => {
  it('decodes bulk strings from UTF-8, or gives bytes', () => {
    expect(encodeReply('\xc3\xa9', enc())).toBe('é');
    const e = enc({ bytes: true });
    const b = encodeReply('\xff\xfe', e);
    expect(b).toEqual(new Uint8Array([0xff, 0xfe]));
    expect(e.transfer).toEqual([(b as Uint8Array).buffer]);
  });

  it('keeps integers, bigints and nulls', () => {
    expect(encodeReply(42, enc())).toBe(42);
    expect(encodeReply(2n ** 62n, enc())).toBe(2n ** 62n);
    expect(encodeReply(null, enc())).toBe(null);
    expect(encodeReply(NULL_ARRAY, enc())).toBe(null);
  });

  it('gives simple strings as strings even in bytes mode', () => {
    expect(encodeReply(OK, enc({ bytes: true }))).toBe('OK');
  });

  it('RESP2 flattens what RESP3 types', () => {
    const r2 = enc();
    expect(encodeReply(double(1.5), r2)).toBe('1.5');
    expect(encodeReply(double(-Infinity), r2)).toBe('-inf');
    expect(encodeReply(map(['a', 1, 'b', 2]), r2)).toEqual(['a', 1, 'b', 2]);
    expect(encodeReply(set(['x']), r2)).toEqual(['x']);
    expect(encodeReply(push(['message', 'c', 'm']), r2)).toEqual(['message', 'c', 'm']);
    expect(encodeReply(verbatim('# Server'), r2)).toBe('# Server');
    expect(encodeReply({ k: 'bool', v: true }, r2)).toBe(1);
    const r3 = enc({ resp: 3 });
    expect(encodeReply(double(1.5), r3)).toBe(1.5);
    expect(encodeReply(map(['a', 1, '__proto__', 2]), r3)).toEqual(new Map<unknown, unknown>([['a', 1], ['__proto__', 2]]));
    expect(encodeReply({ k: 'bool', v: false }, r3)).toBe(false);
  });

  it('passes an error as data, its text decoded, and flags errors inside arrays', () => {
    const top = enc();
    expect(encodeReply(err("ERR unknown command '\xc3\xa9'"), top)).toEqual({ k: 'err', msg: "ERR unknown command 'é'" });
    expect(top.nested).toBe(false);
    const inner = enc();
    const r: Reply = ['OK', err('WRONGTYPE Operation against a key holding the wrong kind of value')];
    expect(encodeReply(r, inner)).toEqual(['OK', { k: 'err', msg: 'WRONGTYPE Operation against a key holding the wrong kind of value' }]);
    expect(inner.nested).toBe(true);
  });

  it('survives structured clone unchanged', () => {
    const r = encodeReply([['a', 1, null, 2n ** 60n], err('ERR x')], enc());
    expect(structuredClone(r)).toEqual(r);
  });
});
