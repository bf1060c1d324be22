/**
 * What redis-cli does between the keyboard and the screen, without the DOM: splitting a typed line into
 * arguments (sds.c sdssplitargs), and formatting a reply the way redis-cli prints it to a terminal
 * (redis-cli.c cliFormatReplyTTY + sds.c sdscatrepr), as of Redis 7.0.
 *
 * Rules:
 * - a typed line is text; it becomes UTF-8 bytes before splitting, so `"\xff"` yields the single byte 0xff and
 *   `é` its two UTF-8 bytes, exactly as a terminal would hand them to redis-cli;
 * - bulk strings are printed byte by byte: printable ASCII (0x20–0x7e) as is, the usual escapes as `\n` …,
 *   everything else as `\xhh` — so `é` prints as `"\xc3\xa9"`, as redis-cli does in the C locale;
 * - errors are kept apart from the text so the console can paint them; the text itself is redis-cli's.
 */

/** A reply as the console sees it: the client's values, told apart where redis-cli prints them differently. */
export type View =
  | { readonly t: 'status'; readonly s: string }
  | { readonly t: 'error'; readonly s: string }
  | { readonly t: 'int'; readonly v: number | bigint }
  | { readonly t: 'double'; readonly s: string }
  | { readonly t: 'bulk'; readonly b: Uint8Array }
  | { readonly t: 'verbatim'; readonly s: string }
  | { readonly t: 'nil' }
  | { readonly t: 'bool'; readonly v: boolean }
  | { readonly t: 'array' | 'set' | 'map' | 'push'; readonly items: readonly View[] };

/** One printed line; `error` when it shows an `(error)` reply. */
export interface Line {
  text: string;
  error: boolean;
}

const utf8 = new TextEncoder();

/** UTF-8 bytes of JS text. */
export function textBytes(s: string): Uint8Array {
  return utf8.encode(s);
}

// ---------------------------------------------------------------------------------------------------------------
// Splitting (sdssplitargs)

/** C's isspace() in the C locale. */
const isSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);
const isHex = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const hexVal = (c: number): number => (c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10);

/**
 * Splits a line into byte-string arguments with redis-cli's rules, or returns null where redis-cli prints
 * `Invalid argument(s)`: an unbalanced quote, or a closing quote followed by something other than a blank.
 * Inside double quotes: `\xhh`, `\n`, `\r`, `\t`, `\b`, `\a`, and `\` before any other character yields that
 * character. Inside single quotes only `\'` is an escape. Quotes may open in the middle of an argument.
 */
export function splitArgs(line: string): Uint8Array[] | null {
  const p = textBytes(line);
  const n = p.length;
  const at = (i: number): number => (i < n ? p[i] : 0);
  const out: Uint8Array[] = [];
  let i = 0;
  for (;;) {
    while (i < n && isSpace(p[i])) i++;
    if (i >= n) return out;
    const cur: number[] = [];
    let inq = false;
    let insq = false;
    let done = false;
    while (!done) {
      const c = at(i);
      if (inq) {
        if (c === 0x5c && at(i + 1) === 0x78 && isHex(at(i + 2)) && isHex(at(i + 3))) {
          cur.push(hexVal(at(i + 2)) * 16 + hexVal(at(i + 3)));
          i += 3;
        } else if (c === 0x5c && i + 1 < n) {
          i++;
          const e = p[i];
          cur.push(e === 0x6e ? 0x0a : e === 0x72 ? 0x0d : e === 0x74 ? 0x09 : e === 0x62 ? 0x08 : e === 0x61 ? 0x07 : e);
        } else if (c === 0x22) {
          if (i + 1 < n && !isSpace(p[i + 1])) return null;
          done = true;
        } else if (i >= n) {
          return null;
        } else {
          cur.push(c);
        }
      } else if (insq) {
        if (c === 0x5c && at(i + 1) === 0x27) {
          i++;
          cur.push(0x27);
        } else if (c === 0x27) {
          if (i + 1 < n && !isSpace(p[i + 1])) return null;
          done = true;
        } else if (i >= n) {
          return null;
        } else {
          cur.push(c);
        }
      } else if (i >= n || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        done = true;
      } else if (c === 0x22) {
        inq = true;
      } else if (c === 0x27) {
        insq = true;
      } else {
        cur.push(c);
      }
      if (i < n) i++;
    }
    out.push(Uint8Array.from(cur));
  }
}

