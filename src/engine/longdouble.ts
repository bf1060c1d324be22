/**
 * x87 80-bit `long double`, emulated exactly with BigInt: what Redis's INCRBYFLOAT and HINCRBYFLOAT compute
 * with on x86-64 (strtold to parse, one addition, `%.17Lf` to print).
 *
 * The format: a 64-bit significand (explicit integer bit), a 15-bit exponent. A finite value is
 * `(-1)^neg × m × 2^e` with `m < 2^64`; normal values keep `m ≥ 2^63` with `e` in [E_MIN, E_MAX], subnormal
 * ones have `e = E_MIN` and `m < 2^63`. Every operation rounds to nearest, ties to even, as the x87 does in
 * its default control word (extended precision) and as glibc's strtold and printf do.
 *
 * Plain JS doubles are not enough: `10.5 + 0.1` is 10.59999999999999964 as a double at 17 decimals, but
 * 10.6 in Redis, whose extra 11 bits round the error away.
 */

export interface LongDouble {
  readonly neg: boolean;
  readonly kind: Kind;
  /** Significand; 0n for zero, infinities and NaN. */
  readonly m: bigint;
  /** Binary exponent of the significand's last bit. */
  readonly e: number;
}

export const enum Kind {
  Finite = 0,
  Inf = 1,
  NaN = 2,
}

const P = 64;
/** Exponent of the last significand bit of the smallest subnormal, 2^-16445. */
const E_MIN = -16382 - (P - 1);
/** Exponent of the last significand bit of the largest values, below 2^16384. */
const E_MAX = 16383 - (P - 1);
/** Redis's MAX_LONG_DOUBLE_CHARS: string2ld refuses texts this long or longer. */
export const MAX_LONG_DOUBLE_CHARS = 5 * 1024;

const ZERO: LongDouble = Object.freeze({ neg: false, kind: Kind.Finite, m: 0n, e: 0 });
const NEG_ZERO: LongDouble = Object.freeze({ neg: true, kind: Kind.Finite, m: 0n, e: 0 });
const INF: LongDouble = Object.freeze({ neg: false, kind: Kind.Inf, m: 0n, e: 0 });
const NEG_INF: LongDouble = Object.freeze({ neg: true, kind: Kind.Inf, m: 0n, e: 0 });
const NAN: LongDouble = Object.freeze({ neg: false, kind: Kind.NaN, m: 0n, e: 0 });

const zero = (neg: boolean) => (neg ? NEG_ZERO : ZERO);
const inf = (neg: boolean) => (neg ? NEG_INF : INF);

export function isFiniteLD(v: LongDouble): boolean {
  return v.kind === Kind.Finite;
}

function bitLength(x: bigint): number {
  // x > 0. toString(16) is linear and exact; good enough for the few thousand bits seen here.
  const h = x.toString(16);
  return (h.length - 1) * 4 + (32 - Math.clz32(parseInt(h[0], 16)));
}

/**
 * Round the exact value `M × 2^E` (plus, when `sticky`, something positive below 2^E) to a long double.
 * With `sticky`, M must carry at least two bits more than the result keeps, so that the dropped part is
 * never all sticky.
 */
function round(neg: boolean, M: bigint, E: number, sticky: boolean): LongDouble {
  if (M === 0n) return zero(neg);
  const L = bitLength(M);
  // The value lies in [2^(E+L-1), 2^(E+L)).
  if (E + L - 1 > E_MAX + P - 1) return inf(neg);
  // Below half the smallest subnormal (2^(E_MIN-1)): rounds to zero, even at the tie.
  if (E + L <= E_MIN - 1) return zero(neg);
  const s = Math.max(L - P, E_MIN - E);
  let m: bigint;
  let e: number;
  if (s <= 0) {
    m = M << BigInt(-s);
    e = E + s;
  } else {
    const bs = BigInt(s);
    m = M >> bs;
    const rem = M & ((1n << bs) - 1n);
    const half = 1n << (bs - 1n);
    if (rem > half || (rem === half && (sticky || (m & 1n) === 1n))) m += 1n;
    e = E + s;
    if (m === 1n << BigInt(P)) {
      m >>= 1n;
      e += 1;
    }
  }
  if (m === 0n) return zero(neg);
  if (e > E_MAX) return inf(neg);
  return { neg, kind: Kind.Finite, m, e };
}

// ---- parsing (strtold, as Redis's string2ld uses it) ---------------------------------------------------

const DEC_RE = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/;
const HEX_RE = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?[0-9]+))?$/;
const INF_RE = /^([+-]?)(?:inf|infinity)$/i;

/** A decimal exponent text as a number, saturated far beyond any exponent that matters. */
function expValue(s: string | undefined): number {
  if (s === undefined) return 0;
  const v = parseInt(s, 10);
  return Math.max(-1e9, Math.min(1e9, v));
}

const pow10Cache = new Map<number, bigint>();
function pow10(n: number): bigint {
  let p = pow10Cache.get(n);
  if (p === undefined) {
    p = 10n ** BigInt(n);
    if (pow10Cache.size < 64) pow10Cache.set(n, p);
  }
  return p;
}

/**
 * Redis's string2ld: the whole text must be a number as strtold reads it (decimal, hexadecimal, inf,
 * infinity; any case), no leading space, shorter than MAX_LONG_DOUBLE_CHARS. Refused: NaN, overflow to
 * infinity, and underflow to zero of a non-zero text (strtold's ERANGE cases). Returns null when refused.
 */
