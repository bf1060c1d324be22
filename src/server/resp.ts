/**
 * The wire protocol of `tabhive serve`: RESP2/RESP3 reply encoding and the incremental request parser.
 *
 * Rules:
 * - bytes cross this boundary as *binary strings* (one char per byte, see engine/bytes.ts): a request argument
 *   is the latin1 decoding of its bytes, a reply is encoded as a latin1 string (the server writes the replies
 *   of a turn as one string, which the socket handle encodes without an intermediate Buffer);
 * - the parser follows Redis 7.0's networking.c (processInlineBuffer, processMultibulkBuffer, sdssplitargs):
 *   the same accepted inputs, the same "Protocol error: …" texts, after which the connection is closed;
 * - a whole multibulk request in the buffer (the pipelined common case) is parsed in one pass; anything
 *   partial or unusual goes through the general, resumable path, which alone produces protocol errors.
 */
import { formatDouble17, parseI64 } from '../engine/numbers.js';
import type { Reply, Tagged } from '../engine/reply.js';

// ---- encoder ----------------------------------------------------------------------------------------------

const CRLF = '\r\n';

/** Encode one reply for a client speaking RESP `resp` (2 or 3), as a binary string. */
export function encodeReply(r: Reply, resp: 2 | 3): string {
  switch (typeof r) {
    case 'string':
      return '$' + r.length + CRLF + r + CRLF;
    case 'number':
      return ':' + r + CRLF;
    case 'bigint':
      return ':' + r.toString() + CRLF;
    case 'object':
      if (r === null) return resp === 2 ? '$-1\r\n' : '_\r\n';
      if (Array.isArray(r)) return encodeAggregate('*', r, r.length, resp);
      return encodeTagged(r, resp);
    default:
      throw new TypeError(`not a reply: ${String(r)}`);
  }
}

function encodeAggregate(type: string, items: readonly Reply[], n: number, resp: 2 | 3): string {
  let out = type + n + CRLF;
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    // Inline the two commonest element kinds: bulk strings and integers.
    if (typeof it === 'string') out += '$' + it.length + CRLF + it + CRLF;
    else if (typeof it === 'number') out += ':' + it + CRLF;
    else out += encodeReply(it, resp);
  }
  return out;
}

function encodeTagged(r: Tagged, resp: 2 | 3): string {
  switch (r.k) {
    case 'simple':
      return '+' + r.s + CRLF;
    case 'err':
      return encodeError(r.msg);
    case 'double': {
      const s = formatDouble17(r.v);
      return resp === 2 ? '$' + s.length + CRLF + s + CRLF : ',' + s + CRLF;
    }
    case 'map':
      return resp === 2 ? encodeAggregate('*', r.v, r.v.length, 2) : encodeAggregate('%', r.v, r.v.length >> 1, 3);
    case 'set':
      return encodeAggregate(resp === 2 ? '*' : '~', r.v, r.v.length, resp);
    case 'push':
      return encodeAggregate(resp === 2 ? '*' : '>', r.v, r.v.length, resp);
    case 'nullarr':
      return resp === 2 ? '*-1\r\n' : '_\r\n';
    case 'verbatim':
      return resp === 2
        ? '$' + r.s.length + CRLF + r.s + CRLF
        : '=' + (r.s.length + 4) + CRLF + r.fmt + ':' + r.s + CRLF;
    case 'bool':
      return resp === 2 ? (r.v ? ':1\r\n' : ':0\r\n') : r.v ? '#t\r\n' : '#f\r\n';
    default:
      // NO_REPLY (the command answered through pushes) writes nothing.
      return '';
  }
}

/** An error line. A newline inside the text would break the protocol, so Redis turns it into a space. */
export function encodeError(msg: string): string {
  if (msg.indexOf('\r') >= 0 || msg.indexOf('\n') >= 0) msg = msg.replace(/[\r\n]/g, ' ');
  return '-' + msg + CRLF;
}

// ---- request parser ---------------------------------------------------------------------------------------

/** Redis's PROTO_INLINE_MAX_SIZE: the longest inline request or count line awaited without a newline. */
export const PROTO_INLINE_MAX_SIZE = 64 * 1024;
const INT_MAX = 2147483647;
/** Beyond this a bulk argument is gathered from chunks instead of re-concatenating the buffer per read. */
const BIG_ARG = 32 * 1024;

export interface ProtocolError {
  /** The reply text, e.g. "ERR Protocol error: invalid bulk length". */
  error: string;
}

/** One parsed request: its arguments (possibly none, which the server skips), or a protocol error. */
export type Request = string[] | ProtocolError;

const EMPTY: Buffer = Buffer.alloc(0);

