/**
 * Record integrity: every stored record carries a CRC-32 of its content, computed when it is written and
 * checked when it is loaded, so a record damaged on disk (a flipped byte, a truncated value, a field lost)
 * is never loaded as data.
 *
 * The CRC is taken over a canonical byte stream of the record, not over IndexedDB's own encoding (which the
 * page cannot see): db, type, expiry, key, then the value walked depth-first — a string as its length and
 * bytes, a number as its IEEE-754 double, an array as its length and elements, each behind a tag byte, so
 * that `['ab']` and `['a', 'b']` differ. Values are what keyspace.ts serializeValue produces: binary strings,
 * numbers and arrays of them. A char above 0xff cannot come from the engine; it is hashed with its high byte
 * so that a record where one appeared still fails its check.
 */
import type { ObjType } from '../engine/keyspace.js';

/** What a checksum covers: every field of a stored record but the checksum itself. */
export interface RecordContent {
  db: number;
  key: string;
  type: ObjType;
  value: unknown;
  expireAt: number;
}

const TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);

const TAG_STRING = 0x73;
const TAG_NUMBER = 0x6e;
const TAG_ARRAY = 0x61;

function byte(crc: number, b: number): number {
  return TABLE[(crc ^ b) & 0xff] ^ (crc >>> 8);
}

function u32(crc: number, n: number): number {
  crc = byte(crc, n & 0xff);
  crc = byte(crc, (n >>> 8) & 0xff);
  crc = byte(crc, (n >>> 16) & 0xff);
  return byte(crc, n >>> 24);
}

function num(crc: number, n: number): number {
  f64[0] = n;
  for (let i = 0; i < 8; i++) crc = byte(crc, f64Bytes[i]);
  return crc;
}

function str(crc: number, s: string): number {
  crc = u32(byte(crc, TAG_STRING), s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) crc = byte(crc, c >>> 8);
    crc = TABLE[(crc ^ c) & 0xff] ^ (crc >>> 8);
  }
  return crc;
}

function value(crc: number, v: unknown): number {
  switch (typeof v) {
    case 'string':
      return str(crc, v);
    case 'number':
      return num(byte(crc, TAG_NUMBER), v);
  }
  if (Array.isArray(v)) {
    crc = u32(byte(crc, TAG_ARRAY), v.length);
    for (let i = 0; i < v.length; i++) crc = value(crc, v[i]);
    return crc;
  }
  // Not something serializeValue makes: on write a bug to report, on load a damaged record.
  throw new TypeError(`a stored value holds ${v === null ? 'null' : typeof v}`);
}

/**
 * CRC-32 (IEEE) of a record's content, as an unsigned 32-bit number. Throws TypeError when the value holds
 * anything but strings, numbers and arrays.
 */
export function recordChecksum(r: RecordContent): number {
  let crc = -1;
  crc = u32(crc, r.db);
  crc = byte(crc, r.type);
  crc = num(crc, r.expireAt);
  crc = str(crc, r.key);
  crc = value(crc, r.value);
  return (crc ^ -1) >>> 0;
}

/**
 * Why a record read back from IndexedDB must not be loaded, or null when it is sound: every field present
 * with its type, and the checksum matching the content.
 */
export function recordProblem(r: unknown, dbCount: number): string | null {
  if (typeof r !== 'object' || r === null) return 'not a record';
  const o = r as Record<string, unknown>;
  if (typeof o.db !== 'number' || !Number.isInteger(o.db) || o.db < 0 || o.db >= dbCount) return 'bad db index';
  if (typeof o.key !== 'string') return 'bad key';
  if (typeof o.type !== 'number' || !Number.isInteger(o.type) || o.type < 0 || o.type > 0xff) return 'bad type';
  if (typeof o.expireAt !== 'number' || !Number.isFinite(o.expireAt) || o.expireAt < 0) return 'bad expiry';
  if (typeof o.crc !== 'number') return 'no checksum';
  let crc: number;
  try {
    crc = recordChecksum(o as unknown as RecordContent);
  } catch {
    return 'bad value';
  }
  return crc === o.crc ? null : 'checksum mismatch';
}
