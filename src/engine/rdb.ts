/**
 * Redis 7.0's serialization (rdb.c, cluster.c's DUMP/RESTORE): the bytes that move values and whole datasets
 * to and from real Redis.
 *
 * - A DUMP payload is an object type byte, the object, the RDB version (2 bytes, little-endian) and the CRC-64
 *   of all that (8 bytes, little-endian). RESTORE checks version and checksum, then loads the object.
 * - An RDB file is "REDIS0010", AUX fields, per non-empty database SELECTDB + RESIZEDB and its keys (each
 *   optionally preceded by its expiry in ms and, under an LRU / LFU maxmemory-policy, its idle time or LFU
 *   counter), EOF, and the CRC-64 of the whole file before it.
 *
 * Writing follows what redis-server 7.0 writes for each encoding, so a tabhive DUMP restores in Redis with the
 * same encoding and, where Redis's own bytes are a function of the contents, is byte for byte Redis's DUMP:
 * - strings: integers that fit 32 bits as INT8/16/32, strings over 20 bytes LZF-compressed when that saves at
 *   least 4 bytes (rdbcompression yes), others verbatim;
 * - lists: QUICKLIST_2, the listpack nodes a list built by RPUSH would have under list-max-listpack-size (and
 *   interior nodes LZF-compressed under list-compress-depth, as Redis keeps them);
 * - sets: INTSET (the smallest integer width that holds every member) or SET;
 * - sorted sets: ZSET_LISTPACK or ZSET_2 (binary doubles, highest score first, as Redis walks its skiplist);
 * - hashes: HASH_LISTPACK or HASH.
 * Hashtable-encoded values come out in tabhive's (insertion) order where Redis's follows its hash function.
 *
 * Reading accepts every encoding 7.0 loads — including the older ones a DUMP or an RDB file of an earlier
 * Redis holds (ziplists, zipmaps, QUICKLIST of ziplists, ZSET with text scores, seconds expiries) — and gives
 * the value the encoding Redis's rdbLoadObject gives it under the current configuration (a set whose integer
 * count exceeds set-max-intset-entries becomes a hashtable, a ZSET_2 small enough becomes a listpack…).
 * Streams and module values, which tabhive does not have, are refused. Anything malformed is an RdbError:
 * every structure is walked whole and checked (Redis's sanitize-dump-payload yes), since a half-valid
 * listpack cannot be represented here anyway.
 */
import { fromBytes } from './bytes.js';
import { Crc64, crc64 } from './crc64.js';
import { ObjType, type Entry } from './keyspace.js';
import { lfuDecrAndReturn } from './lfu.js';
import { lzfCompress, lzfDecompress } from './lzf.js';
import { formatDouble17, i64ToString, norm, parseDouble, parseI64, type Int64 } from './numbers.js';
import { HashValue } from './commands/hash.js';
import { ListValue } from './commands/list.js';
import { SetValue } from './commands/set.js';
import { ZSetValue } from './commands/zset.js';
import type { Engine } from './engine.js';

export const RDB_VERSION = 10;
/** What tabhive writes as redis-ver: the Redis it answers as. */
export const REDIS_VERSION = '7.0.15';

/** RDB object types (rdb.h). */
export const enum RdbType {
  String = 0,
  List = 1,
  Set = 2,
  ZSet = 3,
  Hash = 4,
  ZSet2 = 5,
  Module = 6,
  Module2 = 7,
  HashZipmap = 9,
  ListZiplist = 10,
  SetIntset = 11,
  ZSetZiplist = 12,
  HashZiplist = 13,
  ListQuicklist = 14,
  StreamListpacks = 15,
  HashListpack = 16,
  ZSetListpack = 17,
  ListQuicklist2 = 18,
  StreamListpacks2 = 19,
}

/** RDB opcodes (rdb.h). */
const enum Op {
  Function2 = 245,
  Function = 246,
  ModuleAux = 247,
  Idle = 248,
  Freq = 249,
  Aux = 250,
  ResizeDb = 251,
  ExpireTimeMs = 252,
  ExpireTime = 253,
  SelectDb = 254,
  Eof = 255,
}

const isObjectType = (t: number): boolean => (t >= 0 && t <= 7) || (t >= 9 && t <= 19);

/** A malformed or unsupported payload or file; `message` says what and where. */
export class RdbError extends Error {}

// ---- the settings serialization depends on ----------------------------------------------------------------

/** The configuration that decides encodings on load and layout on save (read once per DUMP/RESTORE/file). */
export interface RdbSettings {
  hashMaxEntries: number;
  hashMaxValue: number;
  zsetMaxEntries: number;
  zsetMaxValue: number;
  intsetMaxEntries: number;
  /** list-max-listpack-size, clamped to -5..32767 as quicklistSetFill does. */
  listFill: number;
  listCompressDepth: number;
  /** rdbcompression: LZF for long strings (Redis's default yes). */
  compress: boolean;
  /** Which access information an RDB file carries (maxmemory-policy): LRU idle time, LFU counter, or none. */
  policy: 'lru' | 'lfu' | 'none';
  lfuDecayTime: number;
}

export function rdbSettings(engine: Engine): RdbSettings {
  const cfg = engine.config;
  const policy = cfg.get('maxmemory-policy') ?? 'noeviction';
  return {
    hashMaxEntries: cfg.getInt('hash-max-listpack-entries'),
    hashMaxValue: cfg.getInt('hash-max-listpack-value'),
    zsetMaxEntries: cfg.getInt('zset-max-listpack-entries'),
    zsetMaxValue: cfg.getInt('zset-max-listpack-value'),
    intsetMaxEntries: cfg.getInt('set-max-intset-entries'),
    listFill: Math.max(-5, Math.min(32767, cfg.getInt('list-max-listpack-size'))),
    listCompressDepth: cfg.getInt('list-compress-depth'),
    compress: true,
    policy: policy.endsWith('-lfu') ? 'lfu' : policy.endsWith('-lru') ? 'lru' : 'none',
    lfuDecayTime: cfg.getInt('lfu-decay-time'),
  };
}

// ---- bytes out --------------------------------------------------------------------------------------------

/** A growable byte buffer. */
export class ByteWriter {
  private buf: Uint8Array;
  private dv: DataView;
  length = 0;

  constructor(capacity = 256) {
    this.buf = new Uint8Array(capacity);
    this.dv = new DataView(this.buf.buffer);
  }

  private ensure(n: number): void {
    const need = this.length + n;
    if (need <= this.buf.length) return;
    const next = new Uint8Array(Math.max(need, this.buf.length * 2));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.dv = new DataView(next.buffer);
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.length++] = b;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** The bytes of a binary string. */
  binary(s: string): void {
    const n = s.length;
    this.ensure(n);
    const buf = this.buf;
    let p = this.length;
    for (let i = 0; i < n; i++) buf[p++] = s.charCodeAt(i);
    this.length = p;
  }

