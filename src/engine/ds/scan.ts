/**
 * What HSCAN, SSCAN (and ZSCAN) share: Redis's cursor parsing, their MATCH / COUNT options, and the walk
 * itself over a collection in either of its two shapes.
 *
 * Rules, as Redis's scanGenericCommand:
 * - a compact encoding (listpack, intset) is small by construction, so the whole collection comes back in
 *   one call with cursor 0, whatever cursor was given;
 * - a hashtable is walked with an OrderedDict cursor (the last insertion sequence returned), which keeps
 *   SCAN's guarantee: an element present for the whole iteration is returned at least once, however the
 *   collection changes in between;
 * - COUNT is how many elements to look at, MATCH filters what was looked at (so a call may return nothing
 *   and a non-zero cursor); the pattern `*` is no filter at all.
 */
import type { Args } from '../args.js';
import { CommandError, E } from '../errors.js';
import { globMatch } from '../glob.js';
import type { OrderedDict } from '../keyspace.js';
import type { Reply } from '../reply.js';

const U64_MAX = 2n ** 64n - 1n;

/**
 * A cursor as Redis reads it (strtoul, base 10): an optional sign and digits, no leading space, within
 * 64 bits; "-n" wraps as C does and the empty string is 0. Beyond any sequence number means "past the end".
 * Throws Redis's "invalid cursor".
 */
export function parseScanCursor(s: string): number {
  const m = /^([+-]?)([0-9]*)$/.exec(s);
  if (m === null || (m[2] === '' && m[1] !== '')) throw new CommandError(E.INVALID_CURSOR);
  if (m[2] === '') return 0;
  let v = BigInt(m[2]);
  if (v > U64_MAX) throw new CommandError(E.INVALID_CURSOR);
  if (m[1] === '-' && v !== 0n) v = U64_MAX + 1n - v;
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}

export interface ScanOptions {
  /** Elements to look at per call (≥ 1). */
  count: number;
  /** The MATCH pattern, or null when there is none (or it is `*`). */
  pattern: string | null;
  /** SCAN's TYPE filter, lower-cased; null when absent. */
  type: string | null;
}

/**
 * `[MATCH pattern] [COUNT count]` (and `[TYPE type]` for the keyspace SCAN), repeatable, the last one winning,
 * as Redis parses them.
 */
export function parseScanOptions(a: Args, withType = false): ScanOptions {
  let count = 10;
  let pattern: string | null = null;
  let type: string | null = null;
  while (a.has()) {
    const opt = a.nextUpper();
    if (opt === 'COUNT' && a.has()) {
      count = a.nextIndex();
      if (count < 1) throw new CommandError(E.SYNTAX);
    } else if (opt === 'MATCH' && a.has()) {
      const p = a.next();
      pattern = p === '*' ? null : p;
    } else if (withType && opt === 'TYPE' && a.has()) {
      // Compared with strcasecmp, so the name ends at a NUL byte.
      type = a.next().split('\0')[0].toLowerCase();
    } else {
      throw new CommandError(E.SYNTAX);
    }
  }
  return { count, pattern, type };
}

/** A hashtable slot of a collection: its key (field or member) and, for hashes and zsets, its value. */
export interface ScanSlot {
  readonly key: string;
  seq: number;
  dead: boolean;
}

/**
 * One SCAN step over a hashtable-encoded collection: `count` slots after `cursor`, filtered, each turned
 * into its reply items by `emit` (the member, or the field and its value). Returns the SCAN reply.
 */
export function scanDict<S extends ScanSlot>(
  dict: OrderedDict<S>,
  cursor: number,
  opts: ScanOptions,
  emit: (slot: S, out: Reply[]) => void,
): Reply {
  const slots: S[] = [];
  const next = dict.scan(cursor, opts.count, slots);
  const out: Reply[] = [];
  for (const s of slots) if (opts.pattern === null || globMatch(opts.pattern, s.key)) emit(s, out);
  return [String(next), out];
}

/**
 * A compact encoding's SCAN reply: everything at once, cursor 0. `items` is flat; with `pairs` every
 * element is followed by its value, which goes or stays with it.
 */
export function scanAll(items: readonly string[], opts: ScanOptions, pairs: boolean): Reply {
  const step = pairs ? 2 : 1;
  const out: Reply[] = [];
  for (let i = 0; i < items.length; i += step) {
    if (opts.pattern !== null && !globMatch(opts.pattern, items[i])) continue;
    out.push(items[i]);
    if (pairs) out.push(items[i + 1]);
  }
  return ['0', out];
}
