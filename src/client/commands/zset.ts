/**
 * The sorted-set family's typed methods (node-redis v4's names, arguments and reply shapes). See base.ts for
 * how a family joins the client.
 *
 * Scores are JS numbers both ways: an argument of ±Infinity is sent as '+inf' / '-inf', and replies ('1.5',
 * 'inf', '-inf' — or doubles under RESP3) become numbers, ±Infinity included. A range bound may also be a
 * string in Redis's syntax: '(1' (exclusive), '-inf', or '[a' / '(a' / '-' / '+' for lexicographic ranges.
 * Members with scores come back as `{ value, score }`.
 */
import type { WireReply } from '../../worker/protocol.js';
import { allPages,
  CommandBase, counted, many, scanArgs, scoreArg, toCursor, toMembers, toScore, toScoreOrNull, toScoresOrNull,
  type CollectionScanOptions, type Key, type Value, type ZMember,
} from './base.js';

/**
 * ZADD's flags, as node-redis v4 takes them: NX (only add) or XX (only update), GT / LT (only update when the
 * new score is greater / less), CH (count changed members, not only added ones), INCR (add the score to the
 * member's: the reply is then the new score, or null when NX / XX / GT / LT stopped it). Redis refuses the
 * combinations it does not allow (NX with XX, GT or LT) with its own error.
 */
export interface ZAddOptions {
  NX?: true;
  XX?: true;
  GT?: true;
  LT?: true;
  CH?: true;
  INCR?: true;
}

/** A range's LIMIT: skip `offset` matches, return at most `count` (negative: all the rest). */
export interface ZLimit {
  offset: number;
  count: number;
}

/** ZRANGE's options: by index (default), by score or by lexicographic order; reversed; a LIMIT (BY only). */
export interface ZRangeOptions {
  BY?: 'SCORE' | 'LEX';
  REV?: true;
  LIMIT?: ZLimit;
}

/** The LIMIT of ZRANGEBYSCORE, ZRANGEBYLEX and their REV twins. */
export interface ZRangeByOptions {
  LIMIT?: ZLimit;
}

/** ZUNION / ZINTER's options: a weight per key (its scores are multiplied by it) and how scores combine. */
export interface ZAggregateOptions {
  WEIGHTS?: number[];
  AGGREGATE?: 'SUM' | 'MIN' | 'MAX';
}

/** Which end ZMPOP / BZMPOP pop from: the lowest scores or the highest. */
export type SortedSetSide = 'MIN' | 'MAX';

export interface ZMPopOptions {
  /** Pop up to this many members (default 1). */
  COUNT?: number;
}

/** ZMPOP / BZMPOP's reply: the sorted set it popped from and the members with their scores. */
export interface ZMPopReply<S> {
  key: S;
  elements: ZMember<S>[];
}

/** BZPOPMIN / BZPOPMAX's reply: the sorted set it popped from, the member and its score. */
export type BZPopReply<S> = ZMember<S> & { key: S };

export interface ZScanReply<S> {
  /** The next cursor: 0 once the scan is complete. */
  cursor: number;
  members: ZMember<S>[];
}

export abstract class SortedSetCommands<S extends string | Uint8Array = string> extends CommandBase {
  /**
   * `ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]` — how many members were added
   * (with CH: added or changed); with INCR, the member's new score (null when a flag stopped it).
   * `zAdd('board', [{ score: 1, value: 'ada' }, { score: 2, value: 'grace' }], { GT: true, CH: true })`
   */
  zAdd<O extends ZAddOptions = ZAddOptions>(
    key: Key,
    members: ZMember | ZMember[],
    options?: O,
  ): Promise<O extends { INCR: true } ? number | null : number> {
    const args = zAddArgs(key, options);
    if (options?.INCR) args.push('INCR');
    for (const m of many(members)) args.push(scoreArg(m.score), m.value);
    return this.run(args, (r) => (typeof r === 'number' || r === null ? r : toScore(r)) as never);
  }

  /**
   * `ZADD key [NX | XX] [GT | LT] [CH] INCR increment member` — adds `member.score` to the member's score: the
   * new score, or null when a flag stopped it.
   */
  zAddIncr(key: Key, member: ZMember, options?: Omit<ZAddOptions, 'INCR'>): Promise<number | null> {
    const args = zAddArgs(key, options);
    args.push('INCR', scoreArg(member.score), member.value);
    return this.run(args, toScoreOrNull);
  }