  u16le(v: number): void {
    this.ensure(2);
    this.dv.setUint16(this.length, v & 0xffff, true);
    this.length += 2;
  }

  u32le(v: number): void {
    this.ensure(4);
    this.dv.setUint32(this.length, v >>> 0, true);
    this.length += 4;
  }

  u32be(v: number): void {
    this.ensure(4);
    this.dv.setUint32(this.length, v >>> 0, false);
    this.length += 4;
  }

  i64le(v: bigint): void {
    this.ensure(8);
    this.dv.setBigInt64(this.length, BigInt.asIntN(64, v), true);
    this.length += 8;
  }

  u64be(v: bigint): void {
    this.ensure(8);
    this.dv.setBigUint64(this.length, v, false);
    this.length += 8;
  }

  f64le(v: number): void {
    this.ensure(8);
    this.dv.setFloat64(this.length, v, true);
    this.length += 8;
  }

  /** Overwrite 4 bytes at `at` (listpack headers). */
  setU32le(at: number, v: number): void {
    this.dv.setUint32(at, v >>> 0, true);
  }

  setU16le(at: number, v: number): void {
    this.dv.setUint16(at, v, true);
  }

  /** The bytes written so far (a view; copy it before writing more). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  /** The bytes written, in a buffer of their own. */
  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** rdbSaveLen: 6-bit, 14-bit, 32-bit or 64-bit big-endian length. */
function saveLen(w: ByteWriter, len: number): void {
  if (len < 1 << 6) {
    w.byte(len);
  } else if (len < 1 << 14) {
    w.byte((len >>> 8) | 0x40);
    w.byte(len & 0xff);
  } else if (len <= 0xffffffff) {
    w.byte(0x80);
    w.u32be(len);
  } else {
    w.byte(0x81);
    w.u64be(BigInt(len));
  }
}

/** rdbEncodeInteger: INT8/16/32, or false when the value needs more than 32 bits. */
function saveEncodedInt(w: ByteWriter, v: number): boolean {
  if (v >= -128 && v <= 127) {
    w.byte(0xc0);
    w.byte(v & 0xff);
  } else if (v >= -32768 && v <= 32767) {
    w.byte(0xc1);
    w.u16le(v & 0xffff);
  } else if (v >= -2147483648 && v <= 2147483647) {
    w.byte(0xc2);
    w.u32le(v);
  } else {
    return false;
  }
  return true;
}

/** Write an LZF blob: the LZF marker, compressed and original lengths, the data. */
function saveLzfBlob(w: ByteWriter, compressed: Uint8Array, originalLen: number): void {
  w.byte(0xc3);
  saveLen(w, compressed.length);
  saveLen(w, originalLen);
  w.bytes(compressed);
}

/**
 * rdbSaveRawString: a short text that is exactly a 32-bit integer as INT8/16/32; over 20 bytes LZF when that
 * saves at least 4 bytes (and compression is on); otherwise length + bytes. Accepts a binary string or bytes.
 */
function saveRawString(w: ByteWriter, s: string | Uint8Array, compress: boolean): void {
  const len = s.length;
  if (len <= 11) {
    const text = typeof s === 'string' ? s : fromBytes(s);
    const v = parseI64(text);
    if (v !== null && typeof v === 'number' && saveEncodedInt(w, v)) return;
  }
  if (compress && len > 20) {
    const bytes = typeof s === 'string' ? binaryToBytes(s) : s;
    const c = lzfCompress(bytes, len - 4);
    if (c !== null) {
      saveLzfBlob(w, c, len);
      return;
    }
    saveLen(w, len);
    w.bytes(bytes);
    return;
  }
  saveLen(w, len);
  if (typeof s === 'string') w.binary(s);
  else w.bytes(s);
}

function binaryToBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

// ---- bytes in ---------------------------------------------------------------------------------------------

/** A cursor over bytes; every read checks the end and throws Redis's "Unexpected EOF" as an RdbError. */
export class ByteReader {
  pos: number;
  private readonly dv: DataView;

  constructor(
    readonly b: Uint8Array,
    start = 0,
    readonly end = b.length,
  ) {
    this.pos = start;
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }

  get left(): number {
    return this.end - this.pos;
  }

  private need(n: number): void {
    if (n > this.end - this.pos) throw new RdbError('Unexpected EOF reading RDB file');
  }

  u8(): number {
    this.need(1);
    return this.b[this.pos++];
  }

