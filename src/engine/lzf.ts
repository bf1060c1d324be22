/**
 * LZF, the compression Redis applies to long strings in DUMP payloads and RDB files (lzf_c.c, lzf_d.c), as
 * Redis configures it: a 2^16-slot hash table, the VERY_FAST match bookkeeping, matches of 3 to 264 bytes
 * up to 8 KiB back.
 *
 * The compressor reproduces liblzf's choices byte for byte (same hash, same match search, same quirks: a
 * match is never taken at offset 0 of the input, the first 16 extra bytes of a long match are compared without
 * the length bound), so a tabhive DUMP of a long string is the bytes redis-server gives. Redis leaves its hash
 * table uninitialised, which in principle lets a stale slot offer a match this clean table would not; any
 * such output is still valid LZF, and the decompressor reads everything.
 *
 * Format: `000LLLLL` + L+1 literal bytes; `LLLooooo oooooooo` a back reference of L+2 bytes (L < 7) at
 * distance o+1; `111ooooo LLLLLLLL oooooooo` one of L+9 bytes.
 */

const HLOG = 16;
const HSIZE = 1 << HLOG;
const MAX_LIT = 1 << 5;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

/** Slot of the 3 bytes whose 24-bit value is `h` (liblzf's VERY_FAST IDX). */
const idx = (h: number): number => ((h >>> 8) - h * 5) & (HSIZE - 1);

/**
 * The hash table, reused across calls without clearing: a slot holds `base + position`, and only values from
 * the current call (at least its `base`) count, so a call costs nothing for the 2^16 slots it never touches.
 */
const table = new Int32Array(HSIZE);
let base = 1;

/**
 * Compress `input` into at most `outLen` bytes, as lzf_compress; null when it does not fit (what liblzf reports
 * by returning 0). Redis asks for `len - 4` bytes (at least 4 saved) for strings, `len` for quicklist nodes.
 */
export function lzfCompress(input: Uint8Array, outLen: number): Uint8Array | null {
  const inLen = input.length;
  if (inLen === 0 || outLen <= 0) return null;
  const htab = table;
  if (base + inLen + 1 >= 0x7fffffff) {
    htab.fill(0);
    base = 1;
  }
  const b0 = base;
  base += inLen + 1;
  // A few bytes of slack: the final literal run may write its header one past the last byte before the
  // result is trimmed (liblzf's bounds checks make sure it never matters).
  const out = new Uint8Array(outLen + 8);
  let ip = 0;
  let op = 1; // start a literal run: its header byte is out[op - lit - 1]
  let lit = 0;
  let hval = inLen >= 2 ? (input[0] << 8) | input[1] : 0;

  while (ip < inLen - 2) {
    hval = ((hval << 8) | input[ip + 2]) & 0xffffff;
    const slot = idx(hval);
    const ref = htab[slot] - b0; // negative: not set during this call
    htab[slot] = b0 + ip;
    let off: number;
    if (
      ref > 0 &&
      (off = ip - ref - 1) < MAX_OFF &&
      input[ref + 2] === input[ip + 2] &&
      input[ref] === input[ip] &&
      input[ref + 1] === input[ip + 1]
    ) {
      let len = 2;
      const maxlen = Math.min(inLen - ip - len, MAX_REF);
      if (op + 3 + 1 >= outLen && op - (lit === 0 ? 1 : 0) + 3 + 1 >= outLen) return null;
      out[op - lit - 1] = (lit - 1) & 0xff; // close the literal run
      if (lit === 0) op--; // …or drop it when empty
      let done = false;
      if (maxlen > 16) {
        for (let k = 0; k < 16; k++) {
          len++;
          if (input[ref + len] !== input[ip + len]) {
            done = true;
            break;
          }
        }
      }
      if (!done) {
        do len++;
        while (len < maxlen && input[ref + len] === input[ip + len]);
      }
      len -= 2; // the number of bytes copied, minus 1
      ip++;
      if (len < 7) {
        out[op++] = (off >>> 8) + (len << 5);
      } else {
        out[op++] = (off >>> 8) + (7 << 5);
        out[op++] = len - 7;
      }
      out[op++] = off & 0xff;
      lit = 0;
      op++; // start a new literal run
      ip += len + 1;
      if (ip >= inLen - 2) break;
      // Hash the last two positions of the match (VERY_FAST).
      ip -= 2;
      hval = (input[ip] << 8) | input[ip + 1];
      hval = ((hval << 8) | input[ip + 2]) & 0xffffff;
      htab[idx(hval)] = b0 + ip;
      ip++;
      hval = ((hval << 8) | input[ip + 2]) & 0xffffff;
      htab[idx(hval)] = b0 + ip;
      ip++;
    } else {
      if (op >= outLen) return null;
      lit++;
      out[op++] = input[ip++];
      if (lit === MAX_LIT) {
        out[op - lit - 1] = lit - 1;
        lit = 0;
        op++;
      }
    }
  }
  if (op + 3 > outLen) return null;
  while (ip < inLen) {
    lit++;
    out[op++] = input[ip++];
    if (lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  out[op - lit - 1] = (lit - 1) & 0xff;
  if (lit === 0) op--;
  if (op > outLen) return null;
  return out.slice(0, op);
}

/**
 * Decompress `input` into exactly `outLen` bytes, as Redis does it (lzf_decompress must produce the announced
 * length); null when the data is corrupt or does not produce exactly that many bytes.
 */
export function lzfDecompress(input: Uint8Array, outLen: number): Uint8Array | null {
  const out = new Uint8Array(outLen);
  const inLen = input.length;
  let ip = 0;
  let op = 0;
  while (ip < inLen) {
    let ctrl = input[ip++];
    if (ctrl < 1 << 5) {
      ctrl++;
      if (op + ctrl > outLen || ip + ctrl > inLen) return null;
      out.set(input.subarray(ip, ip + ctrl), op);
      op += ctrl;
      ip += ctrl;
    } else {
      let len = ctrl >>> 5;
      let ref = op - ((ctrl & 0x1f) << 8) - 1;
      if (ip >= inLen) return null;
      if (len === 7) {
        len += input[ip++];
        if (ip >= inLen) return null;
      }
      ref -= input[ip++];
      len += 2;
      if (op + len > outLen || ref < 0) return null;
      // Byte by byte: source and destination overlap when the distance is shorter than the length (a run).
      for (let k = 0; k < len; k++) out[op++] = out[ref++];
    }
  }
  return op === outLen ? out : null;
}