export function parseLongDouble(s: string): LongDouble | null {
  const n = s.length;
  if (n === 0 || n >= MAX_LONG_DOUBLE_CHARS) return null;
  let r = DEC_RE.exec(s);
  if (r !== null) {
    const int = r[2];
    const frac = r[3] ?? '';
    if (int.length + frac.length === 0) return null;
    return decimal(r[1] === '-', int + frac, expValue(r[4]) - frac.length);
  }
  r = HEX_RE.exec(s);
  if (r !== null) {
    const int = r[2];
    const frac = r[3] ?? '';
    // "0x" alone, or "0x.p1": strtold reads the "0" and stops, leaving text behind.
    if (int.length + frac.length === 0) return null;
    const neg = r[1] === '-';
    const M = BigInt('0x' + (int + frac));
    if (M === 0n) return zero(neg);
    const v = round(neg, M, expValue(r[4]) - 4 * frac.length, false);
    return v.kind === Kind.Finite && v.m !== 0n ? v : null;
  }
  r = INF_RE.exec(s);
  if (r !== null) return inf(r[1] === '-');
  return null;
}

function decimal(neg: boolean, digits: string, exp10: number): LongDouble | null {
  let i = 0;
  while (i < digits.length && digits.charCodeAt(i) === 48) i++;
  if (i === digits.length) return zero(neg);
  const d = i === 0 ? digits : digits.slice(i);
  // The value is in [10^(d.length-1+exp10), 10^(d.length+exp10)).
  const mag = d.length + exp10;
  if (mag - 1 >= 4933) return null; // ≥ 1e4933 > LDBL_MAX (1.19e4932): ERANGE
  if (mag < -4951) return null; // < 1e-4952, below half the smallest subnormal (3.6e-4951): ERANGE to zero
  const N = BigInt(d);
  let v: LongDouble;
  if (exp10 >= 0) {
    v = round(neg, N * pow10(exp10), 0, false);
  } else {
    const D = pow10(-exp10);
    // Enough quotient bits for the significand plus guard and round bits; the remainder is the sticky bit.
    const k = Math.max(0, bitLength(D) - bitLength(N) + P + 2);
    const num = N << BigInt(k);
    const q = num / D;
    v = round(neg, q, -k, q * D !== num);
  }
  return v.kind === Kind.Finite && v.m !== 0n ? v : null;
}

/** An integer (e.g. an int-encoded value) as a long double; exact for every 64-bit integer. */
export function longDoubleFromInt(v: number | bigint): LongDouble {
  const b = BigInt(v);
  if (b === 0n) return ZERO;
  return round(b < 0n, b < 0n ? -b : b, 0, false);
}

// ---- arithmetic --------------------------------------------------------------------------------------------

/** a + b, rounded once, as the x87's fadd. */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble {
  if (a.kind === Kind.NaN || b.kind === Kind.NaN) return NAN;
  if (a.kind === Kind.Inf) {
    if (b.kind === Kind.Inf && b.neg !== a.neg) return NAN;
    return a;
  }
  if (b.kind === Kind.Inf) return b;
  if (a.m === 0n) {
    if (b.m === 0n) return zero(a.neg && b.neg);
    return b;
  }
  if (b.m === 0n) return a;
  // Exact sum at the smaller exponent. Exponents differ by at most E_MAX - E_MIN, so the shift is bounded.
  const e = Math.min(a.e, b.e);
  const x = a.m << BigInt(a.e - e);
  const y = b.m << BigInt(b.e - e);
  const sx = a.neg ? -x : x;
  const sy = b.neg ? -y : y;
  const sum = sx + sy;
  // An exact zero sum is +0 when rounding to nearest.
  if (sum === 0n) return ZERO;
  return sum < 0n ? round(true, -sum, e, false) : round(false, sum, e, false);
}

// ---- printing ----------------------------------------------------------------------------------------------

const TEN17 = 10n ** 17n;

/**
 * Redis's ld2string in LD_STR_HUMAN mode: `%.17Lf` (exact decimal expansion rounded half-even to 17
 * fraction digits), trailing zeros and a trailing dot removed, "-0" written "0"; infinities as inf / -inf.
 */
export function formatLongDoubleHuman(v: LongDouble): string {
  if (v.kind === Kind.Inf) return v.neg ? '-inf' : 'inf';
  if (v.kind === Kind.NaN) return v.neg ? '-nan' : 'nan';
  if (v.m === 0n) return '0';
  let out: string;
  if (v.e >= 0) {
    out = (v.m << BigInt(v.e)).toString();
  } else {
    const bs = BigInt(-v.e);
    const scaled = v.m * TEN17;
    let q = scaled >> bs;
    const rem = scaled & ((1n << bs) - 1n);
    const half = 1n << (bs - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
    const digits = q.toString().padStart(18, '0');
    const int = digits.slice(0, digits.length - 17);
    let end = digits.length;
    while (end > int.length && digits.charCodeAt(end - 1) === 48) end--;
    out = end === int.length ? int : int + '.' + digits.slice(int.length, end);
  }
  if (v.neg && out !== '0') out = '-' + out;
  return out;
}

/** The exact value as `m*2^e` text, for tests and debugging. */
export function describeLongDouble(v: LongDouble): string {
  if (v.kind !== Kind.Finite) return formatLongDoubleHuman(v);
  return `${v.neg ? '-' : ''}${v.m}*2^${v.e}`;
}
