/**
 * Redis's CRC-64 (crc64.c): the Jones polynomial 0xad93d23594c935a9, input and output reflected, initial
 * value 0, no final xor. It checks DUMP payloads (over everything before the checksum) and whole RDB files.
 * Check value: crc64("123456789") = 0xe9c6d914c4b8d9ca.
 *
 * The 64-bit register is kept as two 32-bit halves so the hot loop stays in small integers (a bigint per
 * byte would be ~50× slower); bigint appears only at the edges.
 */

/** The polynomial 0xad93d23594c935a9 with its bits reversed (the reflected form the table is built from). */
const REV_POLY_HI = 0x95ac9329;
const REV_POLY_LO = 0xac4bc9b5;

const TABLE_HI = new Uint32Array(256);
const TABLE_LO = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let hi = 0;
  let lo = n;
  for (let k = 0; k < 8; k++) {
    const carry = lo & 1;
    lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
    hi = hi >>> 1;
    if (carry) {
      hi = (hi ^ REV_POLY_HI) >>> 0;
      lo = (lo ^ REV_POLY_LO) >>> 0;
    }
  }
  TABLE_HI[n] = hi;
  TABLE_LO[n] = lo;
}

/** A running CRC-64: feed it bytes in pieces, read the value at the end. */
export class Crc64 {
  private hi = 0;
  private lo = 0;

  constructor(init: bigint = 0n) {
    this.hi = Number((init >> 32n) & 0xffffffffn);
    this.lo = Number(init & 0xffffffffn);
  }

  update(data: Uint8Array, start = 0, end = data.length): this {
    let hi = this.hi;
    let lo = this.lo;
    for (let i = start; i < end; i++) {
      const idx = (lo ^ data[i]) & 0xff;
      lo = (((lo >>> 8) | (hi << 24)) ^ TABLE_LO[idx]) >>> 0;
      hi = ((hi >>> 8) ^ TABLE_HI[idx]) >>> 0;
    }
    this.hi = hi;
    this.lo = lo;
    return this;
  }

  get value(): bigint {
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  /** The value as Redis stores it after a payload or a file: 8 bytes, little-endian. */
  bytesLE(): Uint8Array {
    const out = new Uint8Array(8);
    const v = new DataView(out.buffer);
    v.setUint32(0, this.lo, true);
    v.setUint32(4, this.hi, true);
    return out;
  }
}

/** CRC-64 of `data[start, end)`. */
export function crc64(data: Uint8Array, start = 0, end = data.length): bigint {
  return new Crc64().update(data, start, end).value;
}
