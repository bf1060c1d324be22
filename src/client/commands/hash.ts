/**
 * The hash family's typed methods (node-redis v4's names, arguments and reply shapes). See base.ts for how a
 * family joins the client.
 *
 * Whole hashes come back as records with no prototype (`Object.create(null)`): a field named `__proto__`,
 * `constructor` or `hasOwnProperty` is an ordinary property, so a hash round-trips whatever its field names.
 * Such a record has no methods: read it with `Object.keys`, `Object.entries`, `for … in` or `key in record`.
 */
import type { WireReply } from '../../worker/protocol.js';
import { allPages,
  CommandBase, many, pairsOf, scanArgs, toBoolean, toCursor, toRecord, type CollectionScanOptions, type Key, type Value,
} from './base.js';

/** Fields and values for HSET: an object, a Map, [field, value] pairs or a flat field, value … array. */
export type HSetFields =
  | Record<string, Value>
  | Map<Key | number, Value>
  | [Key | number, Value][]
  | Value[];

/** A hash's fields and values (HGETALL), on a record with no prototype. */
export type HashRecord<S> = Record<string, S>;

/** One field of HSCAN's reply. */
export interface HScanTuple<S> {
  field: S;
  value: S;
}

export interface HScanReply<S> {
  /** The next cursor: 0 once the scan is complete. */
  cursor: number;
  tuples: HScanTuple<S>[];
}

export abstract class HashCommands<S extends string | Uint8Array = string> extends CommandBase {
  /** `HDEL key field [field ...]` — how many fields were removed. */
  hDel(key: Key, fields: Key | Key[]): Promise<number> {
    return this.run(['HDEL', key, ...many(fields)]);
  }

  /** `HEXISTS key field` */
  hExists(key: Key, field: Key): Promise<boolean> {
    return this.run(['HEXISTS', key, field], toBoolean);
  }

  /** `HGET key field` — null when the field (or the hash) does not exist. */
  hGet(key: Key, field: Key): Promise<S | null> {
    return this.run(['HGET', key, field]);
  }

  /**
   * `HGETALL key` — the fields and values as a record with no prototype (`{}` when the hash does not exist):
   * `__proto__` is a field like any other. With `withBytes()`, field names are decoded from UTF-8 (object keys
   * are strings) and values stay bytes; read a hash with binary field names with `hScanIterator`.
   */
  hGetAll(key: Key): Promise<HashRecord<S>> {
    return this.run(['HGETALL', key], toRecord<S>);
  }

  /** `HINCRBY key field increment` — the new value; a bigint beyond 2^53. */
  hIncrBy(key: Key, field: Key, increment: number | bigint): Promise<number | bigint> {
    return this.run(['HINCRBY', key, field, increment]);
  }

  /** `HINCRBYFLOAT key field increment` — the new value as Redis prints it. */
  hIncrByFloat(key: Key, field: Key, increment: number): Promise<S> {
    return this.run(['HINCRBYFLOAT', key, field, increment]);
  }

  /** `HKEYS key` */
  hKeys(key: Key): Promise<S[]> {
    return this.run(['HKEYS', key]);
  }

  /** `HLEN key` — the number of fields. */
  hLen(key: Key): Promise<number> {
    return this.run(['HLEN', key]);
  }

  /** `HMGET key field [field ...]` — the values in the fields' order, null for a missing one. */
  hmGet(key: Key, fields: Key | Key[]): Promise<(S | null)[]> {
    return this.run(['HMGET', key, ...many(fields)]);
  }

  /**
   * `HSET key field value [field value ...]` — how many fields were added (not updated). Takes one field and
   * its value, or many as an object, a Map, [field, value] pairs or a flat array:
   * `hSet(key, 'f', 'v')`, `hSet(key, { f: 'v', g: 1 })`, `hSet(key, new Map([['f', 'v']]))`,
   * `hSet(key, [['f', 'v']])`.
   */
  hSet(key: Key, ...fields: [field: Key | number, value: Value] | [fields: HSetFields]): Promise<number> {
    return this.run(hSetArgs('HSET', key, fields));
  }