  /** `ZCARD key` — the number of members. */
  zCard(key: Key): Promise<number> {
    return this.run(['ZCARD', key]);
  }

  /** `ZCOUNT key min max` — how many members have a score within [min, max]. */
  zCount(key: Key, min: number | Key, max: number | Key): Promise<number> {
    return this.run(['ZCOUNT', key, scoreArg(min), scoreArg(max)]);
  }

  /** `ZDIFF numkeys key [key ...]` — the members of the first sorted set in none of the others. */
  zDiff(keys: Key | Key[]): Promise<S[]> {
    return this.run(['ZDIFF', ...counted(keys)]);
  }

  /** `ZDIFF numkeys key [key ...] WITHSCORES` */
  zDiffWithScores(keys: Key | Key[]): Promise<ZMember<S>[]> {
    return this.run(['ZDIFF', ...counted(keys), 'WITHSCORES'], toMembers<S>);
  }

  /** `ZDIFFSTORE destination numkeys key [key ...]` — the size of the stored difference. */
  zDiffStore(destination: Key, keys: Key | Key[]): Promise<number> {
    return this.run(['ZDIFFSTORE', destination, ...counted(keys)]);
  }

  /** `ZINCRBY key increment member` — the member's new score. */
  zIncrBy(key: Key, increment: number, member: Value): Promise<number> {
    return this.run(['ZINCRBY', key, scoreArg(increment), member], toScore);
  }

  /** `ZINTER numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>]` */
  zInter(keys: Key | Key[], options?: ZAggregateOptions): Promise<S[]> {
    return this.run(aggregateArgs(['ZINTER', ...counted(keys)], options));
  }

  /** `ZINTER numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>] WITHSCORES` */
  zInterWithScores(keys: Key | Key[], options?: ZAggregateOptions): Promise<ZMember<S>[]> {
    return this.run([...aggregateArgs(['ZINTER', ...counted(keys)], options), 'WITHSCORES'], toMembers<S>);
  }

  /** `ZINTERCARD numkeys key [key ...] [LIMIT limit]` — the intersection's size, counting up to `limit` (0: all). */
  zInterCard(keys: Key | Key[], limit?: number): Promise<number> {
    const args: unknown[] = ['ZINTERCARD', ...counted(keys)];
    if (limit !== undefined) args.push('LIMIT', limit);
    return this.run(args);
  }

  /**
   * `ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>]`
   * — the size of the stored intersection.
   */
  zInterStore(destination: Key, keys: Key | Key[], options?: ZAggregateOptions): Promise<number> {
    return this.run(aggregateArgs(['ZINTERSTORE', destination, ...counted(keys)], options));
  }

  /** `ZLEXCOUNT key min max` — how many members lie between two lexicographic bounds ('[a', '(b', '-', '+'). */
  zLexCount(key: Key, min: Key, max: Key): Promise<number> {
    return this.run(['ZLEXCOUNT', key, min, max]);
  }

  /**
   * `ZMPOP numkeys key [key ...] <MIN | MAX> [COUNT count]` — `{ key, elements }` from the first non-empty
   * sorted set; null when all are empty.
   */
  zmPop(keys: Key | Key[], side: SortedSetSide, options?: ZMPopOptions): Promise<ZMPopReply<S> | null> {
    const args: unknown[] = ['ZMPOP', ...counted(keys), side];
    if (options?.COUNT !== undefined) args.push('COUNT', options.COUNT);
    return this.run(args, toZMPop<S>);
  }

  /** `ZMSCORE key member [member ...]` — one score per member, null for a missing one. */
  zmScore(key: Key, members: Value | Value[]): Promise<(number | null)[]> {
    return this.run(['ZMSCORE', key, ...many(members)], toScoresOrNull);
  }

  /** `ZPOPMAX key` — the member with the highest score, removed; null when the sorted set does not exist. */
  zPopMax(key: Key): Promise<ZMember<S> | null> {
    return this.run(['ZPOPMAX', key], toMemberOrNull<S>);
  }