/** An argument as text when its bytes are valid UTF-8 (what the client takes), else the bytes themselves. */
export function argValue(b: Uint8Array): string | Uint8Array {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return b;
  }
}

/** An argument as Latin-1 text, one char per byte: for comparing command names and reading numbers. */
export function argLatin1(b: Uint8Array): string {
  let s = '';
  for (const c of b) s += String.fromCharCode(c);
  return s;
}

/**
 * redis-cli's repeat prefix (`3 PING` sends PING three times): the first argument counts as a repeat when there
 * is more than one argument and strtol() consumes it whole. Returns the count (≥ 1) and how many arguments to
 * skip, or `invalid` where redis-cli prints `Invalid redis-cli repeat command option value.`
 */
export function repeatPrefix(args: Uint8Array[]): { repeat: number; skip: number } | 'invalid' {
  if (args.length < 2) return { repeat: 1, skip: 0 };
  const m = /^[\t\n\v\f\r ]*([+-]?)(\d*)$/.exec(argLatin1(args[0]));
  // strtol leaves endptr at the start when no digit follows: then the whole string is consumed only if it is "".
  if (!m || (m[2] === '' && args[0].length > 0)) return { repeat: 1, skip: 0 };
  const v = m[2] === '' ? 0 : Number((m[1] === '-' ? '-' : '') + m[2]);
  if (!Number.isSafeInteger(v) || v <= 0) return 'invalid';
  return { repeat: v, skip: 1 };
}

// ---------------------------------------------------------------------------------------------------------------
// Formatting (cliFormatReplyTTY)

/** sdscatrepr: a byte string in double quotes, escaped. */
export function quoteBytes(b: Uint8Array): string {
  let s = '"';
  for (const c of b) {
    switch (c) {
      case 0x5c: s += '\\\\'; break;
      case 0x22: s += '\\"'; break;
      case 0x0a: s += '\\n'; break;
      case 0x0d: s += '\\r'; break;
      case 0x09: s += '\\t'; break;
      case 0x07: s += '\\a'; break;
      case 0x08: s += '\\b'; break;
      default:
        s += c >= 0x20 && c <= 0x7e ? String.fromCharCode(c) : '\\x' + c.toString(16).padStart(2, '0');
    }
  }
  return s + '"';
}

/** Output under construction: runs of text, each flagged when it belongs to an `(error)` reply. */
type Out = { text: string; error: boolean }[];

function isMultiline(v: View): boolean {
  switch (v.t) {
    case 'array':
    case 'set':
    case 'push':
      return v.items.length > 1 || (v.items.length === 1 && isMultiline(v.items[0]));
    case 'map':
      return v.items.length > 2 || (v.items.length === 2 && isMultiline(v.items[1]));
    default:
      return false;
  }
}

const EMPTY: Record<string, string> = {
  array: '(empty array)',
  map: '(empty hash)',
  set: '(empty set)',
  push: '(empty push)',
};