  /**
   * `HMSET key field value [field value ...]` — 'OK'; takes what `hSet` takes.
   * @deprecated Deprecated since Redis 4.0, when HSET learned to take several fields: use `hSet`, which also says
   * how many fields were added.
   */
  hmSet(key: Key, ...fields: [field: Key | number, value: Value] | [fields: HSetFields]): Promise<'OK'> {
    return this.run(hSetArgs('HMSET', key, fields));
  }

  /** `HSETNX key field value` — true when it set the field (it did not exist). */
  hSetNX(key: Key, field: Key, value: Value): Promise<boolean> {
    return this.run(['HSETNX', key, field, value], toBoolean);
  }

  /** `HSTRLEN key field` — the value's length in bytes, 0 when missing. */
  hStrLen(key: Key, field: Key): Promise<number> {
    return this.run(['HSTRLEN', key, field]);
  }

  /** `HVALS key` */
  hVals(key: Key): Promise<S[]> {
    return this.run(['HVALS', key]);
  }

  /** `HRANDFIELD key` — a random field, null when the hash does not exist. */
  hRandField(key: Key): Promise<S | null> {
    return this.run(['HRANDFIELD', key]);
  }

  /** `HRANDFIELD key count` — up to `count` distinct fields; a negative count allows repeats and gives |count|. */
  hRandFieldCount(key: Key, count: number): Promise<S[]> {
    return this.run(['HRANDFIELD', key, count]);
  }

  /**
   * `HRANDFIELD key count WITHVALUES` — random fields with their values, as a record with no prototype
   * (node-redis v4's shape: a field drawn twice under a negative count appears once).
   */
  hRandFieldCountWithValues(key: Key, count: number): Promise<HashRecord<S>> {
    return this.run(['HRANDFIELD', key, count, 'WITHVALUES'], toRecord<S>);
  }

  /** `HSCAN key cursor [MATCH pattern] [COUNT count]` — the next cursor (0: done) and a page of fields. */
  hScan(key: Key, cursor: number, options?: CollectionScanOptions): Promise<HScanReply<S>> {
    return this.run(scanArgs('HSCAN', key, cursor, options), toHScan<S>);
  }

  /** Every field HSCAN finds, one by one: `for await (const { field, value } of db.hScanIterator(key))`. */
  hScanIterator(key: Key, options?: CollectionScanOptions): AsyncIterableIterator<HScanTuple<S>> {
    return allPages((c) => this.hScan(key, c, options).then((p) => ({ cursor: p.cursor, items: p.tuples })));
  }
}

/** HSET / HMSET's arguments from one field and value, an object, a Map, pairs or a flat array. */
function hSetArgs(command: string, key: Key, fields: [Key | number, Value] | [HSetFields]): unknown[] {
  const args: unknown[] = [command, key];
  const first = fields[0];
  if (fields.length !== 1 || typeof first === 'string' || typeof first === 'number' || ArrayBuffer.isView(first)) {
    args.push(...fields);
  } else if (first instanceof Map) {
    for (const [f, v] of first) args.push(f, v);
  } else if (Array.isArray(first)) {
    for (const x of first) {
      if (Array.isArray(x)) args.push(...(x as unknown[]));
      else args.push(x);
    }
  } else {
    // Own enumerable keys only: `{ ['__proto__']: 'v' }` sets a field named __proto__.
    for (const [f, v] of Object.entries(first)) args.push(f, v);
  }
  return args;
}

function toHScan<S>(r: WireReply): HScanReply<S> {
  const [cursor, items] = r as [WireReply, WireReply];
  return { cursor: toCursor(cursor), tuples: pairsOf(items).map(([field, value]) => ({ field: field as S, value: value as S })) };
}