/** Node's undocumented latin1Slice: the fastest bytes → binary string (toString('latin1') adds a dispatch). */
type Latin1Buffer = Buffer & { latin1Slice(start: number, end: number): string };
const latin1 = (b: Buffer, start: number, end: number): string => (b as Latin1Buffer).latin1Slice(start, end);

const fromCharCode = String.fromCharCode;

/**
 * b[start, end) as a binary string. A call into C++ (latin1Slice) costs more than building a string of up
 * to four bytes in JS, so short arguments (command names, small values) are made here.
 */
function binary(b: Buffer, start: number, end: number): string {
  switch (end - start) {
    case 0:
      return '';
    case 1:
      return fromCharCode(b[start]);
    case 2:
      return fromCharCode(b[start], b[start + 1]);
    case 3:
      return fromCharCode(b[start], b[start + 1], b[start + 2]);
    case 4:
      return fromCharCode(b[start], b[start + 1], b[start + 2], b[start + 3]);
    default:
      return latin1(b, start, end);
  }
}

/** The longest command name kept for reuse (see RequestParser.name). */
const NAME_CACHE_MAX = 32;

/**
 * Incremental request parser. `feed()` each chunk read from the socket, then call `next()` until it returns
 * undefined (more bytes needed). After a ProtocolError the parser is dead: the server replies and closes.
 */
export class RequestParser {
  private buf: Buffer = EMPTY;
  private pos = 0;
  /** Chunks of a big bulk argument still arriving, and their total length. */
  private pending: Buffer[] = [];
  private pendingLen = 0;
  /** Multibulk state: arguments still expected, the current bulk length (-1: header not read), argv so far. */
  private multibulkLen = 0;
  private bulkLen = -1;
  private argv: string[] = [];
  private dead = false;
  /** proto-max-bulk-len as of the last feed (read once per read, not per argument). */
  private maxBulk = 512 * 1024 * 1024;
  /**
   * The last command name seen: a pipeline mostly repeats one, and handing the engine the same string again
   * spares an allocation and lets the command lookup reuse the string's hash.
   */
  private lastName = '';

  constructor(
    /** proto-max-bulk-len, read at each feed (CONFIG SET may change it). */
    private readonly maxBulkLen: () => number = () => 512 * 1024 * 1024,
  ) {}

  feed(chunk: Buffer): void {
    if (this.dead) return;
    this.maxBulk = this.maxBulkLen();
    if (this.pendingLen > 0 || (this.bulkLen >= BIG_ARG && this.buf.length - this.pos < this.bulkLen + 2)) {
      // A big argument is arriving: collect its chunks, join once when complete.
      if (this.pendingLen === 0) {
        const rest = this.buf.subarray(this.pos);
        this.buf = EMPTY;
        this.pos = 0;
        if (rest.length > 0) {
          this.pending.push(rest);
          this.pendingLen = rest.length;
        }
      }
      this.pending.push(chunk);
      this.pendingLen += chunk.length;
      if (this.pendingLen >= this.bulkLen + 2) {
        this.buf = Buffer.concat(this.pending, this.pendingLen);
        this.pos = 0;
        this.pending = [];
        this.pendingLen = 0;
      }
      return;
    }
    if (this.pos >= this.buf.length) {
      this.buf = chunk;
    } else {
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
    }
    this.pos = 0;
  }

  /** Bytes received and not yet consumed. */
  get buffered(): number {
    return this.buf.length - this.pos + this.pendingLen;
  }

  /** The next complete request, or undefined when more bytes are needed. */
  next(): Request | undefined {
    if (this.dead || this.pendingLen > 0) return undefined;
    if (this.multibulkLen === 0) {
      if (this.pos >= this.buf.length) return undefined;
      if (this.buf[this.pos] !== 0x2a /* '*' */) return this.inline();
      return this.wholeRequest() ?? this.multibulkHeader();
    }
    return this.multibulkArgs();
  }

