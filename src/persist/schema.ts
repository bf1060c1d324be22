/**
 * The IndexedDB schema: one typed `DBSchema`, the only description of what tabhive keeps on disk.
 *
 * Database `tabhive:<name>`, one object store `keys` of records `{ db, key, type, value, expireAt }` keyed by
 * `[db, key]`. `key` is the engine's binary string (one char per byte, see engine/bytes.ts): IndexedDB compares
 * strings by UTF-16 code unit, which on binary strings is byte order, so every byte sequence is a distinct key
 * and a db's keys form one contiguous range (`dbRange`). `value` is the string itself for strings, else the
 * family's `CollectionValue.serialize()` output (plain arrays of binary strings and numbers).
 *
 * Rule: a change of this shape is a new `DB_VERSION` with its step in `upgradeSchema`; never change the meaning
 * of a stored field in place.
 */
import type { DBSchema, IDBPDatabase } from 'idb';
import type { ObjType } from '../engine/keyspace.js';

export const DB_VERSION = 1;
export const STORE = 'keys';

/** One key of one db, as stored. */
export interface StoredRecord {
  db: number;
  /** Binary string. */
  key: string;
  type: ObjType;
  /** Binary string (strings) or the family's serialized form (see keyspace.ts serializeValue). */
  value: unknown;
  /** Absolute expiry time in ms; 0 when the key has no TTL. */
  expireAt: number;
}

export type RecordKey = [db: number, key: string];

export interface TabhiveSchema extends DBSchema {
  keys: { key: RecordKey; value: StoredRecord };
}

export function databaseName(name: string): string {
  return `tabhive:${name}`;
}

/**
 * Every record key of db `id`: arrays compare element by element and a string sorts below an array, so
 * `[id]` < `[id, anyString]` < `[id, []]`.
 */
export function dbRange(id: number): IDBKeyRange {
  return IDBKeyRange.bound([id], [id, []]);
}

/** Bring a database from `oldVersion` (0 = new) to DB_VERSION. */
export function upgradeSchema(db: IDBPDatabase<TabhiveSchema>, oldVersion: number): void {
  if (oldVersion < 1) db.createObjectStore(STORE, { keyPath: ['db', 'key'] });
}
