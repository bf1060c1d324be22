/**
 * What the typed command methods of every family (commands/<family>.ts) share: the argument types, the class
 * they extend, and the reply transforms several families use.
 *
 * A family is an abstract class of methods, each one `this.run([...], transform?)`: TabhiveClient (client.ts)
 * declares that it has them (an interface of the same name extending the family classes, so editors show each
 * method's own types and TSDoc) and `addCommands` copies them onto its prototype. `db.multi()` queues the same
 * methods (multi.ts replays them against a recorder), so a method's reply transform applies inside `exec()` too.
 *
 * A transform gets the reply as the wire carries it: bulk strings as strings, or Uint8Array from `withBytes()`;
 * RESP3 (after HELLO 3) brings Maps, pairs and doubles as numbers. The transforms here read both protocols and
 * never change the reply they are given (the near-cache may hold it).
 */
import type { WireReply } from '../../worker/protocol.js';

/** An argument: a string (its UTF-8 bytes), a number (its decimal text) or raw bytes. */
export type CommandArgument = string | number | bigint | Uint8Array;
/** A key or other byte-string argument. */
export type Key = string | Uint8Array;
/** A value: a string, bytes, or a number sent as its decimal text. */
export type Value = string | number | Uint8Array;
/** How bulk strings come back: strings, or Uint8Array from `withBytes()`. */
export type Bulk = string | Uint8Array;

/** What the typed methods call: one command, its reply read by `map`, bulk strings as bytes when `bytes`. */
export abstract class CommandBase {
  /** @internal A typed method's command: `args` is the method's own array, converted in place. */
  protected abstract run<T>(args: unknown[], map?: (r: WireReply) => T, bytes?: boolean): Promise<T>;
}

/** Give `target` (a class's prototype) the methods of these family classes. */
export function addCommands(target: object, families: readonly (abstract new (...args: never[]) => unknown)[]): void {
  for (const family of families) {
    const proto = family.prototype as object;
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor') continue;
      if (Object.prototype.hasOwnProperty.call(target, name)) {
        throw new Error(`tabhive: two definitions of the client method ${name}`);
      }
      Object.defineProperty(target, name, Object.getOwnPropertyDescriptor(proto, name)!);
    }
  }
}

// ---- arguments ----------------------------------------------------------------------------------------------------

/** One argument or several: node-redis takes `x` or `[x, y]` where a command takes one or more. */
export function many<T>(x: T | readonly T[]): T[] {
  return Array.isArray(x) ? (x as T[]) : [x as T];
}

/** Keys preceded by their count (`numkeys`), as ZUNION, LMPOP … take them. */
export function counted(keys: Key | readonly Key[]): unknown[] {
  const list = many(keys);
  return [list.length, ...list];
}

/** A score or range bound: ±Infinity as '+inf' / '-inf' (JS would print 'Infinity'); strings as they are. */
export function scoreArg(x: number | Key): Key {
  if (typeof x !== 'number') return x;
  return x === Infinity ? '+inf' : x === -Infinity ? '-inf' : String(x);
}

/** HSCAN / SSCAN / ZSCAN's options. */
export interface CollectionScanOptions {
  MATCH?: Key;
  COUNT?: number;
}

/** `<COMMAND> key cursor [MATCH pattern] [COUNT count]` */
/**
 * Every item of a SCAN-style walk, page after page until the cursor comes back to 0: `page(cursor)` fetches one
 * page and gives the next cursor and the page's items.
 */
export async function* allPages<T>(
  page: (cursor: number) => Promise<{ cursor: number; items: readonly T[] }>,
): AsyncIterableIterator<T> {
  let cursor = 0;
  do {
    const p = await page(cursor);
    cursor = p.cursor;
    yield* p.items;
  } while (cursor !== 0);
}

export function scanArgs(command: string, key: Key, cursor: number, options: CollectionScanOptions | undefined): unknown[] {
  const args: unknown[] = [command, key, cursor];
  if (options?.MATCH !== undefined) args.push('MATCH', options.MATCH);
  if (options?.COUNT !== undefined) args.push('COUNT', options.COUNT);
  return args;
}

/** Unix seconds from a Date or seconds. */
export function seconds(t: number | Date): number {
  return t instanceof Date ? Math.floor(t.getTime() / 1000) : t;
}

/** Unix milliseconds from a Date or milliseconds. */
export function millis(t: number | Date): number {
  return t instanceof Date ? t.getTime() : t;
}

// ---- reply transforms ---------------------------------------------------------------------------------------------

/** 1 → true, 0 → false. */
export function toBoolean(r: WireReply): boolean {
  return r === 1 || r === true;
}

/** An array of 0/1 → booleans. */
export function toBooleans(r: WireReply): boolean[] {
  return (r as WireReply[]).map(toBoolean);
}

/** ASCII text (a cursor, a number) from a bulk string in either form. */
export function ascii(x: string | Uint8Array): string {
  return typeof x === 'string' ? x : String.fromCharCode(...x);
}

/** A SCAN-family cursor reply as a number. */
export function toCursor(r: WireReply): number {
  return Number(ascii(r as Bulk));
}

/**
 * A score as Redis replies it — '1.5', 'inf', '-inf' (what %.17g prints), a double under RESP3, bytes from
 * `withBytes()` — as a JS number (±Infinity for the infinities).
 */
export function toScore(r: WireReply): number {
  if (typeof r === 'number') return r;
  const s = ascii(r as Bulk);
  switch (s) {
    case 'inf':
    case '+inf':
      return Infinity;
    case '-inf':
      return -Infinity;
    default:
      return Number(s);
  }
}

/** A score, or null for nil. */
export function toScoreOrNull(r: WireReply): number | null {
  return r === null ? null : toScore(r);
}

/** Scores, each null for nil (ZMSCORE). */
export function toScoresOrNull(r: WireReply): (number | null)[] {
  return (r as WireReply[]).map(toScoreOrNull);
}

/** Name/value pairs from a flat array (RESP2), an array of pairs or a Map (RESP3). */
export function pairsOf(r: WireReply): [WireReply, WireReply][] {
  if (r instanceof Map) return [...r];
  const a = r as WireReply[];
  if (a.length > 0 && Array.isArray(a[0])) return a as [WireReply, WireReply][];
  const out: [WireReply, WireReply][] = [];
  for (let i = 0; i + 1 < a.length; i += 2) out.push([a[i], a[i + 1]]);
  return out;
}

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Field/value pairs as a record with no prototype (`Object.create(null)`): a field named `__proto__` or
 * `constructor` is an ordinary own property, never the object's prototype or a method. Field names given as
 * bytes (`withBytes()`) become their UTF-8 text, as object keys must be strings; values stay as they came.
 */
export function toRecord<S>(r: WireReply): Record<string, S> {
  const out = Object.create(null) as Record<string, S>;
  for (const [k, v] of pairsOf(r)) out[typeof k === 'string' ? k : utf8.decode(k as Uint8Array)] = v as S;
  return out;
}

/** A sorted-set member with its score, as node-redis gives and takes them. */
export interface ZMember<V = Value> {
  score: number;
  value: V;
}

/** Member/score pairs (WITHSCORES replies) as `{ value, score }` objects. */
export function toMembers<S>(r: WireReply): ZMember<S>[] {
  return pairsOf(r).map(([value, score]) => ({ value: value as S, score: toScore(score) }));
}