  /**
   * The fast path: a multibulk request lying whole in the buffer, with plain counts (digits, no sign, no
   * leading zero). Anything else, complete or not, returns undefined without consuming a byte, and the
   * general path below (which keeps partial state and knows every error) parses it from the same place.
   */
  private wholeRequest(): string[] | undefined {
    const b = this.buf;
    const n = b.length;
    let p = this.pos + 1;
    // The count: 1 to 8 digits, the first not 0 (so below INT_MAX).
    let c = b[p];
    if (!(c >= 0x31 && c <= 0x39)) return undefined;
    let count = c - 0x30;
    const countEnd = p + 8;
    for (p++; p < n && p < countEnd; p++) {
      c = b[p];
      if (c < 0x30 || c > 0x39) break;
      count = count * 10 + (c - 0x30);
    }
    if (p + 1 >= n || b[p] !== 13) return undefined;
    p += 2;
    // Sized up front when small (most requests), grown otherwise: the count is the client's word, not memory's.
    const argv: string[] = count <= 1024 ? new Array<string>(count) : [];
    const maxBulk = this.maxBulk;
    for (let i = 0; i < count; i++) {
      if (p >= n || b[p] !== 0x24 /* '$' */) return undefined;
      p++;
      // The length: "0", or 1 to 10 digits, the first not 0 (exact in a double; proto-max-bulk-len decides).
      c = b[p];
      let len: number;
      if (c === 0x30) {
        len = 0;
        p++;
      } else if (c >= 0x31 && c <= 0x39) {
        len = c - 0x30;
        const lenEnd = p + 10;
        for (p++; p < n && p < lenEnd; p++) {
          c = b[p];
          if (c < 0x30 || c > 0x39) break;
          len = len * 10 + (c - 0x30);
        }
      } else {
        return undefined;
      }
      if (p + 1 >= n || b[p] !== 13 || len > maxBulk) return undefined;
      p += 2;
      // Redis skips the two bytes after the data without looking at them.
      const end = p + len;
      if (end + 2 > n) return undefined;
      argv[i] = i === 0 ? this.name(b, p, end) : binary(b, p, end);
      p = end + 2;
    }
    this.pos = p;
    return argv;
  }

  /** The command name at b[start, end): the previous one again when the bytes are the same. */
  private name(b: Buffer, start: number, end: number): string {
    const last = this.lastName;
    const len = end - start;
    if (len === last.length) {
      let i = 0;
      while (i < len && b[start + i] === last.charCodeAt(i)) i++;
      if (i === len) return last;
    }
    const s = binary(b, start, end);
    if (len <= NAME_CACHE_MAX) this.lastName = s;
    return s;
  }

  private fail(error: string): ProtocolError {
    this.dead = true;
    this.buf = EMPTY;
    this.pos = 0;
    this.argv = [];
    return { error };
  }

  /**
   * The position of the '\r' ending the line at `from`, as Redis's strchr(…, '\r') finds it: -1 when not
   * found (a NUL byte ends the search too, as it ends a C string), -2 when the '\r' is the last byte
   * received (its '\n' has not arrived yet).
   */
  private lineEnd(from: number): number {
    const b = this.buf;
    const n = b.length;
    let cr = b.indexOf(13, from);
    if (cr < 0) cr = n;
    // strchr stops at NUL; header lines are short, so this scan is short in practice.
    for (let i = from; i < cr; i++) if (b[i] === 0) return -1;
    if (cr === n) return -1;
    if (cr + 1 >= n) return -2;
    return cr;
  }

  private multibulkHeader(): Request | undefined {
    const b = this.buf;
    const start = this.pos;
    const cr = this.lineEnd(start);
    if (cr < 0) {
      if (cr === -1 && b.length - start > PROTO_INLINE_MAX_SIZE) {
        return this.fail('ERR Protocol error: too big mbulk count string');
      }
      return undefined;
    }
    const ll = parseLine(b, start + 1, cr);
    if (ll === null || ll > INT_MAX) return this.fail('ERR Protocol error: invalid multibulk length');
    this.pos = cr + 2;
    if (ll <= 0) return [];
    this.multibulkLen = ll;
    this.bulkLen = -1;
    this.argv = [];
    return this.multibulkArgs();
  }

  private multibulkArgs(): Request | undefined {
    const b = this.buf;
    while (this.multibulkLen > 0) {
      if (this.bulkLen === -1) {
        const start = this.pos;
        const cr = this.lineEnd(start);
        if (cr < 0) {
          if (cr === -1 && b.length - start > PROTO_INLINE_MAX_SIZE) {
            return this.fail('ERR Protocol error: too big bulk count string');
          }
          return undefined;
        }
        if (b[start] !== 0x24 /* '$' */) {
          return this.fail(`ERR Protocol error: expected '$', got '${String.fromCharCode(b[start])}'`);
        }
        const ll = parseLine(b, start + 1, cr);
        if (ll === null || ll < 0 || ll > this.maxBulk) return this.fail('ERR Protocol error: invalid bulk length');
        this.pos = cr + 2;
        this.bulkLen = ll;
      }
      // Redis skips the two bytes after the data without looking at them.
      if (b.length - this.pos < this.bulkLen + 2) return undefined;
      this.argv.push(binary(b, this.pos, this.pos + this.bulkLen));
      this.pos += this.bulkLen + 2;
      this.bulkLen = -1;
      this.multibulkLen--;
    }
    const argv = this.argv;
    this.argv = [];
    return argv;
  }

