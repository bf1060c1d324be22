/**
 * The set family's typed methods (node-redis v4's names, arguments and reply shapes). See base.ts for how a
 * family joins the client. Members come back in Redis's order, which is not insertion order.
 */
import type { WireReply } from '../../worker/protocol.js';
import { allPages,
  CommandBase, counted, many, scanArgs, toBoolean, toBooleans, toCursor, type CollectionScanOptions, type Key, type Value,
} from './base.js';

export interface SScanReply<S> {
  /** The next cursor: 0 once the scan is complete. */
  cursor: number;
  members: S[];
}

export abstract class SetCommands<S extends string | Uint8Array = string> extends CommandBase {
  /** `SADD key member [member ...]` — how many members were added. */
  sAdd(key: Key, members: Value | Value[]): Promise<number> {
    return this.run(['SADD', key, ...many(members)]);
  }

  /** `SCARD key` — the number of members. */
  sCard(key: Key): Promise<number> {
    return this.run(['SCARD', key]);
  }

  /** `SDIFF key [key ...]` — the members of the first set in none of the others. */
  sDiff(keys: Key | Key[]): Promise<S[]> {
    return this.run(['SDIFF', ...many(keys)]);
  }

  /** `SDIFFSTORE destination key [key ...]` — the size of the stored difference. */
  sDiffStore(destination: Key, keys: Key | Key[]): Promise<number> {
    return this.run(['SDIFFSTORE', destination, ...many(keys)]);
  }

  /** `SINTER key [key ...]` */
  sInter(keys: Key | Key[]): Promise<S[]> {
    return this.run(['SINTER', ...many(keys)]);
  }

  /** `SINTERCARD numkeys key [key ...] [LIMIT limit]` — the intersection's size, counting up to `limit` (0: all). */
  sInterCard(keys: Key | Key[], limit?: number): Promise<number> {
    const args: unknown[] = ['SINTERCARD', ...counted(keys)];
    if (limit !== undefined) args.push('LIMIT', limit);
    return this.run(args);
  }

  /** `SINTERSTORE destination key [key ...]` — the size of the stored intersection. */
  sInterStore(destination: Key, keys: Key | Key[]): Promise<number> {
    return this.run(['SINTERSTORE', destination, ...many(keys)]);
  }

  /** `SISMEMBER key member` */
  sIsMember(key: Key, member: Value): Promise<boolean> {
    return this.run(['SISMEMBER', key, member], toBoolean);
  }

  /** `SMEMBERS key` */
  sMembers(key: Key): Promise<S[]> {
    return this.run(['SMEMBERS', key]);
  }

  /** `SMISMEMBER key member [member ...]` — one boolean per member, in order. */
  smIsMember(key: Key, members: Value[]): Promise<boolean[]> {
    return this.run(['SMISMEMBER', key, ...members], toBooleans);
  }

  /** `SMOVE source destination member` — true when it moved the member. */
  sMove(source: Key, destination: Key, member: Value): Promise<boolean> {
    return this.run(['SMOVE', source, destination, member], toBoolean);
  }

  /** `SPOP key` — a random member, removed; null when the set does not exist. */
  sPop(key: Key): Promise<S | null> {
    return this.run(['SPOP', key]);
  }

  /** `SPOP key count` — up to `count` random members, removed. */
  sPopCount(key: Key, count: number): Promise<S[]> {
    return this.run(['SPOP', key, count]);
  }

  /** `SRANDMEMBER key` — a random member, null when the set does not exist. */
  sRandMember(key: Key): Promise<S | null> {
    return this.run(['SRANDMEMBER', key]);
  }

  /** `SRANDMEMBER key count` — up to `count` distinct members; a negative count allows repeats and gives |count|. */
  sRandMemberCount(key: Key, count: number): Promise<S[]> {
    return this.run(['SRANDMEMBER', key, count]);
  }

  /** `SREM key member [member ...]` — how many members were removed. */
  sRem(key: Key, members: Value | Value[]): Promise<number> {
    return this.run(['SREM', key, ...many(members)]);
  }

  /** `SSCAN key cursor [MATCH pattern] [COUNT count]` — the next cursor (0: done) and a page of members. */
  sScan(key: Key, cursor: number, options?: CollectionScanOptions): Promise<SScanReply<S>> {
    return this.run(scanArgs('SSCAN', key, cursor, options), toSScan<S>);
  }

  /** Every member SSCAN finds, one by one: `for await (const member of db.sScanIterator(key))`. */
  sScanIterator(key: Key, options?: CollectionScanOptions): AsyncIterableIterator<S> {
    return allPages((c) => this.sScan(key, c, options).then((p) => ({ cursor: p.cursor, items: p.members })));
  }

  /** `SUNION key [key ...]` */
  sUnion(keys: Key | Key[]): Promise<S[]> {
    return this.run(['SUNION', ...many(keys)]);
  }

  /** `SUNIONSTORE destination key [key ...]` — the size of the stored union. */
  sUnionStore(destination: Key, keys: Key | Key[]): Promise<number> {
    return this.run(['SUNIONSTORE', destination, ...many(keys)]);
  }
}

function toSScan<S>(r: WireReply): SScanReply<S> {
  const [cursor, members] = r as [WireReply, S[]];
  return { cursor: toCursor(cursor), members };
}