  take(n: number): Uint8Array {
    this.need(n);
    const out = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  u32le(): number {
    this.need(4);
    const v = this.dv.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  i32le(): number {
    this.need(4);
    const v = this.dv.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }

  i64le(): bigint {
    this.need(8);
    const v = this.dv.getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  }

  f64le(): number {
    this.need(8);
    const v = this.dv.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** rdbLoadLenByRef: [length or encoding number, is-an-encoding]. */
  lenOrEnc(): [number, boolean] {
    const b0 = this.u8();
    const kind = b0 >> 6;
    if (kind === 3) return [b0 & 0x3f, true];
    if (kind === 0) return [b0 & 0x3f, false];
    if (kind === 1) return [((b0 & 0x3f) << 8) | this.u8(), false];
    if (b0 === 0x80) {
      this.need(4);
      const v = this.dv.getUint32(this.pos, false);
      this.pos += 4;
      return [v, false];
    }
    if (b0 === 0x81) {
      this.need(8);
      const v = this.dv.getBigUint64(this.pos, false);
      this.pos += 8;
      if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new RdbError(`length ${v} out of range`);
      return [Number(v), false];
    }
    throw new RdbError(`Unknown length encoding ${kind} in rdbLoadLen()`);
  }

  /** A plain length (an encoding marker here is corruption). */
  len(): number {
    const [v, enc] = this.lenOrEnc();
    if (enc) throw new RdbError('unexpected string encoding where a length was expected');
    return v;
  }

  /** rdbGenericLoadStringObject (RDB_LOAD_PLAIN): the bytes of a string in any of its encodings. */
  blob(): Uint8Array {
    const [v, enc] = this.lenOrEnc();
    if (!enc) return this.take(v);
    switch (v) {
      case 0: // INT8
        return binaryToBytes(String((this.u8() << 24) >> 24));
      case 1: {
        // INT16
        const x = this.u8() | (this.u8() << 8);
        return binaryToBytes(String((x << 16) >> 16));
      }
      case 2: // INT32
        return binaryToBytes(String(this.i32le()));
      case 3: {
        // LZF
        const clen = this.len();
        const len = this.len();
        const c = this.take(clen);
        const out = lzfDecompress(c, len);
        if (out === null) throw new RdbError('Invalid LZF compressed string');
        return out;
      }
      default:
        throw new RdbError(`Unknown RDB string encoding type ${v}`);
    }
  }

  /** A string as a binary string. */
  str(): string {
    return fromBytes(this.blob());
  }
}

// ---- listpack ---------------------------------------------------------------------------------------------

/** A listpack entry's value: a binary string, or an integer (the listpack stored it as one). */
type LpValue = string | Int64;

const lpValueString = (v: LpValue): string => (typeof v === 'string' ? v : i64ToString(v));

/** Bytes of an integer entry's encoding (lpEncodeIntegerGetType). */
function lpIntEncLen(v: Int64): number {
  if (typeof v === 'bigint') return 9;
  if (v >= 0 && v <= 127) return 1;
  if (v >= -4096 && v <= 4095) return 2;
  if (v >= -32768 && v <= 32767) return 3;
  if (v >= -8388608 && v <= 8388607) return 4;
  if (v >= -2147483648 && v <= 2147483647) return 5;
  return 9;
}

const lpStrEncLen = (len: number): number => (len < 64 ? 1 + len : len < 4096 ? 2 + len : 5 + len);

/** Bytes of the back-length field for an entry of `l` bytes (lpEncodeBacklen). */
function lpBacklenSize(l: number): number {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

/** Bytes a string takes as a listpack entry (integer-encoded when it is exactly a 64-bit integer). */
function lpEntrySize(s: string): number {
  const v = parseI64(s);
  const enc = v !== null ? lpIntEncLen(v) : lpStrEncLen(s.length);
  return enc + lpBacklenSize(enc);
}

const LP_HDR_SIZE = 6;

/** Builds a listpack as lpAppend / lpAppendInteger would. */
class ListpackBuilder {
  private readonly w = new ByteWriter(64);
  private count = 0;

  constructor() {
    for (let i = 0; i < LP_HDR_SIZE; i++) this.w.byte(0);
  }

  /** lpAppend: an exact 64-bit integer text is stored as an integer. */
  append(s: string): void {
    const v = parseI64(s);
    if (v !== null) this.appendInt(v);
    else this.appendString(s);
  }

  appendInt(v: Int64): void {
    const w = this.w;
    let enc: number;
    if (typeof v === 'number' && v >= 0 && v <= 127) {
      w.byte(v);
      enc = 1;
    } else if (typeof v === 'number' && v >= -4096 && v <= 4095) {
      const u = v < 0 ? (1 << 13) + v : v;
      w.byte((u >> 8) | 0xc0);
      w.byte(u & 0xff);
      enc = 2;
    } else if (typeof v === 'number' && v >= -32768 && v <= 32767) {
      w.byte(0xf1);
      w.u16le(v & 0xffff);
      enc = 3;
    } else if (typeof v === 'number' && v >= -8388608 && v <= 8388607) {
      const u = v < 0 ? (1 << 24) + v : v;
      w.byte(0xf2);
      w.byte(u & 0xff);
      w.byte((u >> 8) & 0xff);
      w.byte((u >> 16) & 0xff);
      enc = 4;
    } else if (typeof v === 'number' && v >= -2147483648 && v <= 2147483647) {
      w.byte(0xf3);
      w.u32le(v);
      enc = 5;
    } else {
      w.byte(0xf4);
      w.i64le(BigInt(v));
      enc = 9;
    }
    this.backlen(enc);
  }

  appendString(s: string): void {
    const w = this.w;
    const len = s.length;
    if (len < 64) {
      w.byte(len | 0x80);
    } else if (len < 4096) {
      w.byte((len >> 8) | 0xe0);
      w.byte(len & 0xff);
    } else {
      w.byte(0xf0);
      w.u32le(len);
    }
    w.binary(s);
    this.backlen(lpStrEncLen(len));
  }

  private backlen(l: number): void {
    const w = this.w;
    if (l <= 127) {
      w.byte(l);
    } else if (l < 16383) {
      w.byte(l >>> 7);
      w.byte((l & 127) | 128);
    } else if (l < 2097151) {
      w.byte(l >>> 14);
      w.byte(((l >>> 7) & 127) | 128);
      w.byte((l & 127) | 128);
    } else if (l < 268435455) {
      w.byte(l >>> 21);
      w.byte(((l >>> 14) & 127) | 128);
      w.byte(((l >>> 7) & 127) | 128);
      w.byte((l & 127) | 128);
    } else {
      w.byte(Math.floor(l / 2 ** 28));
      w.byte(((l >>> 21) & 127) | 128);
      w.byte(((l >>> 14) & 127) | 128);
      w.byte(((l >>> 7) & 127) | 128);
      w.byte((l & 127) | 128);
    }
    this.count++;
  }

  finish(): Uint8Array {
    const w = this.w;
    w.byte(0xff);
    w.setU32le(0, w.length);
    // The element count saturates at 65535 (LP_HDR_NUMELE_UNKNOWN): readers then count the entries.
    w.setU16le(4, Math.min(this.count, 65535));
    return w.result();
  }
}

/** Every entry of a listpack, after checking its header, each entry, its back-length and the terminator. */
function readListpack(b: Uint8Array): LpValue[] {
  const bad = (why: string): never => {
    throw new RdbError(`Listpack integrity check failed: ${why}`);
  };
  if (b.length < LP_HDR_SIZE + 1) bad('too short');
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (dv.getUint32(0, true) !== b.length) bad('total bytes do not match');
  const declared = dv.getUint16(4, true);
  if (b[b.length - 1] !== 0xff) bad('no terminator');
  const out: LpValue[] = [];
  let p = LP_HDR_SIZE;
  const last = b.length - 1;
  while (p < last) {
    const c = b[p];
    let enc: number;
    let v: LpValue;
    const need = (n: number) => {
      if (p + n > last) bad('entry overflows');
    };
    if ((c & 0x80) === 0) {
      enc = 1;
      v = c;
    } else if ((c & 0xc0) === 0x80) {
      const len = c & 0x3f;
      enc = 1 + len;
      need(enc);
      v = fromBytes(b.subarray(p + 1, p + enc));
    } else if ((c & 0xe0) === 0xc0) {
      need(2);
      const u = ((c & 0x1f) << 8) | b[p + 1];
      enc = 2;
      v = u >= 1 << 12 ? u - (1 << 13) : u;
    } else if ((c & 0xf0) === 0xe0) {
      need(2);
      const len = ((c & 0x0f) << 8) | b[p + 1];
      enc = 2 + len;
      need(enc);
      v = fromBytes(b.subarray(p + 2, p + enc));
    } else if (c === 0xf1) {
      need(3);
      enc = 3;
      v = dv.getInt16(p + 1, true);
    } else if (c === 0xf2) {
      need(4);
      enc = 4;
      const u = b[p + 1] | (b[p + 2] << 8) | (b[p + 3] << 16);
      v = u >= 1 << 23 ? u - (1 << 24) : u;
    } else if (c === 0xf3) {
      need(5);
      enc = 5;
      v = dv.getInt32(p + 1, true);
    } else if (c === 0xf4) {
      need(9);
      enc = 9;
      v = norm(dv.getBigInt64(p + 1, true));
    } else if (c === 0xf0) {
      need(5);
      const len = dv.getUint32(p + 1, true);
      enc = 5 + len;
      need(enc);
      v = fromBytes(b.subarray(p + 5, p + enc));
    } else {
      return bad(`bad entry encoding 0x${c.toString(16)}`);
    }
    const bl = lpBacklenSize(enc);
    need(enc + bl);
    // The back-length is read from its last byte backwards, 7 bits a byte, the high bit set on all but the first.
    let back = 0;
    let shift = 0;
    for (let q = p + enc + bl - 1; ; q--) {
      back += (b[q] & 127) * 2 ** shift;
      if ((b[q] & 128) === 0) {
        if (q !== p + enc) bad('bad back-length');
        break;
      }
      shift += 7;
      if (q === p + enc) bad('bad back-length');
    }
    if (back !== enc) bad('back-length does not match');
    out.push(v);
    p += enc + bl;
  }
  if (declared !== 65535 && declared !== out.length) bad('element count does not match');
  return out;
}

// ---- ziplist, zipmap, intset (read only: what older Redis versions wrote) -----------------------------------

/** Every entry of a ziplist (Redis < 7), checked as ziplistValidateIntegrity does. */
function readZiplist(b: Uint8Array): LpValue[] {
  const bad = (why: string): never => {
    throw new RdbError(`Ziplist integrity check failed: ${why}`);
  };
  if (b.length < 11) bad('too short');
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (dv.getUint32(0, true) !== b.length) bad('total bytes do not match');
  const tail = dv.getUint32(4, true);
  const declared = dv.getUint16(8, true);
  if (b[b.length - 1] !== 0xff) bad('no terminator');
  const out: LpValue[] = [];
  const last = b.length - 1;
  let p = 10;
  let prevRaw = 0;
  let lastStart = -1;
  while (p < last) {
    const start = p;
    const need = (n: number) => {
      if (p + n > last) bad('entry overflows');
    };
    need(1);
    let prevlen = b[p];
    if (prevlen === 254) {
      need(5);
      prevlen = dv.getUint32(p + 1, true);
      p += 5;
    } else {
      p += 1;
    }
    if (prevlen !== prevRaw) bad('bad previous-entry length');
    need(1);
    const c = b[p];
    let v: LpValue;
    if (c >> 6 === 0) {
      const len = c & 0x3f;
      need(1 + len);
      v = fromBytes(b.subarray(p + 1, p + 1 + len));
      p += 1 + len;
    } else if (c >> 6 === 1) {
      need(2);
      const len = ((c & 0x3f) << 8) | b[p + 1];
      need(2 + len);
      v = fromBytes(b.subarray(p + 2, p + 2 + len));
      p += 2 + len;
    } else if (c === 0x80) {
      need(5);
      const len = dv.getUint32(p + 1, false);
      need(5 + len);
      v = fromBytes(b.subarray(p + 5, p + 5 + len));
      p += 5 + len;
    } else if (c === 0xc0) {
      need(3);
      v = dv.getInt16(p + 1, true);
      p += 3;
    } else if (c === 0xd0) {
      need(5);
      v = dv.getInt32(p + 1, true);
      p += 5;
    } else if (c === 0xe0) {
      need(9);
      v = norm(dv.getBigInt64(p + 1, true));
      p += 9;
    } else if (c === 0xf0) {
      need(4);
      const u = b[p + 1] | (b[p + 2] << 8) | (b[p + 3] << 16);
      v = u >= 1 << 23 ? u - (1 << 24) : u;
      p += 4;
    } else if (c === 0xfe) {
      need(2);
      v = (b[p + 1] << 24) >> 24;
      p += 2;
    } else if (c >= 0xf1 && c <= 0xfd) {
      v = (c & 0x0f) - 1;
      p += 1;
    } else {
      return bad(`bad entry encoding 0x${c.toString(16)}`);
    }
    prevRaw = p - start;
    lastStart = start;
    out.push(v);
  }
  if ((out.length === 0 ? 10 : lastStart) !== tail) bad('bad tail offset');
  if (declared !== 65535 && declared !== out.length) bad('element count does not match');
  return out;
}

/** The field/value pairs of a zipmap (Redis < 2.6 hashes), flat, checked as zipmapValidateIntegrity does. */
function readZipmap(b: Uint8Array): string[] {
  const bad = (why: string): never => {
    throw new RdbError(`Zipmap integrity check failed: ${why}`);
  };
  if (b.length < 2) bad('too short');
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: string[] = [];
  let p = 1;
  const readLen = (): number => {
    if (p >= b.length) bad('overflow');
    const c = b[p];
    if (c < 254) {
      p += 1;
      return c;
    }
    if (c === 254) {
      if (p + 5 > b.length) bad('overflow');
      const v = dv.getUint32(p + 1, true);
      p += 5;
      return v;
    }
    p += 1;
    return -1; // 255: the end
  };
  for (;;) {
    const klen = readLen();
    if (klen < 0) break;
    if (p + klen > b.length) bad('overflow');
    const k = fromBytes(b.subarray(p, p + klen));
    p += klen;
    const vlen = readLen();
    if (vlen < 0) bad('value missing');
    if (p >= b.length) bad('overflow');
    const free = b[p++];
    if (p + vlen + free > b.length) bad('overflow');
    out.push(k, fromBytes(b.subarray(p, p + vlen)));
    p += vlen + free;
  }
  if (p !== b.length) bad('trailing bytes');
  const count = out.length / 2;
  if (count === 0) bad('empty');
  if (b[0] !== 254 && b[0] !== count) bad('count does not match');
  return out;
}

/** The members of an intset blob, ascending (checked: width, size, strictly increasing). */
function readIntset(b: Uint8Array): Int64[] {
  const bad = (why: string): never => {
    throw new RdbError(`Intset integrity check failed: ${why}`);
  };
  if (b.length < 8) bad('too short');
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const width = dv.getUint32(0, true);
  if (width !== 2 && width !== 4 && width !== 8) bad('bad encoding');
  const count = dv.getUint32(4, true);
  if (8 + count * width !== b.length) bad('size does not match');
  if (count === 0) bad('empty');
  const out: Int64[] = [];
  for (let i = 0; i < count; i++) {
    const at = 8 + i * width;
    const v: Int64 =
      width === 2 ? dv.getInt16(at, true) : width === 4 ? dv.getInt32(at, true) : norm(dv.getBigInt64(at, true));
    if (i > 0 && !(v > out[i - 1])) bad('members out of order');
    out.push(v);
  }
  return out;
}

/** An intset blob in the narrowest width that holds every value (values ascending). */
function buildIntset(values: readonly Int64[]): Uint8Array {
  let width = 2;
  for (const v of values) {
    if (typeof v === 'bigint' || v < -2147483648 || v > 2147483647) {
      width = 8;
      break;
    }
    if (v < -32768 || v > 32767) width = 4;
  }
  const w = new ByteWriter(8 + values.length * width);
  w.u32le(width);
  w.u32le(values.length);
  for (const v of values) {
    if (width === 2) w.u16le(Number(v) & 0xffff);
    else if (width === 4) w.u32le(Number(v));
    else w.i64le(BigInt(v));
  }
  return w.result();
}

// ---- writing objects --------------------------------------------------------------------------------------

/** rdbSaveObjectType for a tabhive entry. */
export function rdbTypeOf(e: Entry): RdbType {
  switch (e.type) {
    case ObjType.String:
      return RdbType.String;
    case ObjType.List:
      return RdbType.ListQuicklist2;
    case ObjType.Set:
      return (e.value as SetValue).ints !== null ? RdbType.SetIntset : RdbType.Set;
    case ObjType.ZSet:
      return (e.value as ZSetValue).encoding === 'listpack' ? RdbType.ZSetListpack : RdbType.ZSet2;
    case ObjType.Hash:
      return (e.value as HashValue).listpack ? RdbType.HashListpack : RdbType.Hash;
    default:
      throw new RdbError(`cannot serialize values of type ${e.type}`);
  }
}

/** A d2string score for a listpack: an integer entry when exact within ±2^62 (double2ll), text otherwise. */
function appendScore(lp: ListpackBuilder, score: number): void {
  if (Number.isInteger(score) && score >= -(2 ** 62) && score <= 2 ** 62) {
    lp.appendInt(Number.isSafeInteger(score) ? score : BigInt(score));
  } else {
    lp.appendString(formatDouble17(score));
  }
}

/** rdbSaveObject: the value of `e` as Redis 7.0 writes it for its encoding. */
export function writeObject(w: ByteWriter, e: Entry, s: RdbSettings): void {
  switch (e.type) {
    case ObjType.String:
      saveRawString(w, e.value as string, s.compress);
      return;
    case ObjType.List:
      writeQuicklist(w, (e.value as ListValue).items.toArray(), s);
      return;
    case ObjType.Set: {
      const set = e.value as SetValue;
      if (set.ints !== null) {
        saveRawString(w, buildIntset(set.ints.values()), s.compress);
        return;
      }
      saveLen(w, set.size);
      set.forEach((m) => void saveRawString(w, m, s.compress));
      return;
    }
    case ObjType.ZSet: {
      const z = e.value as ZSetValue;
      if (z.encoding === 'listpack') {
        const lp = new ListpackBuilder();
        z.forEach((ele, score) => {
          lp.append(ele);
          appendScore(lp, score);
        });
        saveRawString(w, lp.finish(), s.compress);
        return;
      }
      // From the highest score down, as Redis walks its skiplist from the tail (cheap inserts on load).
      saveLen(w, z.size);
      z.forEach((ele, score) => {
        saveRawString(w, ele, s.compress);
        w.f64le(score);
      }, true);
      return;
    }
    case ObjType.Hash: {
      const h = e.value as HashValue;
      if (h.listpack) {
        const lp = new ListpackBuilder();
        for (const slot of h.slots()) {
          lp.append(slot.key);
          lp.append(slot.value);
        }
        saveRawString(w, lp.finish(), s.compress);
        return;
      }
      saveLen(w, h.size);
      for (const slot of h.slots()) {
        saveRawString(w, slot.key, s.compress);
        saveRawString(w, slot.value, s.compress);
      }
      return;
    }
    default:
      throw new RdbError(`cannot serialize values of type ${e.type}`);
  }
}

/** Redis's quicklist size classes for a negative list-max-listpack-size (-1 → 4 KiB … -5 → 64 KiB). */
const OPTIMIZATION_LEVEL = [4096, 8192, 16384, 32768, 65536];
const SIZE_SAFETY_LIMIT = 8192;
const SIZE_ESTIMATE_OVERHEAD = 8;
/** Elements from this size on get a node of their own (a PLAIN node). */
const PACKED_THRESHOLD = 1 << 30;
const MIN_COMPRESS_BYTES = 48;
const MIN_COMPRESS_IMPROVE = 8;
const QUICKLIST_NODE_PLAIN = 1;
const QUICKLIST_NODE_PACKED = 2;

/** _quicklistNodeAllowInsert for a packed node of `nodeSz` bytes and `count` elements. */
function nodeAllowsInsert(nodeSz: number, count: number, fill: number, sz: number): boolean {
  if (sz >= PACKED_THRESHOLD) return false;
  const newSz = nodeSz + sz + SIZE_ESTIMATE_OVERHEAD;
  if (fill < 0) {
    const level = OPTIMIZATION_LEVEL[-fill - 1];
    if (level !== undefined && newSz <= level) return true;
  }
  if (newSz > SIZE_SAFETY_LIMIT) return false;
  return count < fill;
}

/**
 * A list as QUICKLIST_2: the nodes quicklistPushTail makes when the elements are pushed in order, each a
 * listpack (or a PLAIN node for a huge element); with list-compress-depth d, the nodes beyond d from either
 * end are written as the LZF blobs Redis keeps them as.
 */
function writeQuicklist(w: ByteWriter, items: readonly string[], s: RdbSettings): void {
  const nodes: { from: number; to: number; plain: boolean }[] = [];
  let cur: { from: number; to: number; plain: boolean } | null = null;
  let curSz = 0;
  for (let i = 0; i < items.length; i++) {
    const sz = items[i].length;
    if (sz >= PACKED_THRESHOLD) {
      nodes.push({ from: i, to: i + 1, plain: true });
      cur = null;
      continue;
    }
    if (cur !== null && nodeAllowsInsert(curSz, cur.to - cur.from, s.listFill, sz)) {
      cur.to++;
      curSz += lpEntrySize(items[i]);
    } else {
      cur = { from: i, to: i + 1, plain: false };
      nodes.push(cur);
      curSz = LP_HDR_SIZE + 1 + lpEntrySize(items[i]);
    }
  }
  saveLen(w, nodes.length);
  const depth = s.listCompressDepth;
  nodes.forEach((node, i) => {
    if (node.plain) {
      saveLen(w, QUICKLIST_NODE_PLAIN);
      saveRawString(w, items[node.from], s.compress);
      return;
    }
    saveLen(w, QUICKLIST_NODE_PACKED);
    const lp = new ListpackBuilder();
    for (let j = node.from; j < node.to; j++) lp.append(items[j]);
    const bytes = lp.finish();
    const interior = depth > 0 && nodes.length >= depth * 2 && i >= depth && i < nodes.length - depth;
    if (interior && bytes.length >= MIN_COMPRESS_BYTES) {
      const c = lzfCompress(bytes, bytes.length);
      if (c !== null && c.length + MIN_COMPRESS_IMPROVE < bytes.length) {
        saveLzfBlob(w, c, bytes.length);
        return;
      }
    }
    saveRawString(w, bytes, s.compress);
  });
}

// ---- reading objects --------------------------------------------------------------------------------------

/** A value read from a payload or file: its type and the family's value object. */
export interface LoadedValue {
  type: ObjType;
  value: unknown;
}

/** rdbLoadObject's "empty key" outcome: a collection with no elements (files skip it, RESTORE refuses it). */
export const EMPTY_KEY: unique symbol = Symbol('empty key');

/** rdbLoadDoubleValue: a length-prefixed text double (253 NaN, 254 +inf, 255 -inf), as in old ZSETs. */
function readTextDouble(r: ByteReader): number {
  const len = r.u8();
  if (len === 255) return -Infinity;
  if (len === 254) return Infinity;
  if (len === 253) return NaN;
  return scoreFromText(fromBytes(r.take(len)));
}

/** strtod as Redis applies it to stored scores: lenient about what follows the number. */
function scoreFromText(s: string): number {
  const v = parseDouble(s);
  if (v !== null) return v;
  const f = parseFloat(s);
  if (Number.isNaN(f)) throw new RdbError(`bad score ${JSON.stringify(s)}`);
  return f;
}

/** Build a sorted set from unordered (member, score) pairs: sort, refuse NaN and duplicates. */
function buildZSet(eles: string[], scores: number[], encoding: 'listpack' | 'skiplist'): ZSetValue {
  const n = eles.length;
  const order = Array.from({ length: n }, (_, i) => i);
  for (const s of scores) if (Number.isNaN(s)) throw new RdbError('Zset with NAN score detected');
  order.sort((a, b) => scores[a] - scores[b] || (eles[a] < eles[b] ? -1 : eles[a] > eles[b] ? 1 : 0));
  const e2: string[] = new Array(n);
  const s2: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    e2[i] = eles[order[i]];
    s2[i] = scores[order[i]];
  }
  if (new Set(e2).size !== n) throw new RdbError('Duplicate zset fields detected');
  return ZSetValue.fromSorted(encoding, e2, s2);
}

/** A hash from flat field/value pairs, refusing duplicate fields. */
function buildHash(flat: string[], listpack: boolean): HashValue {
  const fields = new Set<string>();
  for (let i = 0; i < flat.length; i += 2) {
    if (fields.has(flat[i])) throw new RdbError('Duplicate hash fields detected');
    fields.add(flat[i]);
  }
  return HashValue.revive([listpack ? 0 : 1, ...flat]);
}

/** A set from members, intset-encoded or not, refusing duplicates. */
function buildSet(members: string[], intset: boolean): SetValue {
  if (!intset) {
    if (new Set(members).size !== members.length) throw new RdbError('Duplicate set members detected');
    return SetValue.revive([1, ...members]);
  }
  const ints = members.map((m) => parseI64(m)!);
  ints.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (let i = 1; i < ints.length; i++) {
    if (ints[i] === ints[i - 1]) throw new RdbError('Duplicate set members detected');
  }
  return SetValue.revive([0, ...ints.map(i64ToString)]);
}

/**
 * rdbLoadObject: read a value of RDB type `t` and give it the encoding Redis 7.0 gives it under `s`.
 * EMPTY_KEY for a collection without elements.
 */
export function readObject(r: ByteReader, t: number, s: RdbSettings): LoadedValue | typeof EMPTY_KEY {
  switch (t) {
    case RdbType.String:
      return { type: ObjType.String, value: r.str() };

    case RdbType.List: {
      const n = r.len();
      if (n === 0) return EMPTY_KEY;
      const items: string[] = [];
      for (let i = 0; i < n; i++) items.push(r.str());
      return { type: ObjType.List, value: ListValue.revive(items) };
    }

    case RdbType.Set: {
      const n = r.len();
      if (n === 0) return EMPTY_KEY;
      const members: string[] = [];
      let intset = n <= Math.min(s.intsetMaxEntries, 1 << 30);
      for (let i = 0; i < n; i++) {
        const m = r.str();
        if (intset && parseI64(m) === null) intset = false;
        members.push(m);
      }
      return { type: ObjType.Set, value: buildSet(members, intset) };
    }

    case RdbType.ZSet:
    case RdbType.ZSet2: {
      const n = r.len();
      if (n === 0) return EMPTY_KEY;
      const eles: string[] = [];
      const scores: number[] = [];
      let maxLen = 0;
      let total = 0;
      for (let i = 0; i < n; i++) {
        const ele = r.str();
        const score = t === RdbType.ZSet2 ? r.f64le() : readTextDouble(r);
        if (Number.isNaN(score)) throw new RdbError('Zset with NAN score detected');
        eles.push(ele);
        scores.push(score);
        if (ele.length > maxLen) maxLen = ele.length;
        total += ele.length;
      }
      // Converted after loading, as Redis does; a listpack holds -0 as the integer 0.
      const listpack = n <= s.zsetMaxEntries && maxLen <= s.zsetMaxValue && total <= 1 << 30;
      if (listpack) for (let i = 0; i < n; i++) if (scores[i] === 0) scores[i] = 0;
      return { type: ObjType.ZSet, value: buildZSet(eles, scores, listpack ? 'listpack' : 'skiplist') };
    }

    case RdbType.Hash: {
      const n = r.len();
      if (n === 0) return EMPTY_KEY;
      let listpack = n <= s.hashMaxEntries;
      const flat: string[] = [];
      let bytes = 0;
      for (let i = 0; i < n; i++) {
        const f = r.str();
        const v = r.str();
        bytes += f.length + v.length;
        if (listpack && (f.length > s.hashMaxValue || v.length > s.hashMaxValue || bytes > 1 << 30)) listpack = false;
        flat.push(f, v);
      }
      return { type: ObjType.Hash, value: buildHash(flat, listpack) };
    }

    case RdbType.ListQuicklist:
    case RdbType.ListQuicklist2: {
      const n = r.len();
      if (n === 0) return EMPTY_KEY;
      const items: string[] = [];
      for (let i = 0; i < n; i++) {
        let container = QUICKLIST_NODE_PACKED;
        if (t === RdbType.ListQuicklist2) {
          container = r.len();
          if (container !== QUICKLIST_NODE_PACKED && container !== QUICKLIST_NODE_PLAIN) {
            throw new RdbError('Quicklist integrity check failed.');
          }
        }
        const data = r.blob();
        if (data.length === 0) throw new RdbError('empty quicklist node');
        if (container === QUICKLIST_NODE_PLAIN) {
          items.push(fromBytes(data));
          continue;
        }
        const entries = t === RdbType.ListQuicklist2 ? readListpack(data) : readZiplist(data);
        // Empty nodes are skipped, as Redis does; an all-empty list is an empty key.
        for (const v of entries) items.push(lpValueString(v));
      }
      if (items.length === 0) return EMPTY_KEY;
      return { type: ObjType.List, value: ListValue.revive(items) };
    }

    case RdbType.HashZipmap: {
      const flat = readZipmap(r.blob());
      let maxLen = 0;
      for (const x of flat) if (x.length > maxLen) maxLen = x.length;
      const listpack = flat.length / 2 <= s.hashMaxEntries && maxLen <= s.hashMaxValue;
      return { type: ObjType.Hash, value: buildHash(flat, listpack) };
    }

    case RdbType.ListZiplist: {
      const items = readZiplist(r.blob()).map(lpValueString);
      if (items.length === 0) return EMPTY_KEY;
      return { type: ObjType.List, value: ListValue.revive(items) };
    }

    case RdbType.SetIntset: {
      const ints = readIntset(r.blob());
      const members = ints.map(i64ToString);
      const set =
        ints.length > s.intsetMaxEntries ? SetValue.revive([1, ...members]) : SetValue.revive([0, ...members]);
      return { type: ObjType.Set, value: set };
    }

    case RdbType.ZSetZiplist:
    case RdbType.ZSetListpack: {
      const entries = t === RdbType.ZSetListpack ? readListpack(r.blob()) : readZiplist(r.blob());
      if (entries.length % 2 !== 0) throw new RdbError('Zset listpack integrity check failed.');
      if (entries.length === 0) return EMPTY_KEY;
      const eles: string[] = [];
      const scores: number[] = [];
      for (let i = 0; i < entries.length; i += 2) {
        eles.push(lpValueString(entries[i]));
        const sc = entries[i + 1];
        scores.push(typeof sc === 'string' ? scoreFromText(sc) : Number(sc));
      }
      const listpack = eles.length <= s.zsetMaxEntries;
      return { type: ObjType.ZSet, value: buildZSet(eles, scores, listpack ? 'listpack' : 'skiplist') };
    }

    case RdbType.HashZiplist:
    case RdbType.HashListpack: {
      const entries = t === RdbType.HashListpack ? readListpack(r.blob()) : readZiplist(r.blob());
      if (entries.length % 2 !== 0) throw new RdbError('Hash listpack integrity check failed.');
      if (entries.length === 0) return EMPTY_KEY;
      const flat = entries.map(lpValueString);
      return { type: ObjType.Hash, value: buildHash(flat, flat.length / 2 <= s.hashMaxEntries) };
    }

    case RdbType.StreamListpacks:
    case RdbType.StreamListpacks2:
      throw new RdbError('stream values are not supported by tabhive');
    case RdbType.Module:
    case RdbType.Module2:
      throw new RdbError('module values are not supported by tabhive');
    default:
      throw new RdbError(`Unknown RDB encoding type ${t}`);
  }
}

// ---- DUMP / RESTORE payloads ------------------------------------------------------------------------------

/** DUMP's payload for an entry: type, object, RDB version, CRC-64 (createDumpPayload). */
export function createDumpPayload(e: Entry, s: RdbSettings): Uint8Array {
  const w = new ByteWriter();
  w.byte(rdbTypeOf(e));
  writeObject(w, e, s);
  w.u16le(RDB_VERSION);
  w.bytes(new Crc64().update(w.view()).bytesLE());
  return w.result();
}

/** verifyDumpPayload: at least the footer, an RDB version this Redis reads, and a matching CRC-64. */
export function verifyDumpPayload(p: Uint8Array): boolean {
  if (p.length < 10) return false;
  const footer = p.length - 10;
  const version = p[footer] | (p[footer + 1] << 8);
  if (version > RDB_VERSION) return false;
  const crc = new Crc64().update(p, 0, p.length - 8).bytesLE();
  for (let i = 0; i < 8; i++) if (crc[i] !== p[p.length - 8 + i]) return false;
  return true;
}

/** The value in a verified DUMP payload; RdbError when it is malformed, unsupported or an empty collection. */
export function loadDumpPayload(p: Uint8Array, s: RdbSettings): LoadedValue {
  // Redis reads the object from the whole buffer: an object running into the footer is read from it.
  const r = new ByteReader(p);
  const t = r.u8();
  if (!isObjectType(t)) throw new RdbError(`bad object type ${t}`);
  const v = readObject(r, t, s);
  if (v === EMPTY_KEY) throw new RdbError('empty key');
  return v;
}

// ---- whole RDB files --------------------------------------------------------------------------------------

/**
 * Redis's LRU clock arithmetic for an idle time given in seconds (RESTORE IDLETIME, the RDB IDLE opcode):
 * the seconds OBJECT IDLETIME then reports. The clock is 24 bits of seconds and the computation C's, so an
 * idle time beyond the clock's range wraps as it does in Redis.
 */
export function lruIdleSeconds(now: number, idle: bigint | number): number {
  const LRU_CLOCK_MAX = (1n << 24n) - 1n;
  const clock = BigInt(Math.floor(now / 1000)) & LRU_CLOCK_MAX;
  // lru_idle * 1000 / LRU_CLOCK_RESOLUTION in 64-bit arithmetic.
  const scaled = BigInt.asIntN(64, BigInt(idle) * 1000n) / 1000n;
  let abs = BigInt.asIntN(64, clock - scaled);
  if (abs < 0n) abs += LRU_CLOCK_MAX;
  const lru = BigInt.asUintN(24, abs); // the object's 24-bit lru field
  return Number(clock >= lru ? clock - lru : clock + (LRU_CLOCK_MAX - lru));
}

/** The access time (ms) that makes OBJECT IDLETIME report what Redis would after an idle time of `idle` s. */
export function atimeForIdle(now: number, idle: bigint | number): number {
  return (Math.floor(now / 1000) - lruIdleSeconds(now, idle)) * 1000;
}

export interface ExportOptions {
  /** ctime and the expiry cut-off (default: engine.now()). */
  now?: number;
}

/**
 * The whole dataset as an RDB file redis-server 7.0 loads: what SAVE writes. Keys already logically expired
 * are left out (Redis would write them and drop them on load).
 */
export function exportRdb(engine: Engine, opts: ExportOptions = {}): Uint8Array {
  const s = rdbSettings(engine);
  const now = opts.now ?? engine.now();
  const w = new ByteWriter(1 << 16);
  w.binary(`REDIS${String(RDB_VERSION).padStart(4, '0')}`);
  const aux = (k: string, v: string) => {
    w.byte(Op.Aux);
    saveRawString(w, k, s.compress);
    saveRawString(w, v, s.compress);
  };
  aux('redis-ver', REDIS_VERSION);
  aux('redis-bits', '64');
  aux('ctime', String(Math.floor(now / 1000)));
  aux('used-mem', String(engine.memory.usedMemory()));
  aux('aof-base', '0');
  for (const db of engine.dbs) {
    const live: Entry[] = [];
    let withTtl = 0;
    for (const e of db.dict.values()) {
      if (e.expireAt !== 0 && e.expireAt <= now) continue;
      live.push(e);
      if (e.expireAt !== 0) withTtl++;
    }
    if (live.length === 0) continue;
    w.byte(Op.SelectDb);
    saveLen(w, db.id);
    w.byte(Op.ResizeDb);
    saveLen(w, live.length);
    saveLen(w, withTtl);
    for (const e of live) {
      if (e.expireAt !== 0) {
        w.byte(Op.ExpireTimeMs);
        w.i64le(BigInt(Math.trunc(e.expireAt)));
      }
      if (s.policy === 'lru') {
        w.byte(Op.Idle);
        saveLen(w, Math.max(0, Math.floor(now / 1000) - Math.floor(e.atime / 1000)));
      } else if (s.policy === 'lfu') {
        w.byte(Op.Freq);
        w.byte(lfuDecrAndReturn(e.freq, e.atime, now, s.lfuDecayTime));
      }
      w.byte(rdbTypeOf(e));
      saveRawString(w, e.key, s.compress);
      writeObject(w, e, s);
    }
  }
  w.byte(Op.Eof);
  w.bytes(new Crc64().update(w.view()).bytesLE());
  return w.result();
}

export interface ImportOptions {
  /** The expiry cut-off (default: engine.now()). */
  now?: number;
}

export interface ImportResult {
  /** The file's RDB version. */
  version: number;
  /** Keys now in the keyspace. */
  loaded: number;
  /** Keys whose expiry had passed: not loaded, as Redis does. */
  expired: number;
  /** Empty collections (a bug of old Redis versions could write them): skipped, as Redis does. */
  emptySkipped: number;
  /** The AUX fields (redis-ver, ctime, used-mem …), as binary strings. */
  aux: Map<string, string>;
  /** What was skipped and why (function libraries, module AUX data). */
  warnings: string[];
}

interface Staged {
  db: number;
  key: string;
  value: LoadedValue;
  expireAt: number;
  idle: number;
  freq: number;
}

/**
 * Replace the whole dataset with an RDB file's (what redis-server does at start, or DEBUG RELOAD): the file is
 * read and checked whole first, so a bad file changes nothing and throws an RdbError saying what is wrong.
 * Accepts RDB versions 1 to 10 — whatever redis-server 7.0 writes, including its AUX fields; function
 * libraries and module AUX data are skipped with a warning (tabhive has neither).
 */
export function importRdb(engine: Engine, bytes: Uint8Array, opts: ImportOptions = {}): ImportResult {
  const s = rdbSettings(engine);
  const now = opts.now ?? engine.now();
  const r = new ByteReader(bytes);
  const magic = fromBytes(r.take(9));
  if (!magic.startsWith('REDIS')) throw new RdbError('Wrong signature trying to load DB from file');
  const version = /^\d{4}$/.test(magic.slice(5)) ? Number(magic.slice(5)) : NaN;
  if (!(version >= 1 && version <= RDB_VERSION)) {
    throw new RdbError(`Can't handle RDB format version ${magic.slice(5)}`);
  }
  const res: ImportResult = { version, loaded: 0, expired: 0, emptySkipped: 0, aux: new Map(), warnings: [] };
  const staged: Staged[] = [];
  const seen = engine.dbs.map(() => new Set<string>());
  let dbid = 0;
  let expireAt = -1;
  let idle = -1;
  let freq = -1;
  for (;;) {
    const at = r.pos;
    const t = r.u8();
    if (t === Op.ExpireTime) {
      expireAt = r.i32le() * 1000;
      continue;
    }
    if (t === Op.ExpireTimeMs) {
      expireAt = Number(r.i64le());
      continue;
    }
    if (t === Op.Freq) {
      freq = r.u8();
      continue;
    }
    if (t === Op.Idle) {
      idle = r.len();
      continue;
    }
    if (t === Op.Eof) break;
    if (t === Op.SelectDb) {
      dbid = r.len();
      if (dbid >= engine.dbs.length) {
        throw new RdbError(
          `Data file was created with a Redis server configured to handle more than ${engine.dbs.length} databases`,
        );
      }
      continue;
    }
    if (t === Op.ResizeDb) {
      r.len();
      r.len();
      continue;
    }
    if (t === Op.Aux) {
      const k = r.str();
      const v = r.str();
      res.aux.set(k, v);
      continue;
    }
    if (t === Op.ModuleAux) {
      const id = r.len();
      if (r.len() !== 2) throw new RdbError('bad when_opcode in module AUX data');
      r.len();
      skipModuleValue(r);
      res.warnings.push(`module AUX data (module id ${id}) skipped: tabhive has no modules`);
      continue;
    }
    if (t === Op.Function || t === Op.Function2) {
      if (t === Op.Function) {
        r.blob();
        r.blob();
        if (r.len() !== 0) r.blob();
      }
      r.blob();
      res.warnings.push('a function library skipped: tabhive has no functions');
      continue;
    }
    if (!isObjectType(t)) throw new RdbError(`Unknown RDB opcode or type ${t} at offset ${at}`);
    const key = r.str();
    let value: LoadedValue | typeof EMPTY_KEY;
    try {
      value = readObject(r, t, s);
    } catch (err) {
      if (!(err instanceof RdbError)) throw err;
      throw new RdbError(`db ${dbid} key ${JSON.stringify(key)}: ${err.message}`);
    }
    if (value === EMPTY_KEY) {
      res.emptySkipped++;
    } else if (expireAt !== -1 && expireAt < now) {
      res.expired++;
    } else {
      if (seen[dbid].has(key)) throw new RdbError(`RDB has duplicated key ${JSON.stringify(key)} in DB ${dbid}`);
      seen[dbid].add(key);
      staged.push({ db: dbid, key, value, expireAt: expireAt === -1 ? 0 : expireAt, idle, freq });
    }
    expireAt = -1;
    idle = -1;
    freq = -1;
  }
  if (version >= 5) {
    const expected = crc64(bytes, 0, r.pos);
    const stored = r.i64le();
    if (stored !== 0n && BigInt.asUintN(64, stored) !== expected) {
      throw new RdbError(
        `Wrong RDB checksum expected: (${expected.toString(16)}) but got (${BigInt.asUintN(64, stored).toString(16)})`,
      );
    }
  }

  engine.signalFlushedDb(null);
  for (const db of engine.dbs) db.clear();
  const lfu = s.policy === 'lfu';
  for (const st of staged) {
    const db = engine.dbs[st.db];
    const e = db.add(st.key, st.value.type, st.value.value, now, true);
    if (st.expireAt !== 0) db.setExpire(e, st.expireAt);
    if (lfu) {
      if (st.freq >= 0) e.freq = st.freq;
    } else if (st.idle >= 0) {
      e.atime = atimeForIdle(now, st.idle);
    }
  }
  res.loaded = staged.length;
  return res;
}

/** Skip a module value or module AUX body written with the generic opcodes (rdbLoadCheckModuleValue). */
function skipModuleValue(r: ByteReader): void {
  for (;;) {
    const op = r.len();
    if (op === 0) return;
    if (op === 1 || op === 2) r.len();
    else if (op === 3) r.take(4);
    else if (op === 4) r.take(8);
    else if (op === 5) r.blob();
    else throw new RdbError(`Unknown module opcode ${op}`);
  }
}
