/**
 * The string family's typed methods (node-redis v4's names, options and reply shapes). See base.ts for how a
 * family joins the client.
 */
import type { WireReply } from '../../worker/protocol.js';
import { CommandBase, millis, seconds, toBoolean, type Key, type Value } from './base.js';

/** SET's options (node-redis v4): at most one expiry option, at most one of NX / XX. */
export interface SetOptions {
  EX?: number;
  PX?: number;
  EXAT?: number | Date;
  PXAT?: number | Date;
  KEEPTTL?: true;
  NX?: true;
  XX?: true;
  GET?: true;
}

/** GETEX's option: one of them. */
export type GetExOptions =
  | { EX: number }
  | { PX: number }
  | { EXAT: number | Date }
  | { PXAT: number | Date }
  | { PERSIST: true };

export interface LcsIdxOptions {
  /** Only report matches at least this long. */
  MINMATCHLEN?: number;
}

export interface Range {
  start: number;
  end: number;
}

export interface LcsIdxReply {
  matches: { key1: Range; key2: Range }[];
  length: number;
}

export interface LcsIdxWithMatchLenReply {
  matches: { key1: Range; key2: Range; length: number }[];
  length: number;
}

/** The pairs MSET / MSETNX take: an object, an array of [key, value] pairs, or a flat key, value … array. */
export type MSetArguments =
  | Record<string, Value>
  | [Key, Value][]
  | Value[];

export abstract class StringCommands<S extends string | Uint8Array = string> extends CommandBase {
  /** `GET key` */
  get(key: Key): Promise<S | null> {
    return this.run(['GET', key]);
  }

  /**
   * `SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds |
   * PXAT unix-time-milliseconds | KEEPTTL]`
   *
   * Resolves 'OK', or null when NX/XX stopped it; with GET, the old value (null if none).
   */
  set(key: Key, value: Value, options?: SetOptions): Promise<S | 'OK' | null> {
    const args: unknown[] = ['SET', key, value];
    if (options !== undefined) {
      if (options.EX !== undefined) args.push('EX', options.EX);
      if (options.PX !== undefined) args.push('PX', options.PX);
      if (options.EXAT !== undefined) args.push('EXAT', seconds(options.EXAT));
      if (options.PXAT !== undefined) args.push('PXAT', millis(options.PXAT));
      if (options.KEEPTTL) args.push('KEEPTTL');
      if (options.NX) args.push('NX');
      if (options.XX) args.push('XX');
      if (options.GET) args.push('GET');
    }
    return this.run(args);
  }

  /** `SETEX key seconds value` */
  setEx(key: Key, seconds: number, value: Value): Promise<'OK'> {
    return this.run(['SETEX', key, seconds, value]);
  }

  /** `PSETEX key milliseconds value` */
  pSetEx(key: Key, milliseconds: number, value: Value): Promise<'OK'> {
    return this.run(['PSETEX', key, milliseconds, value]);
  }

  /** `SETNX key value` — true when it set the key. */
  setNX(key: Key, value: Value): Promise<boolean> {
    return this.run(['SETNX', key, value], toBoolean);
  }

  /** `GETDEL key` */
  getDel(key: Key): Promise<S | null> {
    return this.run(['GETDEL', key]);
  }

  /** `GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST]` */
  getEx(key: Key, options: GetExOptions): Promise<S | null> {
    const args: unknown[] = ['GETEX', key];
    const o = options as Partial<Record<'EX' | 'PX' | 'EXAT' | 'PXAT' | 'PERSIST', number | Date | true>>;
    if (o.EX !== undefined) args.push('EX', o.EX);
    if (o.PX !== undefined) args.push('PX', o.PX);
    if (o.EXAT !== undefined) args.push('EXAT', seconds(o.EXAT as number | Date));
    if (o.PXAT !== undefined) args.push('PXAT', millis(o.PXAT as number | Date));
    if (o.PERSIST) args.push('PERSIST');
    return this.run(args);
  }

  /** `GETSET key value` */
  getSet(key: Key, value: Value): Promise<S | null> {
    return this.run(['GETSET', key, value]);
  }

  /** `GETRANGE key start end` */
  getRange(key: Key, start: number, end: number): Promise<S> {
    return this.run(['GETRANGE', key, start, end]);
  }

  /**
   * `SUBSTR key start end`
   * @deprecated Redis's old name of GETRANGE (deprecated since Redis 2.0): use `getRange`.
   */
  subStr(key: Key, start: number, end: number): Promise<S> {
    return this.run(['SUBSTR', key, start, end]);
  }