  /** `ZPOPMAX key count` — up to `count` members, highest scores first, removed. */
  zPopMaxCount(key: Key, count: number): Promise<ZMember<S>[]> {
    return this.run(['ZPOPMAX', key, count], toMembers<S>);
  }

  /** `ZPOPMIN key` — the member with the lowest score, removed; null when the sorted set does not exist. */
  zPopMin(key: Key): Promise<ZMember<S> | null> {
    return this.run(['ZPOPMIN', key], toMemberOrNull<S>);
  }

  /** `ZPOPMIN key count` — up to `count` members, lowest scores first, removed. */
  zPopMinCount(key: Key, count: number): Promise<ZMember<S>[]> {
    return this.run(['ZPOPMIN', key, count], toMembers<S>);
  }

  /** `ZRANDMEMBER key` — a random member, null when the sorted set does not exist. */
  zRandMember(key: Key): Promise<S | null> {
    return this.run(['ZRANDMEMBER', key]);
  }

  /** `ZRANDMEMBER key count` — up to `count` distinct members; a negative count allows repeats and gives |count|. */
  zRandMemberCount(key: Key, count: number): Promise<S[]> {
    return this.run(['ZRANDMEMBER', key, count]);
  }

  /** `ZRANDMEMBER key count WITHSCORES` */
  zRandMemberCountWithScores(key: Key, count: number): Promise<ZMember<S>[]> {
    return this.run(['ZRANDMEMBER', key, count, 'WITHSCORES'], toMembers<S>);
  }

  /**
   * `ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count]` — by index (default), or between two
   * scores (`BY: 'SCORE'`) or lexicographic bounds (`BY: 'LEX'`); with `REV`, from the highest down, min and
   * max given as Redis takes them then (start first): `zRange(key, '+inf', 10, { BY: 'SCORE', REV: true })`.
   */
  zRange(key: Key, min: number | Key, max: number | Key, options?: ZRangeOptions): Promise<S[]> {
    return this.run(rangeArgs(['ZRANGE', key, scoreArg(min), scoreArg(max)], options));
  }

  /** `ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] WITHSCORES` */
  zRangeWithScores(key: Key, min: number | Key, max: number | Key, options?: ZRangeOptions): Promise<ZMember<S>[]> {
    return this.run([...rangeArgs(['ZRANGE', key, scoreArg(min), scoreArg(max)], options), 'WITHSCORES'], toMembers<S>);
  }

  /** `ZRANGEBYLEX key min max [LIMIT offset count]` */
  zRangeByLex(key: Key, min: Key, max: Key, options?: ZRangeByOptions): Promise<S[]> {
    return this.run(limitArgs(['ZRANGEBYLEX', key, min, max], options));
  }

  /** `ZRANGEBYSCORE key min max [LIMIT offset count]` */
  zRangeByScore(key: Key, min: number | Key, max: number | Key, options?: ZRangeByOptions): Promise<S[]> {
    return this.run(limitArgs(['ZRANGEBYSCORE', key, scoreArg(min), scoreArg(max)], options));
  }

  /** `ZRANGEBYSCORE key min max WITHSCORES [LIMIT offset count]` */
  zRangeByScoreWithScores(
    key: Key,
    min: number | Key,
    max: number | Key,
    options?: ZRangeByOptions,
  ): Promise<ZMember<S>[]> {
    return this.run(limitArgs(['ZRANGEBYSCORE', key, scoreArg(min), scoreArg(max), 'WITHSCORES'], options), toMembers<S>);
  }

  /** `ZRANGESTORE dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count]` — the size of the stored range. */
  zRangeStore(
    destination: Key,
    source: Key,
    min: number | Key,
    max: number | Key,
    options?: ZRangeOptions,
  ): Promise<number> {
    return this.run(rangeArgs(['ZRANGESTORE', destination, source, scoreArg(min), scoreArg(max)], options));
  }

  /** `ZRANK key member` — its index by ascending score, null when it is not a member. */
  zRank(key: Key, member: Value): Promise<number | null> {
    return this.run(['ZRANK', key, member]);
  }

