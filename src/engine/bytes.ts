/**
 * Byte strings.
 *
 * Rule: inside the engine every key, value, field and member is a *binary string*: a JS string whose every
 * char code is one byte (0..255). It is what Redis's sds is to C: comparable with `<` in byte order, usable
 * as a `Map` key, cheap to slice, and exact for any byte sequence (`\xff` and `\xfe` stay two keys — a
 * TextDecoder round trip would turn both into U+FFFD).
 *
 * At the edges a caller's JS string means its UTF-8 bytes (so `STRLEN é` is 2) and a Uint8Array means itself.
 * ASCII strings are already binary strings, so the common case converts nothing.
 */

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;

export function isAscii(s: string): boolean {
  return !NON_ASCII.test(s);
}

const encoder = new TextEncoder();
// ignoreBOM: a leading U+FEFF is data (TextDecoder would drop it by default).
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** A JS (UTF-16) string → the binary string of its UTF-8 bytes. */
export function fromUtf8(s: string): string {
  if (!NON_ASCII.test(s)) return s;
  return fromBytes(encoder.encode(s));
}

/** Raw bytes → binary string. */
export function fromBytes(b: Uint8Array): string {
  let out = '';
  const CHUNK = 0x2000;
  for (let i = 0; i < b.length; i += CHUNK) {
    out += String.fromCharCode.apply(null, b.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return out;
}

/** Binary string → raw bytes. */
export function toBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Binary string → JS string, decoding UTF-8 (invalid sequences become U+FFFD, as any UTF-8 reader would). */
export function toUtf8(s: string): string {
  if (!NON_ASCII.test(s)) return s;
  return decoder.decode(toBytes(s));
}

/** A binary string for display in error messages and logs: Redis prints the raw bytes, so do we. */
export function argOrBytes(x: string | Uint8Array): string {
  return typeof x === 'string' ? fromUtf8(x) : fromBytes(x);
}
