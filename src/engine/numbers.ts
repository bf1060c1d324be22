/**
 * Numbers as Redis has them.
 *
 * Integers are 64-bit signed. A value within ±(2^53-1) is a JS number (the fast path); beyond that it is a
 * bigint, so nothing above 2^53 loses a digit. `Int64` is that union; arithmetic here keeps to it and reports
 * overflow instead of wrapping or rounding.
 *
 * Parsing follows Redis's string2ll: no spaces, no '+', no leading zeros, no "-0", within [-2^63, 2^63-1].
 */

export type Int64 = number | bigint;

export const I64_MIN = -(2n ** 63n);
export const I64_MAX = 2n ** 63n - 1n;

const INT_RE = /^(?:0|-?[1-9][0-9]*)$/;

/** Redis's string2ll. Returns null when the text is not exactly a 64-bit integer. */
export function parseI64(s: string): Int64 | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  if (n <= 15) {
    // Up to 15 characters always fits a double exactly.
    if (!INT_RE.test(s)) return null;
    return +s;
  }
  if (!INT_RE.test(s)) return null;
  const b = BigInt(s);
  if (b < I64_MIN || b > I64_MAX) return null;
  return norm(b);
}

/** Normalise a bigint to the Int64 form: a number when it is a safe integer. */
export function norm(b: bigint): Int64 {
  return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
}

/** a + b, or null when the result leaves the 64-bit range. */
export function addI64(a: Int64, b: Int64): Int64 | null {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (Number.isSafeInteger(r)) return r;
  }
  const r = BigInt(a) + BigInt(b);
  if (r < I64_MIN || r > I64_MAX) return null;
  return norm(r);
}

/** Clamp an Int64 to a JS number for use as an index/count (values beyond 2^53 are beyond any length). */
export function toIndex(v: Int64): number {
  if (typeof v === 'number') return v;
  return v < 0n ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
}

export function i64ToString(v: Int64): string {
  return typeof v === 'number' ? String(v) : v.toString();
}

/**
 * Redis's strtod-based double parsing (getDoubleFromObject / string2d): the whole text must be a number,
 * no leading space, NaN refused, overflow and underflow refused; "inf", "-inf", "+inf", "infinity" accepted;
 * hexadecimal floats accepted as C's strtod does.
 */
export function parseDouble(s: string): number | null {
  const n = s.length;
  if (n === 0 || n > 5 * 1024) return null;
  const c0 = s.charCodeAt(0);
  if (c0 === 32 || (c0 >= 9 && c0 <= 13)) return null; // isspace
  if (DEC_RE.test(s)) {
    const v = +s;
    if (!Number.isFinite(v)) return null; // ERANGE overflow
    if (v === 0 && NONZERO_DIGIT.test(mantissaOf(s))) return null; // ERANGE underflow to zero
    return v;
  }
  const inf = INF_RE.exec(s);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  if (HEX_RE.test(s)) {
    const v = parseHexFloat(s);
    if (v === null || !Number.isFinite(v)) return null;
    return v;
  }
  return null;
}

const DEC_RE = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const INF_RE = /^([+-]?)(?:inf|infinity)$/i;
const HEX_RE = /^[+-]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?[0-9]+)?$/;
const NONZERO_DIGIT = /[1-9]/;

function mantissaOf(s: string): string {
  const e = s.search(/[eE]/);
  return e < 0 ? s : s.slice(0, e);
}

function parseHexFloat(s: string): number | null {
  let i = 0;
  let sign = 1;
  if (s[i] === '+' || s[i] === '-') {
    if (s[i] === '-') sign = -1;
    i++;
  }
  i += 2; // 0x
  let mant = 0n;
  let exp = 0;
  let seenDot = false;
  for (; i < s.length; i++) {
    const ch = s[i];
    if (ch === '.') {
      seenDot = true;
      continue;
    }
    if (ch === 'p' || ch === 'P') break;
    mant = mant * 16n + BigInt(parseInt(ch, 16));
    if (seenDot) exp -= 4;
  }
  if (i < s.length) exp += parseInt(s.slice(i + 1), 10);
  if (mant === 0n) return sign * 0;
  // Scale exactly: mant * 2^exp.
  const v = exp >= 0 ? Number(mant) * 2 ** exp : Number(mant) / 2 ** -exp;
  if (!Number.isFinite(v) && exp < 0) {
    return sign * (Number(mant >> BigInt(Math.min(-exp, 10000))) || 0);
  }
  return sign * v;
}

/**
 * Format a double as C's `%.17g` (what Redis 7.0 uses for ZSCORE and other double replies), with Redis's
 * spelling of the infinities.
 */
export function formatDouble17(v: number): string {
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (Number.isNaN(v)) return 'nan';
  return formatG(v, 17);
}

/** C's `%.{p}g`. */
export function formatG(v: number, p: number): string {
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const exp = Math.floor(Math.log10(Math.abs(v)));
  // toExponential gives the exact exponent after rounding to p digits.
  const e = v.toExponential(p - 1);
  const ei = e.indexOf('e');
  const x = parseInt(e.slice(ei + 1), 10);
  void exp;
  if (x < -4 || x >= p) {
    let m = e.slice(0, ei);
    if (m.includes('.')) m = m.replace(/0+$/, '').replace(/\.$/, '');
    const sign = x < 0 ? '-' : '+';
    const ax = Math.abs(x);
    return `${m}e${sign}${ax < 10 ? '0' + ax : ax}`;
  }
  let f = v.toFixed(Math.max(0, p - 1 - x));
  if (f.includes('.')) f = f.replace(/0+$/, '').replace(/\.$/, '');
  return f;
}