  /** `ZREM key member [member ...]` — how many members were removed. */
  zRem(key: Key, members: Value | Value[]): Promise<number> {
    return this.run(['ZREM', key, ...many(members)]);
  }

  /** `ZREMRANGEBYLEX key min max` — how many members were removed. */
  zRemRangeByLex(key: Key, min: Key, max: Key): Promise<number> {
    return this.run(['ZREMRANGEBYLEX', key, min, max]);
  }

  /** `ZREMRANGEBYRANK key start stop` — how many members were removed. */
  zRemRangeByRank(key: Key, start: number, stop: number): Promise<number> {
    return this.run(['ZREMRANGEBYRANK', key, start, stop]);
  }

  /** `ZREMRANGEBYSCORE key min max` — how many members were removed. */
  zRemRangeByScore(key: Key, min: number | Key, max: number | Key): Promise<number> {
    return this.run(['ZREMRANGEBYSCORE', key, scoreArg(min), scoreArg(max)]);
  }

  /** `ZREVRANGE key start stop` — by index, highest scores first (node-redis: `zRange` with `REV`). */
  zRevRange(key: Key, start: number, stop: number): Promise<S[]> {
    return this.run(['ZREVRANGE', key, start, stop]);
  }

  /** `ZREVRANGE key start stop WITHSCORES` */
  zRevRangeWithScores(key: Key, start: number, stop: number): Promise<ZMember<S>[]> {
    return this.run(['ZREVRANGE', key, start, stop, 'WITHSCORES'], toMembers<S>);
  }

  /** `ZREVRANGEBYLEX key max min [LIMIT offset count]` — note the bounds' order: max first. */
  zRevRangeByLex(key: Key, max: Key, min: Key, options?: ZRangeByOptions): Promise<S[]> {
    return this.run(limitArgs(['ZREVRANGEBYLEX', key, max, min], options));
  }

  /** `ZREVRANGEBYSCORE key max min [LIMIT offset count]` — note the bounds' order: max first. */
  zRevRangeByScore(key: Key, max: number | Key, min: number | Key, options?: ZRangeByOptions): Promise<S[]> {
    return this.run(limitArgs(['ZREVRANGEBYSCORE', key, scoreArg(max), scoreArg(min)], options));
  }

  /** `ZREVRANGEBYSCORE key max min WITHSCORES [LIMIT offset count]` */
  zRevRangeByScoreWithScores(
    key: Key,
    max: number | Key,
    min: number | Key,
    options?: ZRangeByOptions,
  ): Promise<ZMember<S>[]> {
    return this.run(
      limitArgs(['ZREVRANGEBYSCORE', key, scoreArg(max), scoreArg(min), 'WITHSCORES'], options),
      toMembers<S>,
    );
  }

  /** `ZREVRANK key member` — its index by descending score, null when it is not a member. */
  zRevRank(key: Key, member: Value): Promise<number | null> {
    return this.run(['ZREVRANK', key, member]);
  }

  /** `ZSCAN key cursor [MATCH pattern] [COUNT count]` — the next cursor (0: done) and a page of members. */
  zScan(key: Key, cursor: number, options?: CollectionScanOptions): Promise<ZScanReply<S>> {
    return this.run(scanArgs('ZSCAN', key, cursor, options), toZScan<S>);
  }

  /** Every member ZSCAN finds, one by one: `for await (const { value, score } of db.zScanIterator(key))`. */
  zScanIterator(key: Key, options?: CollectionScanOptions): AsyncIterableIterator<ZMember<S>> {
    return allPages((c) => this.zScan(key, c, options).then((p) => ({ cursor: p.cursor, items: p.members })));
  }

  /** `ZSCORE key member` — null when it is not a member. */
  zScore(key: Key, member: Value): Promise<number | null> {
    return this.run(['ZSCORE', key, member], toScoreOrNull);
  }

  /** `ZUNION numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>]` */
  zUnion(keys: Key | Key[], options?: ZAggregateOptions): Promise<S[]> {
    return this.run(aggregateArgs(['ZUNION', ...counted(keys)], options));
  }

  /** `ZUNION numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>] WITHSCORES` */
  zUnionWithScores(keys: Key | Key[], options?: ZAggregateOptions): Promise<ZMember<S>[]> {
    return this.run([...aggregateArgs(['ZUNION', ...counted(keys)], options), 'WITHSCORES'], toMembers<S>);
  }

