import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  addLongDouble,
  describeLongDouble,
  formatLongDoubleHuman,
  isFiniteLD,
  longDoubleFromInt,
  parseLongDouble,
} from './longdouble.js';

/**
 * Vectors from a C program on x86-64 doing what Redis does: string2ld (strtold + Redis's checks), one long
 * double addition, ld2string(LD_STR_HUMAN). Columns: a, b, a as stored, b as stored, a+b ('NANINF' when not
 * finite); null = refused ("value is not a valid float"). Texts over 60 chars are given as '#len:sha1-prefix'.
 */
const VECTORS: [string, string, string | null, string | null, string | null][] = [
  ['10.5', '0.1', '10.5', '0.1', '10.6'],
  ['0.1', '0.2', '0.1', '0.2', '0.3'],
  ['1.5', '1e60', '1.5', '999999999999999999999373423426722168652130621984886772203520', '999999999999999999999373423426722168652130621984886772203520'],
  ['0', '0.000003814697265625', '0', '0.00000381469726562', '0.00000381469726562'],
  ['5.0e3', '1', '5000', '1', '5001'],
  ['1e300', '-1', '#301:8dbb5db3189cfe6e', '-1', '#301:8dbb5db3189cfe6e'],
  ['-1e300', '1e300', '#302:f75fdc7a9ba38261', '#301:8dbb5db3189cfe6e', '0'],
  ['1e-4940', '0', '0', '0', '0'],
  ['1e-4940', '1e-4940', '0', '0', '0'],
  ['3.6e-4951', '0', '0', '0', '0'],
  ['1.8e-4951', '0', null, '0', null],
  ['1.9e-4951', '0', '0', '0', '0'],
  ['1.18973149535723176502e4932', '0', '#4933:addbc93c787a8182', '0', '#4933:addbc93c787a8182'],
  ['1.18973149535723176502e4932', '1e4913', '#4933:addbc93c787a8182', '#4914:421bb915ab1710df', 'NANINF'],
  ['1.18973149535723176502e4932', '1e4932', '#4933:addbc93c787a8182', '#4933:c85784f4c36c0ad6', 'NANINF'],
  ['1e4932', '-1e4932', '#4933:c85784f4c36c0ad6', '#4934:c953b6693faba6a2', '0'],
  ['123456789012345678901234567890', '0.5', '123456789012345678899921813504', '0.5', '123456789012345678899921813504'],
  ['9223372036854775807', '1', '9223372036854775807', '1', '9223372036854775808'],
  ['-9223372036854775808', '-0.5', '-9223372036854775808', '-0.5', '-9223372036854775808'],
  ['18446744073709551615', '0', '18446744073709551615', '0', '18446744073709551615'],
  ['18446744073709551617', '0', '18446744073709551616', '0', '18446744073709551616'],
  ['0.99999999999999999', '0', '0.99999999999999999', '0', '0.99999999999999999'],
  ['0.999999999999999999', '0', '1', '0', '1'],
  ['-0.000000000000000001', '0', '0', '0', '0'],
  ['-0', '-0', '0', '0', '0'],
  ['-0', '0', '0', '0', '0'],
  ['0x1p-16445', '0', '0', '0', '0'],
  ['0x1p-16446', '0', null, '0', null],
  ['0x1.8p-16446', '0', '0', '0', '0'],
  ['0xffffffffffffffffp16320', '0', '#4933:addbc93c787a8182', '0', '#4933:addbc93c787a8182'],
  ['0x1.fffffffffffffffep16383', '0', '#4933:addbc93c787a8182', '0', '#4933:addbc93c787a8182'],
  ['0x1.ffffffffffffffffp16383', '0', null, '0', null],
  ['0x.8', '0X1P-2', '0.5', '0.25', '0.75'],
  ['1.', '.5', '1', '0.5', '1.5'],
  ['+3', '-0.5e1', '3', '-5', '-2'],
  ['INF', '0', 'inf', '0', 'NANINF'],
  ['-infinity', '1', '-inf', '1', 'NANINF'],
  ['nan', '0', null, '0', null],
  ['1e', '0', null, '0', null],
  [' 1', '0', null, '0', null],
  ['1 ', '0', null, '0', null],
  ['1e+', '0', null, '0', null],
  ['0x', '0', null, '0', null],
  ['0x.p1', '0', null, '0', null],
  ['0x1p', '0', null, '0', null],
  ['--1', '0', null, '0', null],
  ['00012.5000', '0e99999', '12.5', '0', '12.5'],
  ['1e-99999', '0', null, '0', null],
  ['1e99999', '0', null, '0', null],
  ['0.1', '-0.1', '0.1', '-0.1', '0'],
  ['3.14159265358979323846264338327950288', '2.71828182845904523536028747135266250', '3.14159265358979324', '2.71828182845904524', '5.85987448204883847'],
  ['1.7976931348623157e308', '1.7976931348623157e308', '#309:00920f2075447aea', '#309:00920f2075447aea', '#309:795e2f76486d5ace'],
  ['2.2250738585072014e-308', '0', '0', '0', '0'],
  ['4.9406564584124654e-324', '1', '0', '1', '1'],
  ['1e-17', '0', '0.00000000000000001', '0', '0.00000000000000001'],
  ['5e-18', '0', '0', '0', '0'],
  ['1.5e-17', '0', '0.00000000000000002', '0', '0.00000000000000002'],
  ['2.5e-17', '0', '0.00000000000000002', '0', '0.00000000000000002'],
];

