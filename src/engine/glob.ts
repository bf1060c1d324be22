/**
 * Glob-style matching with exactly Redis 7.0's `stringmatchlen` semantics (util.c), for KEYS, SCAN MATCH,
 * PSUBSCRIBE, CONFIG GET and friends. Pattern and subject are binary strings (one char = one byte).
 *
 * What Redis does, and so what this does:
 * - `*` any run of bytes, `?` one byte, `[abc]` `[^abc]` `[a-z]` a class (a reversed range `[z-a]` is the same
 *   range), `\x` the byte x literally, inside a class too;
 * - an unterminated class `[abc` is a class up to the pattern's end; a lone `[` never matches; a trailing `\`
 *   matches a literal backslash;
 * - range bounds and the subject byte are compared as C's signed `char`s (x86): bytes 0x80..0xff are -128..-1,
 *   so `[a-\xff]` is the range -1..'a' and contains 0xff and 0x00..'a' but not 0x80..0xfe;
 * - `nocase` folds ASCII letters only (C locale `tolower`), and not for `\`-escaped bytes inside a class;
 * - trailing stars are skipped only once the subject has been consumed, so the empty subject matches only the
 *   empty pattern (`*` vs "" is false; KEYS and SCAN special-case the pattern `*` before matching).
 *
 * Complexity: Redis recurses once per star, but gives up as soon as the rest of the pattern after a star
 * failed at every position ("skipLongerMatches"), because a longer match for an earlier star could only
 * start the rest later. That rule means only the innermost star is ever backtracked, which is the classic
 * iterative matcher below: O(pattern × subject) at worst, no recursion, so `a*a*…*b` and `*?` × 50,000
 * return at once.
 */

const STAR = 42; // *
const QMARK = 63; // ?
const LBRACKET = 91; // [
const RBRACKET = 93; // ]
const BACKSLASH = 92; // \
const CARET = 94; // ^
const DASH = 45; // -

/** A byte as C's signed char on x86. */
const signed = (b: number): number => (b >= 128 ? b - 256 : b);

/** C-locale tolower: ASCII letters only (negative chars are left alone, as glibc does). */
const lower = (b: number): number => (b >= 65 && b <= 90 ? b + 32 : b);

/** Whether `pattern` matches the whole of `s` (binary strings), as Redis's stringmatchlen. */
export function globMatch(pattern: string, s: string, nocase = false): boolean {
  const plen = pattern.length;
  const slen = s.length;
  // The pattern's byte at i, or 0 past its end (Redis reads the sds terminator there).
  const pat = (i: number): number => (i < plen ? pattern.charCodeAt(i) : 0);

  let p = 0;
  let si = 0;
  // The innermost star being backtracked: where the rest of the pattern starts, and the subject position
  // the rest is being tried at. -1: no star seen yet.
  let restP = -1;
  let tryS = 0;

  for (;;) {
    // One attempt from (p, si): Redis's while loop of stringmatchlen_impl.
    let ok = true;
    let star = false;
    while (p < plen && si < slen) {
      const pc = pattern.charCodeAt(p);
      if (pc === STAR) {
        while (p + 1 < plen && pattern.charCodeAt(p + 1) === STAR) p++;
        if (p === plen - 1) return true;
        star = true;
        break;
      }
      const sc = s.charCodeAt(si);
      if (pc === QMARK) {
        // any byte
      } else if (pc === LBRACKET) {
        p++;
        const not = pat(p) === CARET;
        if (not) p++;
        let match = false;
        for (;;) {
          const c = pat(p);
          if (c === BACKSLASH && plen - p >= 2) {
            p++;
            if (pattern.charCodeAt(p) === sc) match = true;
          } else if (c === RBRACKET && p < plen) {
            break;
          } else if (p >= plen) {
            p--;
            break;
          } else if (plen - p >= 3 && pattern.charCodeAt(p + 1) === DASH) {
            let start = signed(c);
            let end = signed(pattern.charCodeAt(p + 2));
            let x = signed(sc);
            if (start > end) [start, end] = [end, start];
            if (nocase) {
              start = lower(start);
              end = lower(end);
              x = lower(x);
            }
            p += 2;
            if (x >= start && x <= end) match = true;
          } else if (nocase ? lower(c) === lower(sc) : c === sc) {
            match = true;
          }
          p++;
        }
        if (not) match = !match;
        if (!match) {
          ok = false;
          break;
        }
      } else {
        let lit = pc;
        if (pc === BACKSLASH && plen - p >= 2) lit = pattern.charCodeAt(++p);
        if (nocase ? lower(lit) !== lower(sc) : lit !== sc) {
          ok = false;
          break;
        }
      }
      si++;
      p++;
      if (si === slen) {
        while (p < plen && pattern.charCodeAt(p) === STAR) p++;
        break;
      }
    }

    if (star) {
      // A new innermost star: try the rest of the pattern at this very position first.
      restP = p + 1;
      tryS = si;
      p = restP;
      continue;
    }
    if (ok && p === plen && si === slen) return true;
    // This attempt failed: the innermost star takes one more byte. Once it has tried every position that
    // leaves a byte, the whole match fails (earlier stars are not retried; see the header).
    if (restP < 0) return false;
    tryS++;
    if (tryS >= slen) return false;
    p = restP;
    si = tryS;
  }
}
