/**
 * The list family's typed methods (node-redis v4's names, arguments and reply shapes). See base.ts for how a
 * family joins the client.
 *
 * Blocking commands (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP) take their timeout in seconds (0: forever,
 * fractions allowed) and resolve when served or timed out (null). Only this client's session waits: its later
 * commands queue behind the blocked one, as on a Redis connection, while other clients (`duplicate()`, other
 * tabs) go on being served. Give a consumer that blocks a client of its own.
 */
import type { WireReply } from '../../worker/protocol.js';
import { CommandBase, counted, many, type Key, type Value } from './base.js';

/** Which end of a list: LEFT is the head (index 0). */
export type ListSide = 'LEFT' | 'RIGHT';

export interface LPosOptions {
  /** Start from the rank-th match (negative: count from the tail). */
  RANK?: number;
  /** Compare at most this many elements (0: all). */
  MAXLEN?: number;
}

export interface LMPopOptions {
  /** Pop up to this many elements (default 1). */
  COUNT?: number;
}

/** BLPOP / BRPOP's reply: the list it popped from and the element. */
export interface BlockingPopReply<S> {
  key: S;
  element: S;
}

/** LMPOP / BLMPOP's reply: the list it popped from and the elements, in pop order. */
export type LMPopReply<S> = [key: S, elements: S[]];

export abstract class ListCommands<S extends string | Uint8Array = string> extends CommandBase {
  /** `LPUSH key element [element ...]` — the list's length after it. */
  lPush(key: Key, elements: Value | Value[]): Promise<number> {
    return this.run(['LPUSH', key, ...many(elements)]);
  }

  /** `RPUSH key element [element ...]` — the list's length after it. */
  rPush(key: Key, elements: Value | Value[]): Promise<number> {
    return this.run(['RPUSH', key, ...many(elements)]);
  }

  /** `LPUSHX key element [element ...]` — pushes only onto an existing list: its length after it, 0 if none. */
  lPushX(key: Key, elements: Value | Value[]): Promise<number> {
    return this.run(['LPUSHX', key, ...many(elements)]);
  }

  /** `RPUSHX key element [element ...]` — pushes only onto an existing list: its length after it, 0 if none. */
  rPushX(key: Key, elements: Value | Value[]): Promise<number> {
    return this.run(['RPUSHX', key, ...many(elements)]);
  }

  /** `LPOP key` — the first element, null when the list does not exist. */
  lPop(key: Key): Promise<S | null> {
    return this.run(['LPOP', key]);
  }

  /** `LPOP key count` — up to `count` elements from the head, null when the list does not exist. */
  lPopCount(key: Key, count: number): Promise<S[] | null> {
    return this.run(['LPOP', key, count]);
  }

  /** `RPOP key` — the last element, null when the list does not exist. */
  rPop(key: Key): Promise<S | null> {
    return this.run(['RPOP', key]);
  }

  /** `RPOP key count` — up to `count` elements from the tail, null when the list does not exist. */
  rPopCount(key: Key, count: number): Promise<S[] | null> {
    return this.run(['RPOP', key, count]);
  }

  /** `LLEN key` — 0 when the list does not exist. */
  lLen(key: Key): Promise<number> {
    return this.run(['LLEN', key]);
  }

  /** `LINDEX key index` — negative indexes count from the tail; null when out of range. */
  lIndex(key: Key, index: number): Promise<S | null> {
    return this.run(['LINDEX', key, index]);
  }

  /** `LINSERT key <BEFORE | AFTER> pivot element` — the length after it; -1 when pivot is not found, 0 if no list. */
  lInsert(key: Key, position: 'BEFORE' | 'AFTER', pivot: Value, element: Value): Promise<number> {
    return this.run(['LINSERT', key, position, pivot, element]);
  }

  /** `LPOS key element [RANK rank] [MAXLEN len]` — the index of the match, null when none. */
  lPos(key: Key, element: Value, options?: LPosOptions): Promise<number | null> {
    const args: unknown[] = ['LPOS', key, element];
    if (options?.RANK !== undefined) args.push('RANK', options.RANK);
    if (options?.MAXLEN !== undefined) args.push('MAXLEN', options.MAXLEN);
    return this.run(args);
  }