  /**
   * `ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>]`
   * — the size of the stored union.
   */
  zUnionStore(destination: Key, keys: Key | Key[], options?: ZAggregateOptions): Promise<number> {
    return this.run(aggregateArgs(['ZUNIONSTORE', destination, ...counted(keys)], options));
  }

  /** `BZPOPMIN key [key ...] timeout` — `{ key, value, score }` from the first non-empty sorted set; null on timeout. */
  bzPopMin(keys: Key | Key[], timeout: number): Promise<BZPopReply<S> | null> {
    return this.run(['BZPOPMIN', ...many(keys), timeout], toBZPop<S>);
  }

  /** `BZPOPMAX key [key ...] timeout` — `{ key, value, score }` from the first non-empty sorted set; null on timeout. */
  bzPopMax(keys: Key | Key[], timeout: number): Promise<BZPopReply<S> | null> {
    return this.run(['BZPOPMAX', ...many(keys), timeout], toBZPop<S>);
  }

  /**
   * `BZMPOP timeout numkeys key [key ...] <MIN | MAX> [COUNT count]` — `{ key, elements }` from the first
   * non-empty sorted set; null on timeout.
   */
  bzmPop(timeout: number, keys: Key | Key[], side: SortedSetSide, options?: ZMPopOptions): Promise<ZMPopReply<S> | null> {
    const args: unknown[] = ['BZMPOP', timeout, ...counted(keys), side];
    if (options?.COUNT !== undefined) args.push('COUNT', options.COUNT);
    return this.run(args, toZMPop<S>);
  }
}

// ---- arguments ----------------------------------------------------------------------------------------------------

/** `ZADD key` and its flags but INCR, in Redis's order. */
function zAddArgs(key: Key, o: ZAddOptions | undefined): unknown[] {
  const args: unknown[] = ['ZADD', key];
  if (o?.NX) args.push('NX');
  if (o?.XX) args.push('XX');
  if (o?.GT) args.push('GT');
  if (o?.LT) args.push('LT');
  if (o?.CH) args.push('CH');
  return args;
}

function limitArgs(args: unknown[], o: ZRangeByOptions | undefined): unknown[] {
  if (o?.LIMIT !== undefined) args.push('LIMIT', o.LIMIT.offset, o.LIMIT.count);
  return args;
}

function rangeArgs(args: unknown[], o: ZRangeOptions | undefined): unknown[] {
  if (o?.BY === 'SCORE') args.push('BYSCORE');
  else if (o?.BY === 'LEX') args.push('BYLEX');
  if (o?.REV) args.push('REV');
  return limitArgs(args, o);
}

function aggregateArgs(args: unknown[], o: ZAggregateOptions | undefined): unknown[] {
  if (o?.WEIGHTS !== undefined) args.push('WEIGHTS', ...o.WEIGHTS.map(scoreArg));
  if (o?.AGGREGATE !== undefined) args.push('AGGREGATE', o.AGGREGATE);
  return args;
}

// ---- replies ------------------------------------------------------------------------------------------------------

/** ZPOPMIN / ZPOPMAX without a count: `[member, score]` (also as a nested pair), or empty. */
function toMemberOrNull<S>(r: WireReply): ZMember<S> | null {
  const a = r as WireReply[];
  if (a.length === 0) return null;
  const [value, score] = (Array.isArray(a[0]) ? a[0] : a) as [WireReply, WireReply];
  return { value: value as S, score: toScore(score) };
}

function toZMPop<S>(r: WireReply): ZMPopReply<S> | null {
  if (r === null) return null;
  const [key, elements] = r as [S, WireReply];
  return { key, elements: toMembers<S>(elements) };
}

function toBZPop<S>(r: WireReply): BZPopReply<S> | null {
  if (r === null) return null;
  const [key, value, score] = r as [S, S, WireReply];
  return { key, value, score: toScore(score) };
}

function toZScan<S>(r: WireReply): ZScanReply<S> {
  const [cursor, items] = r as [WireReply, WireReply];
  return { cursor: toCursor(cursor), members: toMembers<S>(items) };
}