  private inline(): Request | undefined {
    const b = this.buf;
    const start = this.pos;
    let nl = b.indexOf(10, start);
    // Redis looks for the newline with strchr, which stops at a NUL byte: such a line never completes.
    if (nl > start && b.subarray(start, nl).indexOf(0) >= 0) nl = -1;
    if (nl < 0) {
      if (b.length - start > PROTO_INLINE_MAX_SIZE) return this.fail('ERR Protocol error: too big inline request');
      return undefined;
    }
    const end = nl > start && b[nl - 1] === 13 ? nl - 1 : nl;
    const argv = splitArgs(b, start, end);
    if (argv === null) return this.fail('ERR Protocol error: unbalanced quotes in request');
    this.pos = nl + 1;
    return argv;
  }
}

/**
 * A count line's integer, as Redis's string2ll reads it (no sign but '-', no leading zeros, no "-0",
 * within 64 bits), or null. Out-of-range-for-JS values are returned as ±Infinity: only comparisons follow.
 */
function parseLine(b: Buffer, from: number, to: number): number | null {
  const n = to - from;
  if (n <= 0) return null;
  if (n <= 15) {
    // Fast path: plain decimal digits.
    let v = 0;
    let i = from;
    const neg = b[i] === 0x2d;
    if (neg) {
      i++;
      if (i === to) return null;
    }
    if (b[i] === 0x30) return n === 1 ? 0 : null; // "0" alone; "-0", "01" are refused
    for (; i < to; i++) {
      const d = b[i] - 0x30;
      if (d < 0 || d > 9) return null;
      v = v * 10 + d;
    }
    return neg ? -v : v;
  }
  const v = parseI64(latin1(b, from, to));
  if (v === null) return null;
  return typeof v === 'bigint' ? (v < 0n ? -Infinity : Infinity) : v;
}

/** C's isspace. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function hexVal(c: number): number {
  return c <= 57 ? c - 48 : (c | 32) - 87;
}

/**
 * Redis's sdssplitargs over b[from, to): arguments separated by spaces; "double quotes" with \xHH, \n, \r,
 * \t, \b, \a and \<any> escapes; 'single quotes' with \' only; a closing quote must be followed by a space or
 * the end. A NUL byte ends the line, as it ends a C string. Returns null on unbalanced quotes.
 */
export function splitArgs(b: Buffer, from: number, to: number): string[] | null {
  const z = b.indexOf(0, from);
  if (z >= 0 && z < to) to = z;
  const at = (i: number) => (i < to ? b[i] : 0);
  const out: string[] = [];
  let p = from;
  for (;;) {
    while (p < to && isSpace(b[p])) p++;
    if (p >= to) return out;
    let inq = false;
    let insq = false;
    let done = false;
    // Runs of plain bytes are sliced at once; escapes and quotes append piecewise.
    let cur = '';
    let runStart = p;
    while (!done) {
      const c = at(p);
      if (inq) {
        if (c === 92 /* \ */ && at(p + 1) === 120 /* x */ && isHex(at(p + 2)) && isHex(at(p + 3))) {
          cur += latin1(b, runStart, p) + String.fromCharCode(hexVal(at(p + 2)) * 16 + hexVal(at(p + 3)));
          p += 3;
          runStart = p + 1;
        } else if (c === 92 && at(p + 1) !== 0) {
          cur += latin1(b, runStart, p);
          p++;
          const e = b[p];
          cur += e === 110 ? '\n' : e === 114 ? '\r' : e === 116 ? '\t' : e === 98 ? '\b' : e === 97 ? '\x07' : String.fromCharCode(e);
          runStart = p + 1;
        } else if (c === 34 /* " */) {
          const nx = at(p + 1);
          if (nx !== 0 && !isSpace(nx)) return null;
          cur += latin1(b, runStart, p);
          done = true;
        } else if (c === 0) {
          return null;
        }
      } else if (insq) {
        if (c === 92 && at(p + 1) === 39 /* ' */) {
          cur += latin1(b, runStart, p);
          p++;
          runStart = p; // the quote itself is kept
        } else if (c === 39) {
          const nx = at(p + 1);
          if (nx !== 0 && !isSpace(nx)) return null;
          cur += latin1(b, runStart, p);
          done = true;
        } else if (c === 0) {
          return null;
        }
      } else if (c === 32 || c === 10 || c === 13 || c === 9 || c === 0) {
        cur += latin1(b, runStart, p);
        done = true;
      } else if (c === 34 || c === 39) {
        cur += latin1(b, runStart, p);
        if (c === 34) inq = true;
        else insq = true;
        runStart = p + 1;
      }
      if (p < to) p++;
    }
    out.push(cur);
  }
}