const digest = (s: string) =>
  s.length > 60 ? `#${s.length}:${createHash('sha1').update(s).digest('hex').slice(0, 16)}` : s;

describe('long double (x87) emulation', () => {
  it('matches strtold / fadd / %.17Lf on every vector', () => {
    for (const [a, b, wa, wb, ws] of VECTORS) {
      const x = parseLongDouble(a);
      const y = parseLongDouble(b);
      expect([a, x === null ? null : digest(formatLongDoubleHuman(x))]).toEqual([a, wa]);
      expect([b, y === null ? null : digest(formatLongDoubleHuman(y))]).toEqual([b, wb]);
      if (x !== null && y !== null) {
        const z = addLongDouble(x, y);
        expect([a, b, isFiniteLD(z) ? digest(formatLongDoubleHuman(z)) : 'NANINF']).toEqual([a, b, ws]);
      }
    }
  });
  it('parses to the exact 64-bit significand', () => {
    // 0.1L is 0xc.ccccccccccccccdp-7.
    expect(describeLongDouble(parseLongDouble('0.1')!)).toBe(`${0xcccccccccccccccdn}*2^-67`);
    expect(describeLongDouble(parseLongDouble('-1')!)).toBe(`-${1n << 63n}*2^-63`);
    // The smallest subnormal.
    expect(describeLongDouble(parseLongDouble('0x1p-16445')!)).toBe('1*2^-16445');
  });
  it('refuses texts of 5120 characters or more', () => {
    expect(formatLongDoubleHuman(parseLongDouble('1.' + '0'.repeat(5117))!)).toBe('1');
    expect(parseLongDouble('1.' + '0'.repeat(5118))).toBe(null);
  });
  it('converts 64-bit integers exactly', () => {
    expect(formatLongDoubleHuman(longDoubleFromInt(-9223372036854775808n))).toBe('-9223372036854775808');
    expect(formatLongDoubleHuman(longDoubleFromInt(0))).toBe('0');
    expect(formatLongDoubleHuman(longDoubleFromInt(12345))).toBe('12345');
  });
  it('adds infinities as IEEE does', () => {
    const inf = parseLongDouble('inf')!;
    const ninf = parseLongDouble('-inf')!;
    expect(formatLongDoubleHuman(addLongDouble(inf, inf))).toBe('inf');
    expect(formatLongDoubleHuman(addLongDouble(ninf, parseLongDouble('1')!))).toBe('-inf');
    expect(isFiniteLD(addLongDouble(inf, ninf))).toBe(false);
  });
});