  /** `SETRANGE key offset value` — the string's length after it. */
  setRange(key: Key, offset: number, value: Value): Promise<number> {
    return this.run(['SETRANGE', key, offset, value]);
  }

  /** `APPEND key value` — the string's length after it. */
  append(key: Key, value: Value): Promise<number> {
    return this.run(['APPEND', key, value]);
  }

  /** `STRLEN key` */
  strLen(key: Key): Promise<number> {
    return this.run(['STRLEN', key]);
  }

  /** `INCR key` — a bigint beyond 2^53. */
  incr(key: Key): Promise<number | bigint> {
    return this.run(['INCR', key]);
  }

  /** `INCRBY key increment` — a bigint beyond 2^53. */
  incrBy(key: Key, increment: number | bigint): Promise<number | bigint> {
    return this.run(['INCRBY', key, increment]);
  }

  /** `INCRBYFLOAT key increment` — the new value as Redis prints it. */
  incrByFloat(key: Key, increment: number): Promise<S> {
    return this.run(['INCRBYFLOAT', key, increment]);
  }

  /** `DECR key` — a bigint beyond 2^53. */
  decr(key: Key): Promise<number | bigint> {
    return this.run(['DECR', key]);
  }

  /** `DECRBY key decrement` — a bigint beyond 2^53. */
  decrBy(key: Key, decrement: number | bigint): Promise<number | bigint> {
    return this.run(['DECRBY', key, decrement]);
  }

  /** `MGET key [key ...]` */
  mGet(keys: Key[]): Promise<(S | null)[]> {
    return this.run(['MGET', ...keys]);
  }

  /** `MSET key value [key value ...]` — from an object, [key, value] pairs or a flat array. */
  mSet(toSet: MSetArguments): Promise<'OK'> {
    return this.run(['MSET', ...pairs(toSet)]);
  }

  /** `MSETNX key value [key value ...]` — true when it set them all (none existed). */
  mSetNX(toSet: MSetArguments): Promise<boolean> {
    return this.run(['MSETNX', ...pairs(toSet)], toBoolean);
  }

  /** `LCS key1 key2` — the longest common substring. */
  lcs(key1: Key, key2: Key): Promise<S> {
    return this.run(['LCS', key1, key2]);
  }

  /** `LCS key1 key2 LEN` */
  lcsLen(key1: Key, key2: Key): Promise<number> {
    return this.run(['LCS', key1, key2, 'LEN']);
  }

  /** `LCS key1 key2 IDX [MINMATCHLEN min-match-len]` */
  lcsIdx(key1: Key, key2: Key, options?: LcsIdxOptions): Promise<LcsIdxReply> {
    const args: unknown[] = ['LCS', key1, key2, 'IDX'];
    if (options?.MINMATCHLEN !== undefined) args.push('MINMATCHLEN', options.MINMATCHLEN);
    return this.run(args, (r) => {
      const [, matches, , len] = r as [unknown, [[number, number], [number, number]][], unknown, number];
      return { matches: matches.map(([a, b]) => ({ key1: range(a), key2: range(b) })), length: len };
    });
  }

  /** `LCS key1 key2 IDX [MINMATCHLEN min-match-len] WITHMATCHLEN` */
  lcsIdxWithMatchLen(key1: Key, key2: Key, options?: LcsIdxOptions): Promise<LcsIdxWithMatchLenReply> {
    const args: unknown[] = ['LCS', key1, key2, 'IDX'];
    if (options?.MINMATCHLEN !== undefined) args.push('MINMATCHLEN', options.MINMATCHLEN);
    args.push('WITHMATCHLEN');
    return this.run(args, (r) => {
      const [, matches, , len] = r as [unknown, [[number, number], [number, number], number][], unknown, number];
      return {
        matches: matches.map(([a, b, n]) => ({ key1: range(a), key2: range(b), length: n })),
        length: len,
      };
    });
  }
}

function range(r: [number, number]): Range {
  return { start: r[0], end: r[1] };
}

function pairs(toSet: MSetArguments): unknown[] {
  if (Array.isArray(toSet)) return Array.isArray(toSet[0]) ? (toSet as [Key, Value][]).flat() : toSet;
  const out: unknown[] = [];
  for (const [k, v] of Object.entries(toSet)) out.push(k, v);
  return out;
}