function emit(out: Out, v: View, prefix: string): void {
  switch (v.t) {
    case 'error': out.push({ text: `(error) ${v.s}\n`, error: true }); return;
    case 'status': out.push({ text: `${v.s}\n`, error: false }); return;
    case 'int': out.push({ text: `(integer) ${v.v}\n`, error: false }); return;
    case 'double': out.push({ text: `(double) ${v.s}\n`, error: false }); return;
    case 'bulk': out.push({ text: `${quoteBytes(v.b)}\n`, error: false }); return;
    case 'verbatim': out.push({ text: `${v.s}\n`, error: false }); return;
    case 'nil': out.push({ text: '(nil)\n', error: false }); return;
    case 'bool': out.push({ text: v.v ? '(true)\n' : '(false)\n', error: false }); return;
  }
  const items = v.items;
  if (items.length === 0) {
    out.push({ text: `${EMPTY[v.t]}\n`, error: false });
    return;
  }
  const count = v.t === 'map' ? Math.floor(items.length / 2) : items.length;
  const idxlen = String(count).length;
  const inner = prefix + ' '.repeat(idxlen + 2);
  const sep = v.t === 'set' ? '~' : v.t === 'map' ? '#' : ')';
  for (let i = 0; i < items.length; i++) {
    const human = (v.t === 'map' ? i / 2 : i) + 1;
    out.push({ text: `${i === 0 ? '' : prefix}${String(human).padStart(idxlen)}${sep} `, error: false });
    emit(out, items[i], inner);
    if (v.t === 'map') {
      i++;
      // redis-cli drops the key's newline and joins the value with " => ".
      const last = out[out.length - 1];
      last.text = last.text.slice(0, -1);
      out.push({ text: ' => ', error: false });
      const val: View = i < items.length ? items[i] : { t: 'nil' };
      if (isMultiline(val)) out.push({ text: `\n${inner}`, error: false });
      emit(out, val, inner);
    }
  }
}

/** The lines redis-cli prints for a reply. */
export function formatLines(v: View): Line[] {
  const out: Out = [];
  emit(out, v, '');
  const lines: Line[] = [];
  let cur: Line = { text: '', error: false };
  for (const run of out) {
    const parts = run.text.split('\n');
    parts.forEach((part, k) => {
      if (k > 0) {
        lines.push(cur);
        cur = { text: '', error: false };
      }
      cur.text += part;
      if (run.error && part !== '') cur.error = true;
    });
  }
  if (cur.text !== '') lines.push(cur);
  return lines;
}

/** The text redis-cli prints for a reply, without the final newline. */
export function formatReply(v: View): string {
  return formatLines(v).map((l) => l.text).join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// From the client's values to views

/**
 * The client's values as redis-cli would print them: integers are numbers (bigint beyond 2^53), nil is null,
 * arrays are arrays, errors inside arrays (EXEC) are Error objects; after HELLO 3, maps are Maps, booleans
 * booleans and doubles numbers (a double with an integral value then prints as an integer: the client does not
 * keep the two apart). Asked for bytes, the client gives bulk strings as Uint8Array and status replies as
 * strings; `statusOf` says which strings are status replies (all of them, in that mode).
 */
export function toView(value: unknown, statusOf: (s: string) => boolean = () => false): View {
  if (value === null || value === undefined) return { t: 'nil' };
  if (typeof value === 'string') return statusOf(value) ? { t: 'status', s: value } : { t: 'bulk', b: textBytes(value) };
  if (typeof value === 'number') {
    return Number.isInteger(value) ? { t: 'int', v: value } : { t: 'double', s: String(value) };
  }
  if (typeof value === 'bigint') return { t: 'int', v: value };
  if (typeof value === 'boolean') return { t: 'bool', v: value };
  if (value instanceof Uint8Array) return { t: 'bulk', b: value };
  if (value instanceof Error) return { t: 'error', s: value.message };
  if (Array.isArray(value)) return { t: 'array', items: value.map((x) => toView(x, statusOf)) };
  if (value instanceof Map) {
    const items: View[] = [];
    for (const [k, v] of value) items.push(toView(k, statusOf), toView(v, statusOf));
    return { t: 'map', items };
  }
  if (value instanceof Set) return { t: 'set', items: [...value].map((x) => toView(x, statusOf)) };
  return { t: 'bulk', b: textBytes(String(value)) };
}