  /** `LPOS key element [RANK rank] COUNT num-matches [MAXLEN len]` — the indexes of up to `count` matches (0: all). */
  lPosCount(key: Key, element: Value, count: number, options?: LPosOptions): Promise<number[]> {
    const args: unknown[] = ['LPOS', key, element];
    if (options?.RANK !== undefined) args.push('RANK', options.RANK);
    args.push('COUNT', count);
    if (options?.MAXLEN !== undefined) args.push('MAXLEN', options.MAXLEN);
    return this.run(args);
  }

  /** `LRANGE key start stop` — inclusive indexes, negative from the tail. */
  lRange(key: Key, start: number, stop: number): Promise<S[]> {
    return this.run(['LRANGE', key, start, stop]);
  }

  /** `LREM key count element` — removes `count` matches from the head (negative: from the tail; 0: all); how many. */
  lRem(key: Key, count: number, element: Value): Promise<number> {
    return this.run(['LREM', key, count, element]);
  }

  /** `LSET key index element` */
  lSet(key: Key, index: number, element: Value): Promise<'OK'> {
    return this.run(['LSET', key, index, element]);
  }

  /** `LTRIM key start stop` — keeps only the elements from start to stop (inclusive). */
  lTrim(key: Key, start: number, stop: number): Promise<'OK'> {
    return this.run(['LTRIM', key, start, stop]);
  }

  /** `LMOVE source destination <LEFT | RIGHT> <LEFT | RIGHT>` — the element moved, null when source is empty. */
  lMove(source: Key, destination: Key, sourceSide: ListSide, destinationSide: ListSide): Promise<S | null> {
    return this.run(['LMOVE', source, destination, sourceSide, destinationSide]);
  }

  /** `RPOPLPUSH source destination` — the element moved, null when source is empty. */
  rPopLPush(source: Key, destination: Key): Promise<S | null> {
    return this.run(['RPOPLPUSH', source, destination]);
  }

  /**
   * `LMPOP numkeys key [key ...] <LEFT | RIGHT> [COUNT count]` — from the first non-empty list: `[key,
   * elements]`; null when all are empty.
   */
  lmPop(keys: Key | Key[], side: ListSide, options?: LMPopOptions): Promise<LMPopReply<S> | null> {
    const args: unknown[] = ['LMPOP', ...counted(keys), side];
    if (options?.COUNT !== undefined) args.push('COUNT', options.COUNT);
    return this.run(args);
  }

  /** `BLPOP key [key ...] timeout` — `{ key, element }` from the first non-empty list; null on timeout. */
  blPop(keys: Key | Key[], timeout: number): Promise<BlockingPopReply<S> | null> {
    return this.run(['BLPOP', ...many(keys), timeout], toBlockingPop<S>);
  }

  /** `BRPOP key [key ...] timeout` — `{ key, element }` from the first non-empty list; null on timeout. */
  brPop(keys: Key | Key[], timeout: number): Promise<BlockingPopReply<S> | null> {
    return this.run(['BRPOP', ...many(keys), timeout], toBlockingPop<S>);
  }

  /** `BLMOVE source destination <LEFT | RIGHT> <LEFT | RIGHT> timeout` — the element moved; null on timeout. */
  blMove(
    source: Key,
    destination: Key,
    sourceSide: ListSide,
    destinationSide: ListSide,
    timeout: number,
  ): Promise<S | null> {
    return this.run(['BLMOVE', source, destination, sourceSide, destinationSide, timeout]);
  }

  /** `BRPOPLPUSH source destination timeout` — the element moved; null on timeout. */
  brPopLPush(source: Key, destination: Key, timeout: number): Promise<S | null> {
    return this.run(['BRPOPLPUSH', source, destination, timeout]);
  }

  /**
   * `BLMPOP timeout numkeys key [key ...] <LEFT | RIGHT> [COUNT count]` — `[key, elements]` from the first
   * non-empty list; null on timeout.
   */
  blmPop(timeout: number, keys: Key | Key[], side: ListSide, options?: LMPopOptions): Promise<LMPopReply<S> | null> {
    const args: unknown[] = ['BLMPOP', timeout, ...counted(keys), side];
    if (options?.COUNT !== undefined) args.push('COUNT', options.COUNT);
    return this.run(args);
  }
}

function toBlockingPop<S>(r: WireReply): BlockingPopReply<S> | null {
  if (r === null) return null;
  const [key, element] = r as [S, S];
  return { key, element };
}
